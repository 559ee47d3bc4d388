// Package storetest gives tests a real, disposable PostgreSQL store: empty
// and migrated, or loaded with the shipped seed catalogue. Each call clones
// a template database prepared once per test binary (see internal/testdb).
//
// A package using it needs:
//
//	func TestMain(m *testing.M) { testdb.Main(m) }
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for the template preparation

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/testdb"
	"github.com/sovereignty-registry/registry/seed"
)

// Migrated returns a store on a fresh database with every migration applied.
func Migrated(t testing.TB) *store.Store {
	t.Helper()
	return open(t, testdb.New(t, testdb.WithPrepare("migrations", migrate)))
}

// Seeded returns a store on a fresh database holding the seed catalogue.
func Seeded(t testing.TB) *store.Store {
	t.Helper()
	return open(t, testdb.New(t, testdb.WithPrepare("seeded", seedDB)))
}

// URL returns the URL of a fresh seeded database, for tests that start the
// whole program.
func URL(t testing.TB) string {
	t.Helper()
	return testdb.New(t, testdb.WithPrepare("seeded", seedDB))
}

func open(t testing.TB, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url, slog.New(slog.NewTextHandler(io.Discard, nil)), store.Options{MaxOpenConns: 4})
	if err != nil {
		t.Fatalf("storetest: open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func migrate(ctx context.Context, url string) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	return store.Migrate(ctx, db)
}

func seedDB(ctx context.Context, url string) error {
	if err := migrate(ctx, url); err != nil {
		return err
	}
	s, err := store.Open(ctx, url, slog.New(slog.NewTextHandler(io.Discard, nil)), store.Options{MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := seed.Load(seed.Files())
	if err != nil {
		return fmt.Errorf("load seed: %w", err)
	}
	if _, err := catalog.NewService(s).Import(ctx, d); err != nil {
		return fmt.Errorf("import seed: %w", err)
	}
	return nil
}
