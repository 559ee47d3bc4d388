package views

import "github.com/sovereignty-registry/registry/internal/catalog"

// Crumb is one step of a breadcrumb trail; the last one is the current page
// and carries no URL.
type Crumb struct {
	Label, URL string
}

// FacetGroupData is a facet's title and its values, ready for FacetGroup.
type FacetGroupData struct {
	Title string
	Items []FacetItem
}

// ActiveFilter is a selected filter value with the URL that removes it.
type ActiveFilter struct {
	Facet, Label, RemoveURL string
}

// SortLink is one sort order as a link; Current marks the order in use.
type SortLink struct {
	Label, URL string
	Current    bool
}

// HiddenField keeps a parameter (a filter, the language) when the search
// form is submitted.
type HiddenField struct {
	Name, Value string
}

// CatalogueProps is everything the catalogue listing shows. The same view
// serves /products and /categories/{slug} (Action and Heading differ).
type CatalogueProps struct {
	Heading     string
	Lead        string
	Crumbs      []Crumb
	Action      string // where the search form goes: the listing's own path
	Query       string // the search text, as searched
	Hidden      []HiddenField
	Problems    []string // bad input, shown next to the search form
	ResetURL    string   // the listing without filters
	Total       int
	Items       []catalog.ProductSummary
	Categories  map[string]string // category names by slug
	Facets      []FacetGroupData
	Active      []ActiveFilter
	Sorts       []SortLink
	PrevURL     string
	NextURL     string
	PageSummary string
}

// cardTags are a listing card's tags: kind, open source and deployment.
func (p Page) cardTags(s catalog.ProductSummary) []string {
	tags := []string{p.KindLabel(s.Kind), p.OpenSourceLabel(s.OpenSource)}
	return append(tags, p.deploymentTags(s.VendorHosted, s.SelfHostable)...)
}
