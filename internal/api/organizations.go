package api

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
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
// chain, holdings and products with their levels under the perspective.
func (a *API) showOrganization(c echo.Context) error {
	persp, err := showPerspective(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := a.cat.Organization(ctx, c.Param("slug"))
	if err != nil {
		return fmt.Errorf("show organization: %w", err)
	}
	// The catalogue lists an organisation's products with the default
	// perspective's levels; another perspective is looked up per product
	// (an organisation makes a handful).
	if persp != catalog.DefaultPerspective {
		for i, p := range d.Products {
			if d.Products[i].Level, err = a.level(ctx, p.Slug, persp); err != nil {
				return err
			}
		}
	}
	o := a.toOrganization(d)
	m := newMeta()
	m.Perspective = persp
	return a.send(c, document{Data: o, Links: o.Links, Meta: m})
}
