package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/views"
)

// showProduct renders a product page with its classification under the
// requested perspective; an unknown slug is a 404, an unknown perspective
// a 400. An anonymous page is sent from the page store when it holds a
// valid one, and kept there once rendered (product_store.go).
func (w *Web) showProduct(c echo.Context) error {
	persp, err := perspective(c)
	if err != nil {
		return err
	}
	// A page may go out gzip-encoded (stored pages are kept compressed).
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	key, storable := w.storedPageKey(c, persp)
	if storable {
		if sent, err := w.sendStoredPage(c, key); sent || err != nil {
			return err
		}
	}
	d, cl, gen, err := w.productPage(c.Request().Context(), c.Param("slug"), persp)
	if err != nil {
		return err
	}
	p := w.page(c, d.Product.Name)
	desc := userMarkdown(d.Product.Description(p.Lang))
	p.Description = markdownText(desc)
	page := views.ProductPage(p, d, cl, desc)
	// Only the product's own slug is kept: another spelling the catalogue
	// also finds must not fill the store.
	if storable && gen != 0 && d.Product.Slug == key.Slug {
		return w.renderStored(c, key, gen, page)
	}
	return render(c, http.StatusOK, page)
}
