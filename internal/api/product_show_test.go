package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

type (
	fact[T any] struct {
		Value   *T       `json:"value"`
		Known   bool     `json:"known"`
		Sources []string `json:"sources"`
	}
	productRef struct {
		Slug string `json:"slug"`
	}
	product struct {
		Slug   string `json:"slug"`
		Vendor struct {
			Slug    string               `json:"slug"`
			Country string               `json:"country"`
			Facts   map[string]fact[any] `json:"facts"`
		} `json:"vendor"`
		Category struct {
			Slug string `json:"slug"`
		} `json:"category"`
		Facts     map[string]fact[string] `json:"facts"`
		Offerings []struct {
			Operator struct {
				Slug  string               `json:"slug"`
				Name  string               `json:"name"`
				Facts map[string]fact[any] `json:"facts"`
			} `json:"operator"`
			Facts struct {
				DataLocations fact[[]struct {
					Country string `json:"country"`
				}] `json:"data_locations"`
				SupportLocations fact[[]string] `json:"support_locations"`
				KeyManagement    fact[string]   `json:"key_management"`
				GoverningLaw     fact[string]   `json:"governing_law"`
				SubprocessorList fact[string]   `json:"subprocessor_list"`
			} `json:"facts"`
			Certifications []struct {
				Sources []string `json:"sources"`
			} `json:"certifications"`
		} `json:"offerings"`
		Dependencies []struct {
			Provider    productRef `json:"provider"`
			Role        string     `json:"role"`
			Criticality string     `json:"criticality"`
			Sources     []string   `json:"sources"`
		} `json:"dependencies"`
		Dependents []struct {
			Consumer productRef `json:"consumer"`
			Role     string     `json:"role"`
		} `json:"dependents"`
		Alternatives struct {
			Replaces   []productRef `json:"replaces"`
			ReplacedBy []productRef `json:"replaced_by"`
		} `json:"alternatives"`
		Adoptions []struct {
			Body     string   `json:"body"`
			Replaces *string  `json:"replaces"`
			Sources  []string `json:"sources"`
		} `json:"adoptions"`
		Level       *level      `json:"level"`
		Explanation explanation `json:"explanation"`
		Sources     map[string]struct {
			URL string `json:"url"`
		} `json:"sources"`
	}
	productDoc struct {
		Data product `json:"data"`
		Meta struct {
			License     string `json:"license"`
			Perspective string `json:"perspective"`
		} `json:"meta"`
	}
)

// citedKeys lists every source key the product cites, wherever it sits.
func (p product) citedKeys() []string {
	var keys []string
	for _, f := range p.Facts {
		keys = append(keys, f.Sources...)
	}
	for _, f := range p.Vendor.Facts {
		keys = append(keys, f.Sources...)
	}
	for _, o := range p.Offerings {
		for _, f := range o.Operator.Facts {
			keys = append(keys, f.Sources...)
		}
		f := o.Facts
		keys = append(keys, f.DataLocations.Sources...)
		keys = append(keys, f.SupportLocations.Sources...)
		keys = append(keys, f.KeyManagement.Sources...)
		keys = append(keys, f.GoverningLaw.Sources...)
		keys = append(keys, f.SubprocessorList.Sources...)
		for _, c := range o.Certifications {
			keys = append(keys, c.Sources...)
		}
	}
	for _, d := range p.Dependencies {
		keys = append(keys, d.Sources...)
	}
	for _, a := range p.Adoptions {
		keys = append(keys, a.Sources...)
	}
	return append(keys, p.Explanation.citedKeys()...)
}

func TestProducts_Show(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		slug  string
		check func(t *testing.T, p product)
	}{
		{"perplexity", func(t *testing.T, p product) {
			want := map[string]string{"aws": "compute_hosting", "cloudflare": "cdn_proxy_tls"}
			for _, d := range p.Dependencies {
				if role, ok := want[d.Provider.Slug]; ok {
					if d.Role != role || d.Criticality != "critical" || len(d.Sources) == 0 {
						t.Errorf("perplexity → %s: role %s, criticality %s, sources %v", d.Provider.Slug, d.Role, d.Criticality, d.Sources)
					}
					delete(want, d.Provider.Slug)
				}
			}
			if len(want) > 0 {
				t.Errorf("missing dependencies on %v", want)
			}
			if lic := p.Facts["license"]; lic.Known || lic.Value != nil {
				t.Errorf("licence is unknown in the seed, got %+v", lic)
			}
			if vh := p.Facts["vendor_hosted"]; !vh.Known || vh.Value == nil || *vh.Value != "yes" || len(vh.Sources) == 0 {
				t.Errorf("vendor_hosted: %+v", vh)
			}
			if p.Vendor.Slug != "perplexity-ai" || p.Category.Slug != "ai-assistant" {
				t.Errorf("vendor %s, category %s", p.Vendor.Slug, p.Category.Slug)
			}
			if ln := p.Vendor.Facts["legal_name"]; !ln.Known || ln.Value == nil || (*ln.Value).(string) != "Perplexity AI, Inc." ||
				!slices.Contains(ln.Sources, "perplexity-privacy-2024") {
				t.Errorf("vendor legal name: %+v", ln)
			}
			if len(p.Offerings) == 1 && len(p.Offerings[0].Operator.Facts) != 4 {
				t.Errorf("operator facts: %+v", p.Offerings[0].Operator.Facts)
			}
			if len(p.Offerings) != 1 || p.Offerings[0].Operator.Slug != "perplexity-ai" || p.Offerings[0].Operator.Name == "" {
				t.Errorf("offerings: %+v", p.Offerings)
			}
			if !slices.ContainsFunc(p.Alternatives.Replaces, func(r productRef) bool { return r.Slug == "chatgpt" }) {
				t.Errorf("perplexity should replace chatgpt: %+v", p.Alternatives)
			}
		}},
		{"cloudflare", func(t *testing.T, p product) {
			var got []string
			for _, d := range p.Dependents {
				got = append(got, d.Consumer.Slug)
			}
			for _, want := range []string{"chatgpt", "mistral-le-chat", "perplexity", "x"} {
				if !slices.Contains(got, want) {
					t.Errorf("dependents %v lack %s", got, want)
				}
			}
		}},
		{"libreoffice", func(t *testing.T, p product) {
			if len(p.Adoptions) == 0 || p.Adoptions[0].Replaces == nil || *p.Adoptions[0].Replaces != "microsoft-365" {
				t.Errorf("adoptions: %+v", p.Adoptions)
			}
		}},
		{"microsoft-365", func(t *testing.T, p product) {
			if !slices.ContainsFunc(p.Alternatives.ReplacedBy, func(r productRef) bool { return r.Slug == "libreoffice" }) {
				t.Errorf("libreoffice should replace microsoft-365: %+v", p.Alternatives.ReplacedBy)
			}
		}},
		{"nextcloud", nil},
		{"x", nil},
		{"opendesk", nil},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			var d productDoc
			e.getOK(t, "/api/v1/products/"+tt.slug, &d)
			if d.Data.Slug != tt.slug || d.Meta.License != "CC-BY-4.0" {
				t.Fatalf("slug %q, licence %q", d.Data.Slug, d.Meta.License)
			}
			// Every cited source resolves, and nothing unused is listed.
			cited := d.Data.citedKeys()
			for _, k := range cited {
				if _, ok := d.Data.Sources[k]; !ok {
					t.Errorf("source %q is cited but not in sources", k)
				}
			}
			for k := range d.Data.Sources {
				if !slices.Contains(cited, k) {
					t.Errorf("source %q is listed but never cited", k)
				}
			}
			// Unknown means value null, known means a value and a source.
			for name, f := range d.Data.Facts {
				if f.Known != (f.Value != nil) || (f.Known && len(f.Sources) == 0) {
					t.Errorf("fact %s: %+v", name, f)
				}
			}
			for name, f := range d.Data.Vendor.Facts {
				if f.Known != (f.Value != nil) || (f.Known && len(f.Sources) == 0) {
					t.Errorf("vendor fact %s: %+v", name, f)
				}
			}
			if d.Data.Level == nil || d.Data.Level.Perspective != "eu" || d.Meta.Perspective != "eu" {
				t.Errorf("level %+v, meta perspective %q; want the default perspective eu", d.Data.Level, d.Meta.Perspective)
			}
			if tt.check != nil {
				tt.check(t, d.Data)
			}
		})
	}
}

// Every product in the catalogue renders and validates.
func TestProducts_ShowEvery(t *testing.T) {
	e := newEnv(t)
	slugs, _ := walk(t, e, "/api/v1/products?page[size]=100")
	for _, slug := range slugs {
		var d productDoc
		e.getOK(t, "/api/v1/products/"+slug, &d)
		cited := d.Data.citedKeys()
		for _, k := range cited {
			if _, ok := d.Data.Sources[k]; !ok {
				t.Errorf("%s: source %q is cited but not in sources", slug, k)
			}
		}
		for k := range d.Data.Sources {
			if !slices.Contains(cited, k) {
				t.Errorf("%s: source %q is listed but never cited", slug, k)
			}
		}
	}
}

func TestProducts_ShowUnknown(t *testing.T) {
	e := newEnv(t)
	for name, path := range map[string]string{
		"unknown slug":       "/api/v1/products/no-such-product",
		"malformed slug":     "/api/v1/products/NOT_A_SLUG",
		"SQL in the slug":    "/api/v1/products/x'%20OR%20'1'='1",
		"NUL in the slug":    "/api/v1/products/next%00cloud",
		"very long slug":     "/api/v1/products/a" + strings.Repeat("-a", 200),
		"unicode slug":       "/api/v1/products/%E2%98%81",
		"percent-encoded ..": "/api/v1/products/%2e%2e",
	} {
		t.Run(name, func(t *testing.T) {
			r := e.get(t, path)
			if r.Status != http.StatusNotFound {
				t.Errorf("status %d, want 404: %s", r.Status, r.Body)
			}
		})
	}
}
