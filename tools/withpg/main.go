// Command withpg runs a command against a throwaway PostgreSQL server:
//
//	go run ./tools/withpg -- go test ./...
//
// It starts a server from the machine's PostgreSQL binaries in a temporary
// directory, creates the database registry_test on it, runs the command
// with TEST_DATABASE_URL set to that database's URL (standard input and
// output passed through), then always stops the server and removes the
// directory, also when the command fails or withpg receives SIGINT, SIGTERM
// or SIGHUP (which it forwards to the command). It exits with the command's
// exit code. If TEST_DATABASE_URL is already set, it just runs the command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sovereignty-registry/registry/internal/pgserver"
)

// dbName is the database TEST_DATABASE_URL points to.
const dbName = "registry_test"

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process exit; it returns the exit code.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("withpg", flag.ContinueOnError)
	fs.SetOutput(stderr)
	binDir := fs.String("bindir", getenv("PG_BINDIR"), "directory of initdb and postgres (default: $PG_BINDIR, PATH, /usr/lib/postgresql/*/bin)")
	verbose := fs.Bool("v", false, "log the server's start and stop")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: withpg [-bindir DIR] [-v] -- command [args...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	// Catch the signals before anything starts, so that none of them can
	// leave a server or a directory behind.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	env := os.Environ()
	if getenv("TEST_DATABASE_URL") == "" {
		url, cleanup, code := startServer(*binDir, sigs, log, stderr)
		if cleanup != nil {
			defer cleanup()
		}
		if code != 0 {
			return code
		}
		env = append(env, "TEST_DATABASE_URL="+url)
	}
	return runCommand(fs.Args(), env, sigs, stdin, stdout, stderr)
}

// startServer starts the throwaway server and returns its database URL and
// a cleanup function (non-nil whenever there is something to clean up), or
// a non-zero exit code.
func startServer(binDir string, sigs <-chan os.Signal, log *slog.Logger, stderr io.Writer) (string, func(), int) {
	if _, err := pgserver.FindBinaries(binDir); errors.Is(err, pgserver.ErrNoBinaries) {
		fmt.Fprintln(stderr, "withpg: no PostgreSQL server binaries (initdb, postgres) found: install them (e.g. apt-get install postgresql), set PG_BINDIR to their directory, or set TEST_DATABASE_URL to use an existing server.")
		return "", nil, 1
	}
	dir, err := os.MkdirTemp("", "withpg-")
	if err != nil {
		fmt.Fprintf(stderr, "withpg: temporary directory: %v\n", err)
		return "", nil, 1
	}
	var srv *pgserver.Server
	cleanup := func() {
		if srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := srv.Stop(ctx); err != nil {
				fmt.Fprintf(stderr, "withpg: stopping PostgreSQL: %v\n", err)
			}
		}
		if err := os.RemoveAll(dir); err != nil {
			fmt.Fprintf(stderr, "withpg: removing %s: %v\n", dir, err)
		}
	}
	// As root the server runs as another account (see pgserver), which
	// must be able to enter this directory.
	if err := os.Chmod(dir, 0o711); err != nil {
		fmt.Fprintf(stderr, "withpg: %v\n", err)
		return "", cleanup, 1
	}

	// A signal while the server starts cancels the start.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	caught := make(chan os.Signal, 1)
	go func() {
		var sig os.Signal
		select {
		case sig = <-sigs:
			cancel()
		case <-started:
		}
		caught <- sig
	}()
	srv, err = pgserver.Start(ctx, pgserver.Options{
		DataDir: filepath.Join(dir, "data"),
		BinDir:  binDir,
		Logger:  log,
		// Durability is pointless for a server deleted afterwards.
		Settings: map[string]string{"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
	})
	if err == nil {
		err = srv.CreateDatabase(ctx, dbName)
	}
	close(started)
	if sig := <-caught; sig != nil {
		return "", cleanup, exitCodeFor(sig)
	}
	if err != nil {
		fmt.Fprintf(stderr, "withpg: %v\n", err)
		return "", cleanup, 1
	}
	log.Info("PostgreSQL ready", "url", srv.URL(dbName), "dir", dir)
	return srv.URL(dbName), cleanup, 0
}

// runCommand runs the command, forwarding signals, and returns its exit
// code.
func runCommand(argv, env []string, sigs <-chan os.Signal, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "withpg: %v\n", err)
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return 127
		}
		return 126
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				_ = cmd.Process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()) // as a shell reports it
		}
		return exitErr.ExitCode()
	default:
		fmt.Fprintf(stderr, "withpg: %v\n", err)
		return 1
	}
}

// exitCodeFor is the shell's exit code for death by sig.
func exitCodeFor(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}
