package views

import (
	"strings"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// Classification is what a product page shows of the product's
// sovereignty level: the explained result under the page's perspective,
// how many products depend on it, and its dependency tree.
type Classification struct {
	Result sovereignty.Result
	// Sources resolves the source keys of the result's facts (the
	// product's own and those of the organisations the rules consulted).
	Sources map[string]catalog.Source
	// DirectDependents and AllDependents count the products that need
	// this one, directly and transitively ("used by N products").
	DirectDependents, AllDependents int
	Tree                            Tree
}

// objectiveRow is one line of the objectives table.
type objectiveRow struct {
	ID, Name    string
	Level       int
	Answered    bool
	Pessimistic int
}

// objectiveRows lists SOV-1 … SOV-6 with their names in the page language.
func (p Page) objectiveRows(r sovereignty.Result) []objectiveRow {
	out := make([]objectiveRow, 0, len(r.Objectives))
	for _, o := range r.Objectives {
		out = append(out, objectiveRow{ID: o.Objective, Name: o.Name().In(p.Lang), Level: int(o.Level),
			Answered: o.Answered, Pessimistic: int(o.Pessimistic)})
	}
	return out
}

// factLabel names a fact of the rules ("hq_country", "offering[0].
// key_management", "owner:alphabet", "control_chain:google") in the page
// language; an unforeseen name is shown as it is.
func (p Page) factLabel(name string) string {
	if i := strings.Index(name, "]."); strings.HasPrefix(name, "offering[") && i > 0 {
		name = name[i+2:]
	}
	kind, arg, _ := strings.Cut(name, ":")
	switch kind {
	case "license":
		return p.T("fact.license")
	case "governance":
		return p.T("fact.governance")
	case "self_hostable":
		return p.T("fact.self_hostable")
	case "phone_home":
		return p.T("fact.phone_home")
	case "governing_law":
		return p.T("offering.governing_law")
	case "key_management":
		return p.T("offering.key_management")
	case "data_locations":
		return p.T("offering.data_locations")
	case "support_locations":
		return p.T("offering.support_locations")
	case "subprocessor_list":
		return p.T("offering.subprocessors")
	case "registration_country":
		return p.T("organization.registration_country")
	case "hq_country":
		return p.T("organization.hq_country")
	case "presence_countries":
		if arg != "" {
			return p.T("organization.presence_countries") + " (" + arg + ")"
		}
		return p.T("organization.presence_countries")
	case "owner":
		return p.T("classification.fact_owner", "Name", arg)
	case "control_chain":
		return p.T("classification.fact_control_chain", "Name", arg)
	}
	return name
}

// factValue renders a fact's recorded value: country codes by name,
// "unknown" translated, anything else as recorded.
func (p Page) factValue(v string) string {
	if v == "" || v == "unknown" {
		return p.T("value.unknown")
	}
	parts := strings.Split(v, ", ")
	for i, s := range parts {
		if len(s) == 2 && strings.ToUpper(s) == s {
			parts[i] = p.CountryName(catalog.Country(s))
		}
	}
	return strings.Join(parts, ", ")
}

// factSources resolves a fact's source keys; keys without a recorded
// source are left out (p.Sources).
func (p Page) factSources(c Classification, keys []string) []SourceRef {
	return p.Sources(keys, c.Sources)
}

// criticalityShort names a criticality in one word ("kritisch").
func (p Page) criticalityShort(c sovereignty.Criticality) string {
	return c.Label().In(p.Lang)
}

// pathRole is a path step's "(role, criticality)" note.
func (p Page) pathRole(s sovereignty.PathStep) string {
	return p.roleLabel(catalog.Role(s.Role)) + ", " + p.criticalityShort(s.Criticality)
}

// pathFrom is the name at the start of an inheritance path.
func (p Page) pathFrom(path *sovereignty.Path) string {
	if f := path.FromText.In(p.Lang); f != "" {
		return f
	}
	return path.From
}

// pathOrigin is the reason at the end of an inheritance path.
func (p Page) pathOrigin(path *sovereignty.Path) string {
	if o := path.OriginText.In(p.Lang); o != "" {
		return o
	}
	return path.Origin
}

// hasPath reports whether a criterion's level is inherited along a path
// that can be drawn as a chain of links.
func hasPath(cr sovereignty.CriterionResult) bool {
	return cr.Inherited && cr.Path != nil && len(cr.Path.Steps) > 0
}

// impactURL is the outage simulation for a product.
func impactURL(slug string) string { return "/impact?failed=" + slug }
