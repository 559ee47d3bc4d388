package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Product loads a product with everything its page shows: facts with their
// sources, offerings, dependencies, dependents, alternatives and adoptions.
// The product itself comes from the same loader the classification uses
// (loadProducts), so both read a product the same way. It issues a fixed
// number of indexed queries, independent of catalogue size.
func (s *Store) Product(ctx context.Context, slug string) (catalog.ProductDetail, error) {
	db := s.db.WithContext(ctx)
	var row productRow
	if err := db.Select("id", "vendor_id", "category_id").Where("slug = ?", slug).Take(&row).Error; err != nil {
		return catalog.ProductDetail{}, translate(err, "product "+slug)
	}
	d := catalog.ProductDetail{
		Operators: map[string]catalog.Organization{}, Sources: map[string]catalog.Source{}, Refs: map[string]catalog.ProductRef{},
	}
	loaded, ev, err := graphStore{db: s.db}.loadProducts(ctx, []int64{row.ID}, d.Sources)
	if err != nil {
		return d, err
	}
	if len(loaded) != 1 {
		return d, translate(gorm.ErrRecordNotFound, "product "+slug)
	}
	p := loaded[0]
	var cat categoryRow
	if err := db.Where("id = ?", row.CategoryID).Take(&cat).Error; err != nil {
		return d, translate(err, "category")
	}
	d.Category = catalog.Category{Slug: cat.Slug, NameDE: cat.NameDE, NameEN: cat.NameEN}

	var orgIDs []int64
	if err := db.Raw(`SELECT ? UNION SELECT operator_id FROM offerings WHERE product_id = ?`, row.VendorID, row.ID).Scan(&orgIDs).Error; err != nil {
		return d, translate(err, "operators")
	}
	orgs, orgSources, err := s.organizationsByID(ctx, orgIDs)
	if err != nil {
		return d, err
	}
	for k, src := range orgSources {
		d.Sources[k] = src
	}
	d.Vendor = orgs[row.VendorID]
	for _, o := range orgs {
		d.Operators[o.Slug] = o
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

// productLinks loads the providers' names, the dependents, alternatives
// and adoptions of the product with the given id.
func (s *Store) productLinks(ctx context.Context, id int64, p *catalog.Product, d *catalog.ProductDetail, ev evidenceSet) error {
	db := s.db.WithContext(ctx)
	var providers []refRow
	err := db.Raw(`SELECT `+refColumns+` FROM dependencies d JOIN products p ON p.id = d.provider_id
		JOIN organizations o ON o.id = p.vendor_id WHERE d.consumer_id = ?`, id).Scan(&providers).Error
	if err != nil {
		return translate(err, "dependencies")
	}
	for _, r := range providers {
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
