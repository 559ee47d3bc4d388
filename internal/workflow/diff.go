package workflow

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Op says how a field changed.
type Op string

// Diff operations.
const (
	OpAdded   Op = "added"
	OpRemoved Op = "removed"
	OpChanged Op = "changed"
)

// FieldChange is one difference between two versions of a product. Path
// names the field, with list entries keyed by what identifies them (e.g.
// "offerings[ionos].governing_law", "dependencies[keycloak].sources");
// Before and After are display strings ("unknown" for an unknown fact).
// Evidence appears as one change per source key added or removed.
type FieldChange struct {
	Path   string
	Op     Op
	Before string
	After  string
}

// Diff compares two versions of a product field by field, in a stable
// order: scalar fields, facts with their sources, then offerings,
// dependencies, alternatives and adoptions. UpdatedAt is ignored.
func Diff(before, after catalog.Product) []FieldChange {
	d := &differ{}
	d.str("slug", before.Slug, after.Slug)
	d.str("name", before.Name, after.Name)
	d.str("vendor", before.Vendor, after.Vendor)
	d.str("category", before.Category, after.Category)
	d.str("kind", string(before.Kind), string(after.Kind))
	d.str("website", before.Website, after.Website)
	d.str("description_de", before.DescriptionDE, after.DescriptionDE)
	d.str("description_en", before.DescriptionEN, after.DescriptionEN)
	fact(d, "vendor_hosted", before.VendorHosted, after.VendorHosted)
	fact(d, "self_hostable", before.SelfHostable, after.SelfHostable)
	fact(d, "license", before.License, after.License)
	fact(d, "governance", before.Governance, after.Governance)
	fact(d, "phone_home", before.PhoneHome, after.PhoneHome)
	fact(d, "source_repository", before.SourceRepository, after.SourceRepository)
	keyed(d, "offerings", before.Offerings, after.Offerings, func(o catalog.Offering) string { return o.Operator }, d.offering)
	keyed(d, "dependencies", before.Dependencies, after.Dependencies, func(x catalog.Dependency) string { return x.Provider }, d.dependency)
	d.set("alternatives", before.Alternatives, after.Alternatives)
	keyed(d, "adoptions", before.Adoptions, after.Adoptions, func(a catalog.Adoption) string { return a.Body }, d.adoption)
	return d.out
}

type differ struct{ out []FieldChange }

func (d *differ) add(path string, op Op, before, after string) {
	d.out = append(d.out, FieldChange{Path: path, Op: op, Before: before, After: after})
}

func (d *differ) str(path, before, after string) {
	switch {
	case before == after:
	case before == "":
		d.add(path, OpAdded, "", after)
	case after == "":
		d.add(path, OpRemoved, before, "")
	default:
		d.add(path, OpChanged, before, after)
	}
}

// set reports members added to and removed from a list of keys (sources,
// alternatives), each as its own change.
func (d *differ) set(path string, before, after []string) {
	for _, k := range after {
		if !slices.Contains(before, k) {
			d.add(path, OpAdded, "", k)
		}
	}
	for _, k := range before {
		if !slices.Contains(after, k) {
			d.add(path, OpRemoved, k, "")
		}
	}
}

// fact compares value and knowledge, then the evidence.
func fact[T any](d *differ, path string, before, after catalog.Fact[T]) {
	b, a := factString(before), factString(after)
	if b != a {
		d.add(path, OpChanged, b, a)
	}
	d.set(path+".sources", before.Sources, after.Sources)
}

func factString[T any](f catalog.Fact[T]) string {
	if !f.Known {
		return "unknown"
	}
	return display(f.Value)
}

// display renders a value for a reviewer: lists comma-separated, the rest
// with fmt.
func display(v any) string {
	switch x := v.(type) {
	case []catalog.Country:
		parts := make([]string, len(x))
		for i, c := range x {
			parts[i] = string(c)
		}
		return strings.Join(parts, ", ")
	case []catalog.DataLocation:
		parts := make([]string, len(x))
		for i, l := range x {
			parts[i] = string(l.Country) + " (" + string(l.Purpose) + ")"
		}
		return strings.Join(parts, ", ")
	case string:
		return x
	default:
		return fmt.Sprint(v)
	}
}

// keyed matches list entries by key (a repeated key gets "#2", "#3" …),
// reports whole entries added or removed, and compares matched entries
// with cmp.
func keyed[T any](d *differ, path string, before, after []T, key func(T) string, cmp func(string, T, T)) {
	bm, border := index(before, key)
	am, aorder := index(after, key)
	for _, k := range aorder {
		p := path + "[" + k + "]"
		if b, ok := bm[k]; ok {
			cmp(p, b, am[k])
		} else {
			d.add(p, OpAdded, "", asJSON(am[k]))
		}
	}
	for _, k := range border {
		if _, ok := am[k]; !ok {
			d.add(path+"["+k+"]", OpRemoved, asJSON(bm[k]), "")
		}
	}
}

func index[T any](list []T, key func(T) string) (map[string]T, []string) {
	m := make(map[string]T, len(list))
	order := make([]string, 0, len(list))
	for _, x := range list {
		k := key(x)
		for n := 2; ; n++ {
			if _, dup := m[k]; !dup {
				break
			}
			k = key(x) + "#" + strconv.Itoa(n)
		}
		m[k] = x
		order = append(order, k)
	}
	return m, order
}

// asJSON renders a whole added or removed entry.
func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func (d *differ) offering(p string, b, a catalog.Offering) {
	fact(d, p+".data_locations", b.DataLocations, a.DataLocations)
	fact(d, p+".support_locations", b.SupportLocations, a.SupportLocations)
	fact(d, p+".key_management", b.KeyManagement, a.KeyManagement)
	fact(d, p+".governing_law", b.GoverningLaw, a.GoverningLaw)
	fact(d, p+".subprocessor_list", b.SubprocessorList, a.SubprocessorList)
	keyed(d, p+".certifications", b.Certifications, a.Certifications, func(c catalog.Certification) string { return c.Scheme },
		func(cp string, bc, ac catalog.Certification) { d.set(cp+".sources", bc.Sources, ac.Sources) })
}

func (d *differ) dependency(p string, b, a catalog.Dependency) {
	d.str(p+".role", string(b.Role), string(a.Role))
	d.str(p+".data_access", string(b.DataAccess), string(a.DataAccess))
	d.str(p+".criticality", string(b.Criticality), string(a.Criticality))
	d.str(p+".group", b.Group, a.Group)
	d.set(p+".sources", b.Sources, a.Sources)
}

func (d *differ) adoption(p string, b, a catalog.Adoption) {
	d.str(p+".country", string(b.Country), string(a.Country))
	d.str(p+".year", yearString(b.Year), yearString(a.Year))
	d.str(p+".replaces", b.Replaces, a.Replaces)
	d.str(p+".description_de", b.DescriptionDE, a.DescriptionDE)
	d.str(p+".description_en", b.DescriptionEN, a.DescriptionEN)
	d.set(p+".sources", b.Sources, a.Sources)
}

func yearString(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}
