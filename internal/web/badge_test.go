package web_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// getBadge requests a badge with optional request headers (name, value).
func (s site) getBadge(t *testing.T, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	return rec
}

// svgDoc is the little of an SVG badge the tests read.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	Role    string   `xml:"role,attr"`
	Title   string   `xml:"title"`
	Texts   []string `xml:"g>text"`
}

func TestBadge(t *testing.T) {
	s := newSite(t)
	lv, err := s.svc.Level(context.Background(), "nextcloud", "eu")
	if err != nil {
		t.Fatal(err)
	}
	lvDE, err := s.svc.Level(context.Background(), "nextcloud", "de")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		status  int
		subject string
		value   string
		cache   string
	}{
		{"german default", "/badges/nextcloud.svg", 200, "Souveränität", "RSL-" + itoa(lv.Overall) + " ", "public, max-age=3600"},
		{"english", "/badges/nextcloud.svg?lang=en", 200, "Sovereignty", "RSL-" + itoa(lv.Overall) + " ", "public, max-age=3600"},
		{"perspective", "/badges/nextcloud.svg?perspective=de", 200, "Souveränität (Deutschland)", "RSL-" + itoa(lvDE.Overall) + " ", "public, max-age=3600"},
		{"cloudflare is not sovereign", "/badges/cloudflare.svg", 200, "Souveränität", "RSL-0 Nicht souverän", "public, max-age=3600"},
		{"unknown product", "/badges/no-such-product.svg", 404, "Souveränität", "unbekannt", "public, max-age=300"},
		{"unknown product, english", "/badges/no-such-product.svg?lang=en", 404, "Sovereignty", "unknown", "public, max-age=300"},
		{"not an svg name", "/badges/nextcloud.png", 404, "Souveränität", "unbekannt", "public, max-age=300"},
		{"bad perspective", "/badges/nextcloud.svg?perspective=mars", 400, "Souveränität", "ungültige Perspektive", "public, max-age=300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s.getBadge(t, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "image/svg+xml" {
				t.Errorf("Content-Type %q", ct)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != tt.cache {
				t.Errorf("Cache-Control %q, want %q", cc, tt.cache)
			}
			if rec.Header().Get("ETag") == "" {
				t.Error("no ETag")
			}
			body := rec.Body.String()
			checkXML(t, body)
			var doc svgDoc
			if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatalf("parse: %v", err)
			}
			if doc.Role != "img" || !strings.Contains(doc.Title, tt.value) {
				t.Errorf("role %q, title %q; want img and %q", doc.Role, doc.Title, tt.value)
			}
			if len(doc.Texts) != 2 || doc.Texts[0] != tt.subject || !strings.HasPrefix(doc.Texts[1], tt.value) {
				t.Errorf("texts %q, want [%q, %q…]", doc.Texts, tt.subject, tt.value)
			}
			for _, bad := range []string{"style", "<script", "href", "@import", "url("} {
				if strings.Contains(body, bad) {
					t.Errorf("badge contains %q", bad)
				}
			}
		})
	}
}

func TestBadge_ETag(t *testing.T) {
	s := newSite(t)
	first := s.getBadge(t, "/badges/nextcloud.svg")
	etag := first.Header().Get("ETag")
	if again := s.getBadge(t, "/badges/nextcloud.svg").Header().Get("ETag"); again != etag {
		t.Errorf("ETag changed between requests: %s, %s", etag, again)
	}
	if en := s.getBadge(t, "/badges/nextcloud.svg?lang=en").Header().Get("ETag"); en == etag {
		t.Error("German and English badges share an ETag")
	}
	rec := s.getBadge(t, "/badges/nextcloud.svg", "If-None-Match", etag)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("conditional request: status %d, %d bytes; want 304, empty", rec.Code, rec.Body.Len())
	}
	if rec := s.getBadge(t, "/badges/nextcloud.svg", "If-None-Match", `"other"`); rec.Code != http.StatusOK {
		t.Errorf("stale ETag: status %d, want 200", rec.Code)
	}
}
