package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// showHistory renders the published versions of an entry (public) and the
// difference between two of them (?from=1&to=3, by default the last two).
// Approvers are counted, not named: the page is public, the names are on
// the submission's page for the editorial staff.
func (w *Web) showHistory(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	d, err := w.cat.Product(ctx, slug)
	if err != nil {
		return err
	}
	var versions []workflow.ProductVersion
	if w.ed != nil { // without sign-in there is no workflow, hence no history
		if versions, err = w.ed.History(ctx, slug); err != nil {
			return err
		}
	}
	v := views.HistoryView{Slug: slug, Name: d.Product.Name}
	for i := len(versions) - 1; i >= 0; i-- { // newest first
		pv := versions[i]
		v.Versions = append(v.Versions, views.HistoryVersion{Version: pv.Version, PublishedAt: pv.PublishedAt, Approvals: len(pv.ApprovedBy), SubmissionID: pv.SubmissionID})
	}
	if n := len(versions); n >= 2 {
		from, err := versionParam(c, "from", versions[n-2].Version)
		if err != nil {
			return err
		}
		to, err := versionParam(c, "to", versions[n-1].Version)
		if err != nil {
			return err
		}
		find := func(num int) int {
			return slices.IndexFunc(versions, func(pv workflow.ProductVersion) bool { return pv.Version == num })
		}
		a, b := find(from), find(to)
		if a < 0 || b < 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "no such version")
		}
		v.From, v.To = from, to
		v.Changes = changeRows(workflow.Diff(versions[a].Product, versions[b].Product), d.Sources)
	}
	p := w.page(c, "")
	p.Title = p.T("history.title", "Name", d.Product.Name)
	return render(c, http.StatusOK, views.HistoryPage(p, v))
}

// versionParam reads a version number from the query, def when absent.
func versionParam(c echo.Context, name string, def int) (int, error) {
	s := c.QueryParam(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "version must be a number")
	}
	return n, nil
}
