package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

type impactDoc struct {
	Data struct {
		Failed   []string      `json:"failed"`
		Down     []impactEntry `json:"down"`
		Degraded []impactEntry `json:"degraded"`
	} `json:"data"`
	Meta struct {
		Counts struct {
			Failed   int `json:"failed"`
			Down     int `json:"down"`
			Degraded int `json:"degraded"`
		} `json:"counts"`
	} `json:"meta"`
}

type impactEntry struct {
	Slug        string   `json:"slug"`
	Depth       int      `json:"depth"`
	Via         string   `json:"via"`
	Criticality string   `json:"criticality"`
	Path        []string `json:"path"`
}

func slugsOf(es []impactEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Slug
	}
	return out
}

func TestImpact(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		query         string
		down, notDown []string
	}{
		{"failed=cloudflare", []string{"chatgpt", "mistral-le-chat", "perplexity", "x"}, []string{"camocopy", "cloudflare"}},
		{"failed=aws", []string{"perplexity"}, []string{"aws"}},
		{"failed=cloudflare,aws", []string{"chatgpt", "mistral-le-chat", "perplexity", "x"}, []string{"camocopy"}},
		{"failed=cloudflare&failed=aws", []string{"chatgpt", "mistral-le-chat", "perplexity", "x"}, []string{"camocopy"}},
		{"failed=aws,aws", []string{"perplexity"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var d impactDoc
			e.getOK(t, "/api/v1/impact?"+tt.query, &d)
			down := slugsOf(d.Data.Down)
			for _, want := range tt.down {
				if !slices.Contains(down, want) {
					t.Errorf("down %v lacks %s", down, want)
				}
			}
			for _, not := range tt.notDown {
				if slices.Contains(down, not) {
					t.Errorf("%s is down: %v", not, down)
				}
			}
			c := d.Meta.Counts
			if c.Failed != len(d.Data.Failed) || c.Down != len(d.Data.Down) || c.Degraded != len(d.Data.Degraded) {
				t.Errorf("counts %+v for %d failed, %d down, %d degraded", c, len(d.Data.Failed), len(d.Data.Down), len(d.Data.Degraded))
			}
			for _, en := range append(slices.Clone(d.Data.Down), d.Data.Degraded...) {
				p := en.Path
				if len(p) != en.Depth+1 || p[len(p)-1] != en.Slug || !slices.Contains(d.Data.Failed, p[0]) || p[len(p)-2] != en.Via {
					t.Errorf("%s: depth %d, via %s, path %v", en.Slug, en.Depth, en.Via, p)
				}
			}
		})
	}
	t.Run("the failed products, each once, as given", func(t *testing.T) {
		var d impactDoc
		e.getOK(t, "/api/v1/impact?failed=aws,cloudflare&failed=aws", &d)
		if !slices.Equal(d.Data.Failed, []string{"aws", "cloudflare"}) {
			t.Errorf("failed %v", d.Data.Failed)
		}
	})
	t.Run("commas and repetition are the same", func(t *testing.T) {
		a := e.get(t, "/api/v1/impact?failed=cloudflare,aws")
		b := e.get(t, "/api/v1/impact?failed=cloudflare&failed=aws")
		var da, db impactDoc
		a.decode(t, &da)
		b.decode(t, &db)
		if !slices.Equal(slugsOf(da.Data.Down), slugsOf(db.Data.Down)) {
			t.Errorf("%v vs %v", slugsOf(da.Data.Down), slugsOf(db.Data.Down))
		}
	})
}

func TestImpact_BadInput(t *testing.T) {
	e := newEnv(t)
	many := make([]string, 25)
	for i := range many {
		many[i] = "aws"
	}
	tests := []struct {
		name, query, mention string
	}{
		{"unknown slug", "failed=cloudflare,no-such-product", "no-such-product"},
		{"malformed slug", "failed=Not_A_Slug", "Not_A_Slug"},
		{"empty", "failed=", "at least one"},
		{"only commas", "failed=,,", "at least one"},
		{"missing", "", "at least one"},
		{"25 products", "failed=" + strings.Join(many, ","), "at most 20"},
		{"25 repeated parameters", "failed=" + strings.Join(many, "&failed="), "at most 20"},
		{"a perspective", "failed=aws&perspective=eu", "perspective"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, "/api/v1/impact?"+tt.query)
			var p problem
			r.decode(t, &p)
			if r.Status != http.StatusBadRequest || !strings.Contains(p.Detail, tt.mention) {
				t.Fatalf("status %d, want 400 mentioning %q: %s", r.Status, tt.mention, r.Body)
			}
			param := "failed"
			if tt.name == "a perspective" {
				param = "perspective"
			}
			if len(p.Errors) == 0 || p.Errors[0].Parameter != param {
				t.Errorf("errors %+v; want the parameter %s named", p.Errors, param)
			}
		})
	}
}
