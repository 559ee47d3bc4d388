package api_test

import (
	"slices"
	"strconv"
	"testing"
)

// levelOf fetches a product's level under a perspective ("" = default).
func levelOf(t *testing.T, e *env, slug, perspective string) level {
	t.Helper()
	path := "/api/v1/products/" + slug
	if perspective != "" {
		path += "?perspective=" + perspective
	}
	var d productDoc
	e.getOK(t, path, &d)
	if d.Data.Level == nil {
		t.Fatalf("%s is not classified", slug)
	}
	want := perspective
	if want == "" {
		want = "eu"
	}
	if d.Data.Level.Perspective != want || d.Meta.Perspective != want {
		t.Errorf("%s: level under %q, meta says %q; want %q", slug, d.Data.Level.Perspective, d.Meta.Perspective, want)
	}
	return *d.Data.Level
}

func TestLevels_Perspective(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"a US product is not sovereign under any perspective", func(t *testing.T) {
			for _, p := range []string{"", "eu", "de", "ch", "eu-ch"} {
				if l := levelOf(t, e, "cloudflare", p); l.Overall != 0 {
					t.Errorf("cloudflare under %q: RSL-%d, want RSL-0", p, l.Overall)
				}
			}
		}},
		{"a Swiss product rises when Switzerland is home", func(t *testing.T) {
			eu, euch := levelOf(t, e, "proton-mail", "eu"), levelOf(t, e, "proton-mail", "eu-ch")
			if euch.Overall <= eu.Overall {
				t.Errorf("proton-mail: eu RSL-%d, eu-ch RSL-%d; want eu-ch higher", eu.Overall, euch.Overall)
			}
		}},
		{"a German product is foreign when only Switzerland is home", func(t *testing.T) {
			eu, ch := levelOf(t, e, "libreoffice", "eu"), levelOf(t, e, "libreoffice", "ch")
			if ch.Overall >= eu.Overall {
				t.Errorf("libreoffice: eu RSL-%d, ch RSL-%d; want ch lower", eu.Overall, ch.Overall)
			}
		}},
		{"the default is eu", func(t *testing.T) {
			if def, eu := levelOf(t, e, "nextcloud", ""), levelOf(t, e, "nextcloud", "eu"); def.Overall != eu.Overall {
				t.Errorf("default RSL-%d, eu RSL-%d", def.Overall, eu.Overall)
			}
		}},
		{"overall is the weakest objective, labelled in both languages", func(t *testing.T) {
			l := levelOf(t, e, "nextcloud", "")
			low := 5
			for i, o := range l.Objectives {
				if o.ID != "SOV-"+strconv.Itoa(i+1) || o.Name.DE == "" || o.Name.EN == "" {
					t.Errorf("objective %d: %+v", i, o)
				}
				if o.Level != nil {
					low = min(low, *o.Level)
				}
			}
			if len(l.Objectives) != 6 || low != l.Overall || l.Label.DE == "" || l.Label.EN == "" || l.RuleVersion == "" {
				t.Errorf("level %+v; want six objectives, the lowest %d as overall, labels and a rule version", l, low)
			}
		}},
		{"listings show the same level as the product", func(t *testing.T) {
			for _, p := range []string{"eu", "ch"} {
				var l struct {
					Data []struct {
						Slug  string `json:"slug"`
						Level *level `json:"level"`
					} `json:"data"`
					Meta struct {
						Perspective string `json:"perspective"`
					} `json:"meta"`
				}
				e.getOK(t, "/api/v1/products?q=libreoffice&perspective="+p, &l)
				if len(l.Data) == 0 || l.Data[0].Slug != "libreoffice" || l.Data[0].Level == nil || l.Meta.Perspective != p {
					t.Fatalf("search under %s: %+v", p, l)
				}
				if got, want := l.Data[0].Level.Overall, levelOf(t, e, "libreoffice", p).Overall; got != want {
					t.Errorf("%s: listing RSL-%d, product RSL-%d", p, got, want)
				}
			}
		}},
		{"an organisation's products under a perspective", func(t *testing.T) {
			for _, p := range []string{"eu", "eu-ch"} {
				var d struct {
					Data organization `json:"data"`
					Meta struct {
						Perspective string `json:"perspective"`
					} `json:"meta"`
				}
				e.getOK(t, "/api/v1/organizations/proton?perspective="+p, &d)
				if d.Meta.Perspective != p {
					t.Errorf("meta perspective %q", d.Meta.Perspective)
				}
				for _, pr := range d.Data.Products {
					if pr.Level == nil || pr.Level.Perspective != p || pr.Level.Overall != levelOf(t, e, pr.Slug, p).Overall {
						t.Errorf("%s under %s: %+v", pr.Slug, p, pr.Level)
					}
				}
				if len(d.Data.Products) == 0 {
					t.Errorf("proton has no products")
				}
			}
		}},
		{"a category's products under a perspective", func(t *testing.T) {
			var d categoryDoc
			e.getOK(t, "/api/v1/categories/email?perspective=ch&page[size]=100", &d)
			for _, p := range d.Data.Products {
				if p.Level == nil || p.Level.Perspective != "ch" {
					t.Errorf("%s: %+v", p.Slug, p.Level)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

func TestProducts_LevelFilter(t *testing.T) {
	e := newEnv(t)
	for _, persp := range []string{"eu", "ch"} {
		t.Run(persp, func(t *testing.T) {
			var all productList
			e.getOK(t, "/api/v1/products?page[size]=100&perspective="+persp, &all)
			facet := map[string]int{}
			sum := 0
			for _, f := range all.Meta.Facets["level"] {
				facet[f.Value] = f.Count
				sum += f.Count
				if n, err := strconv.Atoi(f.Value); err != nil || n < 0 || n > 4 {
					t.Errorf("facet value %q", f.Value)
				}
			}
			if sum == 0 || sum > all.Meta.Total {
				t.Errorf("level facet sums to %d of %d products", sum, all.Meta.Total)
			}
			tests := []struct {
				name   string
				query  string
				levels []int
			}{
				{"not sovereign", "level=0", []int{0}},
				{"sovereign or largely", "level=3&level=4", []int{3, 4}},
				{"every level", "level=0&level=1&level=2&level=3&level=4", []int{0, 1, 2, 3, 4}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var l productList
					e.getOK(t, "/api/v1/products?page[size]=100&perspective="+persp+"&"+tt.query, &l)
					want := 0
					for _, lv := range tt.levels {
						want += facet[strconv.Itoa(lv)]
					}
					if l.Meta.Total != want {
						t.Errorf("total %d, the facet says %d", l.Meta.Total, want)
					}
					for _, p := range l.Data {
						if p.Level == nil || !slices.Contains(tt.levels, p.Level.Overall) || p.Level.Perspective != persp {
							t.Errorf("%s: %+v", p.Slug, p.Level)
						}
					}
				})
			}
		})
	}
}
