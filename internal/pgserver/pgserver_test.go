package pgserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// tempDir returns a temporary directory that the server account can
// traverse (t.TempDir's parent is 0700, which the "postgres" account cannot
// enter when the tests run as root).
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgserver-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func mustStart(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.Logger = testLogger(t)
	if opts.Settings == nil {
		opts.Settings = map[string]string{"fsync": "off"}
	}
	s, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(context.Background()); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return s
}

func mustQuery(t *testing.T, url, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(ctx)
	var out string
	if err := conn.QueryRow(ctx, sql).Scan(&out); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func exec1(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestStart(t *testing.T) {
	dataDir := filepath.Join(tempDir(t), "data")
	ctx := context.Background()

	s := mustStart(t, Options{DataDir: dataDir})
	if s.Reused() {
		t.Fatal("fresh server reported as reused")
	}
	for range 2 { // idempotent
		if err := s.CreateDatabase(ctx, "app"); err != nil {
			t.Fatalf("CreateDatabase: %v", err)
		}
	}
	exec1(t, s.URL("app"), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('hello')")
	if got := mustQuery(t, s.URL("app"), "SELECT current_setting('server_encoding') || ' ' || current_user"); got != "UTF8 registry" {
		t.Errorf("encoding and user = %q, want %q", got, "UTF8 registry")
	}
	if fi, err := os.Stat(s.LogFile()); err != nil || fi.Size() == 0 {
		t.Errorf("server log %s missing or empty: %v", s.LogFile(), err)
	}

	t.Run("reuse a running server", func(t *testing.T) {
		r := mustStart(t, Options{DataDir: dataDir})
		if !r.Reused() || r.Port() != s.Port() {
			t.Fatalf("Reused() = %v, port %d; want true, %d", r.Reused(), r.Port(), s.Port())
		}
		if err := r.Stop(ctx); err != nil {
			t.Fatalf("Stop on reused server: %v", err)
		}
		if got := mustQuery(t, s.URL("app"), "SELECT v FROM kept"); got != "hello" {
			t.Fatalf("after stopping the reused handle: %q", got)
		}
	})

	if err := s.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := pgx.Connect(ctx, s.URL("app")); err == nil {
		t.Fatal("server still accepts connections after Stop")
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("postmaster.pid still there after Stop: %v", err)
	}

	t.Run("restart keeps data", func(t *testing.T) {
		r := mustStart(t, Options{DataDir: dataDir})
		if got := mustQuery(t, r.URL("app"), "SELECT v FROM kept"); got != "hello" {
			t.Fatalf("got %q, want hello", got)
		}
	})

	t.Run("stale pid file", func(t *testing.T) {
		// A pid that is alive but no postgres, as after a crash and a
		// container restart.
		sleep := exec.Command("sleep", "30")
		if err := sleep.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { sleep.Process.Kill(); sleep.Wait() }()
		pid := fmt.Sprintf("%d\n%s\n0\n5999\n%s\n127.0.0.1\n0\nready\n", sleep.Process.Pid, dataDir, dataDir)
		if err := os.WriteFile(filepath.Join(dataDir, "postmaster.pid"), []byte(pid), 0o600); err != nil {
			t.Fatal(err)
		}
		r := mustStart(t, Options{DataDir: dataDir})
		if r.Reused() {
			t.Fatal("stale pid file treated as a running server")
		}
		if got := mustQuery(t, r.URL("app"), "SELECT v FROM kept"); got != "hello" {
			t.Fatalf("got %q, want hello", got)
		}
	})

	t.Run("failed start shows log tail", func(t *testing.T) {
		_, err := Start(ctx, Options{DataDir: dataDir, Settings: map[string]string{"no_such_setting": "1"}, StartTimeout: 20 * time.Second})
		if err == nil || !strings.Contains(err.Error(), "no_such_setting") {
			t.Fatalf("err = %v, want one quoting the server log about no_such_setting", err)
		}
	})
}

func TestStart_LongPathUsesShortSocketDir(t *testing.T) {
	dataDir := filepath.Join(tempDir(t), strings.Repeat("d", 100))
	s := mustStart(t, Options{DataDir: dataDir})
	if s.sockDir == "" || len(s.sockDir) > 40 {
		t.Fatalf("socket directory %q, want a short temporary one", s.sockDir)
	}
	if got := mustQuery(t, s.URL("postgres"), "SELECT 'ok'"); got != "ok" {
		t.Fatal(got)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.sockDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket directory left behind: %v", err)
	}
}

func TestStart_ParentNotTraversable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the data directory to another account")
	}
	parent := filepath.Join(tempDir(t), "private")
	if err := os.Mkdir(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{DataDir: filepath.Join(parent, "data")})
	if err == nil || !strings.Contains(err.Error(), "chmod o+x "+parent) {
		t.Fatalf("err = %v, want advice to chmod o+x %s", err, parent)
	}
}

func TestFindBinaries_Missing(t *testing.T) {
	_, err := findBinaries("", "", []string{filepath.Join(t.TempDir(), "*", "bin")})
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "apt-get install postgresql") || !strings.Contains(msg, "DATABASE_URL") {
		t.Errorf("message is not one sentence with install advice: %q", msg)
	}

	// An explicit directory without binaries is an error, not a fallback.
	_, err = Start(context.Background(), Options{DataDir: filepath.Join(t.TempDir(), "data"), BinDir: t.TempDir()})
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("Start with empty BinDir: err = %v, want ErrNoBinaries", err)
	}
}

func TestFindBinaries_HighestVersion(t *testing.T) {
	root := t.TempDir()
	for _, v := range []string{"9.6", "10", "15"} {
		dir := filepath.Join(root, v, "bin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"initdb", "postgres"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := findBinaries("", "", []string{filepath.Join(root, "*", "bin")})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "15", "bin", "postgres"); b.Postgres != want {
		t.Fatalf("Postgres = %s, want %s", b.Postgres, want)
	}
}
