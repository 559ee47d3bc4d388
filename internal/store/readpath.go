package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// ReadPath gives the catalogue service's read caches batched loads (see
// catalog.ReadStore): every statement a product page needs goes to
// PostgreSQL in one round trip (a pgx batch) and is scanned without
// reflection. Inside a transaction it returns nil: the batch runs on the
// pool and would not see the transaction's writes.
func (s *Store) ReadPath() catalog.ReadStore {
	if s.sql == nil {
		return nil
	}
	if s.inTx() {
		return nil
	}
	return readStore{sql: s.sql}
}

// readStore implements catalog.ReadStore on the connection pool.
type readStore struct {
	sql *sql.DB
}

// withConn runs fn on a pooled connection's pgx handle.
func (r readStore) withConn(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := r.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("read path: driver connection is %T, not pgx", dc)
		}
		return fn(c.Conn())
	})
}

// newReadBatch starts a batch of the read path. Its statements select a
// handful of rows through primary, unique and foreign keys, and run with
// settings for that: generic plans (with custom plans PostgreSQL planned
// each execution anew, at four times the cost of executing it) and
// nested loops only (the generic plan guesses ten slugs, for which a hash
// join over a small table such as adoptions looked cheaper than its
// index). The settings are local to the batch's implicit transaction: the
// pooled connection keeps its own.
func newReadBatch() *pgx.Batch {
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true),
		set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`)
	return b
}

// send runs a batch in one round trip.
func (r readStore) send(ctx context.Context, b *pgx.Batch) error {
	return r.withConn(ctx, func(c *pgx.Conn) error { return c.SendBatch(ctx, b).Close() })
}

// The statements of ReadProducts; $1 is the slugs. They mirror
// loadProducts and Store.Product (detail.go): the equivalence is tested in
// readpath_test.go.
const (
	readProductsSQL = `SELECT p.id, p.slug, p.name, p.kind, p.vendor_hosted, p.self_hostable, p.license, p.governance,
			p.phone_home, p.source_repository, p.website, p.description_de, p.description_en, p.updated_at,
			p.vendor_country, o.slug, c.slug, c.name_de, c.name_en
		FROM products p JOIN organizations o ON o.id = p.vendor_id JOIN categories c ON c.id = p.category_id
		WHERE p.slug = ANY($1) ORDER BY p.id`
	readProductEvidenceSQL = `SELECT e.product_root, e.fact, e.organization_id, e.ownership_id, e.product_id, e.offering_id,
			e.certification_id, e.dependency_id, e.adoption_id, s.key, s.url, s.title, s.kind, s.retrieved
		FROM products p JOIN evidence e ON e.product_root = p.id JOIN sources s ON s.id = e.source_id
		WHERE p.slug = ANY($1) ORDER BY s.key`
	readOfferingsSQL = `SELECT f.id, f.product_id, o.slug, f.data_locations_known, f.support_locations_known,
			f.key_management, f.governing_law, f.subprocessor_list
		FROM products p JOIN offerings f ON f.product_id = p.id JOIN organizations o ON o.id = f.operator_id
		WHERE p.slug = ANY($1) ORDER BY f.product_id, f.position`
	readLocationsSQL = `SELECT l.offering_id, l.kind, l.country, l.purpose
		FROM products p JOIN offerings f ON f.product_id = p.id JOIN offering_locations l ON l.offering_id = f.id
		WHERE p.slug = ANY($1) ORDER BY l.offering_id, l.kind, l.position`
	readCertificationsSQL = `SELECT c.id, c.offering_id, c.scheme
		FROM products p JOIN offerings f ON f.product_id = p.id JOIN certifications c ON c.offering_id = f.id
		WHERE p.slug = ANY($1) ORDER BY c.id`
	readDependenciesSQL = `SELECT d.id, d.consumer_id, q.slug, d.role, d.data_access, d.criticality, d.failover_group
		FROM products p JOIN dependencies d ON d.consumer_id = p.id JOIN products q ON q.id = d.provider_id
		WHERE p.slug = ANY($1) ORDER BY d.consumer_id, d.id`
	readAlternativesSQL = `SELECT a.product_id, q.slug, q.name, o.name, q.vendor_country
		FROM products p JOIN alternatives a ON a.product_id = p.id JOIN products q ON q.id = a.replaces_id
		JOIN organizations o ON o.id = q.vendor_id
		WHERE p.slug = ANY($1) ORDER BY a.product_id, q.name_folded`
	readAdoptionsSQL = `SELECT a.id, a.product_id, a.body, a.country, a.year, a.description_de, a.description_en, q.slug
		FROM products p JOIN adoptions a ON a.product_id = p.id LEFT JOIN products q ON q.id = a.replaces_id
		WHERE p.slug = ANY($1) ORDER BY a.product_id, a.position`
	readLevelsSQL = `SELECT p.slug, l.perspective, l.overall, l.pessimistic, l.provisional, l.objectives, l.rule_version, l.passed
		FROM products p JOIN product_levels l ON l.product_id = p.id WHERE p.slug = ANY($1)`

	// The neighbourhood of one product; $1 is its slug, $2 the bound.
	readDependentsSQL = `SELECT d.role, d.data_access, d.criticality, d.failover_group, p.slug, p.name, o.name, p.vendor_country
		FROM (SELECT * FROM dependencies WHERE provider_id = (SELECT id FROM products WHERE slug = $1)
			ORDER BY criticality, consumer_id LIMIT $2) d
		JOIN products p ON p.id = d.consumer_id JOIN organizations o ON o.id = p.vendor_id
		ORDER BY d.criticality, p.name_folded`
	readDependentsCountSQL = `SELECT t.id, (SELECT count(*) FROM dependencies WHERE provider_id = t.id)
		FROM products t WHERE t.slug = $1`
	readReplacedBySQL = `SELECT p.slug, p.name, o.name, p.vendor_country
		FROM alternatives a JOIN products p ON p.id = a.product_id JOIN organizations o ON o.id = p.vendor_id
		WHERE a.replaces_id = (SELECT id FROM products WHERE slug = $1) ORDER BY p.name_folded LIMIT $2`
)

// readEvidence collects evidence scanned from a batch: facts by subject
// for the whole batch (subject ids are unique) and sources per root.
type readEvidence struct {
	set    evidenceSet
	byRoot map[int64]map[string]catalog.Source
}

func newReadEvidence() *readEvidence {
	return &readEvidence{
		set:    evidenceSet{byFact: map[factKey][]string{}, sources: map[string]catalog.Source{}},
		byRoot: map[int64]map[string]catalog.Source{},
	}
}

// scan reads rows of (root, fact, organization_id, ownership_id,
// product_id, offering_id, certification_id, dependency_id, adoption_id,
// key, url, title, kind, retrieved), ordered by key.
func (e *readEvidence) scan(rows pgx.Rows) error {
	var (
		root                                  int64
		fact, key, url, title, kind           string
		org, own, prod, off, cert, dep, adopt *int64
		retrieved                             time.Time
	)
	_, err := pgx.ForEachRow(rows, []any{&root, &fact, &org, &own, &prod, &off, &cert, &dep, &adopt, &key, &url, &title, &kind, &retrieved}, func() error {
		sub := subject{
			organization: val(org), ownership: val(own), product: val(prod), offering: val(off),
			certification: val(cert), dependency: val(dep), adoption: val(adopt),
		}
		k := factKey{sub, fact}
		if !slices.Contains(e.set.byFact[k], key) {
			e.set.byFact[k] = append(e.set.byFact[k], key)
		}
		src, ok := e.set.sources[key]
		if !ok {
			src = catalog.Source{Key: key, URL: url, Title: title, Kind: catalog.SourceKind(kind), Retrieved: retrieved}
			e.set.sources[key] = src
		}
		m := e.byRoot[root]
		if m == nil {
			m = map[string]catalog.Source{}
			e.byRoot[root] = m
		}
		m[key] = src
		return nil
	})
	return err
}

// sourcesOf returns the sources of one root, never nil.
func (e *readEvidence) sourcesOf(root int64) map[string]catalog.Source {
	if m := e.byRoot[root]; m != nil {
		return m
	}
	return map[string]catalog.Source{}
}

// ReadProducts implements catalog.ReadStore.
func (r readStore) ReadProducts(ctx context.Context, req catalog.ReadRequest) (catalog.ReadResult, error) {
	var res catalog.ReadResult
	if len(req.Products) == 0 && len(req.Levels) == 0 && req.Neighbourhood == "" {
		return res, nil
	}
	b := newReadBatch()
	var recs readProductBatch
	if len(req.Products) > 0 {
		recs.queue(b, req.Products)
	}
	if levels := slices.Concat(req.Products, req.Levels); len(levels) > 0 {
		queueLevels(b, levels, &res.Levels)
	}
	var nb *catalog.Neighbourhood
	if req.Neighbourhood != "" {
		nb = queueNeighbourhood(b, req.Neighbourhood)
	}
	if err := r.send(ctx, b); err != nil {
		return res, translate(err, "read products")
	}
	if len(req.Products) > 0 {
		res.Products = recs.records()
	}
	if nb != nil && nb.DependentsTotal >= 0 {
		res.Neighbourhood = nb
	}
	return res, nil
}

// Scan targets of the product batch.
type (
	readProductRow struct {
		id                                                                  int64
		slug, name, kind, vendorHosted, selfHostable, governance, phoneHome string
		license, sourceRepository, website                                  *string
		descriptionDE, descriptionEN                                        string
		updatedAt                                                           time.Time
		vendorCountry, vendor, category, categoryDE, categoryEN             string
	}
	readOfferingRow struct {
		id, product                 int64
		operator                    string
		dataKnown, supportKnown     bool
		keyManagement, governingLaw string
		subprocessors               *string
	}
	readDependencyRow struct {
		id, consumer                            int64
		provider, role, dataAccess, criticality string
		group                                   *string
	}
	readAlternativeRow struct {
		product                         int64
		slug, name, vendorName, country string
	}
	readAdoptionRow struct {
		id, product             int64
		body, country, dde, den string
		year                    *int32
		replaces                *string
	}
)

// readProductBatch scans the records of a batch of products.
type readProductBatch struct {
	rows   []readProductRow
	ev     *readEvidence
	offs   []readOfferingRow
	locs   []offeringLocationRow
	certs  []certificationRow
	deps   []readDependencyRow
	alts   []readAlternativeRow
	adopts []readAdoptionRow
}

// collectRows returns a Query callback that scans every row with scan into a
// new element of *dst.
func collectRows[T any](dst *[]T, scan func(rows pgx.Rows, t *T) error) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		for rows.Next() {
			var t T
			if err := scan(rows, &t); err != nil {
				return err
			}
			*dst = append(*dst, t)
		}
		return rows.Err()
	}
}

// queue adds the statements loading the records of slugs.
func (pb *readProductBatch) queue(b *pgx.Batch, slugs []string) {
	pb.ev = newReadEvidence()
	b.Queue(readProductsSQL, slugs).Query(collectRows(&pb.rows, func(rows pgx.Rows, p *readProductRow) error {
		return rows.Scan(&p.id, &p.slug, &p.name, &p.kind, &p.vendorHosted, &p.selfHostable, &p.license, &p.governance,
			&p.phoneHome, &p.sourceRepository, &p.website, &p.descriptionDE, &p.descriptionEN, &p.updatedAt,
			&p.vendorCountry, &p.vendor, &p.category, &p.categoryDE, &p.categoryEN)
	}))
	b.Queue(readProductEvidenceSQL, slugs).Query(pb.ev.scan)
	b.Queue(readOfferingsSQL, slugs).Query(collectRows(&pb.offs, func(rows pgx.Rows, f *readOfferingRow) error {
		return rows.Scan(&f.id, &f.product, &f.operator, &f.dataKnown, &f.supportKnown, &f.keyManagement, &f.governingLaw, &f.subprocessors)
	}))
	b.Queue(readLocationsSQL, slugs).Query(collectRows(&pb.locs, func(rows pgx.Rows, l *offeringLocationRow) error {
		return rows.Scan(&l.OfferingID, &l.Kind, &l.Country, &l.Purpose)
	}))
	b.Queue(readCertificationsSQL, slugs).Query(collectRows(&pb.certs, func(rows pgx.Rows, c *certificationRow) error {
		return rows.Scan(&c.ID, &c.OfferingID, &c.Scheme)
	}))
	b.Queue(readDependenciesSQL, slugs).Query(collectRows(&pb.deps, func(rows pgx.Rows, d *readDependencyRow) error {
		return rows.Scan(&d.id, &d.consumer, &d.provider, &d.role, &d.dataAccess, &d.criticality, &d.group)
	}))
	b.Queue(readAlternativesSQL, slugs).Query(collectRows(&pb.alts, func(rows pgx.Rows, a *readAlternativeRow) error {
		return rows.Scan(&a.product, &a.slug, &a.name, &a.vendorName, &a.country)
	}))
	b.Queue(readAdoptionsSQL, slugs).Query(collectRows(&pb.adopts, func(rows pgx.Rows, a *readAdoptionRow) error {
		return rows.Scan(&a.id, &a.product, &a.body, &a.country, &a.year, &a.dde, &a.den, &a.replaces)
	}))
}

// queueLevels adds the statement loading the stored levels of slugs, under
// every perspective, into levels.
func queueLevels(b *pgx.Batch, slugs []string, levels *[]catalog.ProductLevel) {
	b.Queue(readLevelsSQL, slugs).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var l levelScan
			var obj []int64
			// passed is read in place (rawPassed), not decoded into a slice.
			if err := rows.Scan(&l.Slug, &l.Perspective, &l.Overall, &l.Pessimistic, &l.Provisional, &obj, &l.RuleVersion, nil); err != nil {
				return err
			}
			l.Objectives = obj
			lv := l.level()
			lv.Passed = rawPassed(rows, 7)
			*levels = append(*levels, lv)
		}
		return rows.Err()
	})
}

// records assembles the scanned rows into product records, exactly as
// loadProducts and Store.Product build a product.
func (pb *readProductBatch) records() []catalog.ProductRecord {
	ev := pb.ev.set
	locsBy := map[int64][]offeringLocationRow{}
	for _, l := range pb.locs {
		locsBy[l.OfferingID] = append(locsBy[l.OfferingID], l)
	}
	certsBy := map[int64][]catalog.Certification{}
	for _, c := range pb.certs {
		certsBy[c.OfferingID] = append(certsBy[c.OfferingID], catalog.Certification{Scheme: c.Scheme, Sources: ev.of(subject{certification: c.ID}, "")})
	}
	offsBy := map[int64][]catalog.Offering{}
	for _, f := range pb.offs {
		sub := subject{offering: f.id}
		o := catalog.Offering{
			Operator:         f.operator,
			KeyManagement:    enumFact(catalog.KeyManagement(f.keyManagement), f.keyManagement != "unknown", ev.of(sub, "key_management")),
			GoverningLaw:     countryFact(f.governingLaw, ev.of(sub, "governing_law")),
			SubprocessorList: strFact(f.subprocessors, ev.of(sub, "subprocessor_list")),
			Certifications:   certsBy[f.id],
		}
		var data []catalog.DataLocation
		var support []catalog.Country
		for _, l := range locsBy[f.id] {
			if l.Kind == "data" {
				data = append(data, catalog.DataLocation{Country: catalog.Country(l.Country), Purpose: catalog.Purpose(deref(l.Purpose))})
			} else {
				support = append(support, catalog.Country(l.Country))
			}
		}
		if f.dataKnown {
			o.DataLocations = catalog.KnownFact(data, ev.of(sub, "data_locations")...)
		}
		if f.supportKnown {
			o.SupportLocations = catalog.KnownFact(support, ev.of(sub, "support_locations")...)
		}
		offsBy[f.product] = append(offsBy[f.product], o)
	}
	depsBy := map[int64][]catalog.Dependency{}
	for _, d := range pb.deps {
		depsBy[d.consumer] = append(depsBy[d.consumer], catalog.Dependency{
			Provider: d.provider, Role: catalog.Role(d.role), DataAccess: catalog.DataAccess(d.dataAccess),
			Criticality: catalog.Criticality(d.criticality), Group: deref(d.group), Sources: ev.of(subject{dependency: d.id}, ""),
		})
	}
	type alts struct {
		slugs []string
		refs  []catalog.ProductRef
	}
	altsBy := map[int64]*alts{}
	for _, a := range pb.alts {
		x := altsBy[a.product]
		if x == nil {
			x = &alts{}
			altsBy[a.product] = x
		}
		x.slugs = append(x.slugs, a.slug)
		x.refs = append(x.refs, refRow{Slug: a.slug, Name: a.name, VendorName: a.vendorName, VendorCountry: a.country}.ref())
	}
	adoptsBy := map[int64][]catalog.Adoption{}
	for _, a := range pb.adopts {
		ad := catalog.Adoption{Body: a.body, Country: catalog.Country(a.country), Replaces: deref(a.replaces),
			DescriptionDE: a.dde, DescriptionEN: a.den, Sources: ev.of(subject{adoption: a.id}, "")}
		if a.year != nil {
			ad.Year = int(*a.year)
		}
		adoptsBy[a.product] = append(adoptsBy[a.product], ad)
	}
	out := make([]catalog.ProductRecord, 0, len(pb.rows))
	for _, r := range pb.rows {
		sub := subject{product: r.id}
		p := catalog.Product{
			Slug: r.slug, Name: r.name, Vendor: r.vendor, Category: r.category, Kind: catalog.Kind(r.kind),
			Website: deref(r.website), DescriptionDE: r.descriptionDE, DescriptionEN: r.descriptionEN, UpdatedAt: r.updatedAt,
			VendorHosted:     triFact(r.vendorHosted, ev.of(sub, "vendor_hosted")),
			SelfHostable:     triFact(r.selfHostable, ev.of(sub, "self_hostable")),
			PhoneHome:        triFact(r.phoneHome, ev.of(sub, "phone_home")),
			License:          strFact(r.license, ev.of(sub, "license")),
			SourceRepository: strFact(r.sourceRepository, ev.of(sub, "source_repository")),
			Governance:       enumFact(catalog.Governance(r.governance), r.governance != "unknown", ev.of(sub, "governance")),
			Offerings:        offsBy[r.id],
			Dependencies:     depsBy[r.id],
			Adoptions:        adoptsBy[r.id],
		}
		rec := catalog.ProductRecord{
			ID: r.id, Product: p, VendorCountry: catalog.Country(r.vendorCountry), Sources: pb.ev.sourcesOf(r.id),
			Category: catalog.Category{Slug: r.category, NameDE: r.categoryDE, NameEN: r.categoryEN},
		}
		if a := altsBy[r.id]; a != nil {
			rec.Product.Alternatives, rec.AlternativeRefs = a.slugs, a.refs
		}
		out = append(out, rec)
	}
	return out
}

// queueNeighbourhood adds the statements loading the neighbourhood of the
// product slug; DependentsTotal stays -1 when the product is unknown.
func queueNeighbourhood(b *pgx.Batch, slug string) *catalog.Neighbourhood {
	nb := &catalog.Neighbourhood{DependentsTotal: -1}
	b.Queue(readDependentsSQL, slug, catalog.MaxDependentsShown).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var r depRow
			if err := rows.Scan(&r.Role, &r.DataAccess, &r.Criticality, &r.FailoverGroup, &r.Slug, &r.Name, &r.VendorName, &r.VendorCountry); err != nil {
				return err
			}
			nb.Dependents = append(nb.Dependents, catalog.Dependent{Consumer: r.ref(), Dependency: r.dependency(slug, nil)})
		}
		return rows.Err()
	})
	b.Queue(readDependentsCountSQL, slug).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id, &nb.DependentsTotal); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	b.Queue(readReplacedBySQL, slug, catalog.MaxDependentsShown).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var r refRow
			if err := rows.Scan(&r.Slug, &r.Name, &r.VendorName, &r.VendorCountry); err != nil {
				return err
			}
			nb.ReplacedBy = append(nb.ReplacedBy, r.ref())
		}
		return rows.Err()
	})
	return nb
}

// The statements of ReadOrganizations; $1 is the slugs. They mirror
// loadOrganizations.
const (
	readOrganizationsSQL = `SELECT id, slug, name, website, legal_name, registration_country, hq_country, presence_countries, updated_at
		FROM organizations WHERE slug = ANY($1) ORDER BY id`
	readOrganizationEvidenceSQL = `SELECT e.org_root, e.fact, e.organization_id, e.ownership_id, e.product_id, e.offering_id,
			e.certification_id, e.dependency_id, e.adoption_id, s.key, s.url, s.title, s.kind, s.retrieved
		FROM organizations o JOIN evidence e ON e.org_root = o.id JOIN sources s ON s.id = e.source_id
		WHERE o.slug = ANY($1) ORDER BY s.key`
	readOwnersSQL = `SELECT w.id, w.organization_id, h.slug, w.capital_pct, w.voting_pct, w.control, w.veto, w.board_majority
		FROM organizations o JOIN ownerships w ON w.organization_id = o.id JOIN organizations h ON h.id = w.holder_id
		WHERE o.slug = ANY($1) ORDER BY w.id`
)

// ReadOrganizations implements catalog.ReadStore.
func (r readStore) ReadOrganizations(ctx context.Context, slugs []string) ([]catalog.OrganizationRecord, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	var rows []organizationRow
	var owners []struct {
		id, org                 int64
		holder                  string
		capital, voting         *float64
		control, veto, majority string
	}
	ev := newReadEvidence()
	b := newReadBatch()
	b.Queue(readOrganizationsSQL, slugs).Query(collectRows(&rows, func(rows pgx.Rows, o *organizationRow) error {
		var presence []string
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Website, &o.LegalName, &o.RegistrationCountry, &o.HQCountry, &presence, &o.UpdatedAt); err != nil {
			return err
		}
		o.PresenceCountries = presence
		return nil
	}))
	b.Queue(readOrganizationEvidenceSQL, slugs).Query(ev.scan)
	b.Queue(readOwnersSQL, slugs).Query(collectRows(&owners, func(rows pgx.Rows, w *struct {
		id, org                 int64
		holder                  string
		capital, voting         *float64
		control, veto, majority string
	}) error {
		return rows.Scan(&w.id, &w.org, &w.holder, &w.capital, &w.voting, &w.control, &w.veto, &w.majority)
	}))
	if err := r.send(ctx, b); err != nil {
		return nil, translate(err, "read organisations")
	}
	ownersBy := map[int64][]catalog.Ownership{}
	for _, w := range owners {
		ownersBy[w.org] = append(ownersBy[w.org], catalog.Ownership{
			Holder: w.holder, CapitalPct: w.capital, VotingPct: w.voting, Control: catalog.Tri(w.control),
			Veto: catalog.Tri(w.veto), BoardMajority: catalog.Tri(w.majority), Sources: ev.set.of(subject{ownership: w.id}, ""),
		})
	}
	out := make([]catalog.OrganizationRecord, 0, len(rows))
	for _, row := range rows {
		o := row.organization(ev.set)
		o.Owners = ownersBy[row.ID]
		out = append(out, catalog.OrganizationRecord{ID: row.ID, Organization: o, Sources: ev.sourcesOf(row.ID)})
	}
	return out, nil
}
