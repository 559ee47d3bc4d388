package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

const (
	downRows     = `[aria-labelledby="impact-down-heading"] tbody tr`
	degradedRows = `[aria-labelledby="impact-degraded-heading"] tbody tr`
)

// impactRows maps the product slug of each row to its path (as product
// paths) in the table sel matches.
func impactRows(doc *goquery.Document, sel string) map[string][]string {
	out := map[string][]string{}
	doc.Find(sel).Each(func(_ int, tr *goquery.Selection) {
		h, _ := tr.Find("th a").Attr("href")
		slug := strings.TrimPrefix(h, "/products/")
		var path []string
		tr.Find(".impact-path a").Each(func(_ int, a *goquery.Selection) {
			v, _ := a.Attr("href")
			path = append(path, v)
		})
		out[slug] = path
	})
	return out
}

func TestImpact(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name      string
		path      string
		failed    []string // the failed products, linked in the result heading
		down      []string
		notDown   []string
		summaryDE string
	}{
		{"cloudflare", "/impact?failed=cloudflare", []string{"cloudflare"},
			[]string{"chatgpt", "mistral-le-chat", "perplexity", "x"}, []string{"camocopy", "cloudflare"}, "fallen aus"},
		{"aws", "/impact?failed=aws", []string{"aws"}, []string{"perplexity"}, []string{"camocopy", "aws"}, "aus"},
		{"comma list", "/impact?failed=cloudflare,aws", []string{"cloudflare", "aws"},
			[]string{"chatgpt", "mistral-le-chat", "perplexity", "x"}, []string{"camocopy"}, "fallen aus"},
		{"repeated parameter, spaces, case", "/impact?failed=Cloudflare&failed=+aws+", []string{"cloudflare", "aws"},
			[]string{"chatgpt", "perplexity", "x"}, []string{"camocopy"}, "fallen aus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, doc, body := s.get(t, tt.path+"&lang=de", "")
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			links("#impact-result-heading a", prefix("/products/", tt.failed)...)(t, doc)
			down := impactRows(doc, downRows)
			degraded := impactRows(doc, degradedRows)
			for _, slug := range tt.down {
				path, ok := down[slug]
				if !ok {
					t.Errorf("%s is not listed as down (down: %v)", slug, keys(down))
					continue
				}
				if len(path) < 2 || path[len(path)-1] != "/products/"+slug || index(prefix("/products/", tt.failed), path[0]) < 0 {
					t.Errorf("%s: path %v does not lead from a failed product to it", slug, path)
				}
			}
			for _, slug := range tt.notDown {
				if _, ok := down[slug]; ok {
					t.Errorf("%s is listed as down", slug)
				}
			}
			if _, ok := degraded["camocopy"]; ok {
				t.Error("camocopy is listed as degraded")
			}
			sum := doc.Find(".impact-summary").Text()
			if !strings.Contains(sum, itoa(len(down))+" Dienst") || !strings.Contains(sum, tt.summaryDE) ||
				!strings.Contains(sum, itoa(len(degraded))+" eingeschränkt") {
				t.Errorf("summary %q does not match %d down, %d degraded", sum, len(down), len(degraded))
			}
			// Each row carries a level badge and the dependency it fails by.
			doc.Find(downRows).Each(func(_ int, tr *goquery.Selection) {
				if tr.Find(".level-badge").Length() != 1 {
					t.Errorf("row %q has no level badge", strings.TrimSpace(tr.Find("th").Text()))
				}
				if strings.TrimSpace(tr.Find(".impact-table__dep").Text()) == "" {
					t.Errorf("row %q has no role and criticality", strings.TrimSpace(tr.Find("th").Text()))
				}
			})
			if v, _ := doc.Find("#impact-failed").Attr("value"); v == "" {
				t.Error("the form lost the input")
			}
			links(".impact-rules a", "/methodology#section-5")(t, doc)
			for _, problem := range pageProblems(doc, body) {
				t.Error(problem)
			}
		})
	}
}

func TestImpact_English(t *testing.T) {
	s := newSite(t)
	status, doc, _ := s.get(t, "/impact?failed=cloudflare&lang=en", "")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	text("main", "services go down", "Goes down", "How the simulation decides")(t, doc)
}

func TestImpact_Form(t *testing.T) {
	s := newSite(t)
	status, doc, body := s.get(t, "/impact", "de")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	count(`form[action="/impact"][method="get"] input#impact-failed[name="failed"][list="impact-products"]`, 1)(t, doc)
	count(`datalist#impact-products option[value="cloudflare"]`, 1)(t, doc)
	links(".impact-examples a", "/impact?failed=cloudflare", "/impact?failed=aws", "/impact?failed=microsoft-azure")(t, doc)
	none(".impact-result")(t, doc)
	none(`[role="alert"]`)(t, doc)
	links(".impact-rules a", "/methodology#section-5")(t, doc)
	for _, problem := range pageProblems(doc, body) {
		t.Error(problem)
	}
}

func TestImpact_BadInput(t *testing.T) {
	s := newSite(t)
	tooMany := strings.Repeat("cloudflare,aws,", 11) + "x"
	tooManyDistinct := "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13,a14,a15,a16,a17,a18,a19,a20,a21"
	tests := []struct {
		name, query, input, message string
	}{
		{"unknown product", "failed=no-such-product", "no-such-product", "„no-such-product“ ist kein Produkt"},
		{"one of two unknown", "failed=cloudflare,nope", "cloudflare,nope", "„nope“ ist kein Produkt"},
		{"not a slug", "failed=%3Cb%3E", "<b>", "ist kein Produkt"},
		{"too many", "failed=" + tooManyDistinct, tooManyDistinct, "höchstens 20 Produkte"},
		{"duplicates are not too many", "failed=" + tooMany + ",nope", tooMany + ",nope", "„nope“ ist kein Produkt"},
		{"bad perspective keeps the page an error", "failed=cloudflare&perspective=mars", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, doc, body := s.get(t, "/impact?lang=de&"+tt.query, "")
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", status)
			}
			if tt.message == "" {
				return // the generic error page
			}
			count(`form[action="/impact"] #impact-failed[aria-invalid="true"]`, 1)(t, doc)
			if v, _ := doc.Find("#impact-failed").Attr("value"); v != tt.input {
				t.Errorf("input %q, want it kept as %q", v, tt.input)
			}
			text(`[role="alert"]`, tt.message)(t, doc)
			none(".impact-result")(t, doc)
			if !strings.HasPrefix(doc.Find("title").Text(), "Fehler") {
				t.Errorf("title %q does not start with Fehler", doc.Find("title").Text())
			}
			for _, problem := range pageProblems(doc, body) {
				t.Error(problem)
			}
		})
	}
}

func prefix(p string, list []string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = p + v
	}
	return out
}

func keys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
