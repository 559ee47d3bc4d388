package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/sovereignty-registry/registry/internal/pgserver"
	"github.com/sovereignty-registry/registry/internal/store"
)

// database is an open store, and the embedded server behind it if this
// process started one.
type database struct {
	store  *store.Store
	server *pgserver.Server
}

// openDatabase connects to DATABASE_URL, or starts the embedded PostgreSQL
// under the data folder (kept across restarts) and connects to it.
func openDatabase(ctx context.Context, e env) (*database, error) {
	db := &database{}
	url := e.cfg.DatabaseURL
	if url == "" {
		dir, err := filepath.Abs(filepath.Join(e.cfg.DataDir, "postgres"))
		if err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
		e.log.Info("starting embedded PostgreSQL", "data_dir", dir)
		srv, err := pgserver.Start(ctx, pgserver.Options{DataDir: dir, BinDir: e.cfg.PGBinDir, Logger: e.log})
		if err != nil {
			return nil, fmt.Errorf("embedded PostgreSQL: %w", err)
		}
		db.server = srv
		if err := srv.CreateDatabase(ctx, "registry"); err != nil {
			db.close(e)
			return nil, err
		}
		url = srv.URL("registry")
	}
	s, err := store.Open(ctx, url, e.log, store.Options{MaxOpenConns: e.cfg.DBMaxConns})
	if err != nil {
		db.close(e)
		return nil, err
	}
	db.store = s
	return db, nil
}

// openMigrated opens the database and applies every pending migration:
// what serve, seed and reclassify all need first.
func openMigrated(ctx context.Context, e env) (*database, error) {
	db, err := openDatabase(ctx, e)
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx, db.store.DB()); err != nil {
		db.close(e)
		return nil, err
	}
	return db, nil
}

// close closes the pool and stops the embedded server, if any.
func (db *database) close(e env) {
	var errs []error
	if db.store != nil {
		errs = append(errs, db.store.Close())
	}
	if db.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		errs = append(errs, db.server.Stop(ctx))
	}
	if err := errors.Join(errs...); err != nil {
		e.log.Warn("closing the database", "err", err)
	}
}
