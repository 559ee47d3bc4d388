package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/pressly/goose/v3"

	"github.com/sovereignty-registry/registry/migrations"
)

// Migrator applies the embedded SQL migrations. Each migration runs in its
// own transaction (goose's default for SQL files).
type Migrator struct {
	p *goose.Provider
}

// NewMigrator returns a migrator for the database behind db.
func NewMigrator(db *sql.DB) (*Migrator, error) {
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return &Migrator{p: p}, nil
}

// Up applies every pending migration.
func (m *Migrator) Up(ctx context.Context) error {
	if _, err := m.p.Up(ctx); err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// Down rolls back the most recent migration.
func (m *Migrator) Down(ctx context.Context) error {
	if _, err := m.p.Down(ctx); err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	return nil
}

// Reset rolls back every migration (tests of the down path use it).
func (m *Migrator) Reset(ctx context.Context) error {
	if _, err := m.p.DownTo(ctx, 0); err != nil {
		return fmt.Errorf("migrate reset: %w", err)
	}
	return nil
}

// Status writes one line per migration: version, state and file.
func (m *Migrator) Status(ctx context.Context, w io.Writer) error {
	st, err := m.p.Status(ctx)
	if err != nil {
		return fmt.Errorf("migrate status: %w", err)
	}
	for _, s := range st {
		applied := "pending"
		if s.State == goose.StateApplied {
			applied = "applied " + s.AppliedAt.Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(w, "%05d  %-28s  %s\n", s.Source.Version, applied, s.Source.Path)
	}
	return nil
}

// Migrate opens a migrator on url's database and applies every migration;
// the test harness prepares its template database with it.
func Migrate(ctx context.Context, db *sql.DB) error {
	m, err := NewMigrator(db)
	if err != nil {
		return err
	}
	return m.Up(ctx)
}
