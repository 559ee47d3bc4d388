package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// facetQueries exercise every filter, alone and combined, with and without
// text (including the misspelt text that takes the trigram fallback).
func facetQueries() []catalog.Query {
	var qs []catalog.Query
	texts := []string{"", "Cloud", "Mail", "nextclod", "videokonferrenz", "open source office", "Cloud Speicher", "zzzz-nothing"}
	filters := []catalog.Query{
		{},
		{Categories: []string{"email"}},
		{Categories: []string{"email", "video-conferencing", "no-such-category"}},
		{VendorCountries: []catalog.Country{"DE"}},
		{VendorCountries: []catalog.Country{"US", "unknown"}},
		{HostingCountries: []catalog.Country{"DE"}, OpenSource: catalog.Yes},
		{HostingCountries: []catalog.Country{"FR", "NL"}},
		{OpenSource: catalog.No},
		{Deployments: []string{catalog.DeploymentSelfHostable}},
		{Deployments: []string{catalog.DeploymentVendorHosted, catalog.DeploymentSelfHostable}, HostingCountries: []catalog.Country{"FR"}},
		{Kinds: []catalog.Kind{"saas"}},
		{Kinds: []catalog.Kind{"software", "iaas"}, VendorCountries: []catalog.Country{"DE", "US"}},
		{Levels: []int{3}},
		{Levels: []int{0, 1, 4}, OpenSource: catalog.Yes},
	}
	for _, text := range texts {
		for _, f := range filters {
			for _, persp := range []string{"", "de", "ch"} {
				q := f
				q.Text, q.Perspective = text, persp
				qs = append(qs, q)
			}
		}
	}
	return qs
}

// TestSearch_FacetTableMatchesSQL checks that the facets counted on the
// facet table are exactly those counted in SQL, also after a write.
func TestSearch_FacetTableMatchesSQL(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	svc := catalog.NewService(s, catalog.WithGenerationTTL(0))
	check := func(stage string) {
		t.Helper()
		for _, q := range facetQueries() {
			q, err := q.Normalize()
			if err != nil {
				t.Fatal(err)
			}
			want, err := store.SearchSQLFacets(ctx, s, q)
			if err != nil {
				t.Fatalf("%s: %+v: %v", stage, q, err)
			}
			got, err := s.Search(ctx, q)
			if err != nil {
				t.Fatalf("%s: %+v: %v", stage, q, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %+v:\n got %d %+v\nwant %d %+v", stage, q, got.Total, got.Facets, want.Total, want.Facets)
			}
		}
	}
	check("seed")
	// Every sort order, by page number and by cursor.
	for _, sort := range catalog.Sorts {
		for _, text := range []string{"", "Cloud"} {
			q, err := catalog.Query{Text: text, Sort: sort, Limit: 5}.Normalize()
			if err != nil {
				continue // relevance without text
			}
			first, err := s.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, next := range []catalog.Query{{Offset: 5}, {After: first.Next}} {
				q2 := q
				q2.Offset, q2.After = next.Offset, next.After
				if q2, err = q2.Normalize(); err != nil {
					t.Fatal(err)
				}
				want, err := store.SearchSQLFacets(ctx, s, q2)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.Search(ctx, q2)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) || len(got.Items) == 0 {
					t.Errorf("%s %q page 2 (%+v): got %d items, want %d", sort, text, next, len(got.Items), len(want.Items))
				}
			}
		}
	}
	// A write moves the generation on: the table must follow.
	d := mustSeed(t)
	for i := range d.Products {
		if d.Products[i].Slug == "nextcloud" {
			d.Products[i].Kind = "saas"
			d.Products[i].Offerings = nil
		}
	}
	if _, err := svc.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	check("after an import")
}
