package api_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sovereignty-registry/registry/internal/api"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

type impactDoc struct {
	Data struct {
		Failed   []string      `json:"failed"`
		Down     []impactEntry `json:"down"`
		Degraded []impactEntry `json:"degraded"`
	} `json:"data"`
	Links struct {
		Self string  `json:"self"`
		Next *string `json:"next"`
	} `json:"links"`
	Meta struct {
		Counts impactCounts `json:"counts"`
	} `json:"meta"`
}

type impactCounts struct {
	Failed   int `json:"failed"`
	Down     int `json:"down"`
	Degraded int `json:"degraded"`
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

// outageCatalog is the seeded catalogue with an outage graph of its own,
// larger than the seed's, for paging: hub carries down-1 … down-130
// (critical compute hosting), each of deep-1 … deep-30 needs one of those,
// deg-1 … deg-60 lose their telemetry with hub, and each of degdeep-1 …
// degdeep-10 needs one of those: 160 products go down and 70 degrade when
// hub fails; nothing depends on idle. Other slugs go to the seeded service.
type outageCatalog struct {
	*catalog.Service
	g *sovereignty.Graph
}

func newOutageCatalog(t *testing.T) outageCatalog {
	t.Helper()
	nodes := []sovereignty.GraphNode{{ID: "hub", Name: "Hub"}, {ID: "idle"}}
	var edges []sovereignty.GraphEdge
	add := func(prefix string, n int, provider func(i int) string, role string, crit sovereignty.Criticality) {
		for i := 1; i <= n; i++ {
			p := slices.IndexFunc(nodes, func(n sovereignty.GraphNode) bool { return n.ID == provider(i) })
			if p < 0 {
				t.Fatalf("no provider %s", provider(i))
			}
			edges = append(edges, sovereignty.GraphEdge{Consumer: int32(len(nodes)), Provider: int32(p), Role: role, Criticality: crit})
			nodes = append(nodes, sovereignty.GraphNode{ID: fmt.Sprintf("%s-%d", prefix, i)})
		}
	}
	hub := func(int) string { return "hub" }
	add("down", 130, hub, "compute_hosting", sovereignty.Critical)
	add("deep", 30, func(i int) string { return fmt.Sprintf("down-%d", 131-i) }, "storage", sovereignty.Critical)
	add("deg", 60, hub, "analytics_telemetry", sovereignty.Degrading)
	add("degdeep", 10, func(i int) string { return fmt.Sprintf("deg-%d", 2*i) }, "component", sovereignty.Critical)
	return outageCatalog{catalog.NewService(storetest.Seeded(t)), sovereignty.NewGraph(nodes, edges)}
}

func (o outageCatalog) Impact(ctx context.Context, failed []string) (*sovereignty.Impact, error) {
	for _, f := range failed {
		if !o.g.Has(f) {
			return o.Service.Impact(ctx, failed)
		}
	}
	return o.g.Impact(failed...)
}

// walkImpact follows links.next from path to the last page, checking each
// page on the way: the counts (the totals of want) and the failed products
// on every page, pages of exactly size entries but the last, which has no
// next link, down entries never after degraded ones, and every path. It
// returns the slugs of the down and of the degraded entries in order.
func walkImpact(t *testing.T, e *env, path string, size int, want impactCounts) (down, degraded []string) {
	t.Helper()
	for pages := 0; ; pages++ {
		if pages > want.Down+want.Degraded+1 {
			t.Fatalf("more pages than entries, from %s", path)
		}
		var d impactDoc
		e.getOK(t, path, &d)
		if d.Meta.Counts != want {
			t.Errorf("%s: counts %+v, want %+v", path, d.Meta.Counts, want)
		}
		if len(d.Data.Failed) != want.Failed {
			t.Errorf("%s: failed %v", path, d.Data.Failed)
		}
		if len(d.Data.Degraded) > 0 && len(down)+len(d.Data.Down) < want.Down {
			t.Errorf("%s: degraded entries before the last down one", path)
		}
		for _, en := range append(slices.Clone(d.Data.Down), d.Data.Degraded...) {
			p := en.Path
			if len(p) != en.Depth+1 || p[len(p)-1] != en.Slug || !slices.Contains(d.Data.Failed, p[0]) || p[len(p)-2] != en.Via {
				t.Errorf("%s: depth %d, via %s, path %v", en.Slug, en.Depth, en.Via, p)
			}
		}
		down, degraded = append(down, slugsOf(d.Data.Down)...), append(degraded, slugsOf(d.Data.Degraded)...)
		n := len(d.Data.Down) + len(d.Data.Degraded)
		if d.Links.Next == nil {
			if n > size || (n == 0 && pages > 0) {
				t.Errorf("%s: last page of %d entries, size %d", path, n, size)
			}
			return down, degraded
		}
		if n != size {
			t.Errorf("%s: %d entries and a next link, size %d", path, n, size)
		}
		if !strings.Contains(*d.Links.Next, "page%5Bafter%5D=") {
			t.Errorf("next link %s lacks page[after]", *d.Links.Next)
		}
		path = *d.Links.Next
	}
}

func TestImpact_Paging(t *testing.T) {
	cat := newOutageCatalog(t)
	e := newEnvWith(t, cat)
	tests := []struct {
		failed []string
		query  string // the rest of the query; "" for the default page size
		size   int
	}{
		{[]string{"hub"}, "", 20},
		{[]string{"hub"}, "&page[size]=100", 100},
		{[]string{"hub"}, "&page[size]=7", 7},
		{[]string{"hub"}, "&page[size]=1", 1},
		{[]string{"hub", "idle"}, "&page[size]=33", 33},
		{[]string{"idle"}, "", 20},
		{[]string{"cloudflare"}, "&page[size]=1", 1},
		{[]string{"cloudflare", "aws"}, "&page[size]=2", 2},
		{[]string{"aws", "cloudflare"}, "&page[size]=3", 3},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.failed, ",")+tt.query, func(t *testing.T) {
			// The engine's own result is the order to expect.
			im, err := cat.Impact(context.Background(), tt.failed)
			if err != nil {
				t.Fatal(err)
			}
			var wantDown, wantDegraded []string
			for _, en := range im.Down {
				wantDown = append(wantDown, en.ProductID)
			}
			for _, en := range im.Degraded {
				wantDegraded = append(wantDegraded, en.ProductID)
			}
			want := impactCounts{Failed: len(tt.failed), Down: len(wantDown), Degraded: len(wantDegraded)}
			down, degraded := walkImpact(t, e, "/api/v1/impact?failed="+strings.Join(tt.failed, ",")+tt.query, tt.size, want)
			if !slices.Equal(down, wantDown) {
				t.Errorf("down\n%v, want\n%v", down, wantDown)
			}
			if !slices.Equal(degraded, wantDegraded) {
				t.Errorf("degraded\n%v, want\n%v", degraded, wantDegraded)
			}
		})
	}
	t.Run("the outage of hub is large enough to page", func(t *testing.T) {
		var d impactDoc
		e.getOK(t, "/api/v1/impact?failed=hub", &d)
		if c := d.Meta.Counts; c.Down != 160 || c.Degraded != 70 || len(d.Data.Down) != 20 || len(d.Data.Degraded) != 0 {
			t.Errorf("counts %+v, %d down and %d degraded on the first page", c, len(d.Data.Down), len(d.Data.Degraded))
		}
	})
	t.Run("a page across the border of down and degraded", func(t *testing.T) {
		var d impactDoc
		e.getOK(t, "/api/v1/impact?failed=hub&page[size]=100", &d)
		e.getOK(t, *d.Links.Next, &d)
		if len(d.Data.Down) != 60 || len(d.Data.Degraded) != 40 || d.Links.Next == nil {
			t.Errorf("second page: %d down, %d degraded, next %v", len(d.Data.Down), len(d.Data.Degraded), d.Links.Next)
		}
	})
	t.Run("the last page has a null next link", func(t *testing.T) {
		r := e.get(t, "/api/v1/impact?failed=idle")
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"next":null`) {
			t.Errorf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("links keep the query", func(t *testing.T) {
		var d impactDoc
		e.getOK(t, "/api/v1/impact?failed=hub,idle&page[size]=5", &d)
		next, err := url.Parse(*d.Links.Next)
		if err != nil {
			t.Fatal(err)
		}
		q := next.Query()
		if q.Get("failed") != "hub,idle" || q.Get("page[size]") != "5" || q.Get("page[after]") == "" {
			t.Errorf("next link %s", *d.Links.Next)
		}
		if !strings.HasSuffix(d.Links.Self, "/api/v1/impact?failed=hub%2Cidle&page%5Bsize%5D=5") {
			t.Errorf("self link %s", d.Links.Self)
		}
	})
}

func TestImpact_PagingBadInput(t *testing.T) {
	e := newEnvWith(t, newOutageCatalog(t))
	var first impactDoc
	e.getOK(t, "/api/v1/impact?failed=hub,idle&page[size]=5", &first)
	cursor := func(link string) string {
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("page[after]")
	}
	after := url.QueryEscape(cursor(*first.Links.Next))
	var products struct {
		Links struct{ Next *string }
	}
	e.getOK(t, "/api/v1/products?page[size]=1", &products)
	tests := []struct {
		name, query string
		params      []string
	}{
		{"page size 0", "failed=hub&page[size]=0", []string{"page[size]"}},
		{"page size 1000", "failed=hub&page[size]=1000", []string{"page[size]"}},
		{"page size -1", "failed=hub&page[size]=-1", []string{"page[size]"}},
		{"page size 101", "failed=hub&page[size]=101", []string{"page[size]"}},
		{"page size not a number", "failed=hub&page[size]=ten", []string{"page[size]"}},
		{"page size empty", "failed=hub&page[size]=", []string{"page[size]"}},
		{"page size twice", "failed=hub&page[size]=5&page[size]=5", []string{"page[size]"}},
		{"broken cursor", "failed=hub,idle&page[after]=%21%21not-a-cursor", []string{"page[after]"}},
		{"cut cursor", "failed=hub,idle&page[after]=" + after[:len(after)-3], []string{"page[after]"}},
		{"not JSON", "failed=hub,idle&page[after]=bm90IGpzb24", []string{"page[after]"}},
		{"no position", "failed=hub,idle&page[after]=" + url.QueryEscape(base64.RawURLEncoding.EncodeToString([]byte(`{"k":"down-5"}`))), []string{"page[after]"}},
		{"too long", "failed=hub,idle&page[after]=" + strings.Repeat("A", 600), []string{"page[after]"}},
		{"cursor of other failed products", "failed=hub&page[after]=" + after, []string{"page[after]"}},
		{"cursor of the failed products in another order", "failed=idle,hub&page[after]=" + after, []string{"page[after]"}},
		{"cursor of the product listing", "failed=hub,idle&page[after]=" + url.QueryEscape(cursor(*products.Links.Next)), []string{"page[after]"}},
		{"every problem at once", "failed=no-such-product&page[size]=0&page[after]=x", []string{"failed", "page[size]", "page[after]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, "/api/v1/impact?"+tt.query)
			if r.Status != http.StatusBadRequest || r.Header.Get("Content-Type") != api.MIMEProblemJSON {
				t.Fatalf("status %d, %s: %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			var p problem
			r.decode(t, &p)
			var params []string
			for _, pe := range p.Errors {
				params = append(params, pe.Parameter)
			}
			if !slices.Equal(params, tt.params) {
				t.Errorf("parameters %v, want %v: %s", params, tt.params, r.Body)
			}
		})
	}
	t.Run("an empty cursor is the first page", func(t *testing.T) {
		var d impactDoc
		e.getOK(t, "/api/v1/impact?failed=hub,idle&page[size]=5&page[after]=", &d)
		if !slices.Equal(slugsOf(d.Data.Down), slugsOf(first.Data.Down)) {
			t.Errorf("%v, want %v", slugsOf(d.Data.Down), slugsOf(first.Data.Down))
		}
	})
	t.Run("the cursor works with its own failed products", func(t *testing.T) {
		var d impactDoc
		e.getOK(t, "/api/v1/impact?failed=hub,idle&page[size]=5&page[after]="+after, &d)
		if got := slugsOf(d.Data.Down); len(got) != 5 || slices.Contains(slugsOf(first.Data.Down), got[0]) {
			t.Errorf("second page %v after %v", got, slugsOf(first.Data.Down))
		}
	})
}
