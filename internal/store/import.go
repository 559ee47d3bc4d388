package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/lib/pq"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Import writes a validated dataset in one transaction. Entries are matched
// by slug (sources by key); an entry whose content hash is unchanged is not
// touched, so a re-import of the same data changes nothing. after runs in
// the same transaction with what was written (the service reclassifies the
// affected products there); its error rolls everything back. The
// transaction is pinned to one connection, so that after may recompute the
// whole catalogue in bulk (catalog.BulkGraphStore).
func (s *Store) Import(ctx context.Context, d catalog.Dataset, after catalog.AfterWrite) (catalog.ImportReport, error) {
	var rep catalog.ImportReport
	err := s.pinnedTx(ctx, func(tx *gorm.DB, conn *sql.Conn) error {
		im := &importer{tx: tx, rep: &rep, orgs: map[string]int64{}, products: map[string]int64{}, sources: map[string]int64{}}
		steps := []func(catalog.Dataset) error{im.writeSources, im.writeCategories, im.writeOrganizations, im.writeProducts, im.refreshDerived}
		for _, step := range steps {
			if err := step(d); err != nil {
				return err
			}
		}
		levels := len(im.changed.Products)+len(im.changed.Organizations) > 0
		if after == nil || !levels {
			// No level is saved, which would count the change: count it
			// here, so that the caches keyed by the generation (a
			// source's title, a category's name) move on.
			if rep.Changed() {
				if err := tx.Exec(`UPDATE catalog_state SET generation = generation + 1`).Error; err != nil {
					return err
				}
			}
			if after == nil {
				return nil
			}
		}
		if levels {
			if err := lockLevels(ctx, tx); err != nil {
				return err
			}
		}
		return after(ctx, writeGraph(tx, conn), im.changed)
	})
	if err != nil {
		return catalog.ImportReport{}, translate(err, "import")
	}
	return rep, nil
}

type importer struct {
	tx         *gorm.DB
	rep        *catalog.ImportReport
	sources    map[string]int64
	categories map[string]int64
	orgs       map[string]int64
	products   map[string]int64
	changed    catalog.Changed
	// changedCategories are the categories this import wrote.
	changedCategories []string
}

// hashOf fingerprints a domain value; JSON of a struct is deterministic.
func hashOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("hash: %v", err)) // domain values always marshal
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

type existing struct {
	ID          int64
	Key         string
	ContentHash string
}

// known loads id and hash of every row of table, keyed by keyCol.
// With keys, only the rows with those keys: products and sources number
// a hundred thousand in a large catalogue, and a write names a few.
func (im *importer) known(table, keyCol string, keys ...string) (map[string]existing, error) {
	q := im.tx.Table(table).Select("id, " + keyCol + " AS key, content_hash")
	if keys != nil {
		q = q.Where(keyCol+" = ANY(?)", pq.StringArray(keys))
	}
	var rows []existing
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load %s: %w", table, err)
	}
	m := make(map[string]existing, len(rows))
	for _, r := range rows {
		m[r.Key] = r
	}
	return m, nil
}

// productID returns the id of the product slug names, written by this
// import or stored before.
func (im *importer) productID(slug string) (int64, error) {
	id, err := im.id(im.products, "products", "slug", slug)
	if err != nil {
		return 0, fmt.Errorf("product %q: %w", slug, err)
	}
	return id, nil
}

// id returns the id of the row of table whose keyCol is key: from cache
// (the rows this import wrote or looked up), else from the database,
// remembered in cache; catalog.ErrNotFound when there is none.
func (im *importer) id(cache map[string]int64, table, keyCol, key string) (int64, error) {
	if id, ok := cache[key]; ok {
		return id, nil
	}
	var ids []int64
	if err := im.tx.Table(table).Where(keyCol+" = ?", key).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, catalog.ErrNotFound
	}
	cache[key] = ids[0]
	return ids[0], nil
}

// count records whether an entry was created, updated or left alone, and
// says whether it must be written.
func (im *importer) count(e existing, found bool, hash string) bool {
	switch {
	case !found:
		im.rep.Created++
	case e.ContentHash != hash:
		im.rep.Updated++
	default:
		im.rep.Unchanged++
		return false
	}
	return true
}

func (im *importer) writeSources(d catalog.Dataset) error {
	keys := make([]string, len(d.Sources))
	for i, src := range d.Sources {
		keys[i] = src.Key
	}
	have, err := im.known("sources", "key", keys...)
	if err != nil {
		return err
	}
	for _, src := range d.Sources {
		h := hashOf(src)
		e, found := have[src.Key]
		im.sources[src.Key] = e.ID
		if !im.count(e, found, h) {
			continue
		}
		row := sourceRow{ID: e.ID, Key: src.Key, URL: src.URL, Title: src.Title, Kind: string(src.Kind), Retrieved: src.Retrieved, ContentHash: h}
		if err := im.tx.Save(&row).Error; err != nil {
			return fmt.Errorf("source %s: %w", src.Key, err)
		}
		im.sources[src.Key] = row.ID
		im.changed.Sources = append(im.changed.Sources, src.Key)
	}
	return nil
}

func (im *importer) writeCategories(d catalog.Dataset) error {
	have, err := im.known("categories", "slug")
	if err != nil {
		return err
	}
	im.categories = map[string]int64{}
	for k, e := range have {
		im.categories[k] = e.ID
	}
	for _, c := range d.Categories {
		h := hashOf(c)
		e, found := have[c.Slug]
		if !im.count(e, found, h) {
			continue
		}
		row := categoryRow{ID: e.ID, Slug: c.Slug, NameDE: c.NameDE, NameEN: c.NameEN, ContentHash: h}
		if err := im.tx.Save(&row).Error; err != nil {
			return fmt.Errorf("category %s: %w", c.Slug, err)
		}
		im.categories[c.Slug] = row.ID
		im.changedCategories = append(im.changedCategories, c.Slug)
	}
	return nil
}

// organizations writes changed organisations in two passes: rows first, so
// that ownership edges can point at organisations defined later in the set.
func (im *importer) writeOrganizations(d catalog.Dataset) error {
	have, err := im.known("organizations", "slug")
	if err != nil {
		return err
	}
	for k, e := range have {
		im.orgs[k] = e.ID
	}
	var changed []catalog.Organization
	for _, o := range d.Organizations {
		h := hashOf(o)
		e, found := have[o.Slug]
		if !im.count(e, found, h) {
			continue
		}
		row := organizationRow{
			ID: e.ID, Slug: o.Slug, Name: o.Name, Website: strPtr(o.Website),
			RegistrationCountry: countryOf(o.RegistrationCountry), HQCountry: countryOf(o.HQCountry),
			ContentHash: h, Version: 1,
		}
		if o.LegalName.Known {
			row.LegalName = &o.LegalName.Value
		}
		if o.PresenceCountries.Known {
			row.PresenceCountries = countryStrings(o.PresenceCountries.Value)
		}
		if err := im.upsert(&row, found, "version"); err != nil {
			return fmt.Errorf("organization %s: %w", o.Slug, err)
		}
		im.orgs[o.Slug] = row.ID
		changed = append(changed, o)
		im.changed.Organizations = append(im.changed.Organizations, o.Slug)
	}
	for _, o := range changed {
		if err := im.organizationChildren(o); err != nil {
			return fmt.Errorf("organization %s: %w", o.Slug, err)
		}
	}
	return nil
}

// upsert inserts a new row or updates an existing one, bumping its version
// and updated_at.
func (im *importer) upsert(row any, found bool, versionCol string) error {
	if !found {
		return im.tx.Omit("id").Create(row).Error
	}
	return im.tx.Model(row).Select("*").Omit("id", "created_at", versionCol).
		Updates(row).UpdateColumn(versionCol, gorm.Expr(versionCol+" + 1")).Error
}

func (im *importer) organizationChildren(o catalog.Organization) error {
	id := im.orgs[o.Slug]
	if err := im.tx.Where("organization_id = ?", id).Delete(&evidenceRow{}).Error; err != nil {
		return err
	}
	if err := im.tx.Where("organization_id = ?", id).Delete(&ownershipRow{}).Error; err != nil {
		return err
	}
	facts := map[string][]string{
		"legal_name": o.LegalName.Sources, "registration_country": o.RegistrationCountry.Sources,
		"hq_country": o.HQCountry.Sources, "presence_countries": o.PresenceCountries.Sources,
	}
	for fact, keys := range facts {
		if err := im.evidence(keys, fact, func(e *evidenceRow) { e.OrganizationID, e.OrgRoot = &id, &id }); err != nil {
			return err
		}
	}
	for _, w := range o.Owners {
		row := ownershipRow{
			OrganizationID: id, HolderID: im.orgs[w.Holder], CapitalPct: w.CapitalPct, VotingPct: w.VotingPct,
			Control: string(w.Control), Veto: string(w.Veto), BoardMajority: string(w.BoardMajority),
		}
		if err := im.tx.Omit("id").Create(&row).Error; err != nil {
			return err
		}
		if err := im.evidence(w.Sources, "", func(e *evidenceRow) { e.OwnershipID, e.OrgRoot = &row.ID, &id }); err != nil {
			return err
		}
	}
	return nil
}

// evidence links each cited source to the subject set by attach.
func (im *importer) evidence(keys []string, fact string, attach func(*evidenceRow)) error {
	if len(keys) == 0 {
		return nil
	}
	rows := make([]evidenceRow, 0, len(keys))
	for _, k := range slices.Compact(slices.Sorted(slices.Values(keys))) {
		// Entries may cite sources already stored (a single published
		// proposal cites most of its evidence that way).
		sid, err := im.id(im.sources, "sources", "key", k)
		if err != nil {
			return fmt.Errorf("source %q: %w", k, err)
		}
		e := evidenceRow{SourceID: sid, Fact: fact}
		attach(&e)
		rows = append(rows, e)
	}
	return im.tx.Omit("id").Create(&rows).Error
}

func (im *importer) writeProducts(d catalog.Dataset) error {
	slugs := make([]string, len(d.Products))
	for i, p := range d.Products {
		slugs[i] = p.Slug
	}
	// The products the entries refer to, read with them: one query
	// instead of one per reference (productID looks up any it missed).
	refs := slices.Clone(slugs)
	for _, p := range d.Products {
		for _, dep := range p.Dependencies {
			refs = append(refs, dep.Provider)
		}
		refs = append(refs, p.Alternatives...)
		for _, a := range p.Adoptions {
			if a.Replaces != "" {
				refs = append(refs, a.Replaces)
			}
		}
	}
	slices.Sort(refs)
	have, err := im.known("products", "slug", slices.Compact(refs)...)
	if err != nil {
		return err
	}
	for k, e := range have {
		im.products[k] = e.ID
	}
	var changed []catalog.Product
	for _, p := range d.Products {
		h := hashOf(p)
		e, found := have[p.Slug]
		if !im.count(e, found, h) {
			continue
		}
		row := productRow{
			ID: e.ID, Slug: p.Slug, Name: p.Name, VendorID: im.orgs[p.Vendor], CategoryID: im.categories[p.Category],
			Kind: string(p.Kind), Website: strPtr(p.Website), DescriptionDE: p.DescriptionDE, DescriptionEN: p.DescriptionEN,
			VendorHosted: triOf(p.VendorHosted), SelfHostable: triOf(p.SelfHostable), Governance: "unknown",
			PhoneHome: triOf(p.PhoneHome), HostingCountries: countryStrings(catalog.HostingCountries(p)),
			OpenSource: string(catalog.OpenSource(p)), VendorCountry: "unknown", ContentHash: h, Version: 1,
		}
		if p.License.Known {
			row.License = &p.License.Value
		}
		if p.Governance.Known {
			row.Governance = string(p.Governance.Value)
		}
		if p.SourceRepository.Known {
			row.SourceRepository = &p.SourceRepository.Value
		}
		if err := im.upsert(&row, found, "version"); err != nil {
			return fmt.Errorf("product %s: %w", p.Slug, err)
		}
		im.products[p.Slug] = row.ID
		changed = append(changed, p)
		im.changed.Products = append(im.changed.Products, p.Slug)
	}
	for _, p := range changed {
		if err := im.productChildren(p); err != nil {
			return fmt.Errorf("product %s: %w", p.Slug, err)
		}
	}
	return nil
}

func (im *importer) productChildren(p catalog.Product) error {
	id := im.products[p.Slug]
	for _, m := range []any{&evidenceRow{}, &offeringRow{}, &dependencyRow{}, &adoptionRow{}} {
		col := "product_id"
		if _, ok := m.(*dependencyRow); ok {
			col = "consumer_id"
		}
		if err := im.tx.Where(col+" = ?", id).Delete(m).Error; err != nil {
			return err
		}
	}
	if err := im.tx.Where("product_id = ?", id).Delete(&alternativeRow{}).Error; err != nil {
		return err
	}
	facts := map[string][]string{
		"vendor_hosted": p.VendorHosted.Sources, "self_hostable": p.SelfHostable.Sources, "license": p.License.Sources,
		"governance": p.Governance.Sources, "phone_home": p.PhoneHome.Sources, "source_repository": p.SourceRepository.Sources,
	}
	for fact, keys := range facts {
		if err := im.evidence(keys, fact, func(e *evidenceRow) { e.ProductID, e.ProductRoot = &id, &id }); err != nil {
			return err
		}
	}
	for i, o := range p.Offerings {
		if err := im.offering(id, i, o); err != nil {
			return err
		}
	}
	for _, dep := range p.Dependencies {
		pid, err := im.productID(dep.Provider)
		if err != nil {
			return err
		}
		row := dependencyRow{ConsumerID: id, ProviderID: pid, Role: string(dep.Role),
			DataAccess: string(dep.DataAccess), Criticality: string(dep.Criticality), FailoverGroup: strPtr(dep.Group)}
		if err := im.tx.Omit("id").Create(&row).Error; err != nil {
			return err
		}
		if err := im.evidence(dep.Sources, "", func(e *evidenceRow) { e.DependencyID, e.ProductRoot = &row.ID, &id }); err != nil {
			return err
		}
	}
	for _, a := range p.Alternatives {
		rid, err := im.productID(a)
		if err != nil {
			return err
		}
		row := alternativeRow{ProductID: id, ReplacesID: rid}
		if err := im.tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return err
		}
	}
	for i, a := range p.Adoptions {
		row := adoptionRow{ProductID: id, Position: i, Body: a.Body, Country: string(a.Country),
			DescriptionDE: a.DescriptionDE, DescriptionEN: a.DescriptionEN}
		if a.Year != 0 {
			row.Year = &a.Year
		}
		if a.Replaces != "" {
			rid, err := im.productID(a.Replaces)
			if err != nil {
				return err
			}
			row.ReplacesID = &rid
		}
		if err := im.tx.Omit("id").Create(&row).Error; err != nil {
			return err
		}
		if err := im.evidence(a.Sources, "", func(e *evidenceRow) { e.AdoptionID, e.ProductRoot = &row.ID, &id }); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) offering(productID int64, pos int, o catalog.Offering) error {
	row := offeringRow{ProductID: productID, Position: pos, OperatorID: im.orgs[o.Operator],
		DataLocationsKnown: o.DataLocations.Known, SupportLocationsKnown: o.SupportLocations.Known,
		KeyManagement: "unknown", GoverningLaw: countryOf(o.GoverningLaw)}
	if o.KeyManagement.Known {
		row.KeyManagement = string(o.KeyManagement.Value)
	}
	if o.SubprocessorList.Known {
		row.SubprocessorList = &o.SubprocessorList.Value
	}
	if err := im.tx.Omit("id").Create(&row).Error; err != nil {
		return err
	}
	var locs []offeringLocationRow
	for i, l := range o.DataLocations.Value {
		purpose := string(l.Purpose)
		locs = append(locs, offeringLocationRow{OfferingID: row.ID, Kind: "data", Country: string(l.Country), Purpose: &purpose, Position: i})
	}
	for i, c := range o.SupportLocations.Value {
		locs = append(locs, offeringLocationRow{OfferingID: row.ID, Kind: "support", Country: string(c), Position: i})
	}
	if len(locs) > 0 {
		if err := im.tx.Create(&locs).Error; err != nil {
			return err
		}
	}
	facts := map[string][]string{
		"data_locations": o.DataLocations.Sources, "support_locations": o.SupportLocations.Sources,
		"key_management": o.KeyManagement.Sources, "governing_law": o.GoverningLaw.Sources,
		"subprocessor_list": o.SubprocessorList.Sources,
	}
	for fact, keys := range facts {
		if err := im.evidence(keys, fact, func(e *evidenceRow) { e.OfferingID, e.ProductRoot = &row.ID, &productID }); err != nil {
			return err
		}
	}
	for _, c := range o.Certifications {
		cr := certificationRow{OfferingID: row.ID, Scheme: c.Scheme}
		if err := im.tx.Omit("id").Create(&cr).Error; err != nil {
			return err
		}
		if err := im.evidence(c.Sources, "", func(e *evidenceRow) { e.CertificationID, e.ProductRoot = &cr.ID, &productID }); err != nil {
			return err
		}
	}
	return nil
}

// refreshDerived brings the denormalised search and facet columns of the
// products this import can have changed in step with their vendor and
// category: the products it wrote, those of the organisations and
// categories it wrote. Every other product's columns were right before and
// nothing they derive from changed. (Checking the whole catalogue instead
// cost every import and every published submission a scan of all
// products: half a second at 100,000.)
func (im *importer) refreshDerived(catalog.Dataset) error {
	if len(im.changed.Products)+len(im.changed.Organizations)+len(im.changedCategories) == 0 {
		return nil
	}
	// The ids first: with them as one array PostgreSQL looks the rows up
	// by key; with the sub-selects inline it guessed thousands and scanned
	// the table.
	var ids pq.Int64Array
	if err := im.tx.Raw(`SELECT coalesce(array_agg(id), '{}') FROM (
			SELECT id FROM products WHERE slug = ANY($1)
			UNION SELECT q.id FROM products q JOIN organizations w ON w.id = q.vendor_id WHERE w.slug = ANY($2)
			UNION SELECT q.id FROM products q JOIN categories k ON k.id = q.category_id WHERE k.slug = ANY($3)) s`,
		pq.StringArray(im.changed.Products), pq.StringArray(im.changed.Organizations), pq.StringArray(im.changedCategories)).
		Row().Scan(&ids); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	return im.tx.Exec(refreshDerivedSQL+` AND p.id = ANY(?)`, ids).Error
}

const refreshDerivedSQL = `
UPDATE products p
SET vendor_country = o.hq_country,
    search_extra = concat_ws(' ', o.name, o.legal_name, c.name_de, c.name_en, p.slug)
FROM organizations o, categories c
WHERE o.id = p.vendor_id AND c.id = p.category_id
  AND (p.vendor_country IS DISTINCT FROM o.hq_country
       OR p.search_extra IS DISTINCT FROM concat_ws(' ', o.name, o.legal_name, c.name_de, c.name_en, p.slug))`

func countryOf(f catalog.Fact[catalog.Country]) string {
	if !f.Known {
		return string(catalog.UnknownCountry)
	}
	return string(f.Value)
}

func triOf(f catalog.Fact[catalog.Tri]) string {
	if !f.Known {
		return string(catalog.Unknown)
	}
	return string(f.Value)
}

func countryStrings(cs []catalog.Country) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}
