package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/views"
)

// showProduct renders a product page with its classification under the
// requested perspective; an unknown slug is a 404, an unknown perspective
// a 400.
func (w *Web) showProduct(c echo.Context) error {
	persp, err := perspective(c)
	if err != nil {
		return err
	}
	d, cl, err := w.productPage(c.Request().Context(), c.Param("slug"), persp)
	if err != nil {
		return err
	}
	p := w.page(c, d.Product.Name)
	desc := userMarkdown(d.Product.Description(p.Lang))
	p.Description = markdownText(desc)
	return render(c, http.StatusOK, views.ProductPage(p, d, cl, desc))
}
