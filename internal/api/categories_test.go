package api_test

import (
	"net/http"
	"slices"
	"testing"
)

type categoryDoc struct {
	Data struct {
		Slug         string           `json:"slug"`
		ProductCount int              `json:"product_count"`
		Products     []productSummary `json:"products"`
	} `json:"data"`
	Links pageLinks `json:"links"`
	Meta  struct {
		Total int `json:"total"`
	} `json:"meta"`
}

func TestCategories_List(t *testing.T) {
	e := newEnv(t)
	type category struct {
		Slug         string `json:"slug"`
		Name         struct{ DE, EN string }
		ProductCount int `json:"product_count"`
	}
	var l struct {
		Data []category `json:"data"`
	}
	e.getOK(t, "/api/v1/categories", &l)
	i := slices.IndexFunc(l.Data, func(c category) bool { return c.Slug == "video-conferencing" })
	if i < 0 || l.Data[i].Name.DE != "Videokonferenz" || l.Data[i].ProductCount < 4 {
		t.Errorf("video-conferencing: %+v", l.Data)
	}
}

func TestCategories_Show(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, query string
		check       func(t *testing.T, d categoryDoc)
	}{
		{"all its products", "", func(t *testing.T, d categoryDoc) {
			if d.Meta.Total != d.Data.ProductCount || len(d.Data.Products) != d.Meta.Total {
				t.Errorf("total %d, product_count %d, %d products", d.Meta.Total, d.Data.ProductCount, len(d.Data.Products))
			}
			for _, p := range d.Data.Products {
				if p.Category != "video-conferencing" {
					t.Errorf("%s is in %s", p.Slug, p.Category)
				}
			}
		}},
		{"filtered by vendor country", "?vendor_country=US", func(t *testing.T, d categoryDoc) {
			if d.Meta.Total == 0 || d.Meta.Total >= d.Data.ProductCount {
				t.Errorf("total %d of %d", d.Meta.Total, d.Data.ProductCount)
			}
			for _, p := range d.Data.Products {
				if p.Vendor.Country != "US" || p.Category != "video-conferencing" {
					t.Errorf("%s: %s, %s", p.Slug, p.Vendor.Country, p.Category)
				}
			}
		}},
		{"searched", "?q=jitsi", func(t *testing.T, d categoryDoc) {
			if len(d.Data.Products) == 0 || d.Data.Products[0].Slug != "jitsi-meet" {
				t.Errorf("products %+v", d.Data.Products)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d categoryDoc
			e.getOK(t, "/api/v1/categories/video-conferencing"+tt.query, &d)
			tt.check(t, d)
		})
	}
	t.Run("paginated without gaps", func(t *testing.T) {
		var whole categoryDoc
		e.getOK(t, "/api/v1/categories/video-conferencing?page[size]=100", &whole)
		var walked []string
		for path := "/api/v1/categories/video-conferencing?page[size]=2"; path != ""; {
			var d categoryDoc
			e.getOK(t, path, &d)
			for _, p := range d.Data.Products {
				walked = append(walked, p.Slug)
			}
			path = ""
			if d.Links.Next != nil {
				path = *d.Links.Next
			}
		}
		var want []string
		for _, p := range whole.Data.Products {
			want = append(want, p.Slug)
		}
		if !slices.Equal(walked, want) || len(want) < 3 {
			t.Errorf("walked %v, want %v", walked, want)
		}
	})
	t.Run("unknown category", func(t *testing.T) {
		if r := e.get(t, "/api/v1/categories/no-such-category"); r.Status != http.StatusNotFound {
			t.Errorf("status %d: %s", r.Status, r.Body)
		}
	})
}
