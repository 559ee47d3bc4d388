package store

import (
	"context"
	"time"

	"github.com/lib/pq"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// loadProducts loads whole products (facts, offerings, dependencies, with
// evidence) for a set of ids in a fixed number of queries, adding every
// cited source to sources. Adoptions and alternatives are left out: the
// rules do not read them.
func (g graphStore) loadProducts(ctx context.Context, ids []int64, sources map[string]catalog.Source) ([]catalog.Product, evidenceSet, error) {
	db := g.db.WithContext(ctx)
	arr := pq.Int64Array(ids)
	var rows []struct {
		ID               int64
		Slug             string
		Name             string
		Kind             string
		VendorHosted     string
		SelfHostable     string
		License          *string
		Governance       string
		PhoneHome        string
		SourceRepository *string
		Website          *string
		DescriptionDE    string `gorm:"column:description_de"`
		DescriptionEN    string `gorm:"column:description_en"`
		UpdatedAt        time.Time
		VendorSlug       string
		CategorySlug     string
	}
	if err := db.Raw(`SELECT p.id, p.slug, p.name, p.kind, p.vendor_hosted, p.self_hostable, p.license, p.governance,
			p.phone_home, p.source_repository, p.website, p.description_de, p.description_en, p.updated_at,
			o.slug AS vendor_slug, c.slug AS category_slug
		FROM products p JOIN organizations o ON o.id = p.vendor_id JOIN categories c ON c.id = p.category_id
		WHERE p.id = ANY($1) ORDER BY p.id`, arr).Scan(&rows).Error; err != nil {
		return nil, evidenceSet{}, translate(err, "load products")
	}
	ev, err := g.evidence(ctx, "product_root", arr)
	if err != nil {
		return nil, evidenceSet{}, err
	}
	for k, s := range ev.sources {
		sources[k] = s
	}
	var offs []struct {
		ID                    int64
		ProductID             int64
		OperatorSlug          string
		DataLocationsKnown    bool
		SupportLocationsKnown bool
		KeyManagement         string
		GoverningLaw          string
		SubprocessorList      *string
	}
	if err := db.Raw(`SELECT f.id, f.product_id, o.slug AS operator_slug, f.data_locations_known, f.support_locations_known,
			f.key_management, f.governing_law, f.subprocessor_list
		FROM offerings f JOIN organizations o ON o.id = f.operator_id WHERE f.product_id = ANY($1) ORDER BY f.product_id, f.position`, arr).Scan(&offs).Error; err != nil {
		return nil, evidenceSet{}, translate(err, "load offerings")
	}
	var locs []offeringLocationRow
	if err := db.Raw(`SELECT l.* FROM offering_locations l JOIN offerings f ON f.id = l.offering_id
		WHERE f.product_id = ANY($1) ORDER BY l.offering_id, l.kind, l.position`, arr).Scan(&locs).Error; err != nil {
		return nil, evidenceSet{}, translate(err, "load locations")
	}
	var certs []certificationRow
	if err := db.Raw(`SELECT c.* FROM certifications c JOIN offerings f ON f.id = c.offering_id
		WHERE f.product_id = ANY($1) ORDER BY c.id`, arr).Scan(&certs).Error; err != nil {
		return nil, evidenceSet{}, translate(err, "load certifications")
	}
	var deps []struct {
		ID            int64
		ConsumerID    int64
		ProviderSlug  string
		Role          string
		DataAccess    string
		Criticality   string
		FailoverGroup *string
	}
	if err := db.Raw(`SELECT d.id, d.consumer_id, p.slug AS provider_slug, d.role, d.data_access, d.criticality, d.failover_group
		FROM dependencies d JOIN products p ON p.id = d.provider_id WHERE d.consumer_id = ANY($1) ORDER BY d.consumer_id, d.id`, arr).Scan(&deps).Error; err != nil {
		return nil, evidenceSet{}, translate(err, "load dependencies")
	}

	locsBy := map[int64][]offeringLocationRow{}
	for _, l := range locs {
		locsBy[l.OfferingID] = append(locsBy[l.OfferingID], l)
	}
	certsBy := map[int64][]catalog.Certification{}
	for _, c := range certs {
		certsBy[c.OfferingID] = append(certsBy[c.OfferingID], catalog.Certification{Scheme: c.Scheme, Sources: ev.of(subject{certification: c.ID}, "")})
	}
	offsBy := map[int64][]catalog.Offering{}
	for _, f := range offs {
		sub := subject{offering: f.ID}
		o := catalog.Offering{
			Operator:         f.OperatorSlug,
			KeyManagement:    enumFact(catalog.KeyManagement(f.KeyManagement), f.KeyManagement != "unknown", ev.of(sub, "key_management")),
			GoverningLaw:     countryFact(f.GoverningLaw, ev.of(sub, "governing_law")),
			SubprocessorList: strFact(f.SubprocessorList, ev.of(sub, "subprocessor_list")),
			Certifications:   certsBy[f.ID],
		}
		var data []catalog.DataLocation
		var support []catalog.Country
		for _, l := range locsBy[f.ID] {
			if l.Kind == "data" {
				data = append(data, catalog.DataLocation{Country: catalog.Country(l.Country), Purpose: catalog.Purpose(deref(l.Purpose))})
			} else {
				support = append(support, catalog.Country(l.Country))
			}
		}
		if f.DataLocationsKnown {
			o.DataLocations = catalog.KnownFact(data, ev.of(sub, "data_locations")...)
		}
		if f.SupportLocationsKnown {
			o.SupportLocations = catalog.KnownFact(support, ev.of(sub, "support_locations")...)
		}
		offsBy[f.ProductID] = append(offsBy[f.ProductID], o)
	}
	depsBy := map[int64][]catalog.Dependency{}
	for _, d := range deps {
		depsBy[d.ConsumerID] = append(depsBy[d.ConsumerID], catalog.Dependency{
			Provider: d.ProviderSlug, Role: catalog.Role(d.Role), DataAccess: catalog.DataAccess(d.DataAccess),
			Criticality: catalog.Criticality(d.Criticality), Group: deref(d.FailoverGroup), Sources: ev.of(subject{dependency: d.ID}, ""),
		})
	}
	out := make([]catalog.Product, 0, len(rows))
	for _, r := range rows {
		sub := subject{product: r.ID}
		p := catalog.Product{
			Slug: r.Slug, Name: r.Name, Vendor: r.VendorSlug, Category: r.CategorySlug, Kind: catalog.Kind(r.Kind),
			Website: deref(r.Website), DescriptionDE: r.DescriptionDE, DescriptionEN: r.DescriptionEN, UpdatedAt: r.UpdatedAt,
			VendorHosted:     triFact(r.VendorHosted, ev.of(sub, "vendor_hosted")),
			SelfHostable:     triFact(r.SelfHostable, ev.of(sub, "self_hostable")),
			PhoneHome:        triFact(r.PhoneHome, ev.of(sub, "phone_home")),
			License:          strFact(r.License, ev.of(sub, "license")),
			SourceRepository: strFact(r.SourceRepository, ev.of(sub, "source_repository")),
			Governance:       enumFact(catalog.Governance(r.Governance), r.Governance != "unknown", ev.of(sub, "governance")),
			Offerings:        offsBy[r.ID],
			Dependencies:     depsBy[r.ID],
		}
		out = append(out, p)
	}
	return out, ev, nil
}

// loadOrganizations loads organisations with their direct owners.
func (g graphStore) loadOrganizations(ctx context.Context, ids []int64, sources map[string]catalog.Source) ([]catalog.Organization, error) {
	db := g.db.WithContext(ctx)
	arr := pq.Int64Array(ids)
	var rows []organizationRow
	if err := db.Where("id = ANY(?)", arr).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "load organisations")
	}
	ev, err := g.evidence(ctx, "org_root", arr)
	if err != nil {
		return nil, err
	}
	for k, s := range ev.sources {
		sources[k] = s
	}
	var owners []struct {
		ID             int64
		OrganizationID int64
		HolderSlug     string
		CapitalPct     *float64
		VotingPct      *float64
		Control        string
		Veto           string
		BoardMajority  string
	}
	if err := db.Raw(`SELECT w.id, w.organization_id, h.slug AS holder_slug, w.capital_pct, w.voting_pct, w.control, w.veto, w.board_majority
		FROM ownerships w JOIN organizations h ON h.id = w.holder_id WHERE w.organization_id = ANY($1) ORDER BY w.id`, arr).Scan(&owners).Error; err != nil {
		return nil, translate(err, "load owners")
	}
	ownersBy := map[int64][]catalog.Ownership{}
	for _, w := range owners {
		ownersBy[w.OrganizationID] = append(ownersBy[w.OrganizationID], catalog.Ownership{
			Holder: w.HolderSlug, CapitalPct: w.CapitalPct, VotingPct: w.VotingPct, Control: catalog.Tri(w.Control),
			Veto: catalog.Tri(w.Veto), BoardMajority: catalog.Tri(w.BoardMajority), Sources: ev.of(subject{ownership: w.ID}, ""),
		})
	}
	out := make([]catalog.Organization, 0, len(rows))
	for _, r := range rows {
		o := r.organization(ev)
		o.Owners = ownersBy[r.ID]
		out = append(out, o)
	}
	return out, nil
}

// evidence loads, within g's transaction, the evidence of the products or
// organisations (root "product_root" or "org_root") with the given ids.
func (g graphStore) evidence(ctx context.Context, root string, ids pq.Int64Array) (evidenceSet, error) {
	return (&Store{db: g.db}).evidenceOf(ctx, root, "= ANY(?)", ids)
}
