package web

import (
	"context"
	"maps"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/views"
)

// classification gathers what a product page shows of the product's level
// under perspective persp: the explained result r, the dependent counts and
// the dependency tree with every box's name and level.
func (w *Web) classification(ctx context.Context, d catalog.ProductDetail, r catalog.Explanation, persp string) (views.Classification, error) {
	slug := d.Product.Slug
	g, err := w.cat.Graph(ctx)
	if err != nil {
		return views.Classification{}, err
	}
	c := views.Classification{Result: r.Result}
	if c.DirectDependents, c.AllDependents, err = g.CountDependents(slug); err != nil {
		return c, err
	}
	links, err := g.Upstream(slug, views.TreeDepth)
	if err != nil {
		return c, err
	}
	c.Tree = views.BuildTree(slug, links, views.TreeDepth, views.TreeMaxNodes)
	if err := w.annotateTree(ctx, g, &c.Tree, persp); err != nil {
		return c, err
	}
	c.Sources = make(map[string]catalog.Source, len(d.Sources)+len(r.Sources))
	maps.Copy(c.Sources, d.Sources)
	maps.Copy(c.Sources, r.Sources) // providers' and owners' evidence, up the graph
	return c, nil
}

// annotateTree names every product in the tree (from the graph) and adds
// its stored level (one query for all boxes).
func (w *Web) annotateTree(ctx context.Context, g *sovereignty.Graph, t *views.Tree, persp string) error {
	levels, err := w.cat.Levels(ctx, t.Products(), persp)
	if err != nil {
		return err
	}
	t.Annotate(g.Name, func(id string) *catalog.ProductLevel {
		if l, ok := levels[id]; ok {
			return &l
		}
		return nil // not classified yet: "nicht bewertet"
	})
	return nil
}
