package testdb

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

// migrate is a stand-in for the migration runner.
func migrate(calls *atomic.Int32) PrepareFunc {
	return func(ctx context.Context, url string) error {
		calls.Add(1)
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "CREATE TABLE widgets (id serial PRIMARY KEY, name text NOT NULL)")
		return err
	}
}

func query(t *testing.T, url, sql string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestNew(t *testing.T) {
	var calls atomic.Int32
	prep := WithPrepare("widgets-v1", migrate(&calls))
	seen := make(chan string, 4)

	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				url := New(t, prep)
				seen <- url
				// Migrated and empty, and what a test writes stays its own.
				if n := query(t, url, "SELECT count(*) FROM widgets"); n != 0 {
					t.Fatalf("fresh database has %d widgets", n)
				}
				if n := query(t, url, "WITH i AS (INSERT INTO widgets (name) VALUES ('a') RETURNING 1) SELECT count(*) FROM i"); n != 1 {
					t.Fatal("insert failed")
				}
			})
		}
	})
	close(seen)

	if got := calls.Load(); got != 1 {
		t.Errorf("prepare ran %d times, want once per test binary", got)
	}
	urls := map[string]bool{}
	for u := range seen {
		urls[u] = true
	}
	if len(urls) != 4 {
		t.Errorf("got %d distinct databases for 4 tests", len(urls))
	}
	// The subtests have ended, so their databases are gone.
	admin := current.Load().url("postgres")
	for u := range urls {
		name := u[strings.LastIndex(u, "/")+1:]
		if n := query(t, admin, "SELECT count(*) FROM pg_database WHERE datname = $1", name); n != 0 {
			t.Errorf("database %s not dropped after its test", name)
		}
	}
}

func TestNew_WithoutPrepare(t *testing.T) {
	url := New(t)
	if n := query(t, url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"); n != 0 {
		t.Fatalf("fresh database has %d tables", n)
	}
}

// fatalTB records Fatalf instead of failing the real test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func fatalOf(t *testing.T, fn func(tb testing.TB)) string {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.msg
}

func TestNew_PrepareFails(t *testing.T) {
	boom := errors.New("migration 0003 failed")
	prep := WithPrepare("broken", func(context.Context, string) error { return boom })
	msg := fatalOf(t, func(tb testing.TB) { New(tb, prep) })
	if !strings.Contains(msg, "migration 0003 failed") || !strings.Contains(msg, "prepare") {
		t.Fatalf("message %q does not say the preparation failed and why", msg)
	}
	// Later tests get the same error at once, without running it again.
	if again := fatalOf(t, func(tb testing.TB) { New(tb, prep) }); again != msg {
		t.Fatalf("second call: %q", again)
	}
}

func TestNew_WithoutMain(t *testing.T) {
	h := current.Swap(nil)
	defer current.Store(h)
	msg := fatalOf(t, func(tb testing.TB) { New(tb) })
	if !strings.Contains(msg, "testdb.Main") {
		t.Fatalf("message %q does not tell to call testdb.Main", msg)
	}
}

func TestDatabaseName(t *testing.T) {
	a := databaseName("TestStore/Create_Product#01 with a very long name indeed, really long")
	b := databaseName("TestStore/Create_Product#01 with a very long name indeed, really long")
	if a == b {
		t.Fatal("names not unique")
	}
	if len(a) > 63 || strings.Trim(a, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		t.Fatalf("bad identifier %q", a)
	}
}
