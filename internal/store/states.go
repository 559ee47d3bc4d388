package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/lib/pq"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// onPgx runs fn on conn's pgx handle. database/sql locks the connection
// meanwhile, so fn must not use a gorm handle on the same connection.
func onPgx(conn *sql.Conn, fn func(*pgx.Conn) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("driver connection is %T, not pgx", dc)
		}
		return fn(c.Conn())
	})
}

// statesOfSQL reads the stored states of current levels of the products
// named in $2.
const statesOfSQL = `SELECT p.slug, l.perspective, l.passed, l.own FROM product_levels l JOIN products p ON p.id = l.product_id
		WHERE l.rule_version = $1 AND l.passed IS NOT NULL AND l.own IS NOT NULL AND p.slug = ANY($2)`

// StoredStates implements catalog.GraphStore on g's handle.
func (g graphStore) StoredStates(ctx context.Context, slugs []string, ruleVersion string, fn func(i int, perspective string, st sovereignty.State)) error {
	if len(slugs) == 0 {
		return nil
	}
	at := positions(slugs)
	rows, err := g.db.WithContext(ctx).Raw(statesOfSQL, ruleVersion, pq.StringArray(slugs)).Rows()
	if err != nil {
		return translate(err, "stored states")
	}
	defer rows.Close()
	var slug, persp string
	var passed storedPassed
	var own []byte
	for rows.Next() {
		if err := rows.Scan(&slug, &persp, &passed, &own); err != nil {
			return translate(err, "stored states")
		}
		if o := ownOf(own); o != nil && passed.p != nil {
			fn(at[slug], persp, sovereignty.State{Own: *o, Passed: *passed.p})
		}
	}
	return translate(rows.Err(), "stored states")
}

// positions maps each slug to its position.
func positions(slugs []string) map[string]int {
	at := make(map[string]int, len(slugs))
	for i, s := range slugs {
		at[s] = i
	}
	return at
}

// manyStates is from how many products on StoredStates reads every stored
// state and picks the products' in Go: a write that repropagates a change
// to a hub reads the states of most of the catalogue, for which a filter
// on a parameter of a hundred thousand slugs costs the database more than
// it saves.
const manyStates = 1000

// StoredStates implements catalog.GraphStore over pgx on the write's
// connection, inside its transaction, decoding the states in place (a
// hub's region is hundreds of thousands of rows).
func (g pinnedGraphStore) StoredStates(ctx context.Context, slugs []string, ruleVersion string, fn func(i int, perspective string, st sovereignty.State)) error {
	if len(slugs) < manyStates {
		return g.graphStore.StoredStates(ctx, slugs, ruleVersion, fn)
	}
	return g.scanStates(ctx, slugs, ruleVersion, fn)
}

// scanStates is StoredStates over pgx, reading every current state. The
// products are read once for their ids, and the states without a join:
// matching four hundred thousand rows to their slugs cost more than
// reading them.
func (g pinnedGraphStore) scanStates(ctx context.Context, slugs []string, ruleVersion string, fn func(i int, perspective string, st sovereignty.State)) error {
	at := positions(slugs)
	err := onPgx(g.conn, func(c *pgx.Conn) error {
		var ids []int64 // of the products slugs names
		var pos []int32 // their positions in slugs
		rows, err := c.Query(ctx, `SELECT id, slug FROM products`)
		if err != nil {
			return err
		}
		var id int64
		if _, err := pgx.ForEachRow(rows, []any{&id, nil}, func() error {
			if i, ok := at[string(rows.RawValues()[1])]; ok {
				ids, pos = append(ids, id), append(pos, int32(i))
			}
			return nil
		}); err != nil {
			return err
		}
		byID := newIDIndex(ids)
		rows, err = c.Query(ctx, `SELECT product_id, perspective, passed, own FROM product_levels
			WHERE rule_version = $1 AND passed IS NOT NULL AND own IS NOT NULL`, ruleVersion)
		if err != nil {
			return err
		}
		defer rows.Close()
		var persp []string // the few perspectives, one string each
		for rows.Next() {
			if err := rows.Scan(&id, nil, nil, nil); err != nil {
				return err
			}
			k, ok := byID.find(id)
			if !ok {
				continue
			}
			i := pos[k]
			raw := rows.RawValues()
			pi := slices.Index(persp, string(raw[1]))
			if pi < 0 {
				pi = len(persp)
				persp = append(persp, string(raw[1]))
			}
			p, ok := decodePassed(rawBytes(rows, 2))
			if !ok {
				continue
			}
			if o, err := sovereignty.OwnFromBytes(rawBytes(rows, 3)); err == nil {
				fn(int(i), persp[pi], sovereignty.State{Own: o, Passed: p})
			}
		}
		return rows.Err()
	})
	return translate(err, "stored states")
}
