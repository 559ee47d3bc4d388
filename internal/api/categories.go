package api

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// listCategories answers GET /categories with each category's product count.
func (a *API) listCategories(c echo.Context) error {
	if _, err := queryValues(c, nil); err != nil {
		return err
	}
	cats, err := a.cat.Categories(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list categories: %w", err)
	}
	data := make([]categoryDTO, len(cats))
	for i, cc := range cats {
		data[i] = a.toCategory(cc)
	}
	m := newMeta()
	n := len(cats)
	m.Total = &n
	return a.send(c, document{Data: data, Links: selfLink{a.link("/categories")}, Meta: m})
}

// showCategory answers GET /categories/{slug}: the category and one page of
// its products, searchable and filterable like /products?category={slug}.
func (a *API) showCategory(c echo.Context) error {
	vals, err := queryValues(c, categoryParams)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cats, err := a.cat.Categories(ctx)
	if err != nil {
		return fmt.Errorf("list categories: %w", err)
	}
	slug := c.Param("slug")
	var cat *catalog.CategoryCount
	for i := range cats {
		if cats[i].Slug == slug {
			cat = &cats[i]
		}
	}
	if cat == nil {
		return fmt.Errorf("category %q: %w", slug, catalog.ErrNotFound)
	}
	q, err := a.searchQuery(ctx, vals)
	if err != nil {
		return err
	}
	q.Categories = []string{slug}
	res, err := a.cat.Search(ctx, q)
	if err != nil {
		return fmt.Errorf("search category %s: %w", slug, err)
	}
	path := "/categories/" + slug
	m := newMeta()
	m.Total, m.Perspective = &res.Total, q.Perspective
	return a.send(c, document{
		Data: categoryDetailDTO{
			Slug: cat.Slug, Name: textDTO{DE: cat.NameDE, EN: cat.NameEN}, ProductCount: cat.Products,
			Products: a.toProductSummaries(res.Items), Links: selfLink{a.link(path)},
		},
		Links: a.pageLinks(path, vals, res.Next),
		Meta:  m,
	})
}
