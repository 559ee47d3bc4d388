package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// check inspects a rendered page.
type check func(t *testing.T, doc *goquery.Document)

// links wants a link to every path among the elements sel matches.
func links(sel string, paths ...string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		got := hrefs(doc, sel)
		for _, p := range paths {
			if index(got, p) < 0 {
				t.Errorf("no link to %s in %q (have %v)", p, sel, got)
			}
		}
	}
}

// text wants sel to contain each string.
func text(sel string, want ...string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		got := doc.Find(sel).Text()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%q does not contain %q", sel, w)
			}
		}
	}
}

// count wants at least n elements matching sel.
func count(sel string, n int) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		if got := doc.Find(sel).Length(); got < n {
			t.Errorf("%d × %q, want at least %d", got, sel, n)
		}
	}
}

// none wants no element matching sel.
func none(sel string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		if got := doc.Find(sel).Length(); got != 0 {
			t.Errorf("%d × %q, want none", got, sel)
		}
	}
}

// firstResult wants the first result card to link to path.
func firstResult(path string) check {
	return func(t *testing.T, doc *goquery.Document) {
		t.Helper()
		got := hrefs(doc, ".results-list .product-card__title a")
		if len(got) == 0 || got[0] != path {
			t.Errorf("first result %v, want %s", got, path)
		}
	}
}

const cards = ".results-list .product-card__title a"

func TestPages(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name   string
		path   string
		accept string
		status int
		h1     string
		checks []check
	}{
		{"home de", "/", "", 200, "Souveränitätsregister", []check{count("form[action='/products'] input[name=q]", 1)}},
		{"home en by header", "/", "en-GB,en;q=0.9", 200, "Sovereignty Registry", nil},

		{"catalogue de", "/products", "", 200, "Katalog", []check{
			count(cards, 20), text(".facet-group__title", "Kategorie", "Rechtsraum des Anbieters", "Hosting-Land", "Quelloffen", "Betriebsart", "Art"),
			count(".facet-count", 10), links(".pagination a", "/products?page=2"), text("#results-heading", "Ergebnisse"),
		}},
		{"catalogue en", "/products?lang=en", "", 200, "Catalogue", []check{
			text(".facet-group__title", "Vendor jurisdiction", "Hosting country"), text(".facet-list__label", "Germany", "United States"),
		}},
		{"catalogue en by header", "/products", "en", 200, "Catalogue", []check{text("#results-heading", "results")}},
		{"search Videokonferenz", "/products?q=Videokonferenz", "", 200, "Katalog", []check{
			links(cards, "/products/jitsi-meet", "/products/bigbluebutton"), text(".sort-links__link[aria-current]", "Relevanz"),
		}},
		{"search typo nextclod", "/products?q=nextclod", "", 200, "Katalog", []check{links(cards, "/products/nextcloud")}},
		{"search Cloudflare ranks it first", "/products?q=Cloudflare&lang=en", "", 200, "Catalogue", []check{firstResult("/products/cloudflare")}},
		{"search keeps text in form", "/products?q=Videokonferenz", "", 200, "Katalog", []check{
			func(t *testing.T, doc *goquery.Document) {
				if v, _ := doc.Find("#search-q").Attr("value"); v != "Videokonferenz" {
					t.Errorf("search box value %q", v)
				}
			},
		}},
		// BigBlueButton's licence is recorded as unknown, so "open source: yes" drops it.
		{"filters combine with search", "/products?q=Videokonferenz&open_source=yes", "", 200, "Katalog", []check{
			links(cards, "/products/jitsi-meet"), none(cards + "[href='/products/bigbluebutton']"),
			text(".active-filters", "Quelloffen: Quelloffen"),
			links(".active-filters a", "/products?q=Videokonferenz"),
			count(".facet-list__link[aria-current] .facet-count", 1),
			count("form.search-form input[type=hidden][name=open_source][value=yes]", 1),
		}},
		{"facet alternatives within one facet", "/products?vendor_country=DE&vendor_country=FR", "", 200, "Katalog", []check{
			count(".facet-list__link[aria-current]", 2), text(".active-filters", "Deutschland", "Frankreich"),
			links(".active-filters a", "/products?vendor_country=FR", "/products?vendor_country=DE"),
		}},
		{"vendor country case-insensitive", "/products?vendor_country=us&lang=en", "", 200, "Catalogue", []check{
			text(".active-filters", "United States"), count(".facet-list__link[aria-current]", 1),
		}},
		{"sort by name", "/products?sort=name", "", 200, "Katalog", []check{firstResult("/products/akamai"), none(".sort-links a[href*=relevance]")}},
		{"page 2", "/products?page=2", "", 200, "Katalog", []check{count(cards, 1), links(".pagination a", "/products"), text(".pagination__summary", "Seite 2 von")}},
		{"empty result", "/products?q=xyzzyplugh", "", 200, "Katalog", []check{count(".empty-state", 1), none(cards)}},
		{"empty result en", "/products?q=xyzzyplugh&lang=en", "", 200, "Catalogue", []check{text(".empty-state", "No results")}},
		{"page beyond the end", "/products?page=500", "", 200, "Katalog", []check{count(".empty-state", 1)}},
		{"long odd text is trimmed, not refused", "/products?q=" + strings.Repeat("%C3%A4%27%22%3B--", 300), "", 200, "Katalog", nil},
		{"sql metacharacters in text", "/products?q=%27%3B+DROP+TABLE+products%3B--", "", 200, "Katalog", nil},
		{"other alphabets", "/products?q=%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE+%E4%BC%9A%E8%AE%AE", "", 200, "Katalog", nil},

		{"product perplexity", "/products/perplexity", "", 200, "Perplexity", []check{
			links(".dependency-table th a", "/products/aws", "/products/cloudflare"),
			count(".dependency-table .source-list a[rel~=external]", 2),
			text(".dependency-table", "CDN / TLS-Proxy", "Kritisch"),
			links(".product-lead a", "/organizations/perplexity-ai"),
		}},
		{"product perplexity en", "/products/perplexity?lang=en", "", 200, "Perplexity", []check{
			text(".dependency-table thead", "Provider", "Role", "Data access", "Criticality"), text(".source-list__meta", "retrieved"),
		}},
		{"product cloudflare dependents", "/products/cloudflare", "", 200, "Cloudflare", []check{
			links(".dependents-table th a", "/products/chatgpt", "/products/mistral-le-chat", "/products/perplexity", "/products/x"),
			count(".dependents-table td a", 4),
			text(".fact-table .fact-unknown", "Unbekannt"),
			text(".product-section", "Wird von"),
		}},
		{"product cloudflare unknown en", "/products/cloudflare", "en", 200, "Cloudflare", []check{text(".fact-table .fact-unknown", "Unknown")}},
		{"product facts with sources", "/products/nextcloud", "", 200, "Nextcloud Hub", []check{
			text(".fact-table th", "Lizenz", "Quelloffen", "Steuerung der Entwicklung", "Selbst betreibbar", "Quellcode-Repository"),
			count(".fact-table .source-list a", 3), text(".source-list__meta", "abgerufen am"),
			count(".adoption", 1), links("a", "/products/nextcloud/alternatives"),
		}},
		{"product mistral offerings", "/products/mistral-le-chat?lang=en", "", 200, "", []check{count(".offering", 1), text(".offering", "Operated by", "Data locations")}},

		{"alternatives de", "/products/microsoft-teams/alternatives", "", 200, "Alternativen zu Microsoft Teams", []check{
			count(".results-list .product-card", 2), links(".breadcrumbs a", "/products/microsoft-teams"), count(".tag", 4),
		}},
		{"alternatives en", "/products/microsoft-teams/alternatives?lang=en", "", 200, "Alternatives to Microsoft Teams", []check{
			text("#candidates-heading", "Video conferencing"),
		}},

		{"organizations de", "/organizations", "", 200, "Organisationen", []check{links("table a", "/organizations/google", "/organizations/alphabet")}},
		{"organizations en", "/organizations?lang=en", "", 200, "Organisations", []check{text("thead", "Headquarters", "Controlled by a parent")}},
		{"organization google chain", "/organizations/google", "", 200, "Google", []check{
			links(".control-chain a", "/organizations/alphabet"), text(".fact-table th", "Firmenname", "Land des Hauptsitzes"),
			count(".results-list .product-card", 1),
		}},
		{"organization google en", "/organizations/google?lang=en", "", 200, "Google", []check{text(".control-chain", "Share of capital", "Voting rights")}},

		{"categories de", "/categories", "", 200, "Kategorien", []check{links("table a", "/categories/video-conferencing")}},
		{"categories en", "/categories?lang=en", "", 200, "Categories", []check{text("table", "Video conferencing")}},
		{"category page", "/categories/video-conferencing", "", 200, "Videokonferenz", []check{
			links(cards, "/products/jitsi-meet", "/products/bigbluebutton"), none(".facet-group__title:contains('Kategorie')"),
			count("form.search-form[action='/categories/video-conferencing']", 1),
		}},
		{"category page filtered", "/categories/video-conferencing?open_source=no&lang=en", "", 200, "Video conferencing", []check{
			none(cards + "[href='/products/jitsi-meet']"), text(".active-filters", "Not open source"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, doc, _ := s.get(t, tt.path, tt.accept)
			if status != tt.status {
				t.Fatalf("GET %s: status %d, want %d", tt.path, status, tt.status)
			}
			if tt.h1 != "" && h1(doc) != tt.h1 {
				t.Errorf("h1 = %q, want %q", h1(doc), tt.h1)
			}
			if doc.Find("h1").Length() != 1 {
				t.Errorf("%d h1 elements, want 1", doc.Find("h1").Length())
			}
			if doc.Find("title").Text() == "" {
				t.Error("no title")
			}
			for _, c := range tt.checks {
				c(t, doc)
			}
		})
	}
}

func TestPages_BadInput(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name, path, accept, message string
	}{
		{"open source maybe", "/products?open_source=maybe", "", "„maybe“ ist kein gültiger Wert für „Quelloffen“"},
		{"unknown category", "/products?category=nope", "", "„nope“ ist kein gültiger Wert für „Kategorie“"},
		{"malformed category", "/products?category=%27%3B--", "", "Kategorie"},
		{"unknown kind en", "/products?kind=spaceship&lang=en", "", "“spaceship” is not a valid value for “Kind”"},
		{"bad country", "/products?vendor_country=Germany", "en", "Vendor jurisdiction"},
		{"bad deployment", "/products?deployment=cloud", "", "Betriebsart"},
		{"evil sort", "/products?sort=evil", "", "„evil“ ist kein gültiger Wert für „Sortieren nach“"},
		{"sort with sql", "/products?sort=name%3B+DROP+TABLE+products", "", "Sortieren nach"},
		{"negative page", "/products?page=-1", "", "Seitenzahl ist ungültig"},
		{"page zero", "/products?page=0", "", "Seitenzahl ist ungültig"},
		{"page not a number", "/products?page=abc", "en", "page number is invalid"},
		{"page huge", "/products?page=99999999999999999999", "", "Seitenzahl"},
		{"bad filter with search text", "/products?q=Videokonferenz&open_source=maybe", "", "Quelloffen"},
		{"bad filter on category page", "/categories/video-conferencing?kind=nope", "", "Art"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, doc, _ := s.get(t, tt.path, tt.accept)
			if status != http.StatusBadRequest {
				t.Fatalf("GET %s: status %d, want 400", tt.path, status)
			}
			if doc.Find("form.search-form #search-q").Length() != 1 {
				t.Error("the search form is missing")
			}
			if got := doc.Find(".catalogue__search .input-problem[role=alert]").Text(); !strings.Contains(got, tt.message) {
				t.Errorf("message %q does not contain %q", strings.TrimSpace(got), tt.message)
			}
			if doc.Find(".input-problem a").Length() == 0 {
				t.Error("no way out (reset link)")
			}
		})
	}
}

func TestPages_NotFound(t *testing.T) {
	s := newSite(t)
	for _, tt := range []struct{ name, path, accept, h1 string }{
		{"product", "/products/no-such-product", "", "Seite nicht gefunden"},
		{"product en", "/products/no-such-product", "en", "Page not found"},
		{"malformed product slug", "/products/Bad_Slug%21", "", "Seite nicht gefunden"},
		{"alternatives", "/products/no-such-product/alternatives", "", "Seite nicht gefunden"},
		{"organization", "/organizations/no-such-org", "", "Seite nicht gefunden"},
		{"category", "/categories/no-such-category", "", "Seite nicht gefunden"},
		{"category en", "/categories/no-such-category?lang=en", "", "Page not found"},
		{"no route", "/no/such/page", "", "Seite nicht gefunden"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, doc, _ := s.get(t, tt.path, tt.accept)
			if status != http.StatusNotFound {
				t.Fatalf("GET %s: status %d, want 404", tt.path, status)
			}
			if h1(doc) != tt.h1 {
				t.Errorf("h1 = %q, want %q", h1(doc), tt.h1)
			}
		})
	}
}
