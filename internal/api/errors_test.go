package api_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// Bad input gets a 400 problem naming the parameter, never a 500 and never
// a silently ignored filter.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	// A real cursor, for the sort-mismatch case.
	var first productList
	e.getOK(t, "/api/v1/products?page[size]=1", &first)
	nameCursor := strings.SplitN(*first.Links.Next, "page%5Bafter%5D=", 2)[1]
	nameCursor = strings.SplitN(nameCursor, "&", 2)[0]

	tests := []struct {
		name, path string
		status     int
		param      string // the parameter the problem must name
	}{
		{"open_source not yes or no", "/api/v1/products?open_source=maybe", 400, "open_source"},
		{"unknown kind", "/api/v1/products?kind=spaceship", 400, "kind"},
		{"one unknown kind among good ones", "/api/v1/products?kind=saas&kind=spaceship", 400, "kind"},
		{"unknown deployment", "/api/v1/products?deployment=on_the_moon", 400, "deployment"},
		{"unknown sort", "/api/v1/products?sort=random", 400, "sort"},
		{"malformed country", "/api/v1/products?vendor_country=Germany", 400, "vendor_country"},
		{"malformed hosting country", "/api/v1/products?hosting_country=D", 400, "hosting_country"},
		{"unknown category", "/api/v1/products?category=spaceships", 400, "category"},
		{"malformed category", "/api/v1/products?category=Not%20A%20Slug", 400, "category"},
		{"page size too large", "/api/v1/products?page[size]=1000", 400, "page[size]"},
		{"page size zero", "/api/v1/products?page[size]=0", 400, "page[size]"},
		{"page size negative", "/api/v1/products?page[size]=-5", 400, "page[size]"},
		{"page size not a number", "/api/v1/products?page[size]=abc", 400, "page[size]"},
		{"page size empty", "/api/v1/products?page[size]=", 400, "page[size]"},
		{"page size huge", "/api/v1/products?page[size]=99999999999999999999999", 400, "page[size]"},
		{"cursor not base64", "/api/v1/products?page[after]=!!!", 400, "page[after]"},
		{"cursor not JSON", "/api/v1/products?page[after]=" + base64.RawURLEncoding.EncodeToString([]byte("nope")), 400, "page[after]"},
		{"cursor with a bad id", "/api/v1/products?page[after]=" + base64.RawURLEncoding.EncodeToString([]byte(`{"s":"name","k":"a","i":-1}`)), 400, "page[after]"},
		{"cursor too long", "/api/v1/products?page[after]=" + base64.RawURLEncoding.EncodeToString([]byte(`{"s":"name","k":"`+strings.Repeat("a", 600)+`","i":1}`)), 400, "page[after]"},
		{"cursor of another sort order", "/api/v1/products?sort=updated&page[after]=" + nameCursor, 400, "page[after]"},
		{"unknown parameter", "/api/v1/products?catgory=email", 400, "catgory"},
		{"JSON:API style filter", "/api/v1/products?filter[kind]=saas", 400, "filter[kind]"},
		{"repeated search text", "/api/v1/products?q=a&q=b", 400, "q"},
		{"repeated page size", "/api/v1/products?page[size]=5&page[size]=6", 400, "page[size]"},
		{"parameter on a product", "/api/v1/products/nextcloud?lang=de", 400, "lang"},
		{"parameter on organisations", "/api/v1/organizations?page[size]=5", 400, "page[size]"},
		{"parameter on categories", "/api/v1/categories?q=x", 400, "q"},
		{"category filter on a category", "/api/v1/categories/email?category=messaging", 400, "category"},
		{"bad kind on a category", "/api/v1/categories/email?kind=spaceship", 400, "kind"},
		{"parameter on the OpenAPI document", "/api/v1/openapi.json?v=2", 400, "v"},
		{"malformed percent-encoding", "/api/v1/products?q=%zz", 400, ""},
		{"semicolon separator", "/api/v1/products?kind=saas;kind=iaas", 400, ""},
		{"unknown perspective", "/api/v1/products?perspective=us", 400, "perspective"},
		{"empty perspective", "/api/v1/products?perspective=", 400, "perspective"},
		{"perspective in upper case", "/api/v1/products?perspective=EU", 400, "perspective"},
		{"repeated perspective", "/api/v1/products?perspective=eu&perspective=ch", 400, "perspective"},
		{"unknown perspective on a product", "/api/v1/products/nextcloud?perspective=mars", 400, "perspective"},
		{"unknown perspective on an organisation", "/api/v1/organizations/google?perspective=mars", 400, "perspective"},
		{"unknown perspective on a category", "/api/v1/categories/email?perspective=mars", 400, "perspective"},
		{"perspective on organisations", "/api/v1/organizations?perspective=eu", 400, "perspective"},
		{"level too high", "/api/v1/products?level=5", 400, "level"},
		{"level negative", "/api/v1/products?level=-1", 400, "level"},
		{"level as a name", "/api/v1/products?level=RSL-3", 400, "level"},
		{"level not a number", "/api/v1/products?level=high", 400, "level"},
		{"level empty", "/api/v1/products?level=", 400, "level"},
		{"one bad level among good ones", "/api/v1/products?level=3&level=7", 400, "level"},
		{"bad level on a category", "/api/v1/categories/email?level=9", 400, "level"},
		{"depth not a number", "/api/v1/products/perplexity/dependencies?depth=abc", 400, "depth"},
		{"depth too large", "/api/v1/products/perplexity/dependencies?depth=99", 400, "depth"},
		{"depth just too large", "/api/v1/products/perplexity/dependents?depth=11", 400, "depth"},
		{"depth zero", "/api/v1/products/cloudflare/dependents?depth=0", 400, "depth"},
		{"depth empty", "/api/v1/products/cloudflare/dependents?depth=", 400, "depth"},
		{"repeated depth", "/api/v1/products/cloudflare/dependents?depth=1&depth=2", 400, "depth"},
		{"perspective on a tree", "/api/v1/products/cloudflare/dependents?perspective=eu", 400, "perspective"},
		{"unknown failed product", "/api/v1/impact?failed=cloudflare,nope", 400, "failed"},
		{"25 failed products", "/api/v1/impact?failed=aws" + strings.Repeat(",aws", 24), 400, "failed"},
		{"no failed product", "/api/v1/impact", 400, "failed"},
		{"unknown route", "/api/v1/nothing-here", 404, ""},
		{"unknown nested route", "/api/v1/products/nextcloud/versions", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, tt.path)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			var p problem
			r.decode(t, &p)
			if p.Status != tt.status || p.Title == "" || p.Detail == "" || p.Type != "about:blank" || p.RequestID == "" {
				t.Errorf("problem %+v", p)
			}
			if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("ETag") != "" {
				t.Errorf("caching headers: %v", r.Header)
			}
			if r.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("an error must be readable cross-origin too")
			}
			if tt.param == "" {
				return
			}
			named := false
			for _, item := range p.Errors {
				named = named || item.Parameter == tt.param
			}
			if !named || !strings.Contains(p.Detail, tt.param) {
				t.Errorf("problem does not name %q: %s", tt.param, r.Body)
			}
		})
	}
	t.Run("every problem reported at once", func(t *testing.T) {
		r := e.get(t, "/api/v1/products?kind=spaceship&open_source=maybe&page[size]=1000&nope=1")
		var p problem
		r.decode(t, &p)
		if r.Status != 400 || len(p.Errors) != 1 || p.Errors[0].Parameter != "nope" {
			t.Errorf("unknown parameters come first and alone: %s", r.Body)
		}
		r = e.get(t, "/api/v1/products?kind=spaceship&open_source=maybe&page[size]=1000&category=spaceships")
		p = problem{}
		r.decode(t, &p)
		var params []string
		for _, item := range p.Errors {
			params = append(params, item.Parameter)
		}
		if got := strings.Join(params, ","); got != "page[size],open_source,kind,category" {
			t.Errorf("problems for %s, want page[size],open_source,kind,category: %s", got, r.Body)
		}
	})
	t.Run("POST is not allowed", func(t *testing.T) {
		r := e.do(t, http.MethodPost, "/api/v1/products")
		if r.Status != http.StatusMethodNotAllowed {
			t.Errorf("status %d", r.Status)
		}
	})
}

// failingCatalog fails every call with err, to drive the error paths.
type failingCatalog struct{ err error }

func (f failingCatalog) Search(context.Context, catalog.Query) (catalog.SearchResult, error) {
	return catalog.SearchResult{}, f.err
}
func (f failingCatalog) Product(context.Context, string) (catalog.ProductDetail, error) {
	return catalog.ProductDetail{}, f.err
}
func (f failingCatalog) Organization(context.Context, string) (catalog.OrganizationDetail, error) {
	return catalog.OrganizationDetail{}, f.err
}
func (f failingCatalog) Organizations(context.Context) ([]catalog.OrganizationSummary, error) {
	return nil, f.err
}
func (f failingCatalog) Categories(context.Context) ([]catalog.CategoryCount, error) {
	return nil, f.err
}
func (f failingCatalog) Level(context.Context, string, string) (catalog.ProductLevel, error) {
	return catalog.ProductLevel{}, f.err
}
func (f failingCatalog) Explain(context.Context, string, string) (catalog.Explanation, error) {
	return catalog.Explanation{}, f.err
}
func (f failingCatalog) Graph(context.Context) (*sovereignty.Graph, error) { return nil, f.err }
func (f failingCatalog) Impact(context.Context, []string) (*sovereignty.Impact, error) {
	return nil, f.err
}

// A server error is logged once with the request id and tells the client
// nothing about its cause.
func TestServerErrors(t *testing.T) {
	secret := errors.New(`pq: relation "products" password=hunter2 at 10.0.0.7`)
	tests := []struct {
		name   string
		err    error
		status int
	}{
		{"internal error", fmt.Errorf("search: %w", secret), http.StatusInternalServerError},
		{"timeout", fmt.Errorf("search: %w", context.DeadlineExceeded), http.StatusServiceUnavailable},
	}
	paths := []string{"/api/v1/products", "/api/v1/products/nextcloud", "/api/v1/organizations",
		"/api/v1/organizations/google", "/api/v1/categories", "/api/v1/categories/email",
		"/api/v1/products/nextcloud/dependencies", "/api/v1/products/cloudflare/dependents", "/api/v1/impact?failed=aws"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, failingCatalog{tt.err})
			for _, path := range paths {
				r := e.get(t, path)
				var p problem
				r.decode(t, &p)
				if r.Status != tt.status || p.Status != tt.status {
					t.Errorf("%s: status %d, want %d", path, r.Status, tt.status)
				}
				if strings.Contains(string(r.Body), "hunter2") || strings.Contains(string(r.Body), "pq:") || strings.Contains(p.Detail, "deadline") {
					t.Errorf("%s: the problem leaks the cause: %s", path, r.Body)
				}
				if n := strings.Count(e.logs.String(), p.RequestID); p.RequestID == "" || n != 1 {
					t.Errorf("%s: request %q logged %d times:\n%s", path, p.RequestID, n, e.logs.String())
				}
			}
			if n := strings.Count(e.logs.String(), "\n"); n != len(paths) {
				t.Errorf("%d log lines for %d failed requests", n, len(paths))
			}
		})
	}
	t.Run("client errors are not logged", func(t *testing.T) {
		e := newEnvWith(t, failingCatalog{catalog.ErrNotFound})
		if r := e.get(t, "/api/v1/products/nextcloud"); r.Status != http.StatusNotFound {
			t.Errorf("status %d", r.Status)
		}
		if e.logs.String() != "" {
			t.Errorf("logged: %s", e.logs.String())
		}
	})
}
