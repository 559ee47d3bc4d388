package api

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// MaxTreeNodes bounds the nodes of one dependency tree: a tree repeats a
// product under every parent, so a hub's tree can grow exponentially with
// depth. Once the bound is reached no more nodes are added, and every node
// that lost children to it is marked truncated.
const MaxTreeNodes = 1000

// listDependencies answers GET /products/{slug}/dependencies: what the
// product needs, transitively, as a tree.
func (a *API) listDependencies(c echo.Context) error { return a.tree(c, true) }

// listDependents answers GET /products/{slug}/dependents: what needs the
// product, transitively, as a tree, with the number of dependents.
func (a *API) listDependents(c echo.Context) error { return a.tree(c, false) }

func (a *API) tree(c echo.Context, up bool) error {
	vals, err := queryValues(c, treeParams)
	if err != nil {
		return err
	}
	depth, err := depthOf(vals)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	slug := c.Param("slug")
	g, err := a.cat.Graph(ctx)
	if err != nil {
		return fmt.Errorf("dependency graph: %w", err)
	}
	if !g.Has(slug) {
		return fmt.Errorf("product %q: %w", slug, catalog.ErrNotFound)
	}
	b := &treeBuilder{a: a, g: g, up: up, depth: depth}
	walk, path := g.Upstream, "/dependencies"
	if !up {
		walk, path = g.Downstream, "/dependents"
	}
	links, err := walk(slug, depth)
	if err != nil {
		return fmt.Errorf("walk the graph from %s: %w", slug, err)
	}
	b.adj = map[string][]sovereignty.GraphLink{}
	for _, l := range links {
		from := l.Consumer
		if !up {
			from = l.Provider
		}
		b.adj[from] = append(b.adj[from], l)
	}
	children, _, err := b.children(slug, 0, map[string]bool{slug: true})
	if err != nil {
		return err
	}
	self := a.link("/products/" + slug + path)
	if _, ok := vals[paramDepth]; ok {
		self = a.withQuery("/products/"+slug+path, vals)
	}
	m := newMeta()
	if !up {
		direct, all, err := g.CountDependents(slug)
		if err != nil {
			return fmt.Errorf("count dependents of %s: %w", slug, err)
		}
		m.Count = &dependentsCount{Direct: direct, Transitive: all}
	}
	return a.send(c, document{
		Data: dependencyTreeDTO{Slug: slug, Name: orSlug(g.Name(slug), slug), Depth: depth, Truncated: b.cut,
			Children: children, Links: selfLink{a.link("/products/" + slug)}},
		Links: selfLink{self},
		Meta:  m,
	})
}

// treeBuilder nests the edges of a breadth-first walk of the compact graph
// into a tree; names and data access come from the graph too, so a hub's
// tree costs no database round trip per node.
type treeBuilder struct {
	a     *API
	g     *sovereignty.Graph
	up    bool
	depth int
	adj   map[string][]sovereignty.GraphLink // by the product whose edges they are
	nodes int
	cut   bool // the node limit left something out
}

// children builds the nodes below slug, which sits at level; onPath holds
// the products from the root down to slug, so a cycle stops at its first
// repetition. It reports whether the node limit cut some of them off.
func (b *treeBuilder) children(slug string, level int, onPath map[string]bool) ([]treeNodeDTO, bool, error) {
	out := []treeNodeDTO{}
	var err error
	for _, l := range b.adj[slug] {
		if b.nodes >= MaxTreeNodes {
			b.cut = true
			return out, true, nil
		}
		child := l.Consumer
		if b.up {
			child = l.Provider
		}
		if child == "" {
			// A provider outside the catalogue: the import refuses them
			// (Dataset.Validate), so there is nothing to name here.
			continue
		}
		n := treeNodeDTO{Slug: child, Role: l.Role, Criticality: string(l.Criticality), Group: nullable(l.Group),
			Children: []treeNodeDTO{}, Links: selfLink{b.a.link("/products/" + child)}}
		n.Name, n.DataAccess = orSlug(b.g.Name(child), child), nullable(string(l.DataAccess))
		b.nodes++
		switch {
		case onPath[child]:
			n.Cycle = true
		case level+1 < b.depth:
			onPath[child] = true
			if n.Children, n.Truncated, err = b.children(child, level+1, onPath); err != nil {
				return nil, false, err
			}
			delete(onPath, child)
		}
		out = append(out, n)
	}
	return out, false, nil
}

func orSlug(name, slug string) string {
	if name == "" {
		return slug
	}
	return name
}
