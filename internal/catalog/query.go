package catalog

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Sort orders a catalogue listing.
type Sort string

// Sort orders.
const (
	SortRelevance Sort = "relevance" // the default when there is search text
	SortName      Sort = "name"      // the default without search text
	SortUpdated   Sort = "updated"   // most recently changed first
)

// Sorts lists every sort order.
var Sorts = []Sort{SortRelevance, SortName, SortUpdated}

// Deployment facet values.
const (
	DeploymentVendorHosted = "vendor_hosted"
	DeploymentSelfHostable = "self_hostable"
)

// MaxQueryText bounds search text; longer input is cut, not refused, so a
// pasted paragraph still searches for its beginning.
const MaxQueryText = 200

// MaxPageSize is the largest page a caller may ask for.
const MaxPageSize = 100

// Query is a catalogue search: free text, facet filters (values within one
// facet are alternatives, facets combine with AND), order and a page.
type Query struct {
	Text             string
	Categories       []string
	VendorCountries  []Country
	HostingCountries []Country
	OpenSource       Tri // "" means any
	Deployments      []string
	Kinds            []Kind
	// Levels filters by overall sovereignty level (0–4) under Perspective.
	Levels []int
	// Perspective selects whose levels are shown and filtered ("" = default).
	Perspective string
	Sort        Sort
	Limit       int
	// Offset is used by the HTML pages (page numbers); the API uses After.
	Offset int
	// After is an opaque keyset cursor from a previous result's Next.
	After string
	// Cursor is After decoded by Normalize.
	Cursor *Cursor
}

// Normalize fills defaults, trims text and reports every invalid filter.
// Unknown categories are reported by the service, which knows them.
func (q Query) Normalize() (Query, error) {
	p := newProblems()
	q.Text = strings.TrimSpace(strings.ToValidUTF8(q.Text, ""))
	if utf8.RuneCountInString(q.Text) > MaxQueryText {
		q.Text = string([]rune(q.Text)[:MaxQueryText])
	}
	q.Text = strings.Map(func(r rune) rune {
		if r == 0 {
			return -1 // PostgreSQL text cannot hold NUL
		}
		return r
	}, q.Text)
	for i, c := range q.Categories {
		if !ValidSlug(c) {
			p.at("category[%d]", i).add("error.facet", "%q is not a category", c)
		}
	}
	q.VendorCountries = normalizeCountries(p.at("vendor_country"), q.VendorCountries)
	q.HostingCountries = normalizeCountries(p.at("hosting_country"), q.HostingCountries)
	if q.OpenSource != "" && q.OpenSource != Yes && q.OpenSource != No {
		p.at("open_source").add("error.facet", "%q is not yes or no", q.OpenSource)
	}
	for i, d := range q.Deployments {
		if d != DeploymentVendorHosted && d != DeploymentSelfHostable {
			p.at("deployment[%d]", i).add("error.facet", "%q is not vendor_hosted or self_hostable", d)
		}
	}
	for i, k := range q.Kinds {
		if !k.Valid() {
			p.at("kind[%d]", i).add("error.facet", "%q is not a product kind", k)
		}
	}
	for i, l := range q.Levels {
		if l < 0 || l > 4 {
			p.at("level[%d]", i).add("error.facet", "%d is not a level from 0 to 4", l)
		}
	}
	if persp, err := ValidPerspective(q.Perspective); err != nil {
		p.at("perspective").add("error.perspective", "%q is not a perspective (eu, de, ch, eu-ch)", q.Perspective)
	} else {
		q.Perspective = persp
	}
	switch {
	case q.Sort == "" && q.Text != "":
		q.Sort = SortRelevance
	case q.Sort == "" || (q.Sort == SortRelevance && q.Text == ""):
		q.Sort = SortName
	case !contains(Sorts, q.Sort):
		p.at("sort").add("error.facet", "%q is not a sort order", q.Sort)
	}
	switch {
	case q.Limit == 0:
		q.Limit = 20
	case q.Limit < 1 || q.Limit > MaxPageSize:
		p.at("page[size]").add("error.page_size", "page size must be between 1 and %d", MaxPageSize)
	}
	if q.Offset < 0 || q.Offset > 1_000_000 {
		p.at("page").add("error.page", "page out of range")
	}
	if q.After != "" && len(*p.list) == 0 {
		c, err := DecodeCursor(q.After, q.Sort)
		if err != nil {
			return q, err
		}
		q.Cursor = &c
	}
	return q, p.err()
}

func normalizeCountries(p problems, cs []Country) []Country {
	out := make([]Country, 0, len(cs))
	for i, c := range cs {
		c = NormalizeCountry(string(c))
		if !c.Valid() {
			p.at("[%d]", i).add("error.facet", "%q is not a country code", c)
			continue
		}
		out = append(out, c)
	}
	return out
}

// ProductSummary is a product as it appears in a listing.
type ProductSummary struct {
	Slug             string
	Name             string
	VendorSlug       string
	VendorName       string
	VendorCountry    Country
	CategorySlug     string
	Kind             Kind
	DescriptionDE    string
	DescriptionEN    string
	OpenSource       Tri
	VendorHosted     Tri
	SelfHostable     Tri
	HostingCountries []Country
	UpdatedAt        time.Time
	// Level is the stored level under the query's perspective; nil while
	// the product has not been classified.
	Level *ProductLevel
}

// Description returns the description in lang.
func (p ProductSummary) Description(lang string) string {
	if lang == "en" {
		return p.DescriptionEN
	}
	return p.DescriptionDE
}

// FacetCount is one value of a facet and how many results carry it.
type FacetCount struct {
	Value string
	Count int
}

// Facets holds the counts of every facet over the current result set.
type Facets struct {
	Category       []FacetCount
	VendorCountry  []FacetCount
	HostingCountry []FacetCount
	OpenSource     []FacetCount
	Deployment     []FacetCount
	Kind           []FacetCount
	Level          []FacetCount // values "0" … "4"
}

// SearchResult is one page of a catalogue search.
type SearchResult struct {
	Items  []ProductSummary
	Total  int
	Facets Facets
	// Next is the cursor of the following page, empty on the last page.
	Next string
}
