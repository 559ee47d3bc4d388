package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/views"
)

// listOrganizations renders every organisation with its headquarters,
// number of products and whether a parent controls it.
func (w *Web) listOrganizations(c echo.Context) error {
	// The page shows no levels, but its links carry the perspective on:
	// an unknown one is refused here as everywhere.
	if _, err := perspective(c); err != nil {
		return err
	}
	orgs, err := w.cat.Organizations(c.Request().Context())
	if err != nil {
		return err
	}
	p := w.page(c, "")
	p.Title = p.T("organizations.title")
	p.Description = p.T("organizations.description")
	return render(c, http.StatusOK, views.Organizations(p, orgs))
}
