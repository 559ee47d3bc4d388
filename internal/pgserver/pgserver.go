// Package pgserver starts and stops a local PostgreSQL server from the
// binaries installed on the machine (initdb and postgres), for `make run`,
// tests and tools/withpg.
//
// A Server listens on 127.0.0.1 only, with trust authentication for a
// superuser (default "registry"): it is meant for development and tests on
// one machine, never for production.
package pgserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultUser is the superuser name initdb creates unless Options.User says
// otherwise.
const DefaultUser = "registry"

// LogFileName is the name of the server's log file inside the data
// directory.
const LogFileName = "server.log"

// maxSocketPath bounds the unix socket path (sun_path is 108 bytes,
// including the terminating NUL).
const maxSocketPath = 107

// Options configures Start.
type Options struct {
	// DataDir is the cluster directory; it is created and initialised
	// (initdb) when it holds no cluster yet. Required.
	DataDir string
	// Port is the TCP port on 127.0.0.1; 0 picks a free one.
	Port int
	// BinDir is the directory of initdb and postgres; empty means
	// $PG_BINDIR, then PATH, then the usual install locations (see
	// FindBinaries).
	BinDir string
	// User is the superuser name given to initdb; empty means DefaultUser.
	User string
	// Settings are extra server parameters, passed as "-c key=value", e.g.
	// {"fsync": "off"} for throwaway test clusters.
	Settings map[string]string
	// StartTimeout bounds the wait for the server to accept connections;
	// 0 means 60 seconds.
	StartTimeout time.Duration
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
}

// Server is a running PostgreSQL server, either started by Start or, when
// one was already running on the data directory, reused.
type Server struct {
	dataDir string
	port    int
	user    string
	logFile string
	reused  bool
	log     *slog.Logger

	cmd      *exec.Cmd     // nil when reused
	exited   chan struct{} // closed when cmd has exited
	waitErr  error         // cmd.Wait's result, set before exited is closed
	sockDir  string        // a temporary socket directory to remove, or ""
	stopOnce sync.Once
	stopErr  error
}

// Start makes sure a PostgreSQL server runs on opts.DataDir and returns it
// once it accepts connections. It initialises the data directory if needed;
// it reuses a server that already runs on it (reading its port from
// postmaster.pid) and clears a stale postmaster.pid left by a crash.
//
// When the process runs as root, the server runs as the "postgres" account
// (or "nobody") and the data directory is handed to that account; every
// parent directory must be traversable by it.
//
// The server's output goes to DataDir/server.log; a failed start returns an
// error with the tail of that log. A missing installation returns an error
// wrapping ErrNoBinaries.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("pgserver: Options.DataDir is required")
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("pgserver: data directory: %w", err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("datadir", dataDir)
	if opts.User == "" {
		opts.User = DefaultUser
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, opts.StartTimeout)
	defer cancel()

	if s, err := reuse(ctx, dataDir, opts, log); s != nil || err != nil {
		return s, err
	}

	bins, err := FindBinaries(opts.BinDir)
	if err != nil {
		return nil, err
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	if err := prepareDataDir(ctx, dataDir, bins, acct, opts.User, log); err != nil {
		return nil, err
	}

	// With a free port picked by us, another process may grab it before
	// postgres binds it; then try again with a new one.
	for attempt := 1; ; attempt++ {
		s, err := launch(ctx, dataDir, bins, acct, opts, log)
		if err != nil {
			// Another process may have started a server on the same data
			// directory at the same moment; then use that one.
			if pf, perr := readPidFile(dataDir); perr == nil && pf.alive() {
				return reuse(ctx, dataDir, opts, log)
			}
		}
		if err == nil || opts.Port != 0 || attempt == 3 || !errors.Is(err, errPortInUse) {
			return s, err
		}
		log.Info("port taken before postgres bound it; retrying", "error", err)
	}
}

// reuse returns a Server for a live postmaster on dataDir, (nil, nil) when
// there is none, and removes a stale postmaster.pid.
func reuse(ctx context.Context, dataDir string, opts Options, log *slog.Logger) (*Server, error) {
	pf, err := readPidFile(dataDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err == nil && pf.alive() {
		if opts.Port != 0 && opts.Port != pf.port {
			log.Warn("reusing running server on another port than requested", "port", pf.port, "requested", opts.Port)
		}
		s := &Server{dataDir: dataDir, port: pf.port, user: opts.User, logFile: filepath.Join(dataDir, LogFileName), reused: true, log: log}
		log.Info("reusing running PostgreSQL", "pid", pf.pid, "port", pf.port)
		if err := s.waitReady(ctx); err != nil {
			return nil, fmt.Errorf("pgserver: a server (pid %d) already runs on %s but does not accept connections on port %d: %w", pf.pid, dataDir, pf.port, err)
		}
		return s, nil
	}
	// A pid file that names no running postgres is a leftover of a crash.
	// postgres would usually clear it itself, but not when the pid now
	// belongs to another process, so remove it here.
	log.Warn("removing stale postmaster.pid (no running postgres has its pid)", "pid", pf.pid, "error", err)
	if err := os.Remove(filepath.Join(dataDir, "postmaster.pid")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("pgserver: remove stale postmaster.pid: %w", err)
	}
	return nil, nil
}

// prepareDataDir creates, hands over and initialises the data directory.
func prepareDataDir(ctx context.Context, dataDir string, bins Binaries, acct *runAs, user string, log *slog.Logger) error {
	// Parents get 0755 so that the server account can reach the data
	// directory, which itself must be 0700 (postgres insists).
	if err := os.MkdirAll(filepath.Dir(dataDir), 0o755); err != nil {
		return fmt.Errorf("pgserver: create data directory: %w", err)
	}
	if err := os.Mkdir(dataDir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("pgserver: create data directory: %w", err)
	}
	if err := acct.checkTraversable(dataDir); err != nil {
		return err
	}
	if err := acct.chownTree(dataDir); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); err == nil {
		return nil
	}
	log.Info("initialising PostgreSQL data directory", "initdb", bins.InitDB)
	// UTF8 with the C locale: byte-order collation is the same on every
	// machine and needs no installed locale. Trust authentication: the
	// server only listens on 127.0.0.1 and a socket in a private directory.
	cmd := exec.CommandContext(ctx, bins.InitDB,
		"--pgdata="+dataDir, "--username="+user, "--encoding=UTF8", "--locale=C",
		"--auth=trust", "--no-sync", "--no-instructions")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = childEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: acct.credential()}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgserver: initdb %s failed: %w\n%s", dataDir, err, tail(out.Bytes(), 20))
	}
	log.Debug("initdb done", "output", out.String())
	return nil
}

// errPortInUse marks a start that failed because the port was taken.
var errPortInUse = errors.New("port already in use")

// launch starts postgres and waits until it accepts connections.
func launch(ctx context.Context, dataDir string, bins Binaries, acct *runAs, opts Options, log *slog.Logger) (*Server, error) {
	port := opts.Port
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	sockDir, tmpSock, err := socketDir(dataDir, acct)
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dataDir, LogFileName)
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pgserver: open server log: %w", err)
	}
	defer logFile.Close() // the child keeps its own descriptor
	if err := acct.chown(logPath); err != nil {
		return nil, err
	}
	logStart, _ := logFile.Seek(0, io.SeekEnd)

	args := []string{"-D", dataDir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + sockDir,
		"-c", "logging_collector=off"}
	keys := make([]string, 0, len(opts.Settings))
	for k := range opts.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "-c", k+"="+opts.Settings[k])
	}
	// Not CommandContext: the server must outlive the start context.
	cmd := exec.Command(bins.Postgres, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = childEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: acct.credential(),
		// Its own process group: a Ctrl-C in the terminal goes to us (and
		// our test or child command), and we stop the server in order.
		Setpgid: true,
		// If we die without stopping it (kill -9, a test binary's panic),
		// the kernel asks the server for a fast shutdown. Note: Linux
		// sends it when the OS thread that started the server exits, so
		// do not call Start from a goroutine locked to its thread.
		Pdeathsig: syscall.SIGINT,
	}
	log.Info("starting PostgreSQL", "postgres", bins.Postgres, "port", port, "log", logPath)
	if err := cmd.Start(); err != nil {
		if tmpSock {
			os.RemoveAll(sockDir)
		}
		return nil, fmt.Errorf("pgserver: start %s: %w", bins.Postgres, err)
	}
	s := &Server{dataDir: dataDir, port: port, user: opts.User, logFile: logPath, log: log,
		cmd: cmd, exited: make(chan struct{})}
	if tmpSock {
		s.sockDir = sockDir
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Stop(stopCtx) // best effort; the start error matters more
		logTail := readTail(logPath, logStart, 20)
		if bytes.Contains(logTail, []byte("could not bind")) || bytes.Contains(logTail, []byte("could not create any TCP/IP sockets")) {
			err = fmt.Errorf("%w: %w", errPortInUse, err)
		}
		return nil, fmt.Errorf("pgserver: PostgreSQL did not start on port %d: %w; tail of %s:\n%s", port, err, logPath, logTail)
	}
	log.Info("PostgreSQL ready", "port", port, "pid", cmd.Process.Pid)
	return s, nil
}

// waitReady polls until the server accepts a connection, the server process
// exits, or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	var lastErr error
	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(cctx, s.URL("postgres"))
		cancel()
		if err == nil {
			return conn.Close(ctx)
		}
		lastErr = err
		select {
		case <-s.exitedChan():
			return fmt.Errorf("server exited (%v) before accepting connections", s.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("gave up waiting: %w (last error: %w)", ctx.Err(), lastErr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// exitedChan is nil (blocks forever) for a reused server.
func (s *Server) exitedChan() <-chan struct{} {
	if s.exited == nil {
		return nil
	}
	return s.exited
}

// URL returns a connection URL for database dbname as the superuser over TCP.
func (s *Server) URL(dbname string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(s.user),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/" + dbname,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port returns the TCP port the server listens on (on 127.0.0.1).
func (s *Server) Port() int { return s.port }

// DataDir returns the absolute path of the data directory.
func (s *Server) DataDir() string { return s.dataDir }

// LogFile returns the path of the server's log file.
func (s *Server) LogFile() string { return s.logFile }

// Reused reports whether Start found the server already running; Stop then
// leaves it running, since it belongs to whoever started it.
func (s *Server) Reused() bool { return s.reused }

// CreateDatabase creates database name unless it exists already.
func (s *Server) CreateDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgserver: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("pgserver: look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: a concurrent creator won
		return nil
	}
	if err != nil {
		return fmt.Errorf("pgserver: create database %q: %w", name, err)
	}
	return nil
}

// Stop asks the server for a fast shutdown (SIGINT: active transactions are
// rolled back) and waits until it has exited. If ctx ends first, it demands
// an immediate shutdown (SIGQUIT) and still waits. Stop on a reused server
// does nothing. Stop may be called more than once.
func (s *Server) Stop(ctx context.Context) error {
	if s.cmd == nil {
		return nil
	}
	s.stopOnce.Do(func() {
		s.stopErr = s.stop(ctx)
		if s.sockDir != "" {
			if err := os.RemoveAll(s.sockDir); err != nil {
				s.stopErr = errors.Join(s.stopErr, fmt.Errorf("pgserver: remove socket directory: %w", err))
			}
		}
	})
	return s.stopErr
}

func (s *Server) stop(ctx context.Context) error {
	select {
	case <-s.exited:
		return nil // already gone (crashed, or failed to start)
	default:
	}
	s.log.Info("stopping PostgreSQL", "port", s.port)
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("pgserver: signal server: %w", err)
	}
	select {
	case <-s.exited:
		return nil
	case <-ctx.Done():
	}
	s.log.Warn("fast shutdown timed out; forcing immediate shutdown", "error", ctx.Err())
	_ = s.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	return fmt.Errorf("pgserver: fast shutdown did not finish in time: %w", ctx.Err())
}

// socketDir returns the directory for the unix socket: the data directory
// if the socket path fits into sun_path, else a fresh short directory under
// /tmp (tmp reports true; the caller removes it).
func socketDir(dataDir string, acct *runAs) (dir string, tmp bool, err error) {
	if len(dataDir)+len("/.s.PGSQL.65535.lock") <= maxSocketPath {
		return dataDir, false, nil
	}
	dir, err = os.MkdirTemp("/tmp", "pgsock")
	if err != nil {
		return "", false, fmt.Errorf("pgserver: socket directory: %w", err)
	}
	if err := acct.chown(dir); err != nil {
		os.RemoveAll(dir)
		return "", false, err
	}
	return dir, true, nil
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgserver: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// childEnv is our environment without the PG* variables, which would
// otherwise change initdb's and postgres's defaults, and with the C locale
// for messages, which we match on.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C")
}

// readTail returns the last n lines of the file written since offset.
func readTail(path string, offset int64, n int) []byte {
	f, err := os.Open(path)
	if err != nil {
		return []byte("(no log: " + err.Error() + ")")
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		offset = 0
	}
	b, _ := io.ReadAll(f)
	return tail(b, n)
}

// tail returns the last n lines of b.
func tail(b []byte, n int) []byte {
	b = bytes.TrimRight(b, "\n")
	lines := bytes.Split(b, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return bytes.Join(lines, []byte("\n"))
}
