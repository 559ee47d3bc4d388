package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// A full recomputation reads the whole catalogue and writes a level for
// every product and perspective: at 100,000 products and 1,000,000
// dependency edges, 1.7 million evidence rows in and 400,000 level rows
// out. Through Upstream (a recursive closure, then "id = ANY(100,000 ids)"
// scans into gorm structs) and gorm's batched upsert of every row this
// took a minute on two cores, nearly all of it loading (reflection and
// allocation) and writing. fullGraphStore reads every table once with a
// plain scan over pgx (loader, recomputeload.go) and writes only the levels
// that changed, with COPY, on the connection the recomputation's
// transaction is pinned to.

// fullGraphStore is the GraphStore of Store.Reclassify: a graphStore on a
// transaction pinned to conn, whose pgx handle the bulk paths use. Those
// statements run inside the same transaction, so they see its writes and
// commit or roll back with it.
type fullGraphStore struct {
	graphStore
	conn *sql.Conn
	// ids maps product slugs to ids, as All read them; SaveLevels looks
	// up what it lacks.
	ids *map[string]int64
}

// pgx runs fn on the pinned connection's pgx handle. database/sql locks the
// connection meanwhile, so fn must not use the gorm transaction.
func (g fullGraphStore) pgx(fn func(*pgx.Conn) error) error {
	return g.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("driver connection is %T, not pgx", dc)
		}
		return fn(c.Conn())
	})
}

// All implements catalog.GraphStore. On a plain handle it is Upstream over
// every product; fullGraphStore.All reads the tables directly.
func (g graphStore) All(ctx context.Context) (catalog.Subgraph, error) {
	slugs, err := g.AllSlugs(ctx)
	if err != nil {
		return catalog.Subgraph{}, err
	}
	sub, err := g.Upstream(ctx, slugs)
	for i := range sub.Products {
		sub.Products[i].DescriptionDE, sub.Products[i].DescriptionEN = "", ""
	}
	return sub, err
}

// All implements catalog.GraphStore with one plain scan per table. Like
// Upstream's statements, the scans see successive snapshots (the
// transaction is READ COMMITTED, so that it can write while others do); a
// row whose parent or referenced entity appeared or vanished in between is
// left out, as Upstream's joins leave it out.
func (g fullGraphStore) All(ctx context.Context) (catalog.Subgraph, error) {
	var sub catalog.Subgraph
	err := g.pgx(func(c *pgx.Conn) error {
		l := newLoader(ctx, c)
		var err error
		if sub, err = l.load(); err != nil {
			return err
		}
		if g.ids != nil {
			*g.ids = make(map[string]int64, len(l.products))
			for _, p := range l.products {
				(*g.ids)[p.slug] = p.id
			}
		}
		return nil
	})
	if err != nil {
		return catalog.Subgraph{}, translate(err, "load catalogue")
	}
	return sub, nil
}

// SaveLevels implements catalog.GraphStore; see copyLevels.
func (g fullGraphStore) SaveLevels(ctx context.Context, levels []catalog.ProductLevel) error {
	if len(levels) == 0 {
		return g.graphStore.SaveLevels(ctx, levels)
	}
	err := g.pgx(func(c *pgx.Conn) error {
		ids, err := g.productIDs(ctx, c, levels)
		if err != nil {
			return err
		}
		return copyLevels(ctx, c, levels, ids)
	})
	if err != nil {
		return translate(err, "save levels")
	}
	return translate(g.db.WithContext(ctx).Exec(`UPDATE catalog_state SET generation = generation + 1`).Error, "count change")
}

// productIDs maps the slugs of levels to product ids: from what All read,
// and with one query for the slugs it did not read.
func (g fullGraphStore) productIDs(ctx context.Context, c *pgx.Conn, levels []catalog.ProductLevel) (map[string]int64, error) {
	var known map[string]int64
	if g.ids != nil {
		known = *g.ids
	}
	missing := map[string]struct{}{}
	for _, l := range levels {
		if _, ok := known[l.Product]; !ok {
			missing[l.Product] = struct{}{}
		}
	}
	if len(missing) == 0 {
		return known, nil
	}
	ids := maps.Clone(known)
	if ids == nil {
		ids = make(map[string]int64, len(missing))
	}
	rows, err := c.Query(ctx, `SELECT id, slug FROM products WHERE slug = ANY($1)`, slices.Collect(maps.Keys(missing)))
	if err != nil {
		return nil, fmt.Errorf("product ids: %w", err)
	}
	var id int64
	var slug string
	n := 0
	if _, err := pgx.ForEachRow(rows, []any{&id, &slug}, func() error { ids[slug] = id; n++; return nil }); err != nil {
		return nil, fmt.Errorf("product ids: %w", err)
	}
	if n != len(missing) {
		return nil, fmt.Errorf("%d of %d products unknown: %w", len(missing)-n, len(missing), catalog.ErrNotFound)
	}
	if g.ids != nil {
		*g.ids = ids
	}
	return ids, nil
}

// levelColumns are the columns of levels_in, in COPY order.
var levelColumns = []string{"product_id", "perspective", "overall", "pessimistic", "provisional", "objectives", "rule_version"}

// copyLevels upserts levels. It first reads the stored levels of the same
// perspectives and drops the levels that equal them: at a million edges
// writing a row costs PostgreSQL some 15 µs (heap tuple, both indexes
// and, for an insert, the foreign-key check), reading one well under 1 µs,
// and a recomputation often changes little. The rest goes through COPY
// into a temporary table and one INSERT … ON CONFLICT DO UPDATE.
// computed_at is therefore when the stored values were last written. A row
// another transaction changes between the read and the write keeps that
// transaction's value when ours equals what we read; either way the last
// committed computation stands, as with a plain upsert. Readers keep
// seeing the old rows until the transaction commits; the table is never
// empty to them.
func copyLevels(ctx context.Context, c *pgx.Conn, levels []catalog.ProductLevel, ids map[string]int64) error {
	changed, err := changedLevels(ctx, c, levels, ids)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		return nil
	}
	if _, err := c.Exec(ctx, `CREATE TEMPORARY TABLE levels_in (
			product_id bigint, perspective text, overall smallint, pessimistic smallint,
			provisional boolean, objectives smallint[], rule_version text) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("temporary table: %w", err)
	}
	obj := make([]int16, 6*len(changed)) // one backing array for every row's objectives
	row := make([]any, len(levelColumns))
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(changed) {
			return nil, nil
		}
		l := changed[i]
		o := obj[6*i : 6*i+6 : 6*i+6]
		for k, v := range l.Objectives {
			o[k] = int16(v)
		}
		i++
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = ids[l.Product], l.Perspective, int16(l.Overall), int16(l.Pessimistic), l.Provisional, o, l.RuleVersion
		return row, nil
	})
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"levels_in"}, levelColumns, src); err != nil {
		return fmt.Errorf("copy levels: %w", err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO product_levels
			(product_id, perspective, overall, pessimistic, provisional, objectives, rule_version, computed_at)
		SELECT product_id, perspective, overall, pessimistic, provisional, objectives, rule_version, $1 FROM levels_in
		ON CONFLICT (product_id, perspective) DO UPDATE SET overall = excluded.overall, pessimistic = excluded.pessimistic,
			provisional = excluded.provisional, objectives = excluded.objectives, rule_version = excluded.rule_version,
			computed_at = excluded.computed_at`, time.Now().UTC()); err != nil {
		return fmt.Errorf("upsert levels: %w", err)
	}
	// Dropped now rather than at commit, so that a second call in the same
	// transaction can create it again.
	if _, err := c.Exec(ctx, `DROP TABLE levels_in`); err != nil {
		return fmt.Errorf("drop temporary table: %w", err)
	}
	return nil
}

// changedLevels returns the levels that differ from the stored ones or
// have none, reading the stored levels of their perspectives.
func changedLevels(ctx context.Context, c *pgx.Conn, levels []catalog.ProductLevel, ids map[string]int64) ([]*catalog.ProductLevel, error) {
	type key struct {
		id          int64
		perspective string
	}
	at := make(map[key]int32, len(levels))
	var perspectives []string
	for i, l := range levels {
		if !slices.Contains(perspectives, l.Perspective) {
			perspectives = append(perspectives, l.Perspective)
		}
		at[key{ids[l.Product], l.Perspective}] = int32(i)
	}
	same := make([]bool, len(levels))
	// The objectives one by one: six int2 scans cost less than decoding an
	// array per row. A missing element reads as NULL, which no level has.
	rows, err := c.Query(ctx, `SELECT product_id, perspective, overall, pessimistic, provisional,
			objectives[1], objectives[2], objectives[3], objectives[4], objectives[5], objectives[6], rule_version
		FROM product_levels WHERE perspective = ANY($1)`, perspectives)
	if err != nil {
		return nil, fmt.Errorf("stored levels: %w", err)
	}
	defer rows.Close()
	var k key
	var overall, pessimistic int16
	var provisional bool
	var obj [6]pgtype.Int2
	for rows.Next() {
		if err := rows.Scan(&k.id, nil, &overall, &pessimistic, &provisional,
			&obj[0], &obj[1], &obj[2], &obj[3], &obj[4], &obj[5], nil); err != nil {
			return nil, fmt.Errorf("stored levels: %w", err)
		}
		raw := rows.RawValues()
		k.perspective = ""
		for _, p := range perspectives { // the computed levels' string: no allocation per row
			if string(raw[1]) == p {
				k.perspective = p
			}
		}
		i, ok := at[k]
		if !ok {
			continue
		}
		l := &levels[i]
		eq := int(overall) == l.Overall && int(pessimistic) == l.Pessimistic && provisional == l.Provisional &&
			string(raw[11]) == l.RuleVersion
		for j, o := range obj {
			eq = eq && o.Valid && int(o.Int16) == l.Objectives[j]
		}
		same[i] = eq
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stored levels: %w", err)
	}
	var changed []*catalog.ProductLevel
	for i := range levels {
		if !same[i] {
			changed = append(changed, &levels[i])
		}
	}
	return changed, nil
}
