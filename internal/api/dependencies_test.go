package api_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

type (
	treeNode struct {
		Slug        string     `json:"slug"`
		Name        string     `json:"name"`
		Role        string     `json:"role"`
		Criticality string     `json:"criticality"`
		DataAccess  *string    `json:"data_access"`
		Cycle       bool       `json:"cycle"`
		Truncated   bool       `json:"truncated"`
		Children    []treeNode `json:"children"`
	}
	treeDoc struct {
		Data struct {
			Truncated bool       `json:"truncated"`
			Slug      string     `json:"slug"`
			Name      string     `json:"name"`
			Depth     int        `json:"depth"`
			Children  []treeNode `json:"children"`
		} `json:"data"`
		Meta struct {
			Count *struct {
				Direct     int `json:"direct"`
				Transitive int `json:"transitive"`
			} `json:"count"`
		} `json:"meta"`
	}
)

func (d treeDoc) root() treeNode {
	return treeNode{Slug: d.Data.Slug, Name: d.Data.Name, Children: d.Data.Children}
}

// height is the number of levels below n.
func (n treeNode) height() int {
	h := 0
	for _, c := range n.Children {
		h = max(h, 1+c.height())
	}
	return h
}

// slugs lists the children's slugs.
func (n treeNode) slugs() []string {
	var out []string
	for _, c := range n.Children {
		out = append(out, c.Slug)
	}
	return out
}

// child returns the child with this slug.
func (n treeNode) child(t *testing.T, slug string) treeNode {
	t.Helper()
	i := slices.IndexFunc(n.Children, func(c treeNode) bool { return c.Slug == slug })
	if i < 0 {
		t.Fatalf("%s has no child %s (children %v)", n.Slug, slug, n.slugs())
	}
	return n.Children[i]
}

func TestProducts_Dependencies(t *testing.T) {
	e := newEnv(t)
	t.Run("perplexity needs aws and cloudflare", func(t *testing.T) {
		var d treeDoc
		e.getOK(t, "/api/v1/products/perplexity/dependencies", &d)
		if d.Data.Depth != 3 || d.Data.Name != "Perplexity" {
			t.Errorf("depth %d, name %q; want the default 3", d.Data.Depth, d.Data.Name)
		}
		for _, want := range []struct{ slug, role string }{{"aws", "compute_hosting"}, {"cloudflare", "cdn_proxy_tls"}} {
			c := d.root().child(t, want.slug)
			if c.Role != want.role || c.Criticality != "critical" || c.Name == "" || c.DataAccess == nil || c.Cycle {
				t.Errorf("%s: %+v", want.slug, c)
			}
		}
	})
	t.Run("cloudflare is needed by the AI assistants and x", func(t *testing.T) {
		var d treeDoc
		e.getOK(t, "/api/v1/products/cloudflare/dependents", &d)
		got := d.root().slugs()
		for _, want := range []string{"chatgpt", "mistral-le-chat", "perplexity", "x"} {
			if !slices.Contains(got, want) {
				t.Errorf("dependents %v lack %s", got, want)
			}
		}
		if c := d.Meta.Count; c == nil || c.Direct < 4 || c.Direct != len(got) || c.Transitive < c.Direct {
			t.Errorf("count %+v for %d direct dependents", c, len(got))
		}
		if mc := d.root().child(t, "mistral-le-chat"); mc.Role != "cdn_proxy_tls" || mc.DataAccess == nil || *mc.DataAccess != "content_plaintext" {
			t.Errorf("mistral-le-chat: %+v", mc)
		}
	})
	t.Run("dependencies carry no count", func(t *testing.T) {
		var d treeDoc
		e.getOK(t, "/api/v1/products/perplexity/dependencies", &d)
		if d.Meta.Count != nil {
			t.Errorf("count %+v", d.Meta.Count)
		}
	})
	t.Run("depth limits", func(t *testing.T) {
		for _, slug := range []string{"mistral-le-chat", "opendesk", "cloudflare", "aws"} {
			for _, kind := range []string{"dependencies", "dependents"} {
				var deep treeDoc
				e.getOK(t, "/api/v1/products/"+slug+"/"+kind+"?depth=10", &deep)
				for depth := 1; depth <= 3; depth++ {
					var d treeDoc
					e.getOK(t, "/api/v1/products/"+slug+"/"+kind+"?depth="+strconv.Itoa(depth), &d)
					if h := d.root().height(); h > depth || h != min(depth, deep.root().height()) {
						t.Errorf("%s %s depth %d: height %d, unlimited %d", slug, kind, depth, h, deep.root().height())
					}
					if !slices.Equal(d.root().slugs(), deep.root().slugs()) {
						t.Errorf("%s %s depth %d: the first level differs", slug, kind, depth)
					}
				}
			}
		}
	})
	t.Run("unknown product", func(t *testing.T) {
		for _, path := range []string{"/api/v1/products/no-such-product/dependencies", "/api/v1/products/no-such-product/dependents",
			"/api/v1/products/NOT_A_SLUG/dependencies"} {
			if r := e.get(t, path); r.Status != http.StatusNotFound {
				t.Errorf("%s: status %d", path, r.Status)
			}
		}
	})
}

// graphCatalog is the seeded catalogue with a dependency graph of its own
// (consumer → providers), for shapes the seed lacks: cycles, and a lattice
// whose tree outgrows the node limit. Every edge is critical compute
// hosting with plaintext access.
type graphCatalog struct {
	*catalog.Service
	deps map[string][]string
}

func (g graphCatalog) Graph(context.Context) (*sovereignty.Graph, error) {
	ids := slices.Sorted(maps.Keys(g.deps))
	var nodes []sovereignty.GraphNode
	var edges []sovereignty.GraphEdge
	for i, id := range ids {
		nodes = append(nodes, sovereignty.GraphNode{ID: id, Name: "Product " + id})
		for _, p := range g.deps[id] {
			edges = append(edges, sovereignty.GraphEdge{Consumer: int32(i), Provider: int32(slices.Index(ids, p)),
				Role: "compute_hosting", Criticality: sovereignty.Critical, DataAccess: sovereignty.AccessPlaintext})
		}
	}
	return sovereignty.NewGraph(nodes, edges), nil
}

func (g graphCatalog) Product(_ context.Context, slug string) (catalog.ProductDetail, error) {
	if _, ok := g.deps[slug]; !ok {
		return catalog.ProductDetail{}, catalog.ErrNotFound
	}
	ref := func(s string) catalog.ProductRef { return catalog.ProductRef{Slug: s, Name: "Product " + s} }
	edge := func(p string) catalog.Dependency {
		return catalog.Dependency{Provider: p, Role: "compute_hosting", DataAccess: catalog.AccessPlaintext, Criticality: catalog.Critical}
	}
	d := catalog.ProductDetail{Product: catalog.Product{Slug: slug, Name: "Product " + slug}, Refs: map[string]catalog.ProductRef{}}
	for _, p := range g.deps[slug] {
		d.Product.Dependencies = append(d.Product.Dependencies, edge(p))
		d.Refs[p] = ref(p)
	}
	for c, ps := range g.deps {
		if slices.Contains(ps, slug) {
			d.Dependents = append(d.Dependents, catalog.Dependent{Consumer: ref(c), Dependency: edge(slug)})
		}
	}
	return d, nil
}

func TestProducts_DependencyCycles(t *testing.T) {
	// a → b → c → a, and c → d.
	e := newEnvWith(t, graphCatalog{catalog.NewService(storetest.Seeded(t)),
		map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": nil}})
	t.Run("dependencies", func(t *testing.T) {
		var d treeDoc
		e.getOK(t, "/api/v1/products/a/dependencies?depth=10", &d)
		c := d.root().child(t, "b").child(t, "c")
		back := c.child(t, "a")
		if !back.Cycle || len(back.Children) != 0 {
			t.Errorf("a under c: %+v; want a cycle, not expanded", back)
		}
		if dd := c.child(t, "d"); dd.Cycle || dd.Name != "Product d" || dd.DataAccess == nil {
			t.Errorf("d: %+v", dd)
		}
		if h := d.root().height(); h != 3 {
			t.Errorf("height %d, want 3", h)
		}
	})
	t.Run("dependents", func(t *testing.T) {
		var d treeDoc
		e.getOK(t, "/api/v1/products/a/dependents?depth=10", &d)
		back := d.root().child(t, "c").child(t, "b").child(t, "a")
		if !back.Cycle || len(back.Children) != 0 {
			t.Errorf("a under b: %+v", back)
		}
		if c := d.Meta.Count; c == nil || c.Direct != 1 || c.Transitive != 2 {
			t.Errorf("count %+v; want c directly, b and c at all", c)
		}
	})
	t.Run("depth cuts before the cycle", func(t *testing.T) {
		var d treeDoc
		e.getOK(t, "/api/v1/products/a/dependencies?depth=2", &d)
		if c := d.root().child(t, "b").child(t, "c"); len(c.Children) != 0 || c.Cycle {
			t.Errorf("c at depth 2: %+v", c)
		}
	})
}

// A lattice of ten layers of two products, each needing both of the next
// layer, repeats products exponentially in a tree: it stops at the node
// limit, marking the nodes that lost children, up to the root.
func TestProducts_DependencyTreeLimit(t *testing.T) {
	deps := map[string][]string{}
	for layer := 0; layer < 10; layer++ {
		for _, side := range []string{"a", "b"} {
			id := fmt.Sprintf("%s%d", side, layer)
			deps[id] = nil
			if layer < 9 {
				deps[id] = []string{fmt.Sprintf("a%d", layer+1), fmt.Sprintf("b%d", layer+1)}
			}
		}
	}
	e := newEnvWith(t, graphCatalog{catalog.NewService(storetest.Seeded(t)), deps})
	var d treeDoc
	e.getOK(t, "/api/v1/products/a0/dependencies?depth=10", &d)
	nodes, truncated := 0, 0
	var count func(n treeNode)
	count = func(n treeNode) {
		for _, c := range n.Children {
			nodes++
			if c.Truncated {
				truncated++
			}
			count(c)
		}
	}
	count(d.root())
	if nodes != 1000 || truncated == 0 || !d.Data.Truncated {
		t.Errorf("%d nodes, %d truncated (root: %v); want exactly 1000, the root and others truncated", nodes, truncated, d.Data.Truncated)
	}
}
