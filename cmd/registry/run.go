package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/sovereignty-registry/registry/internal/config"
	"github.com/sovereignty-registry/registry/internal/pgserver"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2 // bad arguments or configuration
)

// env is what every command receives: configuration, logger and output.
type env struct {
	cfg    config.Config
	log    *slog.Logger
	stdout io.Writer
	stderr io.Writer
	hooks  hooks
}

// hooks let tests observe and extend the real program; both are nil in
// production.
type hooks struct {
	// ready receives the listening address once serve accepts connections
	// (tests listen on port 0 and need to know the port).
	ready func(addr string)
	// wrap wraps the HTTP handler (a test adds a deliberately slow route to
	// prove that shutdown lets in-flight requests finish).
	wrap func(http.Handler) http.Handler
}

// run is the whole program; main only supplies the process's environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return runWith(ctx, args, getenv, stdout, stderr, hooks{})
}

func runWith(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, h hooks) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		usage(stdout)
		return exitOK
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "registry: invalid configuration:\n%v\n", err)
		return exitUsage
	}
	e := env{cfg: cfg, log: newLogger(cfg, stderr), stdout: stdout, stderr: stderr, hooks: h}
	switch cmd {
	case "serve":
		err = serve(ctx, e)
	case "migrate":
		err = migrate(ctx, e, args)
	case "seed":
		err = seedCmd(ctx, e)
	case "reclassify":
		err = reclassifyCmd(ctx, e)
	default:
		fmt.Fprintf(stderr, "registry: unknown command %q\n\n", cmd)
		usage(stderr)
		return exitUsage
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "registry: %v\n", err)
		return exitUsage
	case errors.Is(err, pgserver.ErrNoBinaries):
		// One clear sentence, no stack of wrapping prefixes.
		fmt.Fprintf(stderr, "registry: %v\n", rootCause(err))
		return exitFailed
	default:
		e.log.Error("registry stopped", "command", cmd, "err", err)
		fmt.Fprintf(stderr, "registry: %v\n", err)
		return exitFailed
	}
}

// usageError marks a mistake in the command line.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// rootCause strips our wrapping prefixes down to pgserver's own sentence,
// the error that wraps the bare sentinel.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil || next == pgserver.ErrNoBinaries || !errors.Is(next, pgserver.ErrNoBinaries) {
			return err
		}
		err = next
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // validated by config.Load
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: registry [command]

Commands:
  serve                   serve the pages and the JSON API (the default)
  migrate up|down|status  apply, roll back or list the database migrations
  seed                    load the shipped catalogue (a re-run changes nothing)
  reclassify              recompute every stored sovereignty level
  help                    show this text

Environment:
`)
	for _, v := range config.Vars {
		fmt.Fprintf(w, "  %-26s %-24s %s\n", v.Name, v.Default, v.Meaning)
	}
}
