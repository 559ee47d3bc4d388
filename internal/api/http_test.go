package api_test

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/api"
)

func TestETag(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{
		"/api/v1/products?q=cloud&kind=iaas",
		"/api/v1/products/perplexity",
		"/api/v1/products/perplexity?perspective=ch",
		"/api/v1/products/perplexity/dependencies?depth=2",
		"/api/v1/products/cloudflare/dependents",
		"/api/v1/impact?failed=cloudflare,aws",
		"/api/v1/organizations",
		"/api/v1/organizations/x-corp",
		"/api/v1/categories",
		"/api/v1/categories/email",
		"/api/v1/openapi.json",
	} {
		t.Run(path, func(t *testing.T) {
			first := e.get(t, path)
			tag := first.Header.Get("ETag")
			if first.Status != 200 || !strings.HasPrefix(tag, `"`) || strings.HasPrefix(tag, "W/") {
				t.Fatalf("status %d, ETag %q; want 200 and a strong tag", first.Status, tag)
			}
			if cc := first.Header.Get("Cache-Control"); cc != "public, max-age=60" {
				t.Errorf("Cache-Control %q", cc)
			}
			if l := first.Header.Get("Link"); l != `<https://creativecommons.org/licenses/by/4.0/>; rel="license"` {
				t.Errorf("Link %q", l)
			}
			tests := []struct {
				name, ifNoneMatch string
				status            int
			}{
				{"same tag", tag, http.StatusNotModified},
				{"weak form of the tag", "W/" + tag, http.StatusNotModified},
				{"among others", `"other", ` + tag, http.StatusNotModified},
				{"any", "*", http.StatusNotModified},
				{"another tag", `"stale"`, http.StatusOK},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := e.get(t, path, "If-None-Match", tt.ifNoneMatch)
					if r.Status != tt.status {
						t.Fatalf("status %d, want %d", r.Status, tt.status)
					}
					if r.Header.Get("ETag") != tag {
						t.Errorf("ETag %q, want %q", r.Header.Get("ETag"), tag)
					}
					if tt.status == http.StatusOK && !bytes.Equal(r.Body, first.Body) {
						t.Errorf("the same request gave a different body")
					}
				})
			}
		})
	}
	t.Run("different pages, different tags", func(t *testing.T) {
		a := e.get(t, "/api/v1/products?page[size]=5").Header.Get("ETag")
		b := e.get(t, "/api/v1/products?page[size]=6").Header.Get("ETag")
		if a == b {
			t.Errorf("both %s", a)
		}
	})
}

func TestCORS(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/products", "/api/v1/products/nextcloud", "/api/v1/products/nextcloud/dependencies",
		"/api/v1/products/cloudflare/dependents", "/api/v1/impact?failed=aws", "/api/v1/organizations",
		"/api/v1/organizations/google", "/api/v1/categories", "/api/v1/categories/email", "/api/v1/openapi.json"} {
		t.Run("preflight "+path, func(t *testing.T) {
			r := e.do(t, http.MethodOptions, path, "Origin", "https://example.org",
				"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "If-None-Match")
			h := r.Header
			if r.Status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "*" ||
				!strings.Contains(h.Get("Access-Control-Allow-Methods"), "GET") ||
				!strings.Contains(h.Get("Access-Control-Allow-Headers"), "If-None-Match") {
				t.Errorf("status %d, headers %v", r.Status, h)
			}
			if h.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("credentials must not be allowed")
			}
		})
		t.Run("GET "+path, func(t *testing.T) {
			r := e.get(t, path, "Origin", "https://example.org")
			if r.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "ETag") {
				t.Errorf("headers %v", r.Header)
			}
		})
		t.Run("HEAD "+path, func(t *testing.T) {
			get := e.get(t, path)
			r := e.do(t, http.MethodHead, path)
			if r.Status != http.StatusOK || r.Header.Get("ETag") != get.Header.Get("ETag") {
				t.Errorf("status %d, ETag %q, GET's %q", r.Status, r.Header.Get("ETag"), get.Header.Get("ETag"))
			}
		})
	}
}

// The served document is the embedded file, and it documents exactly the
// routes Register adds.
func TestOpenAPI(t *testing.T) {
	e := newEnv(t)
	r := e.get(t, "/api/v1/openapi.json")
	file, err := os.ReadFile("openapi.json")
	if err != nil || !bytes.Equal(r.Body, file) {
		t.Fatalf("served document differs from openapi.json (%v)", err)
	}
	ec := echo.New()
	api.New(failingCatalog{}, api.Options{}).Register(ec.Group("/api/v1"))
	registered := map[string]bool{}
	for _, rt := range ec.Routes() {
		switch rt.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPost, http.MethodPatch:
		default:
			continue // echo's catch-all for unmatched paths
		}
		path := strings.TrimPrefix(rt.Path, "/api/v1")
		path = strings.ReplaceAll(path, ":slug", "{slug}")
		path = strings.ReplaceAll(path, ":id", "{id}")
		key := rt.Method + " " + path
		registered[key] = true
		item := e.doc.Paths.Value(path)
		if item == nil || item.GetOperation(rt.Method) == nil {
			t.Errorf("%s is registered but not documented", key)
		}
	}
	for path, item := range e.doc.Paths.Map() {
		for method := range item.Operations() {
			if !registered[method+" "+path] {
				t.Errorf("%s %s is documented but not registered", method, path)
			}
		}
	}
}
