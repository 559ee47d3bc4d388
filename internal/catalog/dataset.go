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
	cite := func(q problems, keys []string) {
		for j, k := range keys {
			if !sources[k] {
				q.at("sources[%d]", j).add("error.source_unknown", "source %q is not defined", k)
			}
		}
	}
	seenOrg := map[string]bool{}
	for i, o := range d.Organizations {
		q := p.at("organizations[%d]", i)
		addNested(q, ValidateOrganization(o))
		if seenOrg[o.Slug] {
			q.at("slug").add("error.duplicate", "organisation %q is defined twice", o.Slug)
		}
		seenOrg[o.Slug] = true
		cite(q.at("legal_name"), o.LegalName.Sources)
		cite(q.at("registration_country"), o.RegistrationCountry.Sources)
		cite(q.at("hq_country"), o.HQCountry.Sources)
		cite(q.at("presence_countries"), o.PresenceCountries.Sources)
		for j, w := range o.Owners {
			r := q.at("owners[%d]", j)
			if !orgs[w.Holder] {
				r.at("holder").add("error.org_unknown", "organisation %q is not defined", w.Holder)
			}
			cite(r, w.Sources)
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
		if !orgs[pr.Vendor] {
			q.at("vendor").add("error.org_unknown", "organisation %q is not defined", pr.Vendor)
		}
		if !categories[pr.Category] {
			q.at("category").add("error.category_unknown", "category %q is not defined", pr.Category)
		}
		for name, f := range map[string][]string{
			"vendor_hosted": pr.VendorHosted.Sources, "self_hostable": pr.SelfHostable.Sources,
			"license": pr.License.Sources, "governance": pr.Governance.Sources,
			"phone_home": pr.PhoneHome.Sources, "source_repository": pr.SourceRepository.Sources,
		} {
			cite(q.at("%s", name), f)
		}
		for j, o := range pr.Offerings {
			r := q.at("offerings[%d]", j)
			if !orgs[o.Operator] {
				r.at("operator").add("error.org_unknown", "organisation %q is not defined", o.Operator)
			}
			cite(r.at("data_locations"), o.DataLocations.Sources)
			cite(r.at("support_locations"), o.SupportLocations.Sources)
			cite(r.at("key_management"), o.KeyManagement.Sources)
			cite(r.at("governing_law"), o.GoverningLaw.Sources)
			cite(r.at("subprocessor_list"), o.SubprocessorList.Sources)
			for k, c := range o.Certifications {
				cite(r.at("certifications[%d]", k), c.Sources)
			}
		}
		for j, dep := range pr.Dependencies {
			r := q.at("dependencies[%d]", j)
			if !products[dep.Provider] {
				r.at("on").add("error.product_unknown", "product %q is not defined", dep.Provider)
			}
			cite(r, dep.Sources)
		}
		for j, a := range pr.Alternatives {
			if !products[a] {
				q.at("alternatives[%d].replaces", j).add("error.product_unknown", "product %q is not defined", a)
			}
		}
		for j, a := range pr.Adoptions {
			r := q.at("adoptions[%d]", j)
			if a.Replaces != "" && !products[a.Replaces] {
				r.at("replaces").add("error.product_unknown", "product %q is not defined", a.Replaces)
			}
			cite(r, a.Sources)
		}
	}
	return p.err()
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
