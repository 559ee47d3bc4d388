package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// organizationsByID loads organisations with their fact evidence and the
// sources that evidence cites.
func (s *Store) organizationsByID(ctx context.Context, ids []int64) (map[int64]catalog.Organization, map[string]catalog.Source, error) {
	var rows []organizationRow
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, nil, translate(err, "organizations")
	}
	ev, err := s.evidenceOf(ctx, "org_root", "= ANY(?)", pq.Int64Array(ids))
	if err != nil {
		return nil, nil, err
	}
	out := make(map[int64]catalog.Organization, len(rows))
	for _, r := range rows {
		out[r.ID] = r.organization(ev)
	}
	return out, ev.sources, nil
}

func (r organizationRow) organization(ev evidenceSet) catalog.Organization {
	sub := subject{organization: r.ID}
	o := catalog.Organization{
		Slug: r.Slug, Name: r.Name, Website: deref(r.Website), UpdatedAt: r.UpdatedAt,
		LegalName:           strFact(r.LegalName, ev.of(sub, "legal_name")),
		RegistrationCountry: countryFact(r.RegistrationCountry, ev.of(sub, "registration_country")),
		HQCountry:           countryFact(r.HQCountry, ev.of(sub, "hq_country")),
	}
	if r.PresenceCountries != nil {
		cs := make([]catalog.Country, len(r.PresenceCountries))
		for i, c := range r.PresenceCountries {
			cs[i] = catalog.Country(c)
		}
		o.PresenceCountries = catalog.KnownFact(cs, ev.of(sub, "presence_countries")...)
	}
	return o
}

// Organization loads an organisation with its chain of owners (walked
// transitively, cycle-safe), its holdings and its products.
func (s *Store) Organization(ctx context.Context, slug string) (catalog.OrganizationDetail, error) {
	db := s.db.WithContext(ctx)
	var row organizationRow
	if err := db.Where("slug = ?", slug).Take(&row).Error; err != nil {
		return catalog.OrganizationDetail{}, translate(err, "organization "+slug)
	}
	type chainRow struct {
		ID             int64
		OrganizationID int64
		HolderID       int64
		CapitalPct     *float64
		VotingPct      *float64
		Control        string
		Veto           string
		BoardMajority  string
		Depth          int
	}
	var chain []chainRow
	// The path array stops the walk at a cycle; depth 10 bounds it anyway.
	err := db.Raw(`WITH RECURSIVE chain AS (
			SELECT w.*, 1 AS depth, ARRAY[w.organization_id, w.holder_id] AS path
			FROM ownerships w WHERE w.organization_id = ?
			UNION ALL
			SELECT w.*, c.depth + 1, c.path || w.holder_id
			FROM ownerships w JOIN chain c ON w.organization_id = c.holder_id
			WHERE NOT w.holder_id = ANY(c.path) AND c.depth < 10)
		SELECT id, organization_id, holder_id, capital_pct, voting_pct, control, veto, board_majority, depth
		FROM chain ORDER BY depth, id`, row.ID).Scan(&chain).Error
	if err != nil {
		return catalog.OrganizationDetail{}, translate(err, "control chain")
	}
	ids := []int64{row.ID}
	for _, c := range chain {
		ids = append(ids, c.HolderID, c.OrganizationID)
	}
	orgs, _, err := s.organizationsByID(ctx, ids)
	if err != nil {
		return catalog.OrganizationDetail{}, err
	}
	ownEv, err := s.evidenceOf(ctx, "org_root", "= ANY(?)", pq.Int64Array(ids))
	if err != nil {
		return catalog.OrganizationDetail{}, err
	}
	d := catalog.OrganizationDetail{Organization: orgs[row.ID], Sources: ownEv.sources}
	for _, c := range chain {
		w := catalog.Ownership{
			Holder: orgs[c.HolderID].Slug, CapitalPct: c.CapitalPct, VotingPct: c.VotingPct,
			Control: catalog.Tri(c.Control), Veto: catalog.Tri(c.Veto), BoardMajority: catalog.Tri(c.BoardMajority),
			Sources: ownEv.of(subject{ownership: c.ID}, ""),
		}
		if c.Depth == 1 {
			d.Organization.Owners = append(d.Organization.Owners, w)
		}
		d.Chain = append(d.Chain, catalog.ControlLink{Holder: orgs[c.HolderID], Ownership: w, Depth: c.Depth, Of: orgs[c.OrganizationID].Slug})
	}
	if err := db.Raw(orgSummarySQL+" WHERE o.id IN (SELECT organization_id FROM ownerships WHERE holder_id = ?) ORDER BY o.name", row.ID).
		Scan(&d.Holdings).Error; err != nil {
		return d, translate(err, "holdings")
	}
	var products []summaryRow
	if err := db.Raw(`SELECT `+summaryColumns+` FROM products p JOIN organizations o ON o.id = p.vendor_id
		JOIN categories c ON c.id = p.category_id
		LEFT JOIN product_levels l ON l.product_id = p.id AND l.perspective = ?
		WHERE p.vendor_id = ? ORDER BY p.name_folded LIMIT 500`, catalog.DefaultPerspective, row.ID).Scan(&products).Error; err != nil {
		return d, translate(err, "products")
	}
	for _, p := range products {
		d.Products = append(d.Products, p.summary())
	}
	return d, nil
}

const orgSummarySQL = `SELECT o.slug, o.name, o.hq_country,
	(SELECT count(*) FROM products p WHERE p.vendor_id = o.id) AS products,
	EXISTS (SELECT 1 FROM ownerships w WHERE w.organization_id = o.id AND w.control = 'yes') AS controlled
	FROM organizations o`

// Organizations lists every organisation by name.
func (s *Store) Organizations(ctx context.Context) ([]catalog.OrganizationSummary, error) {
	var out []catalog.OrganizationSummary
	if err := s.db.WithContext(ctx).Raw(orgSummarySQL + " ORDER BY lower(o.name)").Scan(&out).Error; err != nil {
		return nil, translate(err, "organizations")
	}
	return out, nil
}

// Categories lists the categories with their product counts.
func (s *Store) Categories(ctx context.Context) ([]catalog.CategoryCount, error) {
	type row struct {
		Slug     string
		NameDE   string `gorm:"column:name_de"`
		NameEN   string `gorm:"column:name_en"`
		Products int
	}
	var rows []row
	err := s.db.WithContext(ctx).Raw(`SELECT c.slug, c.name_de, c.name_en,
		(SELECT count(*) FROM products p WHERE p.category_id = c.id) AS products
		FROM categories c ORDER BY c.slug`).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "categories")
	}
	out := make([]catalog.CategoryCount, len(rows))
	for i, r := range rows {
		out[i] = catalog.CategoryCount{Category: catalog.Category{Slug: r.Slug, NameDE: r.NameDE, NameEN: r.NameEN}, Products: r.Products}
	}
	return out, nil
}

// Stats counts the catalogue for the home page.
func (s *Store) Stats(ctx context.Context) (catalog.Stats, error) {
	var st catalog.Stats
	err := s.db.WithContext(ctx).Raw(`SELECT
		(SELECT count(*) FROM products) AS products,
		(SELECT count(*) FROM organizations) AS organizations,
		(SELECT count(*) FROM categories) AS categories,
		(SELECT count(*) FROM sources) AS sources,
		(SELECT count(*) FROM dependencies) AS dependencies,
		(SELECT count(*) FROM products WHERE open_source = 'yes') AS open_source`).Scan(&st).Error
	return st, translate(err, "stats")
}
