package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/sovereignty-registry/registry/seed"
)

// TestProductDescriptionMarkdown wants a vendor's Markdown description
// rendered on the product page, as the submission form promises, and
// whatever could script the page removed.
func TestProductDescriptionMarkdown(t *testing.T) {
	s := newSite(t)
	d, err := seed.Load(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Products {
		if d.Products[i].Slug == "nextcloud" {
			d.Products[i].DescriptionDE = "Eine **Kollaborationsplattform**.\n\n# Zwischentitel\n\n<script>alert(1)</script> [Mehr](javascript:alert(2))"
		}
	}
	if _, err := s.svc.Import(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	status, doc, body := s.get(t, "/products/nextcloud?lang=de", "")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	desc := doc.Find(".product-description")
	if got := desc.Find("strong").First().Text(); got != "Kollaborationsplattform" {
		t.Errorf("bold text %q, want the Markdown emphasis rendered", got)
	}
	if desc.Find("h1, h2, h3, h4, h5, h6").Length() != 0 {
		t.Error("a heading in the description became a heading of the page")
	}
	if strings.Contains(body, "alert(1)") || strings.Contains(body, "javascript:") {
		t.Error("the description's script reached the page")
	}
	if strings.Contains(desc.Text(), "**") {
		t.Errorf("the description shows Markdown syntax: %q", desc.Text())
	}
}
