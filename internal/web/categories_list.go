package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/views"
)

// listCategories renders every category with its number of products.
func (w *Web) listCategories(c echo.Context) error {
	// The page shows no levels, but its links carry the perspective on:
	// an unknown one is refused here as everywhere.
	if _, err := perspective(c); err != nil {
		return err
	}
	cats, err := w.cat.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	p := w.page(c, "")
	p.Title = p.T("categories.title")
	p.Description = p.T("categories.description")
	items := make([]views.CategoryItem, 0, len(cats))
	for _, cc := range cats {
		items = append(items, views.CategoryItem{Slug: cc.Slug, Name: cc.Name(p.Lang), Count: cc.Products})
	}
	return render(c, http.StatusOK, views.Categories(p, items))
}
