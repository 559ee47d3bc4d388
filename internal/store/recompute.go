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

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// A full recomputation reads the whole catalogue and writes a level for
// every product and perspective: at 100,000 products and 1,000,000
// dependency edges, 1.2 million rows in and 400,000 level rows out.
// Through Upstream (a recursive closure, then "id = ANY(100,000 ids)"
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
func (g fullGraphStore) pgx(fn func(*pgx.Conn) error) error { return onPgx(g.conn, fn) }

// All implements catalog.GraphStore. On a plain handle it is Upstream over
// every product, without descriptions and evidence; fullGraphStore.All
// reads the tables directly.
func (g graphStore) All(ctx context.Context) (catalog.Subgraph, error) {
	slugs, err := g.AllSlugs(ctx)
	if err != nil {
		return catalog.Subgraph{}, err
	}
	sub, err := g.Upstream(ctx, slugs)
	if err != nil {
		return catalog.Subgraph{}, err
	}
	return withoutEvidence(sub), nil
}

// withoutEvidence drops from sub what All leaves out: the products'
// descriptions, the sources every fact, ownership, certification,
// dependency and adoption cites, and the sources themselves. It changes
// sub's entries in place.
func withoutEvidence(sub catalog.Subgraph) catalog.Subgraph {
	for i := range sub.Organizations {
		o := &sub.Organizations[i]
		o.LegalName.Sources, o.RegistrationCountry.Sources, o.HQCountry.Sources, o.PresenceCountries.Sources = nil, nil, nil, nil
		for j := range o.Owners {
			o.Owners[j].Sources = nil
		}
	}
	for i := range sub.Products {
		p := &sub.Products[i]
		p.DescriptionDE, p.DescriptionEN = "", ""
		p.VendorHosted.Sources, p.SelfHostable.Sources, p.PhoneHome.Sources = nil, nil, nil
		p.License.Sources, p.SourceRepository.Sources, p.Governance.Sources = nil, nil, nil
		for j := range p.Offerings {
			o := &p.Offerings[j]
			o.DataLocations.Sources, o.SupportLocations.Sources, o.KeyManagement.Sources = nil, nil, nil
			o.GoverningLaw.Sources, o.SubprocessorList.Sources = nil, nil
			for k := range o.Certifications {
				o.Certifications[k].Sources = nil
			}
		}
		for j := range p.Dependencies {
			p.Dependencies[j].Sources = nil
		}
		for j := range p.Adoptions {
			p.Adoptions[j].Sources = nil
		}
	}
	sub.Sources = nil
	return sub
}

// All implements catalog.GraphStore with one plain scan per table (the
// evidence and source tables are not read). Like Upstream's statements,
// the scans see successive snapshots (the transaction is READ COMMITTED,
// so that it can write while others do); a row whose parent or referenced
// entity appeared or vanished in between is left out, as Upstream's joins
// leave it out.
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
	return g.saveLevels(ctx, levels, false)
}

// saveLevels is SaveLevels; moved says the levels are known to differ
// from the stored ones, which all exist (catalog.BulkGraphStore's
// SaveMovedLevels), so that copyLevels need not compare.
func (g fullGraphStore) saveLevels(ctx context.Context, levels []catalog.ProductLevel, moved bool) error {
	if len(levels) == 0 {
		return g.graphStore.SaveLevels(ctx, levels)
	}
	err := g.pgx(func(c *pgx.Conn) error {
		pids, err := g.productIDs(ctx, c, levels)
		if err != nil {
			return err
		}
		if moved {
			return writeLevels(ctx, c, levels, pids, allLevels(len(levels)), nil)
		}
		return copyLevels(ctx, c, levels, pids)
	})
	if err != nil {
		return translate(err, "save levels")
	}
	return translate(g.db.WithContext(ctx).Exec(`UPDATE catalog_state SET generation = generation + 1`).Error, "count change")
}

// productIDs returns the product id of each level: from what All read,
// and with one query for the slugs it did not read.
func (g fullGraphStore) productIDs(ctx context.Context, c *pgx.Conn, levels []catalog.ProductLevel) ([]int64, error) {
	var known map[string]int64
	if g.ids != nil {
		known = *g.ids
	}
	pids := make([]int64, len(levels))
	missing := map[string]struct{}{}
	for i := range levels {
		id, ok := known[levels[i].Product]
		if !ok {
			missing[levels[i].Product] = struct{}{}
		}
		pids[i] = id
	}
	if len(missing) == 0 {
		return pids, nil
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
	for i := range levels {
		if _, ok := missing[levels[i].Product]; ok {
			pids[i] = ids[levels[i].Product]
		}
	}
	return pids, nil
}

// levelColumns are the columns of levels_in, in COPY order.
var levelColumns = []string{"product_id", "perspective", "overall", "pessimistic", "provisional", "objectives", "rule_version", "passed", "own", "stored"}

// perspectivesOf lists the perspectives of the levels at the positions at.
func perspectivesOf(levels []catalog.ProductLevel, at []int32) []string {
	var out []string
	for _, i := range at {
		if !slices.Contains(out, levels[i].Perspective) {
			out = append(out, levels[i].Perspective)
		}
	}
	return out
}

// copyLevels upserts levels. It first reads the stored levels of the same
// perspectives and drops the levels that equal them: at a million edges
// writing a row costs PostgreSQL some 15 µs (heap tuple, both indexes
// and, for an insert, the foreign-key check; a third of that for a HOT
// update, see migration 00010), reading one well under 1 µs, and a
// recomputation often changes little. The rest goes through COPY into a
// temporary table, then the rows that were read are updated with one
// UPDATE … FROM and the others inserted with one INSERT … ON CONFLICT DO
// UPDATE. (An upsert of a row that exists locks it first, a second WAL
// record per row; when every level is rewritten after a rule change the
// UPDATE costs PostgreSQL about a quarter less.) computed_at is therefore
// when the stored values were last written. A row another transaction
// changes between the read and the write keeps that transaction's value
// when ours equals what we read; either way the last committed
// computation stands, as with a plain upsert. Should a row that was read
// be gone by the UPDATE, the rows read are upserted after all. Readers
// keep seeing the old rows until the transaction commits; the table is
// never empty to them. pids are the levels' product ids.
func copyLevels(ctx context.Context, c *pgx.Conn, levels []catalog.ProductLevel, pids []int64) error {
	changed, stored, err := changedLevels(ctx, c, levels, pids)
	if err != nil {
		return err
	}
	return writeLevels(ctx, c, levels, pids, changed, stored)
}

// allLevels lists the positions of n levels.
func allLevels(n int) []int32 {
	at := make([]int32, n)
	for i := range at {
		at[i] = int32(i)
	}
	return at
}

// writeLevels writes the levels at the positions changed as copyLevels
// does: through COPY, then one UPDATE of the rows stored[k] says exist
// (nil: all of them) and one upsert of the others. pids are the levels'
// product ids.
func writeLevels(ctx context.Context, c *pgx.Conn, levels []catalog.ProductLevel, pids []int64, changed []int32, stored []bool) error {
	if len(changed) == 0 {
		return nil
	}
	if stored == nil {
		stored = make([]bool, len(levels))
		for i := range stored {
			stored[i] = true
		}
	}
	if _, err := c.Exec(ctx, `CREATE TEMPORARY TABLE levels_in (
			product_id bigint, perspective text, overall smallint, pessimistic smallint,
			provisional boolean, objectives smallint[], rule_version text, passed bytea, own bytea, stored boolean) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("temporary table: %w", err)
	}
	nStored := 0
	obj := make([]int16, 6*len(changed))          // one backing array for every row's objectives
	pas := make([]byte, passedBytes*len(changed)) // and one for their passed states
	owns := make([]byte, ownLen*len(changed))     // and their own evaluations
	row := make([]any, len(levelColumns))
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(changed) {
			return nil, nil
		}
		k := changed[i]
		l := &levels[k]
		o := obj[6*i : 6*i+6 : 6*i+6]
		for j, v := range l.Objectives {
			o[j] = int16(v)
		}
		var passed any // nil: NULL
		if l.Passed != nil {
			passed = appendPassed(pas[passedBytes*i:passedBytes*i:passedBytes*i+passedBytes], l.Passed)
		}
		var own any // nil: NULL
		if l.Own != nil {
			own = l.Own.AppendBytes(owns[ownLen*i : ownLen*i : ownLen*i+ownLen])
		}
		i++
		row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9] = pids[k], l.Perspective, int16(l.Overall), int16(l.Pessimistic), l.Provisional, o, l.RuleVersion, passed, own, stored[k]
		if stored[k] {
			nStored++
		}
		return row, nil
	})
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"levels_in"}, levelColumns, src); err != nil {
		return fmt.Errorf("copy levels: %w", err)
	}
	now := time.Now().UTC()
	upsert := func(which string) error {
		_, err := c.Exec(ctx, `INSERT INTO product_levels
				(product_id, perspective, overall, pessimistic, provisional, objectives, rule_version, passed, own, computed_at)
			SELECT product_id, perspective, overall, pessimistic, provisional, objectives, rule_version, passed, own, $1 FROM levels_in
			WHERE stored = $2
			ON CONFLICT (product_id, perspective) DO UPDATE SET overall = excluded.overall, pessimistic = excluded.pessimistic,
				provisional = excluded.provisional, objectives = excluded.objectives, rule_version = excluded.rule_version,
				passed = excluded.passed, own = excluded.own, computed_at = excluded.computed_at`, now, which == "stored")
		if err != nil {
			return fmt.Errorf("upsert %s levels: %w", which, err)
		}
		return nil
	}
	if nStored > 0 {
		// The perspectives' condition lets the planner read their pages
		// only (the table is clustered by perspective).
		tag, err := c.Exec(ctx, `UPDATE product_levels l SET overall = i.overall, pessimistic = i.pessimistic,
				provisional = i.provisional, objectives = i.objectives, rule_version = i.rule_version, passed = i.passed, own = i.own, computed_at = $1
			FROM levels_in i
			WHERE i.stored AND l.product_id = i.product_id AND l.perspective = i.perspective AND l.perspective = ANY($2)`,
			now, perspectivesOf(levels, changed))
		if err != nil {
			return fmt.Errorf("update levels: %w", err)
		}
		if tag.RowsAffected() != int64(nStored) {
			if err := upsert("stored"); err != nil {
				return err
			}
		}
	}
	if nStored < len(changed) {
		if err := upsert("new"); err != nil {
			return err
		}
	}
	// Dropped now rather than at commit, so that a second call in the same
	// transaction can create it again.
	if _, err := c.Exec(ctx, `DROP TABLE levels_in`); err != nil {
		return fmt.Errorf("drop temporary table: %w", err)
	}
	return nil
}

// fewLevelProducts is up to how many products changedLevels reads the
// stored levels of the levels' products only, by their ids, instead of
// every stored level of their perspectives: a change to a hub moves tens
// of thousands of levels, a full recomputation all of them.
const fewLevelProducts = 20000

// distinctIDs returns ids sorted, without repeats.
func distinctIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// changedLevels returns the positions of the levels that differ from the
// stored ones or have none, reading the stored levels of their
// perspectives, and for every level whether a stored one was read; pids
// are the levels' product ids. A stored level without a passed state
// (NULL, written before it was kept) differs from every level, so that a
// recomputation fills it in.
func changedLevels(ctx context.Context, c *pgx.Conn, levels []catalog.ProductLevel, pids []int64) (changed []int32, stored []bool, err error) {
	// Per perspective, the position of each product's level: an idIndex
	// over the product ids (dense, so a table) finds it without hashing.
	var perspectives []string
	var byPersp [][]int32 // positions in levels, per perspective
	for i := range levels {
		p := slices.Index(perspectives, levels[i].Perspective)
		if p < 0 {
			p = len(perspectives)
			perspectives = append(perspectives, levels[i].Perspective)
			byPersp = append(byPersp, nil)
		}
		byPersp[p] = append(byPersp[p], int32(i))
	}
	at := make([]idIndex, len(perspectives))
	for p, pos := range byPersp {
		at[p] = newIDIndex(idsOf(pos, func(i *int32) int64 { return pids[*i] }))
	}
	same := make([]bool, len(levels))
	stored = make([]bool, len(levels))
	// The objectives one by one: six int2 scans cost less than decoding an
	// array per row. A missing element reads as NULL, which no level has.
	// The passed state's 17 values are read in place from the array's
	// binary form instead (rawInts).
	q := `SELECT product_id, perspective, overall, pessimistic, provisional,
			objectives[1], objectives[2], objectives[3], objectives[4], objectives[5], objectives[6], rule_version, passed, own
		FROM product_levels WHERE perspective = ANY($1)`
	args := []any{perspectives}
	if ids := distinctIDs(pids); len(ids) <= fewLevelProducts {
		// A write that moved part of the catalogue's levels: their rows
		// only, through the primary key.
		q += ` AND product_id = ANY($2)`
		args = append(args, ids)
	}
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("stored levels: %w", err)
	}
	defer rows.Close()
	var id int64
	var overall, pessimistic int16
	var provisional bool
	var obj [6]pgtype.Int2
	var wantPassed [passedBytes]byte // computed, reused for every row
	var wantOwn [ownLen]byte
	for rows.Next() {
		if err := rows.Scan(&id, nil, &overall, &pessimistic, &provisional,
			&obj[0], &obj[1], &obj[2], &obj[3], &obj[4], &obj[5], nil, nil, nil); err != nil {
			return nil, nil, fmt.Errorf("stored levels: %w", err)
		}
		raw := rows.RawValues()
		p := -1
		for j := range perspectives { // compared in place: no string per row
			if string(raw[1]) == perspectives[j] {
				p = j
			}
		}
		if p < 0 {
			continue
		}
		k, ok := at[p].find(id)
		if !ok {
			continue
		}
		i := byPersp[p][k]
		stored[i] = true
		l := &levels[i]
		eq := int(overall) == l.Overall && int(pessimistic) == l.Pessimistic && provisional == l.Provisional &&
			string(raw[11]) == l.RuleVersion
		for j, o := range obj {
			eq = eq && o.Valid && int(o.Int16) == l.Objectives[j]
		}
		eq = eq && l.Passed != nil && l.Own != nil &&
			string(rawBytes(rows, 12)) == string(appendPassed(wantPassed[:0], l.Passed)) &&
			string(rawBytes(rows, 13)) == string(l.Own.AppendBytes(wantOwn[:0]))
		same[i] = eq
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("stored levels: %w", err)
	}
	for i := range levels {
		if !same[i] {
			changed = append(changed, int32(i))
		}
	}
	return changed, stored, nil
}
