package api

import (
	"context"
	"errors"
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// showProduct answers GET /products/{slug}: every fact with its evidence,
// the stored level and its explanation under the requested perspective.
func (a *API) showProduct(c echo.Context) error {
	persp, err := showPerspective(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	slug := c.Param("slug")
	d, err := a.cat.Product(ctx, slug)
	if err != nil {
		return fmt.Errorf("show product: %w", err)
	}
	lvl, err := a.level(ctx, slug, persp)
	if err != nil {
		return err
	}
	res, err := a.cat.Explain(ctx, slug, persp)
	if err != nil {
		return fmt.Errorf("explain product: %w", err)
	}
	p := a.toProduct(d)
	p.Level = toLevel(lvl)
	p.Explanation = a.toExplanation(res.Result)
	// The explanation cites evidence of providers and owners further up
	// the graph; the response must resolve every key it cites, and the
	// explanation carries exactly those sources.
	for k, s := range toSources(res.Sources) {
		if _, ok := p.Sources[k]; !ok {
			p.Sources[k] = s
		}
	}
	m := newMeta()
	m.Perspective = persp
	return a.send(c, document{Data: p, Links: p.Links, Meta: m})
}

// level returns a product's stored level, nil while it is unclassified.
func (a *API) level(ctx context.Context, slug, persp string) (*catalog.ProductLevel, error) {
	l, err := a.cat.Level(ctx, slug, persp)
	switch {
	case errors.Is(err, catalog.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("level of %s: %w", slug, err)
	}
	return &l, nil
}
