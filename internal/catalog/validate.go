package catalog

import (
	"net/url"
	"strings"
)

// ValidateSource checks one source on its own.
func ValidateSource(s Source) error {
	p := newProblems()
	if !ValidSlug(s.Key) {
		p.at("id").add("error.slug", "%q is not a valid id (lowercase letters, digits, hyphens)", s.Key)
	}
	if !ValidHTTPURL(s.URL) {
		p.at("url").add("error.url", "%q is not an http(s) URL", s.URL)
	}
	if strings.TrimSpace(s.Title) == "" {
		p.at("title").add("error.required", "a title is required")
	}
	if !s.Kind.Valid() {
		p.at("kind").add("error.enum", "unknown source kind %q", s.Kind)
	}
	if s.Retrieved.IsZero() {
		p.at("retrieved").add("error.required", "the retrieval date is required")
	}
	return p.err()
}

// ValidateCategory checks one category.
func ValidateCategory(c Category) error {
	p := newProblems()
	if !ValidSlug(c.Slug) {
		p.at("slug").add("error.slug", "%q is not a valid slug", c.Slug)
	}
	if strings.TrimSpace(c.NameDE) == "" {
		p.at("name_de").add("error.required", "a German name is required")
	}
	if strings.TrimSpace(c.NameEN) == "" {
		p.at("name_en").add("error.required", "an English name is required")
	}
	return p.err()
}

// ValidateOrganization checks an organisation on its own; references to
// other objects are checked by the repository.
func ValidateOrganization(o Organization) error {
	p := newProblems()
	if !ValidSlug(o.Slug) {
		p.at("slug").add("error.slug", "%q is not a valid slug", o.Slug)
	}
	if strings.TrimSpace(o.Name) == "" {
		p.at("name").add("error.required", "a name is required")
	}
	if o.Website != "" && !ValidHTTPURL(o.Website) {
		p.at("website").add("error.url", "%q is not an http(s) URL", o.Website)
	}
	checkFact(p.at("legal_name"), o.LegalName, func(v string) bool { return strings.TrimSpace(v) != "" })
	checkFact(p.at("registration_country"), o.RegistrationCountry, validKnownCountry)
	checkFact(p.at("hq_country"), o.HQCountry, validKnownCountry)
	checkFact(p.at("presence_countries"), o.PresenceCountries, func(cs []Country) bool {
		for _, c := range cs {
			if !validKnownCountry(c) {
				return false
			}
		}
		return true
	})
	var total float64
	for i, w := range o.Owners {
		q := p.at("owners[%d]", i)
		if !ValidSlug(w.Holder) {
			q.at("holder").add("error.slug", "%q is not a valid organisation slug", w.Holder)
		}
		if w.Holder == o.Slug {
			q.at("holder").add("error.self", "an organisation cannot own itself")
		}
		for name, v := range map[string]*float64{"capital_pct": w.CapitalPct, "voting_pct": w.VotingPct} {
			if v != nil && (*v < 0 || *v > 100) {
				q.at("%s", name).add("error.percent", "%v is not a percentage between 0 and 100", *v)
			}
		}
		if w.CapitalPct != nil {
			total += *w.CapitalPct
		}
		for name, t := range map[string]Tri{"control": w.Control, "veto": w.Veto, "board_majority": w.BoardMajority} {
			if !t.Valid() {
				q.at("%s", name).add("error.enum", "%q is not yes, no or unknown", t)
			}
		}
		if len(w.Sources) == 0 {
			q.at("sources").add("error.sources", "an ownership edge needs a source")
		}
	}
	if total > 100.0001 {
		p.at("owners").add("error.shares", "the recorded capital shares add up to %.1f %%, more than 100 %%", total)
	}
	return p.err()
}

// ValidateProduct checks a product on its own: fields, enumerations and the
// evidence rule (every known fact has a source). References to other
// products, organisations, categories and sources are checked by the
// repository or the seed loader, which see the whole catalogue.
func ValidateProduct(pr Product) error {
	p := newProblems()
	if !ValidSlug(pr.Slug) {
		p.at("slug").add("error.slug", "%q is not a valid slug", pr.Slug)
	}
	if strings.TrimSpace(pr.Name) == "" {
		p.at("name").add("error.required", "a name is required")
	}
	if !ValidSlug(pr.Vendor) {
		p.at("vendor").add("error.slug", "%q is not a valid organisation slug", pr.Vendor)
	}
	if !ValidSlug(pr.Category) {
		p.at("category").add("error.slug", "%q is not a valid category slug", pr.Category)
	}
	if !pr.Kind.Valid() {
		p.at("kind").add("error.enum", "unknown kind %q", pr.Kind)
	}
	if pr.Website != "" && !ValidHTTPURL(pr.Website) {
		p.at("website").add("error.url", "%q is not an http(s) URL", pr.Website)
	}
	if strings.TrimSpace(pr.DescriptionDE) == "" {
		p.at("description_de").add("error.required", "a German description is required")
	}
	if strings.TrimSpace(pr.DescriptionEN) == "" {
		p.at("description_en").add("error.required", "an English description is required")
	}
	checkFact(p.at("vendor_hosted"), pr.VendorHosted, Tri.Valid)
	checkFact(p.at("self_hostable"), pr.SelfHostable, Tri.Valid)
	checkFact(p.at("license"), pr.License, ValidLicense)
	checkFact(p.at("governance"), pr.Governance, Governance.Valid)
	checkFact(p.at("phone_home"), pr.PhoneHome, Tri.Valid)
	checkFact(p.at("source_repository"), pr.SourceRepository, ValidHTTPURL)
	for i, o := range pr.Offerings {
		validateOffering(p.at("offerings[%d]", i), o)
	}
	if len(pr.Dependencies) > MaxDependencies {
		p.at("dependencies").add("error.too_many", "at most %d dependencies per product", MaxDependencies)
	}
	seen := map[string]bool{}
	for i, d := range pr.Dependencies {
		q := p.at("dependencies[%d]", i)
		switch {
		case !ValidSlug(d.Provider):
			q.at("on").add("error.slug", "%q is not a valid product slug", d.Provider)
		case d.Provider == pr.Slug:
			q.at("on").add("error.self", "a product cannot depend on itself")
		case seen[d.Provider]:
			q.at("on").add("error.duplicate", "the dependency on %q is listed twice", d.Provider)
		}
		seen[d.Provider] = true
		if !d.Role.Valid() {
			q.at("role").add("error.enum", "unknown role %q", d.Role)
		}
		if !d.DataAccess.Valid() {
			q.at("data_access").add("error.enum", "unknown data access %q", d.DataAccess)
		}
		if !d.Criticality.Valid() {
			q.at("criticality").add("error.enum", "unknown criticality %q", d.Criticality)
		}
		if len(d.Sources) == 0 {
			q.at("sources").add("error.sources", "a dependency needs a source")
		}
	}
	for i, a := range pr.Alternatives {
		if !ValidSlug(a) || a == pr.Slug {
			p.at("alternatives[%d].replaces", i).add("error.slug", "%q is not a valid other product", a)
		}
	}
	for i, a := range pr.Adoptions {
		q := p.at("adoptions[%d]", i)
		if strings.TrimSpace(a.Body) == "" {
			q.at("body").add("error.required", "the adopting body is required")
		}
		if !validKnownCountry(a.Country) && a.Country != UnknownCountry {
			q.at("country").add("error.country", "%q is not a country code", a.Country)
		}
		if a.Replaces != "" && !ValidSlug(a.Replaces) {
			q.at("replaces").add("error.slug", "%q is not a valid product slug", a.Replaces)
		}
		if a.Year != 0 && (a.Year < 1990 || a.Year > 2100) {
			q.at("year").add("error.year", "%d is not a plausible year", a.Year)
		}
		if len(a.Sources) == 0 {
			q.at("sources").add("error.sources", "an adoption needs a source")
		}
	}
	return p.err()
}

func validateOffering(p problems, o Offering) {
	if !ValidSlug(o.Operator) {
		p.at("operator").add("error.slug", "%q is not a valid organisation slug", o.Operator)
	}
	checkFact(p.at("data_locations"), o.DataLocations, func(ls []DataLocation) bool {
		for _, l := range ls {
			if !validKnownCountry(l.Country) || !l.Purpose.Valid() {
				return false
			}
		}
		return true
	})
	checkFact(p.at("support_locations"), o.SupportLocations, func(cs []Country) bool {
		for _, c := range cs {
			if !validKnownCountry(c) {
				return false
			}
		}
		return true
	})
	checkFact(p.at("key_management"), o.KeyManagement, KeyManagement.Valid)
	checkFact(p.at("governing_law"), o.GoverningLaw, validKnownCountry)
	checkFact(p.at("subprocessor_list"), o.SubprocessorList, ValidHTTPURL)
	for i, c := range o.Certifications {
		q := p.at("certifications[%d]", i)
		if !contains(CertificationSchemes, c.Scheme) {
			q.at("scheme").add("error.enum", "unknown certification scheme %q", c.Scheme)
		}
		if len(c.Sources) == 0 {
			q.at("sources").add("error.sources", "a certification needs a source")
		}
	}
}

// checkFact enforces the evidence rule and the value's own validity.
func checkFact[T any](p problems, f Fact[T], valid func(T) bool) {
	if !f.Known {
		return
	}
	if !valid(f.Value) {
		p.at("value").add("error.value", "%v is not a valid value", f.Value)
	}
	if len(f.Sources) == 0 {
		p.at("sources").add("error.sources", "a known fact needs at least one source (or write unknown)")
	}
}

func validKnownCountry(c Country) bool { return c != UnknownCountry && c.Valid() }

// ValidHTTPURL reports whether s is an absolute http or https URL with a host.
func ValidHTTPURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}
