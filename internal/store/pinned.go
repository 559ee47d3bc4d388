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

// Bulk implements catalog.BulkGraphStore. The write holds lockLevels
// already (Import takes it before its after hook).
func (g pinnedGraphStore) Bulk(context.Context) (catalog.GraphStore, error) {
	return fullGraph(g.db, g.conn), nil
}

// SaveMovedLevels implements catalog.BulkGraphStore.
func (g pinnedGraphStore) SaveMovedLevels(ctx context.Context, levels []catalog.ProductLevel) error {
	return fullGraphStore{graphStore: g.graphStore, conn: g.conn}.saveLevels(ctx, levels, true)
}

// lockLevels makes tx the only transaction computing levels until it
// ends: every write takes it before it reads what levels derive from. Two
// writes that computed at once would each save levels from facts that
// miss the other's change — a hub change recomputing every product in
// bulk, for instance, would write back the level of a product another
// write had just changed and committed — and could deadlock on the rows
// they both write. One after the other, the second reads the first's
// committed facts and levels. Every write locks this row anyway, to count
// the change in the generation, so taking it earlier costs no more than
// the wait.
func lockLevels(ctx context.Context, tx *gorm.DB) error {
	err := tx.WithContext(ctx).Exec(`SELECT 1 FROM catalog_state FOR UPDATE`).Error
	return translate(err, "wait for another write's levels")
}

// ProductCount implements catalog.BulkGraphStore.
func (g pinnedGraphStore) ProductCount(ctx context.Context) (int, error) {
	var n int
	err := g.db.WithContext(ctx).Raw(`SELECT count(*) FROM products`).Scan(&n).Error
	return n, translate(err, "count products")
}
