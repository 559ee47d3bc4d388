package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// TestBadges wants a labelled level badge on every product card (catalogue,
// category, organisation, alternatives) and on the product page, in both
// languages.
func TestBadges(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name, path string
		want       []string // labels that must appear among the badges
	}{
		{"catalogue de", "/products?lang=de", []string{"Nicht souverän", "Souverän"}},
		{"catalogue en", "/products?lang=en", []string{"Not sovereign", "Sovereign"}},
		{"category de", "/categories/video-conferencing?lang=de", nil},
		{"organisation en", "/organizations/google?lang=en", []string{"Not sovereign"}},
		{"alternatives de", "/products/microsoft-teams/alternatives?lang=de", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, doc, _ := s.get(t, tt.path, "")
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			cards := doc.Find(".product-card")
			if cards.Length() == 0 {
				t.Fatal("no cards")
			}
			cards.Each(func(i int, c *goquery.Selection) {
				b := c.Find(".product-card__header .level-badge")
				if b.Length() != 1 || strings.TrimSpace(b.Find(".level-badge__label").Text()) == "" || !strings.HasPrefix(b.Find(".level-badge__code").Text(), "RSL-") {
					t.Errorf("card %d (%s) lacks a labelled badge", i, c.Find("h3").Text())
				}
			})
			labels := doc.Find(".product-card .level-badge__label").Text()
			for _, w := range tt.want {
				if !strings.Contains(labels, w) {
					t.Errorf("no badge reads %q", w)
				}
			}
		})
	}
	for _, tt := range []struct{ lang, provisional, label string }{
		{"de", "vorläufig", "Nicht souverän"},
		{"en", "provisional", "Not sovereign"},
	} {
		t.Run("product page "+tt.lang, func(t *testing.T) {
			_, doc, _ := s.get(t, "/products/mistral-le-chat?lang="+tt.lang, "")
			lead := doc.Find(".product-level-lead")
			if got := lead.Find(".level-badge__label").Text(); got != tt.label {
				t.Errorf("badge label %q, want %q", got, tt.label)
			}
			if got := lead.Find(".level-provisional").Text(); !strings.Contains(got, tt.provisional) {
				t.Errorf("provisional note %q lacks %q", got, tt.provisional)
			}
		})
	}
}

// TestPerspective wants the selector on every page, the perspective to
// change levels and labels, every listing link to keep it, and an unknown
// perspective refused.
func TestPerspective(t *testing.T) {
	s := newSite(t)
	t.Run("selector on every page", func(t *testing.T) {
		for _, path := range []string{"/", "/products", "/products/nextcloud", "/products/nextcloud/alternatives",
			"/organizations", "/organizations/google", "/categories", "/categories/video-conferencing"} {
			_, doc, _ := s.get(t, path+"?perspective=ch&q=x", "")
			form := doc.Find("form.perspective-switch[method=get]")
			if form.Length() != 1 {
				t.Errorf("%s: no perspective form", path)
				continue
			}
			if a, _ := form.Attr("action"); a != path {
				t.Errorf("%s: form goes to %q", path, a)
			}
			if n := form.Find("select[name=perspective] option").Length(); n != len(catalog.Perspectives()) {
				t.Errorf("%s: %d options", path, n)
			}
			if v, _ := form.Find("option[selected]").Attr("value"); v != "ch" {
				t.Errorf("%s: selected %q, want ch", path, v)
			}
			if form.Find("input[type=hidden][name=q][value=x]").Length() != 1 {
				t.Errorf("%s: the form drops the query", path)
			}
			if !strings.Contains(form.Find("label").Text(), "Perspektive") {
				t.Errorf("%s: label %q", path, form.Find("label").Text())
			}
		}
	})
	t.Run("changes the level shown", func(t *testing.T) {
		// CryptPad's vendor is French: home under EU/EEA, abroad for Switzerland.
		for _, tt := range []struct{ persp, code, label string }{
			{"", "RSL-3", "EU/EWR"}, {"eu", "RSL-3", "EU/EWR"}, {"ch", "RSL-1", "Schweiz"},
		} {
			_, doc, _ := s.get(t, "/products/cryptpad?perspective="+tt.persp, "")
			if got := doc.Find(".product-level-lead .level-badge__code").Text(); got != tt.code {
				t.Errorf("%q: level %s, want %s", tt.persp, got, tt.code)
			}
			if got := doc.Find(".classification .summary-list").Text(); !strings.Contains(got, tt.label) {
				t.Errorf("%q: perspective label %q missing", tt.persp, tt.label)
			}
		}
		for persp, want := range map[string]string{"eu": "RSL-3", "ch": "RSL-1"} {
			_, doc, _ := s.get(t, "/categories/office-suite?perspective="+persp, "")
			card := doc.Find(".product-card").FilterFunction(func(_ int, c *goquery.Selection) bool {
				h, _ := c.Find(".product-card__title a").Attr("href")
				return strings.HasPrefix(h, "/products/cryptpad")
			})
			if got := card.Find(".level-badge__code").Text(); got != want {
				t.Errorf("category card under %s shows %q, want %s", persp, got, want)
			}
		}
	})
	t.Run("links keep it", func(t *testing.T) {
		_, doc, _ := s.get(t, "/products?perspective=ch", "")
		for _, sel := range []string{cards, ".facet-list a", ".pagination a", ".site-nav a", ".product-card__meta a"} {
			for _, h := range hrefs(doc, sel) {
				if !strings.Contains(h, "perspective=ch") && !strings.HasPrefix(h, "/api/") {
					t.Errorf("%s: link %s drops the perspective", sel, h)
				}
			}
		}
		if doc.Find("form.search-form input[type=hidden][name=perspective][value=ch]").Length() != 1 {
			t.Error("the search form drops the perspective")
		}
		_, doc, _ = s.get(t, "/products/perplexity?perspective=de", "")
		for _, sel := range []string{".dependency-table th a", ".dep-tree-list a", ".breadcrumbs a"} {
			for _, h := range hrefs(doc, sel) {
				if !strings.Contains(h, "perspective=de") {
					t.Errorf("%s: link %s drops the perspective", sel, h)
				}
			}
		}
		_, doc, _ = s.get(t, "/products", "")
		if h := hrefs(doc, cards); len(h) == 0 || strings.Contains(h[0], "perspective") {
			t.Errorf("default perspective in links: %v", h)
		}
	})
	t.Run("unknown perspective is 400", func(t *testing.T) {
		for _, path := range []string{"/products/nextcloud?perspective=mars", "/products?perspective=mars",
			"/categories/video-conferencing?perspective=mars", "/organizations/google?perspective=mars",
			"/products/nextcloud/alternatives?perspective=mars", "/categories?perspective=mars", "/organizations?perspective=mars"} {
			if status, _, _ := s.get(t, path, ""); status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", path, status)
			}
		}
		_, doc, _ := s.get(t, "/products?perspective=mars", "")
		if got := doc.Find(".input-problem").Text(); !strings.Contains(got, "Perspektive") || !strings.Contains(got, "mars") {
			t.Errorf("message %q", got)
		}
	})
}

// TestLevelFacet wants a level facet whose counts match the filtered
// results, repeatable values, and bad values refused with a message.
func TestLevelFacet(t *testing.T) {
	s := newSite(t)
	for _, persp := range []string{"eu", "ch"} {
		t.Run("counts "+persp, func(t *testing.T) {
			_, doc, _ := s.get(t, "/products?lang=en&perspective="+persp, "")
			var group *goquery.Selection
			doc.Find(".facet-group").Each(func(_ int, g *goquery.Selection) {
				if g.Find(".facet-group__title").Text() == "Sovereignty level" {
					group = g
				}
			})
			if group == nil {
				t.Fatal("no level facet")
			}
			items := group.Find("a.facet-list__link")
			if items.Length() < 3 {
				t.Fatalf("%d level values", items.Length())
			}
			items.Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				label := a.Find(".facet-list__label").Text()
				if !strings.HasPrefix(label, "RSL-") {
					t.Errorf("label %q", label)
				}
				want, _ := strconv.Atoi(strings.TrimSpace(a.Find(".facet-count").Contents().First().Text()))
				_, res, _ := s.get(t, href, "")
				got := strings.TrimSpace(res.Find("#results-heading").Text())
				if !strings.HasPrefix(got, strconv.Itoa(want)+" ") {
					t.Errorf("%s: %q results, facet said %d", href, got, want)
				}
				if res.Find(".facet-list__link[aria-current]").Length() != 1 {
					t.Errorf("%s: the chosen level is not marked", href)
				}
			})
		})
	}
	t.Run("repeatable", func(t *testing.T) {
		ctx := context.Background()
		both, err := s.svc.Search(ctx, catalog.Query{Levels: []int{3, 4}})
		if err != nil {
			t.Fatal(err)
		}
		_, doc, _ := s.get(t, "/products?level=3&level=4&lang=en", "")
		if got := doc.Find("#results-heading").Text(); !strings.HasPrefix(got, strconv.Itoa(both.Total)+" ") {
			t.Errorf("%q, want %d results", got, both.Total)
		}
		doc.Find(".product-card .level-badge__code").Each(func(_ int, b *goquery.Selection) {
			if c := b.Text(); c != "RSL-3" && c != "RSL-4" {
				t.Errorf("card at %s under a 3/4 filter", c)
			}
		})
		if got := doc.Find(".active-filters").Text(); !strings.Contains(got, "Sovereignty level: RSL-3") {
			t.Errorf("active filters %q", got)
		}
	})
	for _, bad := range []string{"7", "-1", "abc", "RSL-2"} {
		t.Run("bad "+bad, func(t *testing.T) {
			status, doc, _ := s.get(t, "/products?level="+url.QueryEscape(bad), "")
			if status != http.StatusBadRequest {
				t.Fatalf("status %d", status)
			}
			if got := doc.Find(".input-problem").Text(); !strings.Contains(got, "Souveränitätsstufe") {
				t.Errorf("message %q", got)
			}
		})
	}
}

// TestProductClassification checks the explanation on the product page:
// an inherited binding constraint with links along its path, the
// objectives, the outage link, and the dependency tree as SVG and list.
func TestProductClassification(t *testing.T) {
	s := newSite(t)
	t.Run("mistral inherits through a US provider", func(t *testing.T) {
		_, doc, _ := s.get(t, "/products/mistral-le-chat?lang=en", "")
		us := map[string]bool{"/products/cloudflare": true, "/products/microsoft-azure": true,
			"/products/google-cloud": true, "/products/cerebras-inference": true}
		found := false
		doc.Find(".binding").Each(func(_ int, b *goquery.Selection) {
			b.Find(".inherit-path a").Each(func(_ int, a *goquery.Selection) {
				h, _ := a.Attr("href")
				if us[h] && b.Find(".inherit-path__origin").Text() != "" && b.Find(".level-badge").Length() > 0 {
					found = true
				}
			})
		})
		if !found {
			t.Error("no binding constraint inherited through a US provider with a linked path")
		}
		if n := doc.Find(".objectives-table tbody tr").Length(); n != 6 {
			t.Errorf("%d objectives, want 6", n)
		}
		if got := doc.Find(".classification").Text(); !strings.Contains(got, "Rule version") || !strings.Contains(got, "core facts known") {
			t.Error("rule version or coverage missing")
		}
		if doc.Find(".classification details.classification__criteria .criteria-table tbody tr").Length() < 6 {
			t.Error("no folded list of all criteria")
		}
	})
	t.Run("used by and outage link", func(t *testing.T) {
		_, doc, _ := s.get(t, "/products/cloudflare", "")
		if got := doc.Find(".classification").Text(); !strings.Contains(got, "Ausfall simulieren") {
			t.Error("no outage simulation offered")
		}
		links(".classification a", "/impact?failed=cloudflare")(t, doc)
	})
	t.Run("self-hosted profile", func(t *testing.T) {
		_, doc, _ := s.get(t, "/products/nextcloud", "")
		if !strings.Contains(doc.Find(".classification").Text(), "Selbst betrieben") {
			t.Error("no self-hosted profile")
		}
	})
	t.Run("tree", func(t *testing.T) {
		_, doc, body := s.get(t, "/products/perplexity", "")
		svg := doc.Find("svg.dep-tree__svg[role=img]")
		if svg.Length() != 1 {
			t.Fatal("no tree image")
		}
		labelled, _ := svg.Attr("aria-labelledby")
		for _, id := range strings.Fields(labelled) {
			if doc.Find("#"+id).Length() != 1 {
				t.Errorf("aria-labelledby names missing id %s", id)
			}
		}
		if !strings.Contains(svg.Find("title").Text(), "Perplexity") {
			t.Errorf("title %q", svg.Find("title").Text())
		}
		if n := svg.Find("g.tree-node").Length(); n < 3 {
			t.Errorf("%d boxes", n)
		}
		if svg.Find("path.tree-edge--critical").Length() < 2 {
			t.Error("critical edges not drawn as such")
		}
		links(".dep-tree-list a", "/products/aws", "/products/cloudflare")(t, doc)
		if strings.Contains(body, " style=") {
			t.Error("style attribute on the page")
		}
	})
}
