package api_test

import (
	"slices"
	"testing"
)

// The test's view of levels and explanations.
type (
	text  struct{ DE, EN string }
	level struct {
		Overall    int  `json:"overall"`
		Label      text `json:"label"`
		Objectives []struct {
			ID    string `json:"id"`
			Name  text   `json:"name"`
			Level *int   `json:"level"`
		} `json:"objectives"`
		Provisional bool   `json:"provisional"`
		Pessimistic int    `json:"pessimistic"`
		RuleVersion string `json:"rule_version"`
		Perspective string `json:"perspective"`
	}
	factRef struct {
		Subject string   `json:"subject"`
		Name    string   `json:"name"`
		Sources []string `json:"sources"`
	}
	criterion struct {
		ID        string `json:"id"`
		Name      text   `json:"name"`
		Level     *int   `json:"level"`
		Inherited bool   `json:"inherited"`
		Reason    text   `json:"reason"`
		Path      *struct {
			Steps []struct {
				Slug    string   `json:"slug"`
				Name    string   `json:"name"`
				Role    string   `json:"role"`
				Sources []string `json:"sources"`
			} `json:"steps"`
			Text text `json:"text"`
		} `json:"path"`
		Facts []factRef `json:"facts"`
	}
	explanation struct {
		Perspective string      `json:"perspective"`
		Overall     int         `json:"overall"`
		Binding     []criterion `json:"binding"`
		Criteria    []criterion `json:"criteria"`
		Coverage    struct {
			Known   int      `json:"known"`
			Total   int      `json:"total"`
			Missing []string `json:"missing"`
		} `json:"coverage"`
		Stale      []factRef `json:"stale"`
		SelfHosted *struct {
			Binding  []criterion `json:"binding"`
			Criteria []criterion `json:"criteria"`
		} `json:"self_hosted"`
	}
)

// keys lists the source keys a criterion cites: its facts' and, for an
// inherited level, the edges' of its path.
func (c criterion) keys() []string {
	var out []string
	for _, f := range c.Facts {
		out = append(out, f.Sources...)
	}
	if c.Path != nil {
		for _, s := range c.Path.Steps {
			out = append(out, s.Sources...)
		}
	}
	return out
}

func (x explanation) citedKeys() []string {
	var out []string
	crits := append(slices.Clone(x.Binding), x.Criteria...)
	if x.SelfHosted != nil {
		crits = append(append(crits, x.SelfHosted.Binding...), x.SelfHosted.Criteria...)
	}
	for _, c := range crits {
		out = append(out, c.keys()...)
	}
	for _, f := range x.Stale {
		out = append(out, f.Sources...)
	}
	return out
}

func TestProducts_Explanation(t *testing.T) {
	e := newEnv(t)
	usProviders := []string{"cloudflare", "microsoft-azure", "google-cloud", "cerebras-inference"}
	tests := []struct {
		slug, perspective string
		check             func(t *testing.T, p product)
	}{
		{"mistral-le-chat", "", func(t *testing.T, p product) {
			// Le Chat's own facts are French; its level is set by a US
			// provider, and the explanation says through which.
			found := false
			for _, c := range p.Explanation.Binding {
				if !c.Inherited || c.Path == nil || len(c.Path.Steps) == 0 {
					continue
				}
				if slices.Contains(usProviders, c.Path.Steps[0].Slug) {
					found = true
					if c.Path.Text.DE == "" || c.Path.Text.EN == "" || c.Path.Text.DE == c.Path.Text.EN {
						t.Errorf("%s: path text %+v; want German and English", c.ID, c.Path.Text)
					}
				}
			}
			if !found {
				t.Errorf("no binding constraint is inherited through %v: %+v", usProviders, p.Explanation.Binding)
			}
		}},
		{"mistral-le-chat", "ch", func(t *testing.T, p product) {
			if p.Explanation.Perspective != "ch" || p.Level.Perspective != "ch" {
				t.Errorf("explanation under %q, level under %q; want ch", p.Explanation.Perspective, p.Level.Perspective)
			}
		}},
		{"nextcloud", "", func(t *testing.T, p product) {
			if p.Explanation.SelfHosted == nil || len(p.Explanation.SelfHosted.Criteria) == 0 {
				t.Errorf("a self-hostable product has a self-hosted profile: %+v", p.Explanation.SelfHosted)
			}
		}},
		{"cloudflare", "", func(t *testing.T, p product) {
			if p.Explanation.SelfHosted != nil {
				t.Errorf("a CDN has no self-hosted profile")
			}
		}},
		{"x", "", nil},
		{"libreoffice", "de", nil},
	}
	for _, tt := range tests {
		t.Run(tt.slug+" "+tt.perspective, func(t *testing.T) {
			path := "/api/v1/products/" + tt.slug
			if tt.perspective != "" {
				path += "?perspective=" + tt.perspective
			}
			var d productDoc
			e.getOK(t, path, &d)
			x := d.Data.Explanation
			if d.Data.Level == nil || x.Overall != d.Data.Level.Overall {
				t.Errorf("explanation overall %d, stored level %+v", x.Overall, d.Data.Level)
			}
			if len(x.Binding) == 0 || len(x.Criteria) < len(x.Binding) {
				t.Fatalf("%d binding constraints of %d criteria", len(x.Binding), len(x.Criteria))
			}
			if x.Coverage.Total == 0 || x.Coverage.Known > x.Coverage.Total ||
				len(x.Coverage.Missing) != x.Coverage.Total-x.Coverage.Known {
				t.Errorf("coverage %+v", x.Coverage)
			}
			for _, c := range x.Binding {
				if c.Name.DE == "" || c.Name.EN == "" || c.Reason.DE == "" || c.Reason.EN == "" {
					t.Errorf("%s: name %+v, reason %+v; want both languages", c.ID, c.Name, c.Reason)
				}
				if c.Inherited != (c.Path != nil) {
					t.Errorf("%s: inherited %v, path %v", c.ID, c.Inherited, c.Path)
				}
				// A constraint that lowers the level rests on evidence; one at
				// RSL-4 may rest on an absence (no dependencies at all).
				keys := c.keys()
				if len(keys) == 0 && c.Level != nil && *c.Level < 4 {
					t.Errorf("%s at RSL-%d names no source", c.ID, *c.Level)
				}
				for _, k := range keys {
					if _, ok := d.Data.Sources[k]; !ok {
						t.Errorf("%s cites %q, which is not in sources", c.ID, k)
					}
				}
			}
			if tt.check != nil {
				tt.check(t, d.Data)
			}
		})
	}
}
