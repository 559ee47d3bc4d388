package web

import (
	"strings"
	"testing"
)

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name, heading, want string
	}{
		{"numbered section", "5. Inheritance through dependencies", "section-5"},
		{"numbered subsection", "5.2 Paths", "section-5-2"},
		{"german text", "Aggregation: das schwächste Glied", "aggregation-das-schwaechste-glied"},
		{"sharp s and quotes", "Größe „Übersicht“", "groesse-uebersicht"},
		{"number without dot is text", "2026 outlook", "2026-outlook"},
		{"reserved id", "Main", "main-2"},
		{"nothing usable", "…", "heading"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := newHeadingIDs(reservedIDs...)
			if got := string(ids.Generate([]byte(tt.heading), 0)); got != tt.want {
				t.Errorf("Generate(%q) = %q, want %q", tt.heading, got, tt.want)
			}
		})
	}
	ids := newHeadingIDs()
	a, b := ids.Generate([]byte("Notes"), 0), ids.Generate([]byte("Notes"), 0)
	if string(a) != "notes" || string(b) != "notes-2" {
		t.Errorf("repeated heading: %q, %q", a, b)
	}
}

func TestRenderMarkdown(t *testing.T) {
	src := "# Title *here*\n\nIntro [other](doc.de.md#section-2) and https://example.org.\n\n" +
		"## 1. First\n\n<script>alert(1)</script>\n\n<p style=\"color:red\" onclick=\"x()\">raw</p>\n\n" +
		"[js](javascript:alert(1))\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n### Sub part\n"
	doc, err := renderMarkdown([]byte(src), map[string]string{"doc.de.md": "/doc?lang=de"})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Title here" {
		t.Errorf("title %q", doc.Title)
	}
	if strings.Contains(doc.HTML, "<h1") {
		t.Error("the h1 stays in the body")
	}
	if len(doc.TOC) != 2 || doc.TOC[0].ID != "section-1" || doc.TOC[0].Text != "1. First" || doc.TOC[1].Level != 3 {
		t.Errorf("toc %+v", doc.TOC)
	}
	for _, want := range []string{`href="/doc?lang=de#section-2"`, `<a href="https://example.org"`, "<table>", `id="section-1"`, `id="sub-part"`} {
		if !strings.Contains(doc.HTML, want) {
			t.Errorf("HTML lacks %s:\n%s", want, doc.HTML)
		}
	}
	for _, bad := range []string{"<script", "style=", "onclick", "javascript:", "nofollow"} {
		if strings.Contains(doc.HTML, bad) {
			t.Errorf("HTML contains %s:\n%s", bad, doc.HTML)
		}
	}
}
