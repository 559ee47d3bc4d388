package catalog

// Validate checks every entity of the dataset and every reference between
// them: sources cited, organisations, categories and products named. Problem
// paths index into the dataset's slices (e.g. "products[12].dependencies[1].on"),
// so a loader that knows where each entry came from can point at file and line.
func (d Dataset) Validate() error {
	p := newProblems()
	sources := map[string]bool{}
	for i, s := range d.Sources {
		q := p.at("sources[%d]", i)
		addNested(q, ValidateSource(s))
		if sources[s.Key] {
			q.at("id").add("error.duplicate", "source id %q is defined twice", s.Key)
		}
		sources[s.Key] = true
	}
	categories := map[string]bool{}
	for i, c := range d.Categories {
		q := p.at("categories[%d]", i)
		addNested(q, ValidateCategory(c))
		if categories[c.Slug] {
			q.at("slug").add("error.duplicate", "category %q is defined twice", c.Slug)
		}
		categories[c.Slug] = true
	}
	orgs := map[string]bool{}
	for _, o := range d.Organizations {
		orgs[o.Slug] = true
	}
	products := map[string]bool{}
	for _, pr := range d.Products {
		products[pr.Slug] = true
	}
	known := references{
		source: func(k string) bool { return sources[k] }, organization: func(k string) bool { return orgs[k] },
		category: func(k string) bool { return categories[k] }, product: func(k string) bool { return products[k] },
	}
	seenOrg := map[string]bool{}
	for i, o := range d.Organizations {
		q := p.at("organizations[%d]", i)
		addNested(q, ValidateOrganization(o))
		if seenOrg[o.Slug] {
			q.at("slug").add("error.duplicate", "organisation %q is defined twice", o.Slug)
		}
		seenOrg[o.Slug] = true
		cite(known, q.at("legal_name"), o.LegalName.Sources)
		cite(known, q.at("registration_country"), o.RegistrationCountry.Sources)
		cite(known, q.at("hq_country"), o.HQCountry.Sources)
		cite(known, q.at("presence_countries"), o.PresenceCountries.Sources)
		for j, w := range o.Owners {
			r := q.at("owners[%d]", j)
			if !orgs[w.Holder] {
				r.at("holder").add("error.org_unknown", "organisation %q is not defined", w.Holder)
			}
			cite(known, r, w.Sources)
		}
	}
	seenProduct := map[string]bool{}
	for i, pr := range d.Products {
		q := p.at("products[%d]", i)
		addNested(q, ValidateProduct(pr))
		if seenProduct[pr.Slug] {
			q.at("slug").add("error.duplicate", "product %q is defined twice", pr.Slug)
		}
		seenProduct[pr.Slug] = true
		checkProductReferences(q, pr, known)
	}
	return p.err()
}

// references answers whether a key names something that exists: in the
// dataset itself for an import, in the catalogue for a proposal.
type references struct {
	source, organization, category, product func(string) bool
}

// cite reports every key of keys that names no source.
func cite(r references, q problems, keys []string) {
	for j, k := range keys {
		if !r.source(k) {
			q.at("sources[%d]", j).add("error.source_unknown", "source %q is not defined", k)
		}
	}
}

// checkProductReferences reports every organisation, category, product and
// source that pr names but r does not know.
func checkProductReferences(q problems, pr Product, ref references) {
	if !ref.organization(pr.Vendor) {
		q.at("vendor").add("error.org_unknown", "organisation %q is not defined", pr.Vendor)
	}
	if !ref.category(pr.Category) {
		q.at("category").add("error.category_unknown", "category %q is not defined", pr.Category)
	}
	for _, f := range []struct {
		name string
		keys []string
	}{
		{"vendor_hosted", pr.VendorHosted.Sources}, {"self_hostable", pr.SelfHostable.Sources},
		{"license", pr.License.Sources}, {"governance", pr.Governance.Sources},
		{"phone_home", pr.PhoneHome.Sources}, {"source_repository", pr.SourceRepository.Sources},
	} {
		cite(ref, q.at("%s", f.name), f.keys)
	}
	for j, o := range pr.Offerings {
		r := q.at("offerings[%d]", j)
		if !ref.organization(o.Operator) {
			r.at("operator").add("error.org_unknown", "organisation %q is not defined", o.Operator)
		}
		cite(ref, r.at("data_locations"), o.DataLocations.Sources)
		cite(ref, r.at("support_locations"), o.SupportLocations.Sources)
		cite(ref, r.at("key_management"), o.KeyManagement.Sources)
		cite(ref, r.at("governing_law"), o.GoverningLaw.Sources)
		cite(ref, r.at("subprocessor_list"), o.SubprocessorList.Sources)
		for k, c := range o.Certifications {
			cite(ref, r.at("certifications[%d]", k), c.Sources)
		}
	}
	for j, dep := range pr.Dependencies {
		r := q.at("dependencies[%d]", j)
		if !ref.product(dep.Provider) {
			r.at("on").add("error.product_unknown", "product %q is not defined", dep.Provider)
		}
		cite(ref, r, dep.Sources)
	}
	for j, a := range pr.Alternatives {
		if !ref.product(a) {
			q.at("alternatives[%d].replaces", j).add("error.product_unknown", "product %q is not defined", a)
		}
	}
	for j, a := range pr.Adoptions {
		r := q.at("adoptions[%d]", j)
		if a.Replaces != "" && !ref.product(a.Replaces) {
			r.at("replaces").add("error.product_unknown", "product %q is not defined", a.Replaces)
		}
		cite(ref, r, a.Sources)
	}
}

// addNested re-roots the problems of a nested validation under p.
func addNested(p problems, err error) {
	ve, ok := err.(*ValidationError)
	if !ok {
		return
	}
	for _, pr := range ve.Problems {
		path := p.prefix
		if pr.Path != "" {
			path += "." + pr.Path
		}
		*p.list = append(*p.list, Problem{Path: path, Key: pr.Key, Message: pr.Message})
	}
}
