package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// showAccount is the signed-in user's start page: a vendor sees the
// proposals and published products of their organisations, with the ways
// to propose changes; reviewers and admins find their work from here.
func (w *Web) showAccount(c echo.Context) error {
	ctx := c.Request().Context()
	a, _ := account(c)
	act := actor(c)
	v := views.AccountView{
		Name:   a.Name,
		Vendor: act.Has(workflow.RoleVendor), Reviewer: act.Has(workflow.RoleReviewer), Admin: act.Has(workflow.RoleAdmin),
	}
	if v.Vendor && w.ed != nil {
		subs, err := w.ed.Dashboard(ctx, act)
		if err != nil {
			return err
		}
		for _, sub := range subs { // the service lists the latest change first
			v.Submissions = append(v.Submissions, views.AccountSubmission{Submission: sub, Title: submissionTitle(sub)})
		}
		for _, slug := range a.Organizations {
			org := views.AccountOrganization{Slug: slug, Name: slug}
			d, err := w.cat.Organization(ctx, slug)
			switch {
			case err == nil:
				org.Name, org.Products = d.Organization.Name, d.Products
			case !errors.Is(err, catalog.ErrNotFound):
				return err
			}
			v.Organizations = append(v.Organizations, org)
		}
	}
	p := w.page(c, "")
	p.Title = p.T("dashboard.title")
	return render(c, http.StatusOK, views.AccountPage(p, v))
}
