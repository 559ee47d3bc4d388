package views

import (
	"strconv"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// refName returns a referenced product's name, or the slug when the
// detail does not carry it.
func refName(refs map[string]catalog.ProductRef, slug string) string {
	if r, ok := refs[slug]; ok && r.Name != "" {
		return r.Name
	}
	return slug
}

// orgName returns an operator's name, or its slug.
func orgName(orgs map[string]catalog.Organization, slug string) string {
	if o, ok := orgs[slug]; ok && o.Name != "" {
		return o.Name
	}
	return slug
}

// dataLocations writes "Deutschland (Hauptspeicherort)" for each location.
func (p Page) dataLocations(ls []catalog.DataLocation) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = p.CountryName(l.Country) + " (" + p.purposeLabel(l.Purpose) + ")"
	}
	return out
}

// yearLabel shows a year, or "Unbekannt" for 0.
func (p Page) yearLabel(y int) string {
	if y == 0 {
		return p.T("value.unknown")
	}
	return strconv.Itoa(y)
}

// pct writes a percentage such as "100 %" or "Unbekannt".
func (p Page) pct(v *float64) string {
	if v == nil {
		return p.T("value.unknown")
	}
	s := strconv.FormatFloat(*v, 'f', -1, 64)
	if p.Lang != "en" {
		s = replaceDot(s)
	}
	return s + " %"
}

func replaceDot(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '.' {
			b[i] = ','
		}
	}
	return string(b)
}

// openSourceFact derives the open source fact from the licence fact: the
// same sources back it.
func openSourceFact(pr catalog.Product) catalog.Fact[catalog.Tri] {
	if !pr.License.Known {
		return catalog.UnknownFact[catalog.Tri]()
	}
	return catalog.KnownFact(catalog.OpenSource(pr), pr.License.Sources...)
}

// triFact reports whether a yes/no fact is known with a definite answer;
// an "unknown" value counts as unknown even when sources are attached.
func triKnown(f catalog.Fact[catalog.Tri]) bool {
	return f.Known && f.Value != catalog.Unknown && f.Value != ""
}
