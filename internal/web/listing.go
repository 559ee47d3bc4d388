package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// facetParams are the catalogue's filter parameters, in display order.
// Repeating a parameter gives alternatives within that facet; open_source
// takes one value. level filters by the overall sovereignty level (0–4)
// under the page's perspective.
var facetParams = []string{"category", "level", "vendor_country", "hosting_country", "open_source", "deployment", "kind"}

// listState is a catalogue URL's state: the listing's path and the
// parameters that matter (q, filters, sort, page, lang, perspective). Every link the page
// offers is this state with one change, so every state is a shareable URL.
type listState struct {
	base     string
	v        url.Values
	category string // fixed by the path (/categories/{slug}); not a filter
}

// newListState keeps only the parameters the catalogue understands.
func newListState(base string, in url.Values, fixedCategory string) listState {
	v := url.Values{}
	keep := append([]string{"q", "sort", "page", "lang", "perspective"}, facetParams...)
	for _, k := range keep {
		if vals, ok := in[k]; ok && !(k == "category" && fixedCategory != "") {
			v[k] = slices.Clone(vals)
		}
	}
	// The default perspective is implied; links stay short without it.
	if v.Get("perspective") == catalog.DefaultPerspective {
		v.Del("perspective")
	}
	// Country codes are matched case-insensitively; keep them canonical so
	// the facet links recognise them as selected.
	for _, k := range []string{"vendor_country", "hosting_country"} {
		for i, c := range v[k] {
			v[k][i] = string(catalog.NormalizeCountry(c))
		}
	}
	return listState{base: base, v: v, category: fixedCategory}
}

// query builds the catalogue query; a page number that is not a number is
// reported like any other invalid value, through a ValidationError.
func (s listState) query() (catalog.Query, error) {
	q := catalog.Query{
		Text:        s.v.Get("q"),
		Categories:  s.v["category"],
		OpenSource:  catalog.Tri(s.v.Get("open_source")),
		Deployments: s.v["deployment"],
		Sort:        catalog.Sort(s.v.Get("sort")),
		Limit:       pageSize,
		Perspective: s.v.Get("perspective"),
	}
	if s.category != "" {
		q.Categories = []string{s.category}
	}
	for _, c := range s.v["vendor_country"] {
		q.VendorCountries = append(q.VendorCountries, catalog.Country(c))
	}
	for _, c := range s.v["hosting_country"] {
		q.HostingCountries = append(q.HostingCountries, catalog.Country(c))
	}
	for _, k := range s.v["kind"] {
		q.Kinds = append(q.Kinds, catalog.Kind(k))
	}
	var bad []catalog.Problem
	for i, raw := range s.v["level"] {
		l, err := strconv.Atoi(raw)
		if err != nil {
			bad = append(bad, catalog.Problem{Path: "level[" + strconv.Itoa(i) + "]", Key: "error.facet", Message: "level is not a number from 0 to 4"})
			continue
		}
		q.Levels = append(q.Levels, l) // Normalize checks the range
	}
	if len(bad) > 0 {
		return q, &catalog.ValidationError{Problems: bad}
	}
	if raw := s.v.Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		switch {
		case err != nil:
			return q, &catalog.ValidationError{Problems: []catalog.Problem{{Path: "page", Key: "error.page", Message: "page is not a number"}}}
		case n < 1:
			q.Offset = -1 // Normalize reports it
		case n > 1_000_000:
			q.Offset = 1_000_001 // Normalize reports it; no overflow below
		default:
			q.Offset = (n - 1) * pageSize
		}
	}
	return q, nil
}

// url encodes v on the listing's path.
func (s listState) url(v url.Values) string {
	if enc := v.Encode(); enc != "" {
		return s.base + "?" + enc
	}
	return s.base
}

// with returns the URL of this state changed by mod, back on page one.
func (s listState) with(mod func(v url.Values)) string {
	v := url.Values{}
	for k, vals := range s.v {
		v[k] = slices.Clone(vals)
	}
	v.Del("page")
	mod(v)
	return s.url(v)
}

// selected reports whether value is chosen for param.
func (s listState) selected(param, value string) bool {
	return slices.Contains(s.v[param], value)
}

// toggle adds value to param's alternatives or removes it.
func (s listState) toggle(param, value string) string {
	return s.with(func(v url.Values) { v[param] = toggled(v[param], param, value) })
}

// toggled is a parameter's values with value added or removed (open_source
// takes one value); nil when none remain.
func toggled(cur []string, param, value string) []string {
	var out []string
	switch {
	case slices.Contains(cur, value):
		out = slices.DeleteFunc(slices.Clone(cur), func(x string) bool { return x == value })
	case param == "open_source":
		out = []string{value}
	default:
		out = append(slices.Clone(cur), value)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// toggler builds the toggle URLs of one listing state: a page has one per
// facet value, so the state's query is encoded once, parameter by
// parameter, and each URL only re-encodes the parameter it changes. The
// URLs are exactly toggle's (url.Values.Encode: keys sorted, values in
// order).
type toggler struct {
	s    listState
	keys []string          // the state's parameters but page, sorted
	enc  map[string]string // parameter → its encoded "k=v&k=v"
}

func (s listState) toggler() *toggler {
	t := &toggler{s: s, enc: make(map[string]string, len(s.v))}
	for k, vals := range s.v {
		if k == "page" || len(vals) == 0 {
			continue
		}
		t.keys = append(t.keys, k)
		t.enc[k] = encodeParam(k, vals)
	}
	slices.Sort(t.keys)
	return t
}

// encodeParam encodes one parameter's values as url.Values.Encode does.
func encodeParam(k string, vals []string) string {
	var b strings.Builder
	key := url.QueryEscape(k)
	for i, v := range vals {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
}

// toggle is listState.toggle.
func (t *toggler) toggle(param, value string) string {
	vals := toggled(t.s.v[param], param, value)
	var b strings.Builder
	b.WriteString(t.s.base)
	sep := byte('?')
	write := func(enc string) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(enc)
	}
	done := param == "page" // page is dropped, like with() does
	for _, k := range t.keys {
		if !done && param < k {
			if len(vals) > 0 {
				write(encodeParam(param, vals))
			}
			done = true
		}
		if k == param {
			continue
		}
		write(t.enc[k])
	}
	if !done && len(vals) > 0 {
		write(encodeParam(param, vals))
	}
	return b.String()
}

// pageURL is the URL of page n of this state.
func (s listState) pageURL(n int) string {
	u := s.with(func(v url.Values) {
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
	})
	return u
}

// reset is the listing without filters, sort or page (language and a
// valid perspective kept).
func (s listState) reset() string {
	v := url.Values{}
	if l := s.v.Get("lang"); l != "" {
		v.Set("lang", l)
	}
	if ps := s.v.Get("perspective"); ps != "" {
		if _, err := catalog.ValidPerspective(ps); err == nil {
			v.Set("perspective", ps)
		}
	}
	return s.url(v)
}

// hidden are the fields the search form carries besides q: the filters,
// sort, language and perspective, so a new search keeps them (and starts
// at page one).
func (s listState) hidden() []views.HiddenField {
	var out []views.HiddenField
	for _, k := range append(slices.Clone(facetParams), "sort", "lang", "perspective") {
		for _, v := range s.v[k] {
			out = append(out, views.HiddenField{Name: k, Value: v})
		}
	}
	return out
}

// valueAt returns the parameter and the request's value for a problem path
// such as "category[1]" or "sort", shortened for display.
func (s listState) valueAt(path string) (string, string) {
	param, idx, _ := strings.Cut(path, "[")
	i, _ := strconv.Atoi(strings.TrimSuffix(idx, "]"))
	vals := s.v[param]
	if param == "category" && s.category != "" {
		vals = []string{s.category}
	}
	if i < 0 || i >= len(vals) {
		return param, ""
	}
	v := vals[i]
	if utf8.RuneCountInString(v) > 40 {
		v = string([]rune(v)[:40]) + "…"
	}
	return param, v
}

// facetGroups builds the facet links with their counts.
func (s listState) facetGroups(p views.Page, f catalog.Facets, cats map[string]string) []views.FacetGroupData {
	tg := s.toggler()
	item := func(param, value, label string, count int) views.FacetItem {
		return views.FacetItem{Label: label, URL: tg.toggle(param, value), Count: count, Selected: s.selected(param, value)}
	}
	var groups []views.FacetGroupData
	add := func(param string, counts []catalog.FacetCount, label func(string) string) {
		g := views.FacetGroupData{Title: facetTitle(p, param)}
		for _, fc := range counts {
			if param == "open_source" && fc.Value == string(catalog.Unknown) {
				continue // not a filter value; such products show under neither
			}
			g.Items = append(g.Items, item(param, fc.Value, label(fc.Value), fc.Count))
		}
		groups = append(groups, g)
	}
	if s.category == "" {
		add("category", f.Category, func(v string) string { return nameOr(cats[v], v) })
	}
	add("level", levelsBestFirst(f.Level), func(v string) string { return levelValueLabel(p, v) })
	country := func(v string) string { return p.CountryName(catalog.Country(v)) }
	add("vendor_country", f.VendorCountry, country)
	add("hosting_country", f.HostingCountry, country)
	add("open_source", f.OpenSource, func(v string) string { return p.OpenSourceLabel(catalog.Tri(v)) })
	add("deployment", f.Deployment, p.DeploymentLabel)
	add("kind", f.Kind, func(v string) string { return p.KindLabel(catalog.Kind(v)) })
	return groups
}

// active lists the selected filters with the URLs that remove them.
func (s listState) active(p views.Page, cats map[string]string) []views.ActiveFilter {
	var out []views.ActiveFilter
	for _, param := range facetParams {
		for _, v := range s.v[param] {
			out = append(out, views.ActiveFilter{Facet: facetTitle(p, param), Label: s.valueLabel(p, param, v, cats), RemoveURL: s.toggle(param, v)})
		}
	}
	return out
}

func (s listState) valueLabel(p views.Page, param, v string, cats map[string]string) string {
	switch param {
	case "category":
		return nameOr(cats[v], v)
	case "vendor_country", "hosting_country":
		return p.CountryName(catalog.NormalizeCountry(v))
	case "open_source":
		return p.OpenSourceLabel(catalog.Tri(v))
	case "deployment":
		return p.DeploymentLabel(v)
	case "kind":
		return p.KindLabel(catalog.Kind(v))
	case "level":
		return levelValueLabel(p, v)
	}
	return v
}

// levelsBestFirst orders the level facet RSL-4 … RSL-0, the order of the
// methodology's table, whatever order the counts came in.
func levelsBestFirst(fc []catalog.FacetCount) []catalog.FacetCount {
	out := slices.Clone(fc)
	slices.SortFunc(out, func(a, b catalog.FacetCount) int { return strings.Compare(b.Value, a.Value) })
	return out
}

// levelValueLabel names a level facet value, e.g. "RSL-3 Weitgehend souverän".
func levelValueLabel(p views.Page, v string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 4 {
		return v
	}
	return "RSL-" + v + " " + p.LevelLabel(n)
}

// sortLinks offers relevance (only with search text), name and updated.
func (s listState) sortLinks(p views.Page, q catalog.Query) []views.SortLink {
	var out []views.SortLink
	for _, o := range catalog.Sorts {
		var label string
		switch o {
		case catalog.SortRelevance:
			if q.Text == "" {
				continue
			}
			label = p.T("sort.relevance")
		case catalog.SortName:
			label = p.T("sort.name")
		case catalog.SortUpdated:
			label = p.T("sort.updated")
		}
		out = append(out, views.SortLink{Label: label, Current: q.Sort == o,
			URL: s.with(func(v url.Values) { v.Set("sort", string(o)) })})
	}
	return out
}

func nameOr(name, fallback string) string {
	if name == "" {
		return fallback
	}
	return name
}
