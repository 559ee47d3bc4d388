package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

func TestMethodology(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name, lang, h1, toc, other, otherLang string
	}{
		{"german", "de", "Methodik: Registry Sovereignty Levels", "Stufen", "/methodology?lang=en", "en"},
		{"english", "en", "Methodology: Registry Sovereignty Levels", "Levels", "/methodology?lang=de", "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, doc, body := s.get(t, "/methodology?lang="+tt.lang, "")
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if got := h1(doc); got != tt.h1 {
				t.Errorf("h1 %q, want %q", got, tt.h1)
			}
			if n := doc.Find("h1").Length(); n != 1 {
				t.Errorf("%d h1 elements, want 1", n)
			}
			if l, _ := doc.Find("html").Attr("lang"); l != tt.lang {
				t.Errorf("html lang %q, want %q", l, tt.lang)
			}
			if !strings.Contains(doc.Find(".methodology__meta").Text(), sovereignty.RuleVersion) {
				t.Errorf("rule version %s not shown", sovereignty.RuleVersion)
			}
			other := doc.Find(`.methodology__meta a[hreflang="` + tt.otherLang + `"]`)
			if h, _ := other.Attr("href"); h != tt.other {
				t.Errorf("other language link %q, want %q", h, tt.other)
			}
			// The document's own link to its translation is rewritten.
			if doc.Find(`.prose a[href="`+tt.other+`"]`).Length() == 0 {
				t.Errorf("the document's link to the other language is not rewritten to %s", tt.other)
			}
			if doc.Find(`a[href$=".md"]`).Length() > 0 {
				t.Error("a link still points to a .md file")
			}
			if !strings.Contains(doc.Find(".methodology__toc").Text(), tt.toc) {
				t.Errorf("table of contents lacks %q", tt.toc)
			}
			checkAnchors(t, doc)
			if doc.Find(".prose table").Length() < 3 {
				t.Errorf("%d tables, want the level, criteria and perspective tables", doc.Find(".prose table").Length())
			}
			text := doc.Find("main").Text()
			for _, c := range sovereignty.Criteria() {
				if !strings.Contains(text, string(c.ID)) {
					t.Errorf("criterion %s is not mentioned", c.ID)
				}
			}
			checkSafeHTML(t, body)
			for _, problem := range pageProblems(doc, body) {
				t.Error(problem)
			}
		})
	}
}

// TestMethodology_StableAnchors: a numbered section has the same anchor in
// both languages, so other pages can link to it (the outage page links to
// section 5).
func TestMethodology_StableAnchors(t *testing.T) {
	s := newSite(t)
	for _, lang := range []string{"de", "en"} {
		_, doc, _ := s.get(t, "/methodology?lang="+lang, "")
		for _, id := range []string{"section-1", "section-4", "section-5", "section-8"} {
			if doc.Find("h2#"+id).Length() != 1 {
				t.Errorf("%s: no h2#%s", lang, id)
			}
		}
	}
}

// checkAnchors wants every in-page link of the table of contents to name
// exactly one heading.
func checkAnchors(t *testing.T, doc *goquery.Document) {
	t.Helper()
	links := hrefs(doc, ".methodology__toc a")
	if len(links) < 8 {
		t.Fatalf("table of contents has %d entries, want the 8 sections", len(links))
	}
	for _, h := range links {
		id, ok := strings.CutPrefix(h, "#")
		if !ok {
			t.Errorf("toc link %q is not an anchor", h)
			continue
		}
		target := doc.Find(`[id="` + id + `"]`)
		if target.Length() != 1 || !target.Is("h2, h3") {
			t.Errorf("toc link %q: %d targets, want one heading", h, target.Length())
		}
	}
}

var eventHandler = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)

// checkSafeHTML fails on script, inline style or event handlers anywhere
// in the page source.
func checkSafeHTML(t *testing.T, body string) {
	t.Helper()
	low := strings.ToLower(body)
	if strings.Contains(low, "<script") {
		t.Error("page contains <script")
	}
	if strings.Contains(low, "style=") {
		t.Error("page contains a style attribute")
	}
	if eventHandler.MatchString(body) {
		t.Error("page contains an on*= event handler")
	}
}
