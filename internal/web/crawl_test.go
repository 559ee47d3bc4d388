package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// TestCrawl visits every page (home, catalogue, every product and its
// alternatives, every organisation, every category) in both languages and
// fails if a page loads anything from another host, lacks a lang
// attribute, uses an element id twice, or carries script or inline style.
func TestCrawl(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	paths := []string{"/", "/products", "/products?page=2", "/products?q=Cloudflare&open_source=no", "/organizations", "/categories"}
	for offset := 0; ; offset += catalog.MaxPageSize {
		res, err := s.svc.Search(ctx, catalog.Query{Limit: catalog.MaxPageSize, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Items {
			paths = append(paths, "/products/"+p.Slug, "/products/"+p.Slug+"/alternatives")
		}
		if len(res.Items) < catalog.MaxPageSize {
			break
		}
	}
	orgs, err := s.svc.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		paths = append(paths, "/organizations/"+o.Slug)
	}
	cats, err := s.svc.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		paths = append(paths, "/categories/"+c.Slug)
	}
	if len(paths) < 150 {
		t.Fatalf("only %d pages to crawl; is the seed loaded?", len(paths))
	}
	for _, lang := range []string{"de", "en"} {
		for _, p := range paths {
			u := p + sep(p) + "lang=" + lang
			status, doc, body := s.get(t, u, "")
			if status != http.StatusOK {
				t.Errorf("GET %s: status %d", u, status)
				continue
			}
			for _, problem := range pageProblems(doc, body) {
				t.Errorf("GET %s: %s", u, problem)
			}
		}
	}
}

func sep(p string) string {
	if strings.Contains(p, "?") {
		return "&"
	}
	return "?"
}

var cssURL = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")\s]+)`)

// pageProblems lists what a page must not do.
func pageProblems(doc *goquery.Document, body string) []string {
	var out []string
	if l, _ := doc.Find("html").Attr("lang"); l == "" {
		out = append(out, "no lang attribute on <html>")
	}
	ids := map[string]int{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		ids[id]++
	})
	for id, n := range ids {
		if n > 1 {
			out = append(out, "id "+id+" used "+itoa(n)+" times")
		}
	}
	loads := []struct{ sel, attr string }{
		{"[src]", "src"}, {"link[href]", "href"}, {"form[action]", "action"},
		{"iframe", "src"}, {"object[data]", "data"}, {"[formaction]", "formaction"}, {"[poster]", "poster"},
	}
	for _, l := range loads {
		doc.Find(l.sel).Each(func(_ int, s *goquery.Selection) {
			if v, ok := s.Attr(l.attr); ok && foreign(v) {
				out = append(out, "<"+goquery.NodeName(s)+" "+l.attr+"="+v+"> loads from another host")
			}
		})
	}
	doc.Find("iframe, object, embed").Each(func(_ int, s *goquery.Selection) {
		out = append(out, "page embeds <"+goquery.NodeName(s)+">")
	})
	doc.Find("[srcset]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("srcset")
		for _, part := range strings.Split(v, ",") {
			if f := strings.Fields(part); len(f) > 0 && foreign(f[0]) {
				out = append(out, "srcset loads "+f[0])
			}
		}
	})
	doc.Find("[style]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("style")
		out = append(out, "inline style attribute: "+v)
		for _, m := range cssURL.FindAllStringSubmatch(v, -1) {
			if foreign(m[1]) {
				out = append(out, "style url() loads "+m[1])
			}
		}
	})
	if doc.Find("script").Length() > 0 {
		out = append(out, "page contains <script>")
	}
	if regexp.MustCompile(`(?i)\son[a-z]+=`).MatchString(body) {
		out = append(out, "page contains an inline event handler")
	}
	return out
}

// foreign reports whether a URL points at another host (or at no host
// we control, such as data: or javascript:).
func foreign(raw string) bool {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "//") {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	return u.Scheme != "" || u.Host != ""
}

func itoa(n int) string { return strconv.Itoa(n) }
