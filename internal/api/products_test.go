package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// The test's own view of the contract, decoded from the wire.
type (
	productSummary struct {
		Slug     string `json:"slug"`
		Name     string `json:"name"`
		Kind     string `json:"kind"`
		Category string `json:"category"`
		Vendor   struct {
			Slug    string `json:"slug"`
			Country string `json:"country"`
		} `json:"vendor"`
		OpenSource       string    `json:"open_source"`
		VendorHosted     string    `json:"vendor_hosted"`
		SelfHostable     string    `json:"self_hostable"`
		HostingCountries []string  `json:"hosting_countries"`
		UpdatedAt        time.Time `json:"updated_at"`
		Level            *level    `json:"level"`
	}
	facetCount struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	}
	pageLinks struct {
		Self string  `json:"self"`
		Next *string `json:"next"`
	}
	productList struct {
		Data  []productSummary `json:"data"`
		Links pageLinks        `json:"links"`
		Meta  struct {
			Total      int                     `json:"total"`
			Facets     map[string][]facetCount `json:"facets"`
			License    string                  `json:"license"`
			LicenseURL string                  `json:"license_url"`
		} `json:"meta"`
	}
)

func (l productList) slugs() []string {
	out := make([]string, len(l.Data))
	for i, p := range l.Data {
		out[i] = p.Slug
	}
	return out
}

func TestProducts_List(t *testing.T) {
	e := newEnv(t)
	var all productList
	e.getOK(t, "/api/v1/products?page[size]=100", &all)
	if all.Meta.Total < 60 || len(all.Data) != min(all.Meta.Total, 100) {
		t.Fatalf("unfiltered: total %d, %d items; want ≥ 60, all on one page", all.Meta.Total, len(all.Data))
	}
	count := func(facet, value string) int {
		for _, f := range all.Meta.Facets[facet] {
			if f.Value == value {
				return f.Count
			}
		}
		return 0
	}

	tests := []struct {
		name  string
		query string
		check func(t *testing.T, l productList)
	}{
		{"default: first page of 20 by name, with licence", "", func(t *testing.T, l productList) {
			if len(l.Data) != 20 || l.Links.Next == nil {
				t.Errorf("got %d items, next %v; want 20 and a next link", len(l.Data), l.Links.Next)
			}
			if !slices.IsSortedFunc(l.Data, func(a, b productSummary) int {
				return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
			}) {
				t.Errorf("not sorted by name: %v", l.slugs())
			}
			if l.Meta.License != "CC-BY-4.0" || l.Meta.LicenseURL != "https://creativecommons.org/licenses/by/4.0/" {
				t.Errorf("licence %q %q", l.Meta.License, l.Meta.LicenseURL)
			}
		}},
		{"trigram finds a misspelling", "q=nextclod", func(t *testing.T, l productList) {
			if len(l.Data) == 0 || l.Data[0].Slug != "nextcloud" {
				t.Errorf("nextclod → %v, want nextcloud first", l.slugs())
			}
		}},
		{"German word finds video conferencing", "q=Videokonferenz", func(t *testing.T, l productList) {
			got := l.slugs()
			for _, want := range []string{"jitsi-meet", "bigbluebutton", "microsoft-teams"} {
				if !slices.Contains(got, want) {
					t.Errorf("Videokonferenz → %v, missing %s", got, want)
				}
			}
		}},
		{"exact name ranks first", "q=Cloudflare", func(t *testing.T, l productList) {
			if len(l.Data) == 0 || l.Data[0].Slug != "cloudflare" {
				t.Errorf("Cloudflare → %v, want cloudflare first", l.slugs())
			}
		}},
		{"search combines with a vendor country filter", "q=Videokonferenz&vendor_country=DE", func(t *testing.T, l productList) {
			if len(l.Data) == 0 {
				t.Fatal("no German video conferencing product")
			}
			for _, p := range l.Data {
				if p.Vendor.Country != "DE" {
					t.Errorf("%s: vendor country %s", p.Slug, p.Vendor.Country)
				}
				if p.Slug == "microsoft-teams" {
					t.Errorf("microsoft-teams passed the DE filter")
				}
			}
		}},
		{"category filter", "category=video-conferencing&page[size]=100", func(t *testing.T, l productList) {
			if l.Meta.Total != count("category", "video-conferencing") || l.Meta.Total == 0 {
				t.Errorf("total %d, facet said %d", l.Meta.Total, count("category", "video-conferencing"))
			}
			for _, p := range l.Data {
				if p.Category != "video-conferencing" {
					t.Errorf("%s in %s", p.Slug, p.Category)
				}
			}
		}},
		{"repeated kind values are alternatives", "kind=saas&kind=iaas&page[size]=100", func(t *testing.T, l productList) {
			if want := count("kind", "saas") + count("kind", "iaas"); l.Meta.Total != want {
				t.Errorf("total %d, want %d (saas + iaas)", l.Meta.Total, want)
			}
			for _, p := range l.Data {
				if p.Kind != "saas" && p.Kind != "iaas" {
					t.Errorf("%s is %s", p.Slug, p.Kind)
				}
			}
		}},
		{"repeated categories are alternatives", "category=email&category=messaging&page[size]=100", func(t *testing.T, l productList) {
			if want := count("category", "email") + count("category", "messaging"); l.Meta.Total != want {
				t.Errorf("total %d, want %d", l.Meta.Total, want)
			}
		}},
		{"open source only", "open_source=yes&page[size]=100", func(t *testing.T, l productList) {
			if l.Meta.Total != count("open_source", "yes") {
				t.Errorf("total %d, facet said %d", l.Meta.Total, count("open_source", "yes"))
			}
			for _, p := range l.Data {
				if p.OpenSource != "yes" {
					t.Errorf("%s: open_source %s", p.Slug, p.OpenSource)
				}
			}
		}},
		{"repeated deployments are alternatives", "deployment=vendor_hosted&deployment=self_hostable&page[size]=100", func(t *testing.T, l productList) {
			// Both deployments are counted separately in the facets; a product
			// may have both, so the union is at least the larger count.
			if l.Meta.Total < max(count("deployment", "vendor_hosted"), count("deployment", "self_hostable")) {
				t.Errorf("total %d is below a single deployment's count (%d, %d): the values were combined with AND",
					l.Meta.Total, count("deployment", "vendor_hosted"), count("deployment", "self_hostable"))
			}
		}},
		{"self-hostable only", "deployment=self_hostable&page[size]=100", func(t *testing.T, l productList) {
			if l.Meta.Total != count("deployment", "self_hostable") || l.Meta.Total == 0 {
				t.Errorf("total %d, facet said %d", l.Meta.Total, count("deployment", "self_hostable"))
			}
			for _, p := range l.Data {
				if p.SelfHostable != "yes" {
					t.Errorf("%s: self_hostable %s", p.Slug, p.SelfHostable)
				}
			}
		}},
		{"hosting country in lower case", "hosting_country=de&page[size]=100", func(t *testing.T, l productList) {
			if l.Meta.Total == 0 {
				t.Fatal("nothing hosted in DE")
			}
			for _, p := range l.Data {
				if !slices.Contains(p.HostingCountries, "DE") {
					t.Errorf("%s hosted in %v", p.Slug, p.HostingCountries)
				}
			}
		}},
		{"every filter at once", "q=cloud&vendor_country=DE&vendor_country=FR&kind=iaas&sort=name", func(t *testing.T, l productList) {
			if len(l.Data) == 0 {
				t.Fatal("no European IaaS matching cloud")
			}
			for _, p := range l.Data {
				if p.Kind != "iaas" || (p.Vendor.Country != "DE" && p.Vendor.Country != "FR") {
					t.Errorf("%s: %s from %s", p.Slug, p.Kind, p.Vendor.Country)
				}
			}
		}},
		{"sorted by last update", "sort=updated&page[size]=100", func(t *testing.T, l productList) {
			if !slices.IsSortedFunc(l.Data, func(a, b productSummary) int { return b.UpdatedAt.Compare(a.UpdatedAt) }) {
				t.Errorf("not newest first")
			}
		}},
		{"facet counts add up to the total", "q=cloud", func(t *testing.T, l productList) {
			sum := 0
			for _, f := range l.Meta.Facets["kind"] {
				sum += f.Count
			}
			if sum != l.Meta.Total || l.Meta.Total == 0 {
				t.Errorf("kind facet sums to %d, total %d", sum, l.Meta.Total)
			}
		}},
		{"nothing matches", "q=zzzxxyqqq", func(t *testing.T, l productList) {
			if l.Meta.Total != 0 || len(l.Data) != 0 || l.Links.Next != nil {
				t.Errorf("got %v", l.slugs())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l productList
			e.getOK(t, "/api/v1/products?"+tt.query, &l)
			tt.check(t, l)
		})
	}
}

// Search text is never a cause for a server error, whatever it holds.
func TestProducts_HostileSearchText(t *testing.T) {
	e := newEnv(t)
	texts := map[string]string{
		"SQL metacharacters":      `'; DROP TABLE products; --`,
		"tsquery syntax":          `!(a & b) | c:* <-> "d`,
		"LIKE and regex patterns": `%_\[^$].*+?(){}`,
		"NUL bytes":               "next\x00cloud",
		"only NUL":                "\x00",
		"very long":               strings.Repeat("Videokonferenz ", 1000),
		"many words":              strings.Repeat("a b c d e f g h i j ", 30),
		"Cyrillic":                "видеоконференция",
		"Chinese":                 "视频会议",
		"Arabic, right to left":   "مؤتمر فيديو",
		"emoji":                   "☁️📹🔒",
		"combining accents":       "Vide\u0301okonfe\u0301renz",
		"only punctuation":        "&|!:*()<>",
		"whitespace only":         " \t\n ",
		"percent and plus":        "100% + 50%",
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			r := e.get(t, "/api/v1/products?q="+url.QueryEscape(text))
			if r.Status != http.StatusOK {
				t.Errorf("status %d: %s", r.Status, r.Body)
			}
		})
	}
	t.Run("invalid UTF-8", func(t *testing.T) {
		if r := e.get(t, "/api/v1/products?q=%ff%fe"); r.Status != http.StatusOK {
			t.Errorf("status %d: %s", r.Status, r.Body)
		}
	})
}

// Walking the next links visits every match exactly once, in every order.
func TestProducts_CursorPagination(t *testing.T) {
	e := newEnv(t)
	for _, query := range []string{
		"page[size]=7",
		"sort=updated&page[size]=7",
		"q=cloud&page[size]=3",
		"q=Videokonferenz&sort=relevance&page[size]=1",
		"kind=saas&kind=iaas&sort=name&page[size]=9",
	} {
		t.Run(query, func(t *testing.T) {
			walked, total := walk(t, e, "/api/v1/products?"+query)
			if len(walked) != total {
				t.Errorf("walked %d products, total says %d", len(walked), total)
			}
			seen := map[string]bool{}
			for _, s := range walked {
				if seen[s] {
					t.Errorf("%s seen twice", s)
				}
				seen[s] = true
			}
			// The same listing in one page has the same order: no gaps.
			vals, _ := url.ParseQuery(query)
			vals.Set("page[size]", "100")
			var whole productList
			e.getOK(t, "/api/v1/products?"+vals.Encode(), &whole)
			if !slices.Equal(walked, whole.slugs()) {
				t.Errorf("pages differ from the whole list:\n walked %v\n whole  %v", walked, whole.slugs())
			}
		})
	}
}

// walk follows links.next from path and returns the slugs in order with
// the total the first page reported.
func walk(t *testing.T, e *env, path string) ([]string, int) {
	t.Helper()
	var slugs []string
	total := -1
	for page := 0; path != ""; page++ {
		if page > 200 {
			t.Fatal("more than 200 pages: the cursor does not advance")
		}
		var l productList
		e.getOK(t, path, &l)
		if total == -1 {
			total = l.Meta.Total
		} else if l.Meta.Total != total {
			t.Errorf("page %d: total changed from %d to %d", page, total, l.Meta.Total)
		}
		slugs = append(slugs, l.slugs()...)
		path = ""
		if l.Links.Next != nil {
			path = *l.Links.Next
		}
	}
	return slugs, total
}
