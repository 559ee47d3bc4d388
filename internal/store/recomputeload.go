package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/lib/pq"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// loader reads the whole catalogue for fullGraphStore.All: one plain
// statement per table, rows matched to their parents through dense
// positions instead of joins, "= ANY(ids)" or maps of structs. What it
// builds equals what loadProducts and loadOrganizations build for every
// product (recompute_test.go checks it), without the descriptions and
// without evidence: the levels depend on neither (see GraphStore.All),
// and the evidence table (1.7 million rows at a million edges) and its
// grouping by fact were a third of the load.
type loader struct {
	ctx      context.Context
	c        *pgx.Conn
	interned map[string]string

	orgs     []organizationRow
	orgIdx   idIndex
	owners   []allOwner
	cats     map[int64]string
	products []allProduct
	prodIdx  idIndex
	offs     []allOffering
	offIdx   idIndex
	locs     []allLocation
	certs    []allCert
	deps     []allDep
}

type allOwner struct {
	org, holder             int32 // positions in orgs
	capital, voting         *float64
	control, veto, majority string
}

type allProduct struct {
	id                                           int64
	slug, name, kind, vendorHosted, selfHostable string
	governance, phoneHome                        string
	license, sourceRepository, website           *string
	vendor, category                             int64
	updated                                      time.Time
}

type allOffering struct {
	id                          int64
	product, operator           int32 // positions in products and orgs
	dataKnown, supportKnown     bool
	keyManagement, governingLaw string
	subprocessors               *string
}

type allLocation struct {
	offering      int32 // position in offs
	kind, country string
	purpose       *string
}

type allCert struct {
	offering int32 // position in offs
	scheme   string
}

type allDep struct {
	id                                   int64
	consumer, provider                   int32 // positions in products
	role, dataAccess, criticality, group string
}

func newLoader(ctx context.Context, c *pgx.Conn) *loader {
	return &loader{ctx: ctx, c: c, interned: map[string]string{}}
}

// intern returns b as a string shared with every equal one: the columns it
// is used for repeat a handful of values over up to a million rows.
func (l *loader) intern(b []byte) string {
	if s, ok := l.interned[string(b)]; ok {
		return s
	}
	s := string(b)
	l.interned[s] = s
	return s
}

// load reads every table and assembles the subgraph.
func (l *loader) load() (catalog.Subgraph, error) {
	steps := []struct {
		what string
		fn   func() error
	}{
		{"organisations", l.loadOrganizations}, {"ownerships", l.loadOwners},
		{"categories", l.loadCategories}, {"products", l.loadProducts}, {"offerings", l.loadOfferings},
		{"offering locations", l.loadLocations}, {"certifications", l.loadCertifications},
		{"dependencies", l.loadDependencies},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return catalog.Subgraph{}, fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return l.assemble(), nil
}

// estimate is the planner's row count of a table, to size slices.
func (l *loader) estimate(table string) int {
	var n float64
	if err := l.c.QueryRow(l.ctx, `SELECT reltuples FROM pg_class WHERE oid = $1::regclass`, table).Scan(&n); err != nil || n < 0 {
		return 0
	}
	return int(n)
}

func (l *loader) loadOrganizations() error {
	rows, err := l.c.Query(l.ctx, `SELECT id, slug, name, website, legal_name, registration_country, hq_country,
		presence_countries, updated_at FROM organizations ORDER BY id`)
	if err != nil {
		return err
	}
	var r organizationRow
	var presence []string
	if _, err := pgx.ForEachRow(rows, []any{&r.ID, &r.Slug, &r.Name, &r.Website, &r.LegalName, &r.RegistrationCountry,
		&r.HQCountry, &presence, &r.UpdatedAt}, func() error {
		r.PresenceCountries = pq.StringArray(presence)
		l.orgs = append(l.orgs, r)
		return nil
	}); err != nil {
		return err
	}
	l.orgIdx = newIDIndex(idsOf(l.orgs, func(r *organizationRow) int64 { return r.ID }))
	return nil
}

func (l *loader) loadOwners() error {
	rows, err := l.c.Query(l.ctx, `SELECT organization_id, holder_id, capital_pct, voting_pct, control, veto, board_majority
		FROM ownerships ORDER BY id`)
	if err != nil {
		return err
	}
	var w allOwner
	var org, holder int64
	_, err = pgx.ForEachRow(rows, []any{&org, &holder, &w.capital, &w.voting, &w.control, &w.veto, &w.majority}, func() error {
		var ok1, ok2 bool
		w.org, ok1 = l.orgIdx.find(org)
		w.holder, ok2 = l.orgIdx.find(holder)
		if ok1 && ok2 {
			l.owners = append(l.owners, w)
		}
		return nil
	})
	return err
}

func (l *loader) loadCategories() error {
	rows, err := l.c.Query(l.ctx, `SELECT id, slug FROM categories`)
	if err != nil {
		return err
	}
	l.cats = map[int64]string{}
	var id int64
	var slug string
	_, err = pgx.ForEachRow(rows, []any{&id, &slug}, func() error { l.cats[id] = slug; return nil })
	return err
}

func (l *loader) loadProducts() error {
	l.products = make([]allProduct, 0, l.estimate("products"))
	rows, err := l.c.Query(l.ctx, `SELECT id, slug, name, kind, vendor_hosted, self_hostable, governance, phone_home,
		license, source_repository, website, vendor_id, category_id, updated_at FROM products ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var p allProduct
	for rows.Next() {
		if err := rows.Scan(&p.id, &p.slug, &p.name, nil, nil, nil, nil, nil,
			&p.license, &p.sourceRepository, &p.website, &p.vendor, &p.category, &p.updated); err != nil {
			return err
		}
		raw := rows.RawValues()
		p.kind, p.vendorHosted, p.selfHostable = l.intern(raw[3]), l.intern(raw[4]), l.intern(raw[5])
		p.governance, p.phoneHome = l.intern(raw[6]), l.intern(raw[7])
		l.products = append(l.products, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	l.prodIdx = newIDIndex(idsOf(l.products, func(p *allProduct) int64 { return p.id }))
	return nil
}

func (l *loader) loadOfferings() error {
	l.offs = make([]allOffering, 0, l.estimate("offerings"))
	rows, err := l.c.Query(l.ctx, `SELECT id, product_id, operator_id, data_locations_known, support_locations_known,
		key_management, governing_law, subprocessor_list FROM offerings ORDER BY product_id, position`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var f allOffering
	var product, operator int64
	for rows.Next() {
		if err := rows.Scan(&f.id, &product, &operator, &f.dataKnown, &f.supportKnown, nil, nil, &f.subprocessors); err != nil {
			return err
		}
		raw := rows.RawValues()
		f.keyManagement, f.governingLaw = l.intern(raw[5]), l.intern(raw[6])
		var ok1, ok2 bool
		f.product, ok1 = l.prodIdx.find(product)
		f.operator, ok2 = l.orgIdx.find(operator)
		if ok1 && ok2 {
			l.offs = append(l.offs, f)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	l.offIdx = newIDIndex(idsOf(l.offs, func(f *allOffering) int64 { return f.id }))
	return nil
}

func (l *loader) loadLocations() error {
	l.locs = make([]allLocation, 0, l.estimate("offering_locations"))
	rows, err := l.c.Query(l.ctx, `SELECT offering_id, kind, country, purpose FROM offering_locations ORDER BY offering_id, kind, position`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var off int64
	for rows.Next() {
		if err := rows.Scan(&off, nil, nil, nil); err != nil {
			return err
		}
		pos, ok := l.offIdx.find(off)
		if !ok {
			continue
		}
		raw := rows.RawValues()
		loc := allLocation{offering: pos, kind: l.intern(raw[1]), country: l.intern(raw[2])}
		if raw[3] != nil {
			p := l.intern(raw[3])
			loc.purpose = &p
		}
		l.locs = append(l.locs, loc)
	}
	return rows.Err()
}

func (l *loader) loadCertifications() error {
	l.certs = make([]allCert, 0, l.estimate("certifications"))
	rows, err := l.c.Query(l.ctx, `SELECT offering_id, scheme FROM certifications ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var c allCert
	var off int64
	for rows.Next() {
		if err := rows.Scan(&off, nil); err != nil {
			return err
		}
		var ok bool
		if c.offering, ok = l.offIdx.find(off); ok {
			c.scheme = l.intern(rows.RawValues()[1])
			l.certs = append(l.certs, c)
		}
	}
	return rows.Err()
}

// loadDependencies reads the edges in the table's physical order; assemble
// groups them by consumer and orders them by id, as loadProducts's ORDER
// BY does, without a sort of a million rows in the database.
func (l *loader) loadDependencies() error {
	l.deps = make([]allDep, 0, l.estimate("dependencies"))
	rows, err := l.c.Query(l.ctx, `SELECT id, consumer_id, provider_id, role, data_access, criticality, coalesce(failover_group, '')
		FROM dependencies`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var d allDep
	var consumer, provider int64
	dest := []any{&d.id, &consumer, &provider, nil, nil, nil, nil} // built once, not per row
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		var ok1, ok2 bool
		d.consumer, ok1 = l.prodIdx.find(consumer)
		d.provider, ok2 = l.prodIdx.find(provider)
		if !ok1 || !ok2 {
			continue
		}
		raw := rows.RawValues()
		d.role, d.dataAccess, d.criticality, d.group = l.intern(raw[3]), l.intern(raw[4]), l.intern(raw[5]), l.intern(raw[6])
		l.deps = append(l.deps, d)
	}
	return rows.Err()
}

// assemble builds the domain entries from the scanned rows. The
// dependencies are the bulk (a million entries and their evidence): they
// are built on a second goroutine while this one builds the rest.
func (l *loader) assemble() catalog.Subgraph {
	var depStart []int32
	var deps []catalog.Dependency
	var wg sync.WaitGroup
	wg.Go(func() { depStart, deps = l.dependencyEntries() })
	var sub catalog.Subgraph
	sub.Organizations = l.organizations()
	offStart, offers := l.offeringEntries()
	wg.Wait()
	sub.Products = l.productEntries(offStart, offers, depStart, deps)
	return sub
}

// organizations converts through organizationRow.organization, as
// loadOrganizations does.
func (l *loader) organizations() []catalog.Organization {
	start, order := group(len(l.orgs), len(l.owners), func(j int) int32 { return l.owners[j].org })
	out := make([]catalog.Organization, len(l.orgs))
	for i := range l.orgs {
		out[i] = l.orgs[i].organization(evidenceSet{})
		for _, j := range order[start[i]:start[i+1]] {
			w := &l.owners[j]
			out[i].Owners = append(out[i].Owners, catalog.Ownership{
				Holder: l.orgs[w.holder].Slug, CapitalPct: w.capital, VotingPct: w.voting, Control: catalog.Tri(w.control),
				Veto: catalog.Tri(w.veto), BoardMajority: catalog.Tri(w.majority),
			})
		}
	}
	return out
}

// offeringEntries converts the offerings as loadProducts does, grouped by
// product: those of product i are offers[start[i]:start[i+1]].
func (l *loader) offeringEntries() (start []int32, offers []catalog.Offering) {
	// Certifications and locations by offering, in their query's order.
	certStart, certOrder := group(len(l.offs), len(l.certs), func(j int) int32 { return l.certs[j].offering })
	locStart, locOrder := group(len(l.offs), len(l.locs), func(j int) int32 { return l.locs[j].offering })
	certs := make([]catalog.Certification, len(l.certs))
	for i, j := range certOrder {
		certs[i] = catalog.Certification{Scheme: l.certs[j].scheme}
	}
	start, order := group(len(l.products), len(l.offs), func(j int) int32 { return l.offs[j].product })
	offers = make([]catalog.Offering, len(l.offs))
	for i, j := range order {
		f := &l.offs[j]
		o := catalog.Offering{
			Operator:         l.orgs[f.operator].Slug,
			KeyManagement:    enumFact(catalog.KeyManagement(f.keyManagement), f.keyManagement != "unknown", nil),
			GoverningLaw:     countryFact(f.governingLaw, nil),
			SubprocessorList: strFact(f.subprocessors, nil),
		}
		if s, e := certStart[j], certStart[j+1]; e > s {
			o.Certifications = certs[s:e:e]
		}
		var data []catalog.DataLocation
		var support []catalog.Country
		for _, k := range locOrder[locStart[j]:locStart[j+1]] {
			loc := &l.locs[k]
			if loc.kind == "data" {
				data = append(data, catalog.DataLocation{Country: catalog.Country(loc.country), Purpose: catalog.Purpose(deref(loc.purpose))})
			} else {
				support = append(support, catalog.Country(loc.country))
			}
		}
		if f.dataKnown {
			o.DataLocations = catalog.KnownFact(data)
		}
		if f.supportKnown {
			o.SupportLocations = catalog.KnownFact(support)
		}
		offers[i] = o
	}
	return start, offers
}

// dependencyEntries converts the dependencies as loadProducts does,
// grouped by consumer and each consumer's in the order of their ids: those
// of product i are deps[start[i]:start[i+1]].
func (l *loader) dependencyEntries() (start []int32, deps []catalog.Dependency) {
	start, order := group(len(l.products), len(l.deps), func(j int) int32 { return l.deps[j].consumer })
	deps = make([]catalog.Dependency, len(l.deps))
	for i := range l.products {
		seg := order[start[i]:start[i+1]]
		if len(seg) > 1 {
			slices.SortFunc(seg, func(a, b int32) int { return cmpInt64(l.deps[a].id, l.deps[b].id) })
		}
		for k, j := range seg {
			d := &l.deps[j]
			deps[int(start[i])+k] = catalog.Dependency{
				Provider: l.products[d.provider].slug, Role: catalog.Role(d.role), DataAccess: catalog.DataAccess(d.dataAccess),
				Criticality: catalog.Criticality(d.criticality), Group: d.group,
			}
		}
	}
	return start, deps
}

// productEntries converts the products as loadProducts does, with their
// offerings and dependencies.
func (l *loader) productEntries(offStart []int32, offers []catalog.Offering, depStart []int32, deps []catalog.Dependency) []catalog.Product {
	out := make([]catalog.Product, 0, len(l.products))
	for i := range l.products {
		r := &l.products[i]
		vendor, ok := l.orgIdx.find(r.vendor)
		category, ok2 := l.cats[r.category]
		if !ok || !ok2 {
			continue // as loadProducts's joins
		}
		p := catalog.Product{
			Slug: r.slug, Name: r.name, Vendor: l.orgs[vendor].Slug, Category: category, Kind: catalog.Kind(r.kind),
			Website: deref(r.website), UpdatedAt: r.updated,
			VendorHosted:     triFact(r.vendorHosted, nil),
			SelfHostable:     triFact(r.selfHostable, nil),
			PhoneHome:        triFact(r.phoneHome, nil),
			License:          strFact(r.license, nil),
			SourceRepository: strFact(r.sourceRepository, nil),
			Governance:       enumFact(catalog.Governance(r.governance), r.governance != "unknown", nil),
		}
		if s, e := offStart[i], offStart[i+1]; e > s {
			p.Offerings = offers[s:e:e]
		}
		if s, e := depStart[i], depStart[i+1]; e > s {
			p.Dependencies = deps[s:e:e]
		}
		out = append(out, p)
	}
	return out
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// idsOf lists the ids of rows, in order.
func idsOf[T any](rows []T, id func(*T) int64) []int64 {
	out := make([]int64, len(rows))
	for i := range rows {
		out[i] = id(&rows[i])
	}
	return out
}

// idIndex maps database ids to positions in a slice: a table over the id
// range where the ids are dense (bigserial keys mostly are), else a map.
type idIndex struct {
	min   int64
	table []int32 // position + 1; 0: absent
	m     map[int64]int32
}

func newIDIndex(ids []int64) idIndex {
	if len(ids) == 0 {
		return idIndex{}
	}
	lo, hi := slices.Min(ids), slices.Max(ids)
	if hi-lo < int64(4*len(ids)+1024) {
		t := make([]int32, hi-lo+1)
		for i, id := range ids {
			t[id-lo] = int32(i) + 1
		}
		return idIndex{min: lo, table: t}
	}
	m := make(map[int64]int32, len(ids))
	for i, id := range ids {
		m[id] = int32(i)
	}
	return idIndex{m: m}
}

// find returns the position of id.
func (x *idIndex) find(id int64) (int32, bool) {
	if x.m != nil {
		p, ok := x.m[id]
		return p, ok
	}
	if d := id - x.min; d >= 0 && d < int64(len(x.table)) && x.table[d] > 0 {
		return x.table[d] - 1, true
	}
	return -1, false
}

// group orders m items by their key, a position in [0, n), keeping their
// order within a key (a counting sort): the items of key i are
// order[start[i]:start[i+1]].
func group(n, m int, key func(int) int32) (start, order []int32) {
	start = make([]int32, n+1)
	for j := range m {
		start[key(j)+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	next := slices.Clone(start[:n])
	order = make([]int32, m)
	for j := range m {
		k := key(j)
		order[next[k]] = int32(j)
		next[k]++
	}
	return start, order
}
