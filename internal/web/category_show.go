package web

import (
	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// showCategory renders the catalogue restricted to one category, with the
// same search, facets and pages; an unknown category is a 404.
func (w *Web) showCategory(c echo.Context) error {
	slug := c.Param("slug")
	cats, err := w.cat.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	var cat *catalog.CategoryCount
	for i := range cats {
		if cats[i].Slug == slug {
			cat = &cats[i]
		}
	}
	if cat == nil {
		return catalog.ErrNotFound
	}
	p := w.page(c, "")
	name := cat.Name(p.Lang)
	p.Title = name
	p.Description = p.T("category.description", "Name", name)
	props := views.CatalogueProps{
		Heading: name,
		Lead:    p.T("category.lead", "Name", name, "Count", cat.Products),
		Crumbs: []views.Crumb{
			{Label: p.T("nav.home"), URL: "/"},
			{Label: p.T("categories.title"), URL: "/categories"},
			{Label: name},
		},
	}
	return w.renderListing(c, p, props, newListState("/categories/"+slug, c.QueryParams(), slug))
}
