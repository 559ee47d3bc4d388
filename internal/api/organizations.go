package api

import (
	"fmt"

	"github.com/labstack/echo/v4"
)

// listOrganizations answers GET /organizations: every organisation, by
// name. The list is small (hundreds), so it is not paginated.
func (a *API) listOrganizations(c echo.Context) error {
	if _, err := queryValues(c, nil); err != nil {
		return err
	}
	orgs, err := a.cat.Organizations(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list organizations: %w", err)
	}
	m := newMeta()
	n := len(orgs)
	m.Total = &n
	return a.send(c, document{Data: a.toOrganizationSummaries(orgs), Links: selfLink{a.link("/organizations")}, Meta: m})
}

// showOrganization answers GET /organizations/{slug}: facts, control
// chain, holdings and products.
func (a *API) showOrganization(c echo.Context) error {
	if _, err := queryValues(c, nil); err != nil {
		return err
	}
	d, err := a.cat.Organization(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return fmt.Errorf("show organization: %w", err)
	}
	o := a.toOrganization(d)
	return a.send(c, document{Data: o, Links: o.Links, Meta: newMeta()})
}
