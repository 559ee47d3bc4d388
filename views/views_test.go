package views

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

// fakeT stands in for the web layer's translator: it returns the key and
// any arguments, so tests can see which message a view asked for.
func fakeT(key string, args ...any) string {
	if len(args) == 0 {
		return key
	}
	return key + fmt.Sprintf("%v", args)
}

func testPage() Page {
	return Page{
		Lang:  "de",
		Title: "Katalog",
		Path:  "/products?q=mail&lang=de",
		T:     fakeT,
		Asset: func(name string) string { return "/static/" + name + "?v=0123456789" },

		LoginEnabled: true,
	}
}

// render renders c (with children, if given) and parses the result.
func render(t *testing.T, c templ.Component, children ...templ.Component) (string, *goquery.Document) {
	t.Helper()
	ctx := context.Background()
	if len(children) > 0 {
		ctx = templ.WithChildren(ctx, children[0])
	}
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return buf.String(), doc
}

func TestLayout(t *testing.T) {
	body := templ.Raw(`<h1>Inhalt</h1>`)
	html, doc := render(t, Layout(testPage()), body)

	if got, _ := doc.Find("html").Attr("lang"); got != "de" {
		t.Errorf("html lang = %q, want de", got)
	}
	if got := doc.Find("title").Text(); got != "Katalog – site.name" {
		t.Errorf("title = %q", got)
	}

	t.Run("skip link target exists", func(t *testing.T) {
		skip := doc.Find("body a").First()
		href, _ := skip.Attr("href")
		if href != "#main" || skip.Text() != "layout.skip_link" {
			t.Fatalf("first link in body is %q %q, want the skip link to #main", href, skip.Text())
		}
		if doc.Find("main#main").Length() != 1 {
			t.Error("no <main id=\"main\">")
		}
		if doc.Find("main#main h1").Text() != "Inhalt" {
			t.Error("children not rendered inside main")
		}
	})

	t.Run("no script, no inline style", func(t *testing.T) {
		if strings.Contains(strings.ToLower(html), "<script") {
			t.Error("page contains <script")
		}
		if strings.Contains(strings.ToLower(html), "<style") {
			t.Error("page contains <style")
		}
		if n := doc.Find("[style]").Length(); n > 0 {
			t.Errorf("%d elements with a style= attribute", n)
		}
		if regexp.MustCompile(`(?i)\son[a-z]+=`).MatchString(html) {
			t.Error("page contains an inline event handler")
		}
	})

	t.Run("every href and src is on this host", func(t *testing.T) {
		n := 0
		doc.Find("[href], [src], [action]").Each(func(_ int, s *goquery.Selection) {
			for _, attr := range []string{"href", "src", "action"} {
				v, ok := s.Attr(attr)
				if !ok {
					continue
				}
				n++
				u, err := url.Parse(v)
				if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(v, "//") {
					t.Errorf("%s=%q leaves this host", attr, v)
				}
			}
		})
		if n < 10 {
			t.Errorf("checked only %d URLs", n)
		}
	})

	t.Run("stylesheets are cache-busted assets", func(t *testing.T) {
		var hrefs []string
		doc.Find(`link[rel="stylesheet"]`).Each(func(_ int, s *goquery.Selection) {
			h, _ := s.Attr("href")
			hrefs = append(hrefs, h)
		})
		want := []string{
			"/static/vendor/kern/fonts/fira-sans.css?v=0123456789",
			"/static/vendor/kern/kern.min.css?v=0123456789",
			"/static/app.css?v=0123456789",
		}
		if strings.Join(hrefs, " ") != strings.Join(want, " ") {
			t.Errorf("stylesheets = %v, want %v", hrefs, want)
		}
	})

	t.Run("navigation", func(t *testing.T) {
		nav := doc.Find(`nav.site-nav`)
		if l, _ := nav.Attr("aria-label"); l != "nav.label" {
			t.Errorf("nav aria-label = %q", l)
		}
		var hrefs []string
		nav.Find("a").Each(func(_ int, s *goquery.Selection) {
			h, _ := s.Attr("href")
			hrefs = append(hrefs, h)
		})
		if got := strings.Join(hrefs, " "); got != "/products /categories /organizations /impact /methodology /api/v1/openapi.json" {
			t.Errorf("nav links = %s", got)
		}
		cur := nav.Find(`a[aria-current="page"]`)
		if h, _ := cur.Attr("href"); cur.Length() != 1 || h != "/products" {
			t.Errorf("current nav item = %q (%d)", h, cur.Length())
		}
		if doc.Find(`header a[href="/login"]`).Text() != "nav.login" {
			t.Error("no sign-in link for an anonymous user")
		}
		if doc.Find(`form[action="/logout"]`).Length() != 0 {
			t.Error("sign-out form shown to an anonymous user")
		}
	})

	t.Run("language switch", func(t *testing.T) {
		links := doc.Find(`nav.lang-switch a`)
		if links.Length() != 2 {
			t.Fatalf("%d language links, want 2", links.Length())
		}
		de, en := links.Eq(0), links.Eq(1)
		if h, _ := en.Attr("href"); h != "/products?lang=en&q=mail" {
			t.Errorf("EN link = %q", h)
		}
		if h, _ := en.Attr("hreflang"); h != "en" {
			t.Errorf("EN hreflang = %q", h)
		}
		if _, ok := en.Attr("aria-current"); ok {
			t.Error("EN marked current on a German page")
		}
		if c, _ := de.Attr("aria-current"); c != "page" {
			t.Errorf("DE aria-current = %q", c)
		}
		if !strings.HasPrefix(strings.TrimSpace(en.Text()), "EN") {
			t.Errorf("EN link text = %q", en.Text())
		}
	})

	t.Run("footer", func(t *testing.T) {
		f := doc.Find("footer")
		if !strings.Contains(f.Text(), "footer.licence") {
			t.Error("footer lacks the licence notice")
		}
		for _, h := range []string{"/methodology", "/api/v1/openapi.json"} {
			if f.Find(`a[href="`+h+`"]`).Length() != 1 {
				t.Errorf("footer lacks a link to %s", h)
			}
		}
	})
}

// TestLayout_NoLoginLinkWithoutProvider: with no identity provider
// configured, no sign-in link leads to a page that does not exist.
func TestLayout_NoLoginLinkWithoutProvider(t *testing.T) {
	p := testPage()
	p.LoginEnabled = false
	_, doc := render(t, Layout(p), templ.Raw(`<h1>x</h1>`))
	if doc.Find(`a[href="/login"]`).Length() != 0 {
		t.Error("sign-in link shown although login is not enabled")
	}
}

func TestLayout_SignedInWithFlash(t *testing.T) {
	p := testPage()
	p.Lang = "en"
	p.User = &UserInfo{Name: "Ada <Admin>", Roles: []string{"admin"}}
	p.CSRFToken = "tok123"
	p.Flash = "Saved."
	p.Description = "About things"
	html, doc := render(t, Layout(p), templ.NopComponent)

	form := doc.Find(`form[action="/logout"][method="post"]`)
	if form.Length() != 1 {
		t.Fatal("no sign-out form")
	}
	if v, _ := form.Find(`input[name="` + CSRFField + `"]`).Attr("value"); v != "tok123" {
		t.Errorf("csrf field = %q", v)
	}
	if !strings.Contains(form.Text(), "Ada <Admin>") || strings.Contains(html, "<Admin>") {
		t.Error("user name missing or not escaped")
	}
	if doc.Find(`a[href="/login"]`).Length() != 0 {
		t.Error("sign-in link shown to a signed-in user")
	}
	if s := doc.Find(`main [role="status"]`); !strings.Contains(s.Text(), "Saved.") {
		t.Error("flash not shown in a status region inside main")
	}
	if c, _ := doc.Find(`nav.lang-switch a[hreflang="en"]`).Attr("aria-current"); c != "page" {
		t.Error("EN not current on an English page")
	}
	if d, _ := doc.Find(`meta[name="description"]`).Attr("content"); d != "About things" {
		t.Errorf("description = %q", d)
	}
}

func TestPage_LangURL(t *testing.T) {
	tests := []struct{ path, lang, want string }{
		{"", "en", "/?lang=en"},
		{"/", "de", "/?lang=de"},
		{"/products", "en", "/products?lang=en"},
		{"/products?lang=de&page=2", "en", "/products?lang=en&page=2"},
		{"/products?q=a+b&cat=x&cat=y", "en", "/products?cat=x&cat=y&lang=en&q=a+b"},
		{"/produkte/%C3%BC", "en", "/produkte/%C3%BC?lang=en"},
		{"//evil.example/x", "en", "/x?lang=en"},
		{"https://evil.example/x?y=1", "en", "/x?lang=en&y=1"},
		{"///evil.example", "en", "/evil.example?lang=en"},
		{"/a\\b", "en", "/a%5Cb?lang=en"},
		{"%zz", "en", "/?lang=en"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := (Page{Path: tt.path}).LangURL(tt.lang); got != tt.want {
				t.Errorf("LangURL(%q) from %q = %q, want %q", tt.lang, tt.path, got, tt.want)
			}
		})
	}
}

func TestLevelBadge(t *testing.T) {
	tests := []struct {
		level     int
		known     bool
		class     string
		code, lbl string
	}{
		{4, true, "level-badge--4", "RSL-4", "level.4"},
		{3, true, "level-badge--3", "RSL-3", "level.3"},
		{2, true, "level-badge--2", "RSL-2", "level.2"},
		{1, true, "level-badge--1", "RSL-1", "level.1"},
		{0, true, "level-badge--0", "RSL-0", "level.0"},
		{0, false, "level-badge--unknown", "level.unknown_code", "level.unknown"},
		{7, true, "level-badge--unknown", "level.unknown_code", "level.unknown"},
		{-1, true, "level-badge--unknown", "level.unknown_code", "level.unknown"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%v", tt.level, tt.known), func(t *testing.T) {
			_, doc := render(t, LevelBadge(testPage(), tt.level, tt.known))
			b := doc.Find("span.level-badge")
			if !b.HasClass(tt.class) {
				c, _ := b.Attr("class")
				t.Errorf("class = %q, want %s", c, tt.class)
			}
			if got := b.Find(".level-badge__code").Text(); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
			if got := b.Find(".level-badge__label").Text(); got != tt.lbl {
				t.Errorf("label = %q, want %q", got, tt.lbl)
			}
			if title, _ := b.Attr("title"); title == "" {
				t.Error("no title")
			}
		})
	}
}

func TestFacetGroup(t *testing.T) {
	items := []FacetItem{
		{Label: "E-Mail", URL: "/products?cat=mail", Count: 12, Selected: true},
		{Label: "Büro & Text", URL: "/products?cat=office", Count: 1},
	}
	_, doc := render(t, FacetGroup(testPage(), "Kategorie", items))
	if doc.Find("h2").Text() != "Kategorie" {
		t.Error("no title heading")
	}
	links := doc.Find("a.facet-list__link")
	if links.Length() != 2 {
		t.Fatalf("%d links", links.Length())
	}
	if c, _ := links.Eq(0).Attr("aria-current"); c != "true" {
		t.Error("selected item lacks aria-current")
	}
	if _, ok := links.Eq(1).Attr("aria-current"); ok {
		t.Error("unselected item has aria-current")
	}
	if got := links.Eq(1).Find(".facet-list__label").Text(); got != "Büro & Text" {
		t.Errorf("label = %q", got)
	}
	if got := links.Eq(0).Find(".facet-count").Text(); !strings.HasPrefix(got, "12") || !strings.Contains(got, "facet.entries[12]") {
		t.Errorf("count = %q", got)
	}
	if doc.Find("input").Length() != 0 {
		t.Error("facets must be plain links")
	}

	html, _ := render(t, FacetGroup(testPage(), "Leer", nil))
	if strings.TrimSpace(html) != "" {
		t.Errorf("empty group renders %q", html)
	}
}

func TestPagination(t *testing.T) {
	_, doc := render(t, Pagination(testPage(), "/products?page=1", "/products?page=3", "Seite 2 von 3"))
	nav := doc.Find("nav.pagination")
	if l, _ := nav.Attr("aria-label"); l != "pagination.label" {
		t.Errorf("aria-label = %q", l)
	}
	if h, _ := nav.Find(`a[rel="prev"]`).Attr("href"); h != "/products?page=1" {
		t.Errorf("prev = %q", h)
	}
	if h, _ := nav.Find(`a[rel="next"]`).Attr("href"); h != "/products?page=3" {
		t.Errorf("next = %q", h)
	}
	if nav.Find(".pagination__summary").Text() != "Seite 2 von 3" {
		t.Error("summary missing")
	}

	_, doc = render(t, Pagination(testPage(), "", "/products?page=2", ""))
	if doc.Find(`a[rel="prev"]`).Length() != 0 || doc.Find(`a[rel="next"]`).Length() != 1 {
		t.Error("first page: want only a next link")
	}
	html, _ := render(t, Pagination(testPage(), "", "", ""))
	if strings.TrimSpace(html) != "" {
		t.Errorf("single page renders %q", html)
	}
}

func TestSourceLinks(t *testing.T) {
	src := []SourceRef{
		{Title: "Datenschutzerklärung", URL: "https://vendor.example/privacy", Kind: "Website", Retrieved: "2025-01-31"},
		{Title: "", URL: "https://vendor.example/terms"},
		{Title: "Auskunft per E-Mail"},
		{Title: "Böse", URL: "javascript:alert(1)"},
	}
	_, doc := render(t, SourceLinks(src))
	items := doc.Find("ol.source-list > li")
	if items.Length() != 4 {
		t.Fatalf("%d items", items.Length())
	}
	a := items.Eq(0).Find("a")
	if rel, _ := a.Attr("rel"); rel != "noopener noreferrer external" {
		t.Errorf("rel = %q", rel)
	}
	if got := items.Eq(0).Find(".source-list__meta").Text(); got != "(Website, 2025-01-31)" {
		t.Errorf("meta = %q", got)
	}
	if got := items.Eq(1).Find("a").Text(); got != "https://vendor.example/terms" {
		t.Errorf("untitled source shows %q", got)
	}
	if items.Eq(2).Find("a").Length() != 0 || !strings.Contains(items.Eq(2).Text(), "Auskunft per E-Mail") {
		t.Error("source without URL must be plain text")
	}
	if h, _ := items.Eq(3).Find("a").Attr("href"); strings.HasPrefix(h, "javascript:") {
		t.Errorf("javascript: URL not sanitized: %q", h)
	}
}

func TestEmptyState(t *testing.T) {
	_, doc := render(t, EmptyState("Nichts gefunden", "Ändern Sie die Filter."), templ.Raw(`<a href="/products">Alle</a>`))
	e := doc.Find(".empty-state")
	if e.Find("h2").Text() != "Nichts gefunden" || e.Find("p").Text() != "Ändern Sie die Filter." || e.Find(`a[href="/products"]`).Length() != 1 {
		t.Errorf("empty state = %q", e.Text())
	}
}

func TestErrorPage(t *testing.T) {
	p := testPage()
	p.Title = ""
	html, doc := render(t, ErrorPage(p, 404, "Das Produkt gibt es nicht."))
	if doc.Find("h1").Text() != "error.404" {
		t.Errorf("h1 = %q", doc.Find("h1").Text())
	}
	if doc.Find("title").Text() != "error.404 – site.name" {
		t.Errorf("title = %q", doc.Find("title").Text())
	}
	if !strings.Contains(doc.Find("main").Text(), "Das Produkt gibt es nicht.") {
		t.Error("message missing")
	}
	if !strings.Contains(html, "error.status[Status 404]") {
		t.Error("status code missing")
	}
	if doc.Find("main#main").Length() != 1 {
		t.Error("error page is not inside the layout")
	}
	_, doc = render(t, ErrorPage(p, 418, ""))
	if doc.Find("h1").Text() != "error.title" {
		t.Errorf("unknown status h1 = %q", doc.Find("h1").Text())
	}
}
