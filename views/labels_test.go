package views

import (
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

func TestPage_CountryName(t *testing.T) {
	de, en := testPage(), testPage()
	en.Lang = "en"
	tests := []struct {
		name string
		p    Page
		in   catalog.Country
		want string
	}{
		{"german name", de, "DE", "Deutschland"},
		{"english name", en, "DE", "Germany"},
		{"unknown is said, not blank", de, catalog.UnknownCountry, "value.unknown"},
		{"empty is unknown", en, "", "value.unknown"},
		{"code without a name falls back to the code", de, "ZZ", "ZZ"},
		{"EU region", en, catalog.RegionEU, "EU (member state not named)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.CountryName(tt.in); got != tt.want {
				t.Errorf("CountryName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSearchForm_KeepsFilters(t *testing.T) {
	_, doc := render(t, SearchFormIn(testPage(), "/categories/email", "mail", []HiddenField{{"open_source", "yes"}}))
	if a, _ := doc.Find("form").Attr("action"); a != "/categories/email" {
		t.Errorf("action = %q", a)
	}
	if v, _ := doc.Find("input[type=hidden][name=open_source]").Attr("value"); v != "yes" {
		t.Errorf("hidden open_source = %q", v)
	}
	_, doc = render(t, SearchForm(testPage(), "x"))
	if a, _ := doc.Find("form").Attr("action"); a != "/products" {
		t.Errorf("SearchForm action = %q, want /products", a)
	}
}

func TestBreadcrumbs_LastIsCurrent(t *testing.T) {
	_, doc := render(t, Breadcrumbs(testPage(), []Crumb{{"Start", "/"}, {"Katalog", "/products"}, {"Jitsi", ""}}))
	if n := doc.Find("nav.breadcrumbs a").Length(); n != 2 {
		t.Errorf("%d links, want 2", n)
	}
	if got := doc.Find("[aria-current=page]").Text(); got != "Jitsi" {
		t.Errorf("current = %q", got)
	}
}
