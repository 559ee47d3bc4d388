package api

import (
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// The types in the dto*.go files are the API's public contract: field names
// are snake_case and stable, and every one is described in openapi.json.
// Domain types are never serialised directly, so a change in the catalogue
// cannot change the API by accident.

// document is the envelope of every successful response; Links is a
// selfLink or, on paginated listings, a pageLinks.
type document struct {
	Data  any  `json:"data"`
	Links any  `json:"links"`
	Meta  meta `json:"meta"`
}

// pageLinks are the links of one page of a cursor-paginated listing: Next
// is null on the last page.
type pageLinks struct {
	Self string  `json:"self"`
	Next *string `json:"next"`
}

// meta carries the data licence on every response, plus counts on
// listings and the perspective wherever levels are shown.
type meta struct {
	Total       *int             `json:"total,omitempty"`
	Facets      *facetsDTO       `json:"facets,omitempty"`
	Perspective string           `json:"perspective,omitempty"`
	Count       *dependentsCount `json:"count,omitempty"`
	Counts      *impactCounts    `json:"counts,omitempty"`
	License     string           `json:"license"`
	LicenseURL  string           `json:"license_url"`
}

func newMeta() meta { return meta{License: DataLicense, LicenseURL: DataLicenseURL} }

type facetsDTO struct {
	Category       []facetCountDTO `json:"category"`
	VendorCountry  []facetCountDTO `json:"vendor_country"`
	HostingCountry []facetCountDTO `json:"hosting_country"`
	OpenSource     []facetCountDTO `json:"open_source"`
	Deployment     []facetCountDTO `json:"deployment"`
	Kind           []facetCountDTO `json:"kind"`
	Level          []facetCountDTO `json:"level"`
}

type facetCountDTO struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

func toFacets(f catalog.Facets) *facetsDTO {
	conv := func(in []catalog.FacetCount) []facetCountDTO {
		out := make([]facetCountDTO, len(in))
		for i, c := range in {
			out[i] = facetCountDTO{Value: c.Value, Count: c.Count}
		}
		return out
	}
	return &facetsDTO{
		Category: conv(f.Category), VendorCountry: conv(f.VendorCountry), HostingCountry: conv(f.HostingCountry),
		OpenSource: conv(f.OpenSource), Deployment: conv(f.Deployment), Kind: conv(f.Kind), Level: conv(f.Level),
	}
}

// factDTO is a classification-relevant fact: known with a value, or
// explicitly unknown (value null), with the keys of the sources behind it;
// the response's "sources" object resolves the keys.
type factDTO[T any] struct {
	Value   *T       `json:"value"`
	Known   bool     `json:"known"`
	Sources []string `json:"sources"`
}

// toFact converts a domain fact, mapping its value with conv.
func toFact[T, U any](f catalog.Fact[T], conv func(T) U) factDTO[U] {
	out := factDTO[U]{Known: f.Known, Sources: strs(f.Sources)}
	if f.Known {
		v := conv(f.Value)
		out.Value = &v
	}
	return out
}

func asString[T ~string](v T) string { return string(v) }

func countries(cs []catalog.Country) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// strs returns a non-nil copy, so empty lists encode as [] rather than null.
func strs(in []string) []string { return append([]string{}, in...) }

// sourceDTO is one piece of evidence.
type sourceDTO struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Kind      string `json:"kind"`
	Retrieved string `json:"retrieved"` // a date, YYYY-MM-DD
}

func toSources(m map[string]catalog.Source) map[string]sourceDTO {
	out := make(map[string]sourceDTO, len(m))
	for k, s := range m {
		out[k] = sourceDTO{URL: s.URL, Title: s.Title, Kind: string(s.Kind), Retrieved: s.Retrieved.Format(time.DateOnly)}
	}
	return out
}

// textDTO is a text in the registry's two languages.
type textDTO struct {
	DE string `json:"de"`
	EN string `json:"en"`
}

type selfLink struct {
	Self string `json:"self"`
}

// timestamp formats times the same way everywhere: RFC 3339 in UTC.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// nullable returns nil for the empty string, so optional text is null
// rather than "" in the contract.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
