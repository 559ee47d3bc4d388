package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/views"
)

// showProduct renders a product page; an unknown slug is a 404.
func (w *Web) showProduct(c echo.Context) error {
	d, err := w.cat.Product(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	p := w.page(c, d.Product.Name)
	p.Description = d.Product.Description(p.Lang)
	return render(c, http.StatusOK, views.ProductPage(p, d))
}
