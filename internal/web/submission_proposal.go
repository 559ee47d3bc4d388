package web

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// This file reads a posted product form into a proposal (see
// submission_form.go for the field names and the evidence numbering).

// builder turns a form into a proposal, collecting problems by field.
type builder struct {
	f        views.ProductForm
	rowKeys  []string // key of each evidence row, "" for a blank one
	problems []fieldProblem
}

func (b *builder) val(name string) string { return strings.TrimSpace(b.f.Values[name]) }

func (b *builder) problem(field, key, msg string) {
	b.problems = append(b.problems, fieldProblem{Field: field, Key: key, Message: msg})
}

// proposalOf builds the proposal the form describes for the product slug
// of vendor. It refuses what it cannot read (a source number outside the
// evidence list, a year that is no number, a bad evidence row) with
// problems at the fields; what it can read but the rules refuse (a known
// fact without a source) is the workflow's to report on submission.
// Cited must carry the URLs the catalogue knows, so that a new row with
// the address of a cited source reuses that source.
func proposalOf(f views.ProductForm, slug, vendor string) (catalog.Proposal, formIndex, []fieldProblem) {
	b := &builder{f: f}
	var idx formIndex
	var prop catalog.Proposal
	prop.Sources, idx.sources = b.newSources()
	p := &prop.Product
	p.Slug, p.Vendor = slug, vendor
	p.Name, p.Category, p.Kind = b.val("name"), b.val("category"), catalog.Kind(b.val("kind"))
	p.Website = b.val("website")
	p.DescriptionDE, p.DescriptionEN = strings.TrimSpace(f.Values["description_de"]), strings.TrimSpace(f.Values["description_en"])
	p.VendorHosted = b.triFact("vendor_hosted")
	p.SelfHostable = b.triFact("self_hostable")
	p.License = textFact(b, "license", plainValue)
	p.Governance = selectFact(b, "governance", catalog.Governance.Valid)
	p.PhoneHome = b.triFact("phone_home")
	p.SourceRepository = textFact(b, "source_repository", plainValue)
	for i := range f.Offerings {
		if o, ok := b.offering(i); ok {
			p.Offerings = append(p.Offerings, o)
			idx.offerings = append(idx.offerings, i)
		}
	}
	for i := range f.Dependencies {
		if d, ok := b.dependency(i); ok {
			p.Dependencies = append(p.Dependencies, d)
			idx.dependencies = append(idx.dependencies, i)
		}
	}
	for _, a := range splitList(b.val("alternatives")) {
		if !slices.Contains(p.Alternatives, a) {
			p.Alternatives = append(p.Alternatives, a)
		}
	}
	for i := range f.Adoptions {
		if a, ok := b.adoption(i); ok {
			p.Adoptions = append(p.Adoptions, a)
			idx.adoptions = append(idx.adoptions, i)
		}
	}
	return prop, idx, b.problems
}

// newSources reads the evidence rows. Each filled row must be a complete,
// well-formed source (an http(s) URL above all: the pages link it), even
// in a draft; a row with the address of a cited source reuses that one.
func (b *builder) newSources() ([]catalog.Source, []int) {
	var out []catalog.Source
	var rowsOf []int
	b.rowKeys = make([]string, b.f.NewSources)
	for i := range b.f.NewSources {
		if sourceRowBlank(b.f, i) {
			continue
		}
		r := func(field string) string { return formRow("source", i, field) }
		u := b.val(r("url"))
		if j := slices.IndexFunc(b.f.Cited, func(c views.CitedSource) bool { return c.URL != "" && c.URL == u }); j >= 0 {
			b.rowKeys[i] = b.f.Cited[j].Key
			continue
		}
		src := catalog.Source{Key: sourceKey(u), URL: u, Title: b.val(r("title")), Kind: catalog.SourceKind(b.val(r("kind")))}
		dateOK := true
		if d := b.val(r("retrieved")); d != "" {
			t, err := parseDate(d)
			if err != nil {
				b.problem(r("retrieved"), "form.date", "not a date (YYYY-MM-DD)")
				dateOK = false
			}
			src.Retrieved = t
		}
		if ve := asValidation(catalog.ValidateSource(src)); ve != nil {
			for _, pr := range ve.Problems {
				field := pr.Path
				if field == "id" {
					field = "url" // the key is derived from the URL
				}
				if field == "retrieved" && !dateOK {
					continue
				}
				b.problem(r(field), pr.Key, pr.Message)
			}
		}
		b.rowKeys[i] = src.Key
		if slices.ContainsFunc(out, func(s catalog.Source) bool { return s.Key == src.Key }) {
			continue // the same address twice is one source
		}
		out = append(out, src)
		rowsOf = append(rowsOf, i)
	}
	return out, rowsOf
}

// sources reads the citation in field ("1, 3") into source keys.
func (b *builder) sources(field string) []string { return b.citation(field, b.val(field)) }

// citation reads the source numbers in text into source keys, each once;
// problems go to field.
func (b *builder) citation(field, text string) []string {
	var keys []string
	for _, tok := range splitList(text) {
		tok = strings.Trim(tok, "[]#")
		n, err := strconv.Atoi(tok)
		var key string
		switch {
		case err != nil || n < 1 || n > len(b.f.Cited)+len(b.rowKeys):
			b.problem(field, "form.source_number", "not a number from the evidence list: "+tok)
			continue
		case n <= len(b.f.Cited):
			key = b.f.Cited[n-1].Key
		default:
			if key = b.rowKeys[n-len(b.f.Cited)-1]; key == "" {
				b.problem(field, "form.source_blank", "evidence row "+tok+" is empty")
				continue
			}
		}
		if !slices.Contains(keys, key) {
			keys = append(keys, key)
		}
	}
	return keys
}

// triFact reads a yes/no/unknown fact.
func (b *builder) triFact(name string) catalog.Fact[catalog.Tri] {
	sources := b.sources(name + ".sources")
	switch t := catalog.Tri(b.val(name + ".value")); t {
	case catalog.Yes, catalog.No:
		return catalog.Fact[catalog.Tri]{Value: t, Known: true, Sources: sources}
	case catalog.Unknown, "":
	default:
		b.problem(name+".value", "error.enum", "not yes, no or unknown")
	}
	return catalog.Fact[catalog.Tri]{Sources: sources}
}

// textFact reads a fact typed as text: unknown when left blank or marked
// unknown (both at once is a contradiction the user must resolve).
func textFact[T any](b *builder, name string, parse func(string) (T, string)) catalog.Fact[T] {
	sources := b.sources(name + ".sources")
	v, unknown := b.val(name+".value"), b.val(name+".unknown") != ""
	switch {
	case v != "" && unknown:
		b.problem(name+".value", "form.value_and_unknown", "a value and unknown at once")
	case v == "" || unknown:
	default:
		x, problem := parse(v)
		if problem != "" {
			b.problem(name+".value", problem, "cannot read "+v)
			break
		}
		return catalog.Fact[T]{Value: x, Known: true, Sources: sources}
	}
	return catalog.Fact[T]{Sources: sources}
}

// selectFact reads a fact chosen from a list; the empty choice is unknown.
func selectFact[T ~string](b *builder, name string, valid func(T) bool) catalog.Fact[T] {
	sources := b.sources(name + ".sources")
	v := T(b.val(name + ".value"))
	if v == "" {
		return catalog.Fact[T]{Sources: sources}
	}
	if !valid(v) {
		b.problem(name+".value", "error.enum", "unknown value "+string(v))
		return catalog.Fact[T]{Sources: sources}
	}
	return catalog.Fact[T]{Value: v, Known: true, Sources: sources}
}

// offering reads offering row i; false for a blank row.
func (b *builder) offering(i int) (catalog.Offering, bool) {
	r := func(field string) string { return formRow("offerings", i, field) }
	blank := b.val(r("operator")) == "" && b.val(r("certifications")) == ""
	for _, n := range offeringFacts {
		blank = blank && b.val(r(n+".value")) == "" && b.val(r(n+".unknown")) == "" && b.val(r(n+".sources")) == ""
	}
	if blank {
		return catalog.Offering{}, false
	}
	o := catalog.Offering{Operator: b.val(r("operator"))}
	o.DataLocations = textFact(b, r("data_locations"), parseLocations)
	o.SupportLocations = textFact(b, r("support_locations"), parseCountries)
	o.GoverningLaw = textFact(b, r("governing_law"), parseCountry)
	o.KeyManagement = selectFact(b, r("key_management"), catalog.KeyManagement.Valid)
	o.SubprocessorList = textFact(b, r("subprocessor_list"), plainValue)
	for _, part := range strings.Split(b.val(r("certifications")), ";") {
		scheme, nums, _ := strings.Cut(part, ":")
		if scheme = strings.TrimSpace(scheme); scheme == "" {
			continue
		}
		o.Certifications = append(o.Certifications, catalog.Certification{Scheme: scheme, Sources: b.citation(r("certifications"), nums)})
	}
	return o, true
}

// dependency reads dependency row i; false for a blank row.
func (b *builder) dependency(i int) (catalog.Dependency, bool) {
	r := func(field string) string { return formRow("dependencies", i, field) }
	blank := true
	for _, n := range []string{"on", "role", "data_access", "criticality", "group", "sources"} {
		blank = blank && b.val(r(n)) == ""
	}
	if blank {
		return catalog.Dependency{}, false
	}
	return catalog.Dependency{
		Provider: b.val(r("on")), Role: catalog.Role(b.val(r("role"))),
		DataAccess: catalog.DataAccess(b.val(r("data_access"))), Criticality: catalog.Criticality(b.val(r("criticality"))),
		Group: b.val(r("group")), Sources: b.sources(r("sources")),
	}, true
}

// adoption reads adoption row i; false for a blank row.
func (b *builder) adoption(i int) (catalog.Adoption, bool) {
	r := func(field string) string { return formRow("adoptions", i, field) }
	blank := true
	for _, n := range []string{"body", "country", "year", "replaces", "description_de", "description_en", "sources"} {
		blank = blank && b.val(r(n)) == ""
	}
	if blank {
		return catalog.Adoption{}, false
	}
	a := catalog.Adoption{
		Body: b.val(r("body")), Country: catalog.NormalizeCountry(b.val(r("country"))), Replaces: b.val(r("replaces")),
		DescriptionDE: b.val(r("description_de")), DescriptionEN: b.val(r("description_en")), Sources: b.sources(r("sources")),
	}
	if y := b.val(r("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			b.problem(r("year"), "form.year", "not a year: "+y)
		}
		a.Year = n
	}
	return a, true
}

// splitList splits "a, b; c d" into its items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })
}

// plainValue takes text as it is; the rules check it on submission.
func plainValue(s string) (string, string) { return s, "" }

// parseCountry reads one country code ("de" → "DE").
func parseCountry(s string) (catalog.Country, string) {
	c := catalog.NormalizeCountry(s)
	if c == catalog.UnknownCountry || !c.Valid() {
		return "", "form.country"
	}
	return c, ""
}

// parseCountries reads "DE, AT".
func parseCountries(s string) ([]catalog.Country, string) {
	var out []catalog.Country
	for _, item := range splitList(s) {
		c, problem := parseCountry(item)
		if problem != "" {
			return nil, problem
		}
		out = append(out, c)
	}
	return out, ""
}

// parseLocations reads "DE:primary, FR:backup"; a country without a
// purpose is the primary location.
func parseLocations(s string) ([]catalog.DataLocation, string) {
	var out []catalog.DataLocation
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		code, purpose, found := strings.Cut(strings.TrimSpace(item), ":")
		c, problem := parseCountry(code)
		if problem != "" {
			return nil, "form.locations"
		}
		l := catalog.DataLocation{Country: c, Purpose: catalog.PurposePrimary}
		if found {
			l.Purpose = catalog.Purpose(strings.ToLower(strings.TrimSpace(purpose)))
			if !l.Purpose.Valid() {
				return nil, "form.locations"
			}
		}
		out = append(out, l)
	}
	return out, ""
}

// parseDate reads a retrieval date as a date input sends it, or as typed
// in German.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if t2, err2 := time.Parse("02.01.2006", s); err2 == nil {
			return t2, nil
		}
	}
	return t, err
}

// asValidation returns err's validation problems, nil for none.
func asValidation(err error) *catalog.ValidationError {
	ve, _ := err.(*catalog.ValidationError)
	return ve
}
