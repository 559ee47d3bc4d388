package store

import (
	"context"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Product loads a product with everything its page shows: facts with their
// sources, offerings, dependencies, dependents, alternatives and adoptions.
// It issues a fixed number of indexed queries, independent of catalogue size.
func (s *Store) Product(ctx context.Context, slug string) (catalog.ProductDetail, error) {
	db := s.db.WithContext(ctx)
	var row productRow
	if err := db.Where("slug = ?", slug).Take(&row).Error; err != nil {
		return catalog.ProductDetail{}, translate(err, "product "+slug)
	}
	d := catalog.ProductDetail{
		Operators: map[string]catalog.Organization{}, Sources: map[string]catalog.Source{}, Refs: map[string]catalog.ProductRef{},
	}
	ev, err := s.evidenceOf(ctx, "product_root", "= ?", row.ID)
	if err != nil {
		return d, err
	}
	for k, src := range ev.sources {
		d.Sources[k] = src
	}
	p := catalog.Product{
		Slug: row.Slug, Name: row.Name, Kind: catalog.Kind(row.Kind), Website: deref(row.Website),
		DescriptionDE: row.DescriptionDE, DescriptionEN: row.DescriptionEN, UpdatedAt: row.UpdatedAt,
		VendorHosted:     triFact(row.VendorHosted, ev.of(subject{product: row.ID}, "vendor_hosted")),
		SelfHostable:     triFact(row.SelfHostable, ev.of(subject{product: row.ID}, "self_hostable")),
		PhoneHome:        triFact(row.PhoneHome, ev.of(subject{product: row.ID}, "phone_home")),
		License:          strFact(row.License, ev.of(subject{product: row.ID}, "license")),
		SourceRepository: strFact(row.SourceRepository, ev.of(subject{product: row.ID}, "source_repository")),
	}
	if row.Governance != "unknown" {
		p.Governance = catalog.KnownFact(catalog.Governance(row.Governance), ev.of(subject{product: row.ID}, "governance")...)
	}
	var cat categoryRow
	if err := db.Where("id = ?", row.CategoryID).Take(&cat).Error; err != nil {
		return d, translate(err, "category")
	}
	d.Category = catalog.Category{Slug: cat.Slug, NameDE: cat.NameDE, NameEN: cat.NameEN}
	p.Category = cat.Slug

	orgIDs := map[int64]bool{row.VendorID: true}
	var offerings []offeringRow
	if err := db.Where("product_id = ?", row.ID).Order("position").Find(&offerings).Error; err != nil {
		return d, translate(err, "offerings")
	}
	for _, o := range offerings {
		orgIDs[o.OperatorID] = true
	}
	orgs, orgSources, err := s.organizationsByID(ctx, keys(orgIDs))
	if err != nil {
		return d, err
	}
	for k, src := range orgSources {
		d.Sources[k] = src
	}
	d.Vendor = orgs[row.VendorID]
	p.Vendor = d.Vendor.Slug
	if p.Offerings, err = s.offerings(ctx, offerings, orgs, ev); err != nil {
		return d, err
	}
	for _, o := range offerings {
		d.Operators[orgs[o.OperatorID].Slug] = orgs[o.OperatorID]
	}
	if err := s.productLinks(ctx, row.ID, &p, &d, ev); err != nil {
		return d, err
	}
	d.Product = p
	return d, nil
}

type refRow struct {
	Slug          string
	Name          string
	VendorName    string
	VendorCountry string
}

func (r refRow) ref() catalog.ProductRef {
	return catalog.ProductRef{Slug: r.Slug, Name: r.Name, VendorName: r.VendorName, VendorCountry: catalog.Country(r.VendorCountry)}
}

const refColumns = "p.slug, p.name, o.name AS vendor_name, p.vendor_country"

// productLinks loads dependencies, dependents, alternatives and adoptions.
func (s *Store) productLinks(ctx context.Context, id int64, p *catalog.Product, d *catalog.ProductDetail, ev evidenceSet) error {
	db := s.db.WithContext(ctx)
	var deps []depRow
	err := db.Raw(`SELECT d.id, d.role, d.data_access, d.criticality, d.failover_group, `+refColumns+` FROM dependencies d JOIN products p ON p.id = d.provider_id
		JOIN organizations o ON o.id = p.vendor_id WHERE d.consumer_id = ? ORDER BY d.criticality, p.name_folded`, id).Scan(&deps).Error
	if err != nil {
		return translate(err, "dependencies")
	}
	for _, r := range deps {
		p.Dependencies = append(p.Dependencies, r.dependency(r.Slug, ev.of(subject{dependency: r.ID}, "")))
		d.Refs[r.Slug] = r.ref()
	}
	// A hub has tens of thousands of dependents: the page lists the first
	// MaxDependentsShown in index order (critical first) and the total.
	var dependents []depRow
	err = db.Raw(`SELECT d.id, d.role, d.data_access, d.criticality, d.failover_group, `+refColumns+`
		FROM (SELECT * FROM dependencies WHERE provider_id = ? ORDER BY criticality, consumer_id LIMIT ?) d
		JOIN products p ON p.id = d.consumer_id JOIN organizations o ON o.id = p.vendor_id
		ORDER BY d.criticality, p.name_folded`, id, catalog.MaxDependentsShown).Scan(&dependents).Error
	if err != nil {
		return translate(err, "dependents")
	}
	if err := db.Raw(`SELECT count(*) FROM dependencies WHERE provider_id = ?`, id).Scan(&d.DependentsTotal).Error; err != nil {
		return translate(err, "dependents")
	}
	for _, r := range dependents {
		d.Dependents = append(d.Dependents, catalog.Dependent{Consumer: r.ref(), Dependency: r.dependency(p.Slug, nil)})
	}
	var replaces, replacedBy []refRow
	if err := db.Raw(`SELECT `+refColumns+` FROM alternatives a JOIN products p ON p.id = a.replaces_id
		JOIN organizations o ON o.id = p.vendor_id WHERE a.product_id = ? ORDER BY p.name_folded`, id).Scan(&replaces).Error; err != nil {
		return translate(err, "alternatives")
	}
	for _, r := range replaces {
		p.Alternatives = append(p.Alternatives, r.Slug)
		d.Refs[r.Slug] = r.ref()
	}
	if err := db.Raw(`SELECT `+refColumns+` FROM alternatives a JOIN products p ON p.id = a.product_id
		JOIN organizations o ON o.id = p.vendor_id WHERE a.replaces_id = ? ORDER BY p.name_folded LIMIT ?`, id, catalog.MaxDependentsShown).Scan(&replacedBy).Error; err != nil {
		return translate(err, "alternatives")
	}
	for _, r := range replacedBy {
		d.ReplacedBy = append(d.ReplacedBy, r.ref())
	}
	var adoptions []adoptRow
	if err := db.Raw(`SELECT a.id, a.body, a.country, a.year, a.description_de, a.description_en, p.slug AS replaces_slug FROM adoptions a LEFT JOIN products p ON p.id = a.replaces_id
		WHERE a.product_id = ? ORDER BY a.position`, id).Scan(&adoptions).Error; err != nil {
		return translate(err, "adoptions")
	}
	for _, a := range adoptions {
		ad := catalog.Adoption{Body: a.Body, Country: catalog.Country(a.Country), Replaces: deref(a.ReplacesSlug),
			DescriptionDE: a.DescriptionDE, DescriptionEN: a.DescriptionEN, Sources: ev.of(subject{adoption: a.ID}, "")}
		if a.Year != nil {
			ad.Year = *a.Year
		}
		p.Adoptions = append(p.Adoptions, ad)
	}
	return nil
}

// depRow is a dependency joined with the product at its other end. Query
// rows are flat: gorm does not fill embedded structs of unexported types.
type depRow struct {
	ID            int64
	Role          string
	DataAccess    string
	Criticality   string
	FailoverGroup *string
	Slug          string
	Name          string
	VendorName    string
	VendorCountry string
}

func (r depRow) ref() catalog.ProductRef {
	return refRow{Slug: r.Slug, Name: r.Name, VendorName: r.VendorName, VendorCountry: r.VendorCountry}.ref()
}

type adoptRow struct {
	ID            int64
	Body          string
	Country       string
	Year          *int
	ReplacesSlug  *string
	DescriptionDE string `gorm:"column:description_de"`
	DescriptionEN string `gorm:"column:description_en"`
}

func (r depRow) dependency(provider string, sources []string) catalog.Dependency {
	return catalog.Dependency{Provider: provider, Role: catalog.Role(r.Role), DataAccess: catalog.DataAccess(r.DataAccess),
		Criticality: catalog.Criticality(r.Criticality), Group: deref(r.FailoverGroup), Sources: sources}
}

// offerings maps offering rows with their locations and certifications.
func (s *Store) offerings(ctx context.Context, rows []offeringRow, orgs map[int64]catalog.Organization, ev evidenceSet) ([]catalog.Offering, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var locs []offeringLocationRow
	if err := s.db.WithContext(ctx).Where("offering_id IN ?", ids).Order("offering_id, kind, position").Find(&locs).Error; err != nil {
		return nil, translate(err, "offering locations")
	}
	var certs []certificationRow
	if err := s.db.WithContext(ctx).Where("offering_id IN ?", ids).Order("id").Find(&certs).Error; err != nil {
		return nil, translate(err, "certifications")
	}
	out := make([]catalog.Offering, len(rows))
	for i, r := range rows {
		sub := subject{offering: r.ID}
		o := catalog.Offering{
			Operator:         orgs[r.OperatorID].Slug,
			KeyManagement:    enumFact(catalog.KeyManagement(r.KeyManagement), r.KeyManagement != "unknown", ev.of(sub, "key_management")),
			GoverningLaw:     countryFact(r.GoverningLaw, ev.of(sub, "governing_law")),
			SubprocessorList: strFact(r.SubprocessorList, ev.of(sub, "subprocessor_list")),
		}
		var data []catalog.DataLocation
		var support []catalog.Country
		for _, l := range locs {
			if l.OfferingID != r.ID {
				continue
			}
			if l.Kind == "data" {
				data = append(data, catalog.DataLocation{Country: catalog.Country(l.Country), Purpose: catalog.Purpose(deref(l.Purpose))})
			} else {
				support = append(support, catalog.Country(l.Country))
			}
		}
		if r.DataLocationsKnown {
			o.DataLocations = catalog.KnownFact(data, ev.of(sub, "data_locations")...)
		}
		if r.SupportLocationsKnown {
			o.SupportLocations = catalog.KnownFact(support, ev.of(sub, "support_locations")...)
		}
		for _, c := range certs {
			if c.OfferingID == r.ID {
				o.Certifications = append(o.Certifications, catalog.Certification{Scheme: c.Scheme, Sources: ev.of(subject{certification: c.ID}, "")})
			}
		}
		out[i] = o
	}
	return out, nil
}

func keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
