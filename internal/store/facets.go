package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"sync"
	"weak"

	"github.com/lib/pq"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// facetTable holds, for one catalogue generation, every product's values
// of the filterable facets, in a few bytes per product. Searches count
// their facets here instead of aggregating the matching rows in
// PostgreSQL: a browse or a filter over a large share of the catalogue
// took half a second to count there, and takes milliseconds here. Text
// matching stays in PostgreSQL, which returns the matching ids.
type facetTable struct {
	gen   int64
	rows  []facetValues
	pos   map[int64]int32 // product id → row
	names []string        // interned values: categories, countries, tri values, kinds
	index map[string]uint16
	// levels holds per perspective every row's overall level, -1 where
	// the product has none.
	levels map[string][]int8
}

// facetValues is one product's facet values, as indexes into facetTable.names.
type facetValues struct {
	category, vendorCountry, openSource, kind uint16
	vendorHosted, selfHostable                bool
	hosting                                   []uint16
}

// intern returns the index of v in t.names, adding it.
func (t *facetTable) intern(v string) uint16 {
	if i, ok := t.index[v]; ok {
		return i
	}
	i := uint16(len(t.names))
	t.names = append(t.names, v)
	t.index[v] = i
	return i
}

// facetTables keeps each connection pool's facet table, keyed weakly so a
// closed store's table goes with it.
var facetTables = struct {
	sync.Mutex
	m map[weak.Pointer[sql.DB]]*facetCache
}{m: map[weak.Pointer[sql.DB]]*facetCache{}}

// facetCache is the facet table of one database, reloaded when the
// catalogue's generation moves on.
type facetCache struct {
	mu    sync.Mutex // held while loading, so one search loads and the others wait
	table *facetTable
}

func (s *Store) facetCache() *facetCache {
	facetTables.Lock()
	defer facetTables.Unlock()
	k := weak.Make(s.sql)
	c, ok := facetTables.m[k]
	if !ok {
		for wk := range facetTables.m {
			if wk.Value() == nil {
				delete(facetTables.m, wk)
			}
		}
		c = &facetCache{}
		facetTables.m[k] = c
	}
	return c
}

// facets returns the facet table of the current generation; ok is false
// inside a transaction, where the table (read on the pool) would not see
// the transaction's writes.
func (s *Store) facets(ctx context.Context) (t *facetTable, ok bool, err error) {
	if s.sql == nil {
		return nil, false, nil
	}
	if s.inTx() {
		return nil, false, nil
	}
	var gen int64
	if err := s.sql.QueryRowContext(ctx, `SELECT generation FROM catalog_state`).Scan(&gen); err != nil {
		return nil, false, translate(err, "generation")
	}
	c := s.facetCache()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.table != nil && c.table.gen >= gen {
		return c.table, true, nil
	}
	t, err = s.loadFacetTable(ctx)
	if err != nil {
		return nil, false, err
	}
	c.table = t
	return t, true, nil
}

// loadFacetTable reads every product's facet values and stored levels in
// one snapshot, with the generation they belong to.
func (s *Store) loadFacetTable(ctx context.Context) (*facetTable, error) {
	tx, err := s.sql.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, translate(err, "facet table")
	}
	defer func() { _ = tx.Rollback() }()
	t := &facetTable{pos: map[int64]int32{}, index: map[string]uint16{}, levels: map[string][]int8{}}
	if err := tx.QueryRowContext(ctx, `SELECT generation FROM catalog_state`).Scan(&t.gen); err != nil {
		return nil, translate(err, "facet table")
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, c.slug, p.vendor_country, p.hosting_countries, p.open_source, p.kind,
			p.vendor_hosted = 'yes', p.self_hostable = 'yes'
		FROM products p JOIN categories c ON c.id = p.category_id ORDER BY p.id`)
	if err != nil {
		return nil, translate(err, "facet table")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var cat, vc, os, kind string
		var hosting pq.StringArray
		var r facetValues
		if err := rows.Scan(&id, &cat, &vc, &hosting, &os, &kind, &r.vendorHosted, &r.selfHostable); err != nil {
			return nil, translate(err, "facet table")
		}
		r.category, r.vendorCountry, r.openSource, r.kind = t.intern(cat), t.intern(vc), t.intern(os), t.intern(kind)
		if len(hosting) > 0 {
			r.hosting = make([]uint16, len(hosting))
			for i, h := range hosting {
				r.hosting[i] = t.intern(h)
			}
		}
		t.pos[id] = int32(len(t.rows))
		t.rows = append(t.rows, r)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err, "facet table")
	}
	lrows, err := tx.QueryContext(ctx, `SELECT product_id, perspective, overall FROM product_levels`)
	if err != nil {
		return nil, translate(err, "facet table")
	}
	defer lrows.Close()
	for lrows.Next() {
		var id int64
		var persp string
		var overall int
		if err := lrows.Scan(&id, &persp, &overall); err != nil {
			return nil, translate(err, "facet table")
		}
		lv := t.levels[persp]
		if lv == nil {
			lv = make([]int8, len(t.rows))
			for i := range lv {
				lv[i] = -1
			}
			t.levels[persp] = lv
		}
		if i, ok := t.pos[id]; ok {
			lv[i] = int8(overall)
		}
	}
	if err := lrows.Err(); err != nil {
		return nil, translate(err, "facet table")
	}
	return t, nil
}

// facetFilter is a query's filters, resolved against a facet table; a
// value the table does not know matches nothing.
type facetFilter struct {
	categories, vendorCountries, hosting, kinds []uint16
	anyCategory, anyVendor, anyHosting, anyKind bool // the filter is absent
	openSource                                  int  // index of the value; -1: any, -2: unknown value
	vendorHosted, selfHostable                  bool // deployments asked for
	levels                                      []int8
	level                                       []int8 // the perspective's levels, nil when none stored
}

// filter resolves q's filters (not its text).
func (t *facetTable) filter(q catalog.Query) facetFilter {
	f := facetFilter{openSource: -1, level: t.levels[q.Perspective]}
	ids := func(vals []string) []uint16 {
		var out []uint16
		for _, v := range vals {
			if i, ok := t.index[v]; ok {
				out = append(out, i)
			}
		}
		return out
	}
	f.anyCategory, f.categories = len(q.Categories) == 0, ids(q.Categories)
	f.anyVendor, f.vendorCountries = len(q.VendorCountries) == 0, ids(countryStrings(q.VendorCountries))
	f.anyHosting, f.hosting = len(q.HostingCountries) == 0, ids(countryStrings(q.HostingCountries))
	kinds := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		kinds[i] = string(k)
	}
	f.anyKind, f.kinds = len(q.Kinds) == 0, ids(kinds)
	if q.OpenSource != "" {
		f.openSource = -2
		if i, ok := t.index[string(q.OpenSource)]; ok {
			f.openSource = int(i)
		}
	}
	for _, d := range q.Deployments {
		switch d {
		case catalog.DeploymentVendorHosted:
			f.vendorHosted = true
		case catalog.DeploymentSelfHostable:
			f.selfHostable = true
		}
	}
	for _, l := range q.Levels {
		f.levels = append(f.levels, int8(l))
	}
	return f
}

// match reports whether row i passes the filters, as the WHERE clause of
// newSearchSQL decides it.
func (f *facetFilter) match(t *facetTable, i int) bool {
	r := &t.rows[i]
	switch {
	case !f.anyCategory && !slices.Contains(f.categories, r.category),
		!f.anyVendor && !slices.Contains(f.vendorCountries, r.vendorCountry),
		!f.anyKind && !slices.Contains(f.kinds, r.kind),
		f.openSource == -2, f.openSource >= 0 && int(r.openSource) != f.openSource,
		(f.vendorHosted || f.selfHostable) && !(f.vendorHosted && r.vendorHosted || f.selfHostable && r.selfHostable):
		return false
	}
	if !f.anyHosting {
		overlap := false
		for _, h := range r.hosting {
			if slices.Contains(f.hosting, h) {
				overlap = true
				break
			}
		}
		if !overlap {
			return false
		}
	}
	if len(f.levels) > 0 && (f.level == nil || !slices.Contains(f.levels, f.level[i])) {
		return false
	}
	return true
}

// count returns the facets and the number of the given rows (nil: every
// row) that pass f, exactly as searchFacets counts them in SQL.
func (t *facetTable) count(f facetFilter, rows []int32) (catalog.Facets, int) {
	n := len(t.names)
	cat, vc, os, kind, host := make([]int, n), make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	var lvl [5]int
	total, vh, sh := 0, 0, 0
	visit := func(i int) {
		if !f.match(t, i) {
			return
		}
		r := &t.rows[i]
		total++
		cat[r.category]++
		vc[r.vendorCountry]++
		os[r.openSource]++
		kind[r.kind]++
		for _, h := range r.hosting {
			host[h]++
		}
		if r.vendorHosted {
			vh++
		}
		if r.selfHostable {
			sh++
		}
		if f.level != nil {
			if l := f.level[i]; l >= 0 && int(l) < len(lvl) {
				lvl[l]++
			}
		}
	}
	if rows == nil {
		for i := range t.rows {
			visit(i)
		}
	} else {
		for _, i := range rows {
			visit(int(i))
		}
	}
	var fs catalog.Facets
	list := func(counts []int) []catalog.FacetCount {
		var out []catalog.FacetCount
		for i, c := range counts {
			if c > 0 {
				out = append(out, catalog.FacetCount{Value: t.names[i], Count: c})
			}
		}
		sortFacet(out)
		return out
	}
	fs.Category, fs.VendorCountry, fs.HostingCountry, fs.OpenSource, fs.Kind = list(cat), list(vc), list(host), list(os), list(kind)
	for l, c := range lvl {
		if c > 0 {
			fs.Level = append(fs.Level, catalog.FacetCount{Value: strconv.Itoa(l), Count: c})
		}
	}
	for _, d := range []catalog.FacetCount{
		{Value: catalog.DeploymentVendorHosted, Count: vh},
		{Value: catalog.DeploymentSelfHostable, Count: sh},
	} {
		if d.Count > 0 {
			fs.Deployment = append(fs.Deployment, d)
		}
	}
	return fs, total
}
