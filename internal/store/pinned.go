package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// pinnedTx runs fn in a transaction pinned to one connection of the pool
// and hands fn that connection, so that bulk statements over pgx (the
// whole-catalogue load, COPY) run inside the transaction: they see its
// writes and commit or roll back with it.
//
// In a Store already bound to a transaction (Publish's apply) it opens a
// savepoint instead and hands on the connection the outer transaction is
// pinned to; conn is nil when there is none (a Store bound to a plain
// transaction), and fn must then make do with tx.
func (s *Store) pinnedTx(ctx context.Context, fn func(tx *gorm.DB, conn *sql.Conn) error) error {
	if s.inTx() || s.sql == nil {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(tx, s.conn) })
	}
	conn, err := s.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	db := s.db.WithContext(ctx) // a new session: setting its pool leaves s.db alone
	db.Statement.ConnPool = conn
	return db.Transaction(func(tx *gorm.DB) error { return fn(tx, conn) })
}

// writeGraph returns the GraphStore a write's after hook gets: graphStore's
// per-product operations on tx, offering catalog.BulkGraphStore when tx is
// pinned to conn.
func writeGraph(tx *gorm.DB, conn *sql.Conn) catalog.GraphStore {
	if conn == nil {
		return graphStore{db: tx}
	}
	return pinnedGraphStore{graphStore: graphStore{db: tx}, conn: conn}
}

// fullGraph returns the GraphStore of a full recomputation on tx: the bulk
// paths when tx is pinned to conn, graphStore's otherwise.
func fullGraph(tx *gorm.DB, conn *sql.Conn) catalog.GraphStore {
	if conn == nil {
		return graphStore{db: tx}
	}
	return fullGraphStore{graphStore: graphStore{db: tx}, conn: conn, ids: new(map[string]int64)}
}

// pinnedGraphStore is the GraphStore of a write whose transaction is pinned
// to conn. Its own methods are graphStore's: a small change reads its
// upstream closure and upserts its few levels, where fullGraphStore's
// SaveLevels would read every stored level to find what changed.
type pinnedGraphStore struct {
	graphStore
	conn *sql.Conn
}

// Bulk implements catalog.BulkGraphStore.
func (g pinnedGraphStore) Bulk(ctx context.Context) (catalog.GraphStore, error) {
	if err := lockFullRecomputation(ctx, g.db); err != nil {
		return nil, err
	}
	return fullGraph(g.db, g.conn), nil
}

// lockFullRecomputation waits until no other transaction recomputes every
// level and keeps them out until tx ends. Two that overlap would both
// write the same 400,000 rows, one waiting on the other's row locks for
// the whole of its transaction (and deadlocking with any writer that takes
// them in another order); one after the other, the second finds the
// first's levels and writes little.
func lockFullRecomputation(ctx context.Context, tx *gorm.DB) error {
	err := tx.WithContext(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtext('product_levels:full'))`).Error
	return translate(err, "wait for a full recomputation")
}

// ProductCount implements catalog.BulkGraphStore.
func (g pinnedGraphStore) ProductCount(ctx context.Context) (int, error) {
	var n int
	err := g.db.WithContext(ctx).Raw(`SELECT count(*) FROM products`).Scan(&n).Error
	return n, translate(err, "count products")
}
