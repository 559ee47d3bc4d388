// Package store is the registry's PostgreSQL adapter and the only package
// that imports gorm. It maps its own row types to domain types, runs the
// embedded goose migrations and translates database errors into the
// domain's errors.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	neturl "net/url"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Store implements the domain repositories on PostgreSQL.
type Store struct {
	db  *gorm.DB
	sql *sql.DB
	log *slog.Logger
	// conn is the connection db's transaction is pinned to, in a Store
	// bound to a pinned transaction (pinnedTx); nil otherwise.
	conn *sql.Conn
}

// Options tune the connection pool.
type Options struct {
	MaxOpenConns int // default 16
}

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string, log *slog.Logger, opts Options) (*Store, error) {
	url, err := withSessionSettings(url)
	if err != nil {
		return nil, err
	}
	// pgx prepares and caches every statement, so PostgreSQL plans each
	// query shape once instead of per request (measured: about half again
	// as many product pages per second). Generic plans stay sound because
	// parallel workers are off (sessionSettings) and evidence is reached
	// through joins, not "IN (subquery)" semi-joins, which the planner
	// misjudged on the sparse evidence columns.
	db, err := gorm.Open(postgres.Open(url), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // we open transactions where a use case needs one
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if opts.MaxOpenConns == 0 {
		opts.MaxOpenConns = 16
	}
	sqlDB.SetMaxOpenConns(opts.MaxOpenConns)
	sqlDB.SetMaxIdleConns(opts.MaxOpenConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, sql: sqlDB, log: log}
	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// sessionSettings are set on every connection. A web request runs one
// short query at a time among many concurrent ones: parallel workers only
// add start-up cost (about 10 ms) and compete for the same cores, and a
// misestimated join can make the planner start them for a 1 ms query.
var sessionSettings = map[string]string{"max_parallel_workers_per_gather": "0"}

// withSessionSettings adds sessionSettings to a postgres:// URL as runtime
// parameters, unless the URL sets them itself.
func withSessionSettings(raw string) (string, error) {
	u, err := neturl.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("open database: the URL is not a postgres:// URL")
	}
	q := u.Query()
	for k, v := range sessionSettings {
		if !q.Has(k) {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.sql.Close() }

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.sql.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// DB exposes the standard library handle for migrations and tooling.
func (s *Store) DB() *sql.DB { return s.sql }

// translate maps database errors to domain errors; everything else is
// wrapped unchanged and becomes a 500 at the edge.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, catalog.ErrNotFound)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505", "40001", "40P01": // unique violation, serialization failure, deadlock
			return fmt.Errorf("%s: %w (%s)", what, catalog.ErrConflict, pg.Message)
		case "23503", "23514", "22P02", "23502": // foreign key, check, bad text repr, not null
			return fmt.Errorf("%s: %w", what, &catalog.ValidationError{Problems: []catalog.Problem{{
				Path: pg.ColumnName, Key: "error.value", Message: pg.Message,
			}}})
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}
