package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/views"
)

// showOrganization renders an organisation: facts, control chain,
// holdings and products with their levels under the requested
// perspective; an unknown slug is a 404, an unknown perspective a 400.
func (w *Web) showOrganization(c echo.Context) error {
	persp, err := perspective(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := w.cat.Organization(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	// The detail carries the default perspective's levels.
	if err := w.relevel(ctx, d.Products, persp); err != nil {
		return err
	}
	cats, err := w.cat.Categories(ctx)
	if err != nil {
		return err
	}
	p := w.page(c, d.Organization.Name)
	p.Description = p.T("organization.description", "Name", d.Organization.Name)
	names := make(map[string]string, len(cats))
	for _, cc := range cats {
		names[cc.Slug] = cc.Name(p.Lang)
	}
	return render(c, http.StatusOK, views.OrganizationPage(p, d, names))
}
