package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// The product form (views/submission_form.templ) posts flat fields named
// like the paths of catalog.ValidateProduct: "name", "license.value",
// "license.sources", "offerings[0].governing_law.value",
// "dependencies[1].on", "source[0].url". A fact cites its sources by their
// numbers in the form's evidence list: first the catalogue's sources the
// entry cites (hidden "cited" fields keep their keys in order), then the
// rows for new sources. This file fills the form from a product and reads
// it back as typed; submission_proposal.go turns it into a proposal and
// submission_paths.go puts the rules' problems at their fields. All of it
// is pure logic, tested on its own (submission_form_test.go).

// maxRows bounds every repeated group, so a crafted post cannot make the
// form render without end.
const maxRows = 50

// emptySourceRows is how many blank evidence rows the form always offers.
const emptySourceRows = 2

// factNames are the product's facts in form order.
var factNames = []string{"vendor_hosted", "self_hostable", "license", "governance", "phone_home", "source_repository"}

// offeringFacts are an offering's facts in form order.
var offeringFacts = []string{"data_locations", "support_locations", "governing_law", "key_management", "subprocessor_list"}

// fieldProblem is a problem found while reading the form, at the form
// field Field ("" when no field shows it). Key is a domain key
// ("error.sources") or one of the form's own ("form.source_number").
type fieldProblem struct {
	Field   string
	Key     string
	Message string
}

// formIndex maps the entries of a built proposal back to the form rows
// they came from (blank rows are left out of the proposal), so that a
// problem at "product.offerings[1]" lands in the right fieldset.
type formIndex struct {
	offerings, dependencies, adoptions []int
	// sources maps proposal.Sources[i] to its evidence row.
	sources []int
}

// sourceKey derives the key of a new source from its URL: the same
// address always gets the same key, so the catalogue stores it once.
func sourceKey(u string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(u)))
	return "src-" + hex.EncodeToString(sum[:])[:12]
}

// citedKeys lists the source keys a product cites, each once, in form
// order.
func citedKeys(p catalog.Product) []string {
	var out []string
	add := func(keys []string) {
		for _, k := range keys {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	add(p.VendorHosted.Sources)
	add(p.SelfHostable.Sources)
	add(p.License.Sources)
	add(p.Governance.Sources)
	add(p.PhoneHome.Sources)
	add(p.SourceRepository.Sources)
	for _, o := range p.Offerings {
		add(o.DataLocations.Sources)
		add(o.SupportLocations.Sources)
		add(o.GoverningLaw.Sources)
		add(o.KeyManagement.Sources)
		add(o.SubprocessorList.Sources)
		for _, c := range o.Certifications {
			add(c.Sources)
		}
	}
	for _, d := range p.Dependencies {
		add(d.Sources)
	}
	for _, a := range p.Adoptions {
		add(a.Sources)
	}
	return out
}

// citedSources numbers keys from 1 with the title and URL the catalogue
// knows for each (a key it does not know is listed by itself).
func citedSources(keys []string, known map[string]catalog.Source) []views.CitedSource {
	out := make([]views.CitedSource, 0, len(keys))
	for i, k := range keys {
		c := views.CitedSource{Number: i + 1, Key: k}
		if s, ok := known[k]; ok {
			c.Title = s.Title
			if catalog.ValidHTTPURL(s.URL) {
				c.URL = s.URL
			}
		}
		out = append(out, c)
	}
	return out
}

// formOf fills the form from a product: cited are the catalogue's sources
// in the evidence list, own the proposal's new sources (shown as editable
// rows after them). A key the product cites but neither list holds is
// added to cited, so every citation has a number.
func formOf(p catalog.Product, cited []views.CitedSource, own []catalog.Source) views.ProductForm {
	f := views.ProductForm{Values: map[string]string{}, Target: p.Slug, Organization: p.Vendor}
	f.Cited = slices.Clone(cited)
	have := map[string]bool{}
	for _, c := range f.Cited {
		have[c.Key] = true
	}
	for _, s := range own {
		have[s.Key] = true
	}
	for _, k := range citedKeys(p) {
		if !have[k] {
			f.Cited = append(f.Cited, views.CitedSource{Number: len(f.Cited) + 1, Key: k})
			have[k] = true
		}
	}
	num := map[string]int{}
	for _, c := range f.Cited {
		num[c.Key] = c.Number
	}
	for i, s := range own {
		if _, dup := num[s.Key]; !dup {
			num[s.Key] = len(f.Cited) + i + 1
		}
	}
	v := f.Values
	numbers := func(keys []string) string {
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, strconv.Itoa(num[k]))
		}
		return strings.Join(parts, ", ")
	}
	v["slug"], v["name"], v["category"], v["kind"] = p.Slug, p.Name, p.Category, string(p.Kind)
	v["website"], v["description_de"], v["description_en"] = p.Website, p.DescriptionDE, p.DescriptionEN
	triValue := func(name string, fact catalog.Fact[catalog.Tri]) {
		v[name+".value"] = string(catalog.Unknown)
		if fact.Known {
			v[name+".value"] = string(fact.Value)
		}
		v[name+".sources"] = numbers(fact.Sources)
	}
	textValue := func(name string, known bool, value string, sources []string) {
		// An unknown fact is left blank, which reads as unknown; the box
		// stays unticked, so typing a value is all it takes to state one.
		if known {
			v[name+".value"] = value
		}
		v[name+".sources"] = numbers(sources)
	}
	selectValue := func(name string, known bool, value string, sources []string) {
		if known {
			v[name+".value"] = value
		}
		v[name+".sources"] = numbers(sources)
	}
	triValue("vendor_hosted", p.VendorHosted)
	triValue("self_hostable", p.SelfHostable)
	textValue("license", p.License.Known, p.License.Value, p.License.Sources)
	selectValue("governance", p.Governance.Known, string(p.Governance.Value), p.Governance.Sources)
	triValue("phone_home", p.PhoneHome)
	textValue("source_repository", p.SourceRepository.Known, p.SourceRepository.Value, p.SourceRepository.Sources)
	for i, o := range p.Offerings {
		r := func(field string) string { return formRow("offerings", i, field) }
		v[r("operator")] = o.Operator
		textValue(r("data_locations"), o.DataLocations.Known, locationsText(o.DataLocations.Value), o.DataLocations.Sources)
		textValue(r("support_locations"), o.SupportLocations.Known, countriesText(o.SupportLocations.Value), o.SupportLocations.Sources)
		textValue(r("governing_law"), o.GoverningLaw.Known, string(o.GoverningLaw.Value), o.GoverningLaw.Sources)
		selectValue(r("key_management"), o.KeyManagement.Known, string(o.KeyManagement.Value), o.KeyManagement.Sources)
		textValue(r("subprocessor_list"), o.SubprocessorList.Known, o.SubprocessorList.Value, o.SubprocessorList.Sources)
		var certs []string
		for _, c := range o.Certifications {
			certs = append(certs, strings.TrimSpace(c.Scheme+": "+numbers(c.Sources)))
		}
		v[r("certifications")] = strings.Join(certs, "; ")
	}
	for i, d := range p.Dependencies {
		r := func(field string) string { return formRow("dependencies", i, field) }
		v[r("on")], v[r("role")], v[r("data_access")] = d.Provider, string(d.Role), string(d.DataAccess)
		v[r("criticality")], v[r("group")], v[r("sources")] = string(d.Criticality), d.Group, numbers(d.Sources)
	}
	v["alternatives"] = strings.Join(p.Alternatives, ", ")
	for i, a := range p.Adoptions {
		r := func(field string) string { return formRow("adoptions", i, field) }
		v[r("body")], v[r("replaces")] = a.Body, a.Replaces
		if a.Country != catalog.UnknownCountry {
			v[r("country")] = string(a.Country)
		}
		if a.Year != 0 {
			v[r("year")] = strconv.Itoa(a.Year)
		}
		v[r("description_de")], v[r("description_en")], v[r("sources")] = a.DescriptionDE, a.DescriptionEN, numbers(a.Sources)
	}
	for i, s := range own {
		r := func(field string) string { return formRow("source", i, field) }
		v[r("url")], v[r("title")], v[r("kind")] = s.URL, s.Title, string(s.Kind)
		if !s.Retrieved.IsZero() {
			v[r("retrieved")] = s.Retrieved.Format(time.DateOnly)
		}
	}
	f.Offerings, f.Dependencies, f.Adoptions, f.NewSources = len(p.Offerings), len(p.Dependencies), len(p.Adoptions), len(own)
	return f
}

// withBlankRows adds the rows a form always offers: one blank offering,
// dependency and adoption, and blank evidence rows up to
// emptySourceRows, dated today.
func withBlankRows(f views.ProductForm, today time.Time) views.ProductForm {
	f.Offerings++
	f.Dependencies++
	f.Adoptions++
	blank := 0
	for i := range f.NewSources {
		if sourceRowBlank(f, i) {
			blank++
		}
	}
	for ; blank < emptySourceRows; blank++ {
		f = addRow(f, "source", today)
	}
	return f
}

// addRow adds one blank row to group ("offering", "dependency",
// "adoption" or "source"), up to maxRows; an evidence row is dated today.
func addRow(f views.ProductForm, group string, today time.Time) views.ProductForm {
	switch group {
	case "offering":
		f.Offerings = min(f.Offerings+1, maxRows)
	case "dependency":
		f.Dependencies = min(f.Dependencies+1, maxRows)
	case "adoption":
		f.Adoptions = min(f.Adoptions+1, maxRows)
	case "source":
		if f.NewSources < maxRows {
			f.Values[formRow("source", f.NewSources, "retrieved")] = today.Format(time.DateOnly)
			f.NewSources++
		}
	}
	return f
}

// readForm reads a posted product form as typed. Only the fields the form
// has are kept, so the values cannot grow beyond what it renders.
func readForm(vals url.Values) views.ProductForm {
	count := func(name string) int {
		n, err := strconv.Atoi(vals.Get(name))
		if err != nil || n < 0 {
			return 0
		}
		return min(n, maxRows)
	}
	f := views.ProductForm{
		Kind: workflow.Kind(vals.Get("submission_kind")), Target: vals.Get("target"), Organization: vals.Get("organization"),
		Offerings: count("rows.offerings"), Dependencies: count("rows.dependencies"),
		Adoptions: count("rows.adoptions"), NewSources: count("rows.sources"),
		Values: map[string]string{},
	}
	f.Version, _ = strconv.Atoi(vals.Get("version"))
	for i, k := range vals["cited"] {
		if i >= maxRows*10 {
			break
		}
		f.Cited = append(f.Cited, views.CitedSource{Number: i + 1, Key: k})
	}
	for _, name := range formNames(f) {
		if x, ok := vals[name]; ok && len(x) > 0 {
			// Browsers send line breaks as CRLF; keep them as typed otherwise.
			f.Values[name] = strings.ReplaceAll(x[0], "\r\n", "\n")
		}
	}
	return f
}

// formNames lists every field name of a form with f's rows.
func formNames(f views.ProductForm) []string {
	names := []string{"slug", "name", "category", "kind", "website", "description_de", "description_en", "alternatives"}
	fact := func(prefix string) {
		names = append(names, prefix+".value", prefix+".unknown", prefix+".sources")
	}
	for _, n := range factNames {
		fact(n)
	}
	for i := range f.Offerings {
		names = append(names, formRow("offerings", i, "operator"), formRow("offerings", i, "certifications"))
		for _, n := range offeringFacts {
			fact(formRow("offerings", i, n))
		}
	}
	for i := range f.Dependencies {
		for _, n := range []string{"on", "role", "data_access", "criticality", "group", "sources"} {
			names = append(names, formRow("dependencies", i, n))
		}
	}
	for i := range f.Adoptions {
		for _, n := range []string{"body", "country", "year", "replaces", "description_de", "description_en", "sources"} {
			names = append(names, formRow("adoptions", i, n))
		}
	}
	for i := range f.NewSources {
		for _, n := range []string{"url", "title", "kind", "retrieved"} {
			names = append(names, formRow("source", i, n))
		}
	}
	return names
}

// formRow names field in row i of group, as the form does.
func formRow(group string, i int, field string) string {
	return group + "[" + strconv.Itoa(i) + "]." + field
}

// sourceRowBlank reports whether evidence row i holds neither URL nor
// title (a date alone does not make a source).
func sourceRowBlank(f views.ProductForm, i int) bool {
	return strings.TrimSpace(f.Values[formRow("source", i, "url")]) == "" &&
		strings.TrimSpace(f.Values[formRow("source", i, "title")]) == ""
}

// locationsText writes data locations as the form reads them.
func locationsText(ls []catalog.DataLocation) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = string(l.Country) + ":" + string(l.Purpose)
	}
	return strings.Join(parts, ", ")
}

// countriesText writes countries as the form reads them.
func countriesText(cs []catalog.Country) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ", ")
}
