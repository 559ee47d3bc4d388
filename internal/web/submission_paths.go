package web

import (
	"slices"
	"strconv"
	"strings"
)

// fieldFor maps a problem path of the workflow or the catalogue
// ("product.offerings[1].governing_law.sources[0]", "sources[2].url") to
// the form field that shows it, "" when none does (the summary lists it).
func fieldFor(path string, idx formIndex, isNew bool) string {
	if rest, ok := strings.CutPrefix(path, "sources["); ok {
		i, field, ok := indexed(rest, idx.sources)
		if !ok {
			return ""
		}
		switch field {
		case "url", "title", "kind", "retrieved":
			return formRow("source", i, field)
		case "id", "":
			return formRow("source", i, "url")
		}
		return ""
	}
	rest, ok := strings.CutPrefix(path, "product.")
	if !ok {
		return ""
	}
	head, tail, _ := strings.Cut(rest, ".")
	switch {
	case head == "slug":
		if isNew {
			return "slug"
		}
	case slices.Contains([]string{"name", "category", "kind", "website", "description_de", "description_en"}, head):
		return head
	case slices.Contains(factNames, head):
		return factField(head, tail)
	case strings.HasPrefix(head, "offerings["):
		i, _, ok := indexed(strings.TrimPrefix(head, "offerings["), idx.offerings)
		if !ok {
			return ""
		}
		name, sub, _ := strings.Cut(tail, ".")
		switch {
		case name == "operator":
			return formRow("offerings", i, "operator")
		case strings.HasPrefix(name, "certifications"):
			return formRow("offerings", i, "certifications")
		case slices.Contains(offeringFacts, name):
			return factField(formRow("offerings", i, name), sub)
		}
	case strings.HasPrefix(head, "dependencies["):
		i, _, ok := indexed(strings.TrimPrefix(head, "dependencies["), idx.dependencies)
		if !ok {
			return ""
		}
		name, _, _ := strings.Cut(tail, "[")
		if slices.Contains([]string{"on", "role", "data_access", "criticality", "group", "sources"}, name) {
			return formRow("dependencies", i, name)
		}
		return formRow("dependencies", i, "on")
	case strings.HasPrefix(head, "alternatives["):
		return "alternatives"
	case strings.HasPrefix(head, "adoptions["):
		i, _, ok := indexed(strings.TrimPrefix(head, "adoptions["), idx.adoptions)
		if !ok {
			return ""
		}
		name, _, _ := strings.Cut(tail, "[")
		if slices.Contains([]string{"body", "country", "year", "replaces", "description_de", "description_en", "sources"}, name) {
			return formRow("adoptions", i, name)
		}
		return formRow("adoptions", i, "body")
	}
	return ""
}

// factField is the field of a fact's part: its sources ("sources",
// "sources[0]") or else its value.
func factField(prefix, part string) string {
	if strings.HasPrefix(part, "sources") {
		return prefix + ".sources"
	}
	return prefix + ".value"
}

// indexed reads "3].rest" (what follows "name[") and maps index 3 through
// rows to the form row; ok is false when the index is out of range.
func indexed(s string, rows []int) (row int, rest string, ok bool) {
	num, rest, found := strings.Cut(s, "]")
	n, err := strconv.Atoi(num)
	if !found || err != nil || n < 0 || n >= len(rows) {
		return 0, "", false
	}
	return rows[n], strings.TrimPrefix(rest, "."), true
}
