package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// newSubmission shows the product form for a change to a published entry
// (?product=, pre-filled from it) or for a new product of one's
// organisation (?organization=).
func (w *Web) newSubmission(c echo.Context) error {
	ctx, act := c.Request().Context(), actor(c)
	if slug := c.QueryParam("product"); slug != "" {
		d, err := w.cat.Product(ctx, slug)
		if err != nil {
			return err
		}
		if !act.MemberOf(d.Product.Vendor) {
			return fmt.Errorf("%w: changes to %s are proposed by %s", workflow.ErrForbidden, slug, d.Product.Vendor)
		}
		f := formOf(d.Product, citedSources(citedKeys(d.Product), d.Sources), nil)
		f.Kind, f.Action = workflow.KindChange, "/submissions"
		return w.renderForm(c, http.StatusOK, withBlankRows(f, today()), nil)
	}
	org := c.QueryParam("organization")
	if org == "" {
		return c.Redirect(http.StatusSeeOther, "/account")
	}
	if !act.MemberOf(org) {
		return fmt.Errorf("%w: %s proposes products only for its own organisations", workflow.ErrForbidden, act.ID)
	}
	f := formOf(catalog.Product{Vendor: org, Kind: catalog.KindSoftware}, nil, nil)
	f.Kind, f.Target, f.Action = workflow.KindNew, "", "/submissions"
	return w.renderForm(c, http.StatusOK, withBlankRows(f, today()), nil)
}

// createSubmission saves a new draft from the product form (and submits
// it when asked). A change is filed for the published entry's vendor; a
// new product for the organisation the form names, which the workflow
// checks the user belongs to.
func (w *Web) createSubmission(c echo.Context) error {
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	f := readForm(vals)
	f.Action = "/submissions"
	switch f.Kind {
	case workflow.KindChange:
		d, err := w.cat.Product(c.Request().Context(), f.Target)
		if err != nil {
			return err
		}
		f.Organization = d.Product.Vendor
		return w.saveForm(c, f, d.Product.Slug, d.Product.Vendor, d.Sources)
	case workflow.KindNew:
		return w.saveForm(c, f, strings.TrimSpace(f.Value("slug")), f.Organization, nil)
	}
	return echo.NewHTTPError(http.StatusBadRequest, "unknown submission kind")
}
