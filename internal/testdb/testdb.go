// Package testdb gives each test a fresh, real PostgreSQL database.
//
// A test calls New and gets the URL of a database of its own, cloned from a
// template that a caller-supplied Prepare function (typically the migration
// runner) set up once per test binary; the database is dropped when the test
// ends. The server is TEST_DATABASE_URL's if that is set (CI, a developer's
// own server, tools/withpg), otherwise one throwaway server per test binary,
// started lazily through internal/pgserver in a temporary directory.
//
// Every package that uses New needs this TestMain, so that the throwaway
// server is stopped and the templates are dropped when its tests end:
//
//	func TestMain(m *testing.M) { testdb.Main(m) }
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sovereignty-registry/registry/internal/pgserver"
)

// EnvURL names the environment variable with the URL of an existing server
// (any database on it) where the tests may create and drop databases.
const EnvURL = "TEST_DATABASE_URL"

// PrepareFunc sets up a template database, e.g. runs the migrations, given
// its URL. It must close its connections before it returns.
type PrepareFunc func(ctx context.Context, url string) error

// Option configures New.
type Option func(*options)

type options struct {
	name    string
	prepare PrepareFunc
}

// WithPrepare makes New clone the database from a template that prepare
// sets up once per test binary. name identifies the preparation (e.g.
// "migrations"): calls with the same name share one template, so give
// different preparations different names.
func WithPrepare(name string, prepare PrepareFunc) Option {
	return func(o *options) { o.name, o.prepare = name, prepare }
}

// current is the harness of this test binary, set by Main. It is package
// state because testing.M offers no other way to hand TestMain's resources
// to the tests and back.
var current atomic.Pointer[harness]

// Main runs the tests of a package and afterwards (also when they fail, or
// on SIGINT/SIGTERM) drops this binary's templates and stops the throwaway
// server, then exits with the tests' exit code. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	h := &harness{log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), templates: map[string]*template{}}
	current.Store(h)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig, ok := <-sigs
		if !ok {
			return
		}
		fmt.Fprintf(os.Stderr, "testdb: %v: stopping the test database server\n", sig)
		h.close()
		os.Exit(1)
	}()

	code := m.Run()
	signal.Stop(sigs)
	close(sigs)
	if err := h.close(); err != nil {
		fmt.Fprintf(os.Stderr, "testdb: cleaning up: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// New returns the URL of a fresh database for t, dropped when t ends. With
// WithPrepare it is a clone of the prepared template; without, it is empty.
// Problems end the test with t.Fatalf, saying how to fix them.
func New(t testing.TB, opts ...Option) string {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	h := current.Load()
	if h == nil {
		t.Fatalf("testdb: this package has no TestMain calling testdb.Main; add `func TestMain(m *testing.M) { testdb.Main(m) }`")
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	if err := h.connect(ctx); err != nil {
		t.Fatalf("%v", err)
		return ""
	}
	create := "CREATE DATABASE %s"
	if o.prepare != nil {
		tpl, err := h.template(ctx, o.name, o.prepare)
		if err != nil {
			t.Fatalf("%v", err)
			return ""
		}
		create += " TEMPLATE " + pgx.Identifier{tpl}.Sanitize()
	}
	name := databaseName(t.Name())
	if _, err := h.pool.Exec(ctx, fmt.Sprintf(create, pgx.Identifier{name}.Sanitize())); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
		return ""
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE: a pool the test forgot to close must not keep it alive.
		if _, err := h.pool.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: drop database %s: %v", name, err)
		}
	})
	return h.url(name)
}

// harness holds one test binary's server connection and templates.
type harness struct {
	log *slog.Logger

	connectOnce sync.Once
	connectErr  error
	base        *url.URL      // admin URL; its database is only used to connect
	pool        *pgxpool.Pool // admin connections
	srv         *pgserver.Server
	tmpDir      string // the throwaway server's directory, or ""

	mu        sync.Mutex
	templates map[string]*template
	closed    bool
}

type template struct {
	once sync.Once
	name string
	err  error
}

// connect finds or starts the server, once.
func (h *harness) connect(ctx context.Context) error {
	h.connectOnce.Do(func() { h.connectErr = h.doConnect(ctx) })
	return h.connectErr
}

func (h *harness) doConnect(ctx context.Context) error {
	h.mu.Lock()
	closed := h.closed
	h.mu.Unlock()
	if closed {
		return errors.New("testdb: New called after the tests ended")
	}
	raw := os.Getenv(EnvURL)
	if raw == "" {
		var err error
		if raw, err = h.startServer(ctx); err != nil {
			return err
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("testdb: %s must be a postgres:// URL, e.g. postgres://user@127.0.0.1:5432/postgres (got %q)", EnvURL, redact(raw))
	}
	h.base = u
	cfg, err := pgxpool.ParseConfig(raw)
	if err != nil {
		return fmt.Errorf("testdb: %s %s: %w", EnvURL, redact(raw), err)
	}
	cfg.MaxConns = 4
	if h.pool, err = pgxpool.NewWithConfig(ctx, cfg); err == nil {
		err = h.pool.Ping(ctx)
	}
	if err != nil {
		return fmt.Errorf("testdb: cannot connect to the test database server %s (is it running, and may this user create databases?): %w", redact(raw), err)
	}
	return nil
}

// startServer starts the throwaway server for this test binary.
func (h *harness) startServer(ctx context.Context) (string, error) {
	sweepStale(h.log)
	dir, err := os.MkdirTemp("", tmpPrefix)
	if err != nil {
		return "", fmt.Errorf("testdb: temporary directory for PostgreSQL: %w", err)
	}
	// When we run as root the server runs as another account (see
	// pgserver), which must be able to enter this directory.
	if err := os.Chmod(dir, 0o711); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("testdb: %w", err)
	}
	h.tmpDir = dir
	srv, err := pgserver.Start(ctx, pgserver.Options{
		DataDir: filepath.Join(dir, "data"),
		Logger:  h.log,
		// Durability is pointless for a server deleted after the tests.
		Settings: map[string]string{"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
	})
	if errors.Is(err, pgserver.ErrNoBinaries) {
		return "", fmt.Errorf("testdb: no PostgreSQL binaries: install postgresql (e.g. apt-get install postgresql) or set %s to a server where this user may create databases (%w)", EnvURL, err)
	}
	if err != nil {
		return "", fmt.Errorf("testdb: could not start a throwaway PostgreSQL (or set %s to use an existing server): %w", EnvURL, err)
	}
	h.srv = srv
	return srv.URL("postgres"), nil
}

// template returns the name of the template for the named preparation,
// creating it on first use.
func (h *harness) template(ctx context.Context, name string, prepare PrepareFunc) (string, error) {
	h.mu.Lock()
	tpl := h.templates[name]
	if tpl == nil {
		tpl = &template{name: templateName(name)}
		h.templates[name] = tpl
	}
	h.mu.Unlock()
	tpl.once.Do(func() { tpl.err = h.createTemplate(ctx, tpl.name, name, prepare) })
	return tpl.name, tpl.err
}

func (h *harness) createTemplate(ctx context.Context, tpl, name string, prepare PrepareFunc) error {
	ident := pgx.Identifier{tpl}.Sanitize()
	if _, err := h.pool.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return fmt.Errorf("testdb: create template database %s: %w", tpl, err)
	}
	if err := prepare(ctx, h.url(tpl)); err != nil {
		_, _ = h.pool.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)")
		return fmt.Errorf("testdb: preparing the template database with %q failed (fix the prepare function, e.g. the migrations): %w", name, err)
	}
	// A clone needs a template nobody is connected to: end connections
	// the prepare function leaked, and refuse new ones.
	if _, err := h.pool.Exec(ctx, "ALTER DATABASE "+ident+" WITH ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("testdb: seal template database %s: %w", tpl, err)
	}
	if _, err := h.pool.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", tpl); err != nil {
		return fmt.Errorf("testdb: end connections to template database %s: %w", tpl, err)
	}
	return nil
}

// close drops the templates, stops the throwaway server and removes its
// directory. It is safe to call twice (tests end and a signal arrives).
func (h *harness) close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	// The templates of a throwaway server go with it; on a shared server
	// drop them, or they pile up run after run.
	if h.pool != nil && h.srv == nil {
		for _, tpl := range h.templates {
			if tpl.err == nil && tpl.name != "" {
				if _, err := h.pool.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{tpl.name}.Sanitize()+" WITH (FORCE)"); err != nil {
					errs = append(errs, fmt.Errorf("drop template %s: %w", tpl.name, err))
				}
			}
		}
	}
	if h.pool != nil {
		h.pool.Close()
	}
	if h.srv != nil {
		if err := h.srv.Stop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if h.tmpDir != "" {
		if err := os.RemoveAll(h.tmpDir); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", h.tmpDir, err))
		}
	}
	return errors.Join(errs...)
}

// url returns the URL of database name on the harness's server.
func (h *harness) url(name string) string {
	u := *h.base
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

// templateName is unique per preparation and test binary, so that the test
// binaries of several packages, run in parallel against one server, never
// share (or drop) each other's templates.
func templateName(prepareName string) string {
	sum := sha256.Sum256([]byte(prepareName))
	return fmt.Sprintf("tpl_%s_%d_%s", hex.EncodeToString(sum[:6]), os.Getpid(), randomHex(3))
}

// databaseName derives a unique, readable database name from a test name.
func databaseName(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= 40 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return "t_" + b.String() + "_" + randomHex(6) // ≤ 2+40+1+12 < 63 bytes
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// redact hides the password of a URL for messages.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}
