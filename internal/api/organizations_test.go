package api_test

import (
	"net/http"
	"slices"
	"testing"
)

type (
	organizationSummary struct {
		Slug         string `json:"slug"`
		HQCountry    string `json:"hq_country"`
		ProductCount int    `json:"product_count"`
		Controlled   bool   `json:"controlled"`
	}
	organization struct {
		Slug         string                `json:"slug"`
		Facts        map[string]fact[any]  `json:"facts"`
		ControlChain []controlLink         `json:"control_chain"`
		Holdings     []organizationSummary `json:"holdings"`
		Products     []productSummary      `json:"products"`
		Sources      map[string]struct{}   `json:"sources"`
	}
	controlLink struct {
		Depth  int    `json:"depth"`
		Of     string `json:"of"`
		Holder struct {
			Slug      string       `json:"slug"`
			HQCountry fact[string] `json:"hq_country"`
		} `json:"holder"`
		Control string   `json:"control"`
		Sources []string `json:"sources"`
	}
)

func TestOrganizations_List(t *testing.T) {
	e := newEnv(t)
	var l struct {
		Data []organizationSummary `json:"data"`
		Meta struct {
			Total   int    `json:"total"`
			License string `json:"license"`
		} `json:"meta"`
	}
	e.getOK(t, "/api/v1/organizations", &l)
	if l.Meta.Total != len(l.Data) || l.Meta.License != "CC-BY-4.0" {
		t.Errorf("total %d for %d items, licence %q", l.Meta.Total, len(l.Data), l.Meta.License)
	}
	i := slices.IndexFunc(l.Data, func(o organizationSummary) bool { return o.Slug == "google" })
	if i < 0 || !l.Data[i].Controlled || l.Data[i].ProductCount == 0 {
		t.Errorf("google: %+v (index %d); want controlled, with products", l.Data, i)
	}
}

func TestOrganizations_Show(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		slug  string
		check func(t *testing.T, o organization)
	}{
		{"x-corp", func(t *testing.T, o organization) {
			var chain []string
			for _, l := range o.ControlChain {
				chain = append(chain, l.Holder.Slug)
			}
			if !slices.Equal(chain, []string{"xai", "spacex"}) || o.ControlChain[1].Depth != 2 {
				t.Fatalf("chain %v, want xai then spacex at depth 2", chain)
			}
			if o.ControlChain[0].Of != "x-corp" || o.ControlChain[1].Of != "xai" {
				t.Errorf("xai owns %q, spacex owns %q; want x-corp and xai", o.ControlChain[0].Of, o.ControlChain[1].Of)
			}
			if o.ControlChain[0].Control != "yes" || len(o.ControlChain[0].Sources) == 0 {
				t.Errorf("xai link: %+v", o.ControlChain[0])
			}
			if !slices.ContainsFunc(o.Products, func(p productSummary) bool { return p.Slug == "x" }) {
				t.Errorf("products: %+v", o.Products)
			}
		}},
		{"alphabet", func(t *testing.T, o organization) {
			if !slices.ContainsFunc(o.Holdings, func(h organizationSummary) bool { return h.Slug == "google" }) {
				t.Errorf("holdings: %+v", o.Holdings)
			}
		}},
		{"cloudflare", func(t *testing.T, o organization) {
			if len(o.ControlChain) != 0 {
				t.Errorf("no owner is recorded, got %+v", o.ControlChain)
			}
		}},
		{"schwarz-gruppe", nil},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			var d struct {
				Data organization `json:"data"`
			}
			e.getOK(t, "/api/v1/organizations/"+tt.slug, &d)
			o := d.Data
			cited := []string{}
			for _, f := range o.Facts {
				cited = append(cited, f.Sources...)
			}
			for _, l := range o.ControlChain {
				cited = append(cited, l.Sources...)
				cited = append(cited, l.Holder.HQCountry.Sources...)
			}
			for _, k := range cited {
				if _, ok := o.Sources[k]; !ok {
					t.Errorf("source %q is cited but not in sources", k)
				}
			}
			if tt.check != nil {
				tt.check(t, o)
			}
		})
	}
	t.Run("unknown slug", func(t *testing.T) {
		if r := e.get(t, "/api/v1/organizations/no-such-org"); r.Status != http.StatusNotFound {
			t.Errorf("status %d", r.Status)
		}
	})
}
