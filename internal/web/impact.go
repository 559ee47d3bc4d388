package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/views"
)

// impactExamples are the outages the empty form offers as links.
var impactExamples = []string{"cloudflare", "aws", "microsoft-azure"}

// impactSuggestions bounds the providers the form suggests.
const impactSuggestions = 200

// impactRowsShown bounds the rows of each result table: a hub's outage can
// take down most of a large catalogue; the counts above say how many.
const impactRowsShown = 500

// showImpact is the outage simulation: ?failed=cloudflare (comma-separated
// or repeated) lists every product that goes down or degrades, with its
// path. Without failed= it shows the form; invalid input (an unknown
// product, too many) shows the form again with the message, as a 400.
func (w *Web) showImpact(c echo.Context) error {
	ctx := c.Request().Context()
	persp, err := perspective(c)
	if err != nil {
		return err
	}
	input, failed := failedParam(c.QueryParams()["failed"])
	g, err := w.cat.Graph(ctx)
	if err != nil {
		return err
	}
	p := w.page(c, "")
	p.Title = p.T("impact.title")
	p.Description = p.T("impact.description")
	// The form suggests the providers most products depend on; any slug
	// can still be typed.
	used := g.MostUsed(impactSuggestions)
	props := views.ImpactProps{Input: input, Options: make([]views.ImpactProduct, 0, len(used))}
	if persp != catalog.DefaultPerspective {
		props.Perspective = persp
	}
	for _, slug := range used {
		props.Options = append(props.Options, views.ImpactProduct{Slug: slug, Name: g.Name(slug)})
	}
	for _, slug := range impactExamples {
		if g.Has(slug) {
			props.Examples = append(props.Examples, views.ImpactProduct{Slug: slug, Name: g.Name(slug)})
		}
	}
	if len(failed) == 0 {
		return render(c, http.StatusOK, views.Impact(p, props))
	}
	im, err := w.cat.Impact(ctx, failed)
	if status := server.Status(err); status == http.StatusBadRequest {
		props.Errors = impactErrors(p, server.Problems(err), failed)
		p.Title = p.T("impact.title_error")
		return render(c, status, views.Impact(p, props))
	} else if err != nil {
		return err
	}
	props.Result, err = w.impactResult(ctx, g, im, persp)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.Impact(p, props))
}

// failedParam reads the failed= values: each may hold several slugs
// separated by commas. It returns the input as the user typed it (for the
// form) and the slugs, trimmed, lower-cased and without repeats.
func failedParam(values []string) (input string, slugs []string) {
	var typed []string
	seen := map[string]bool{}
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			typed = append(typed, v)
		}
		for _, part := range strings.Split(v, ",") {
			s := strings.ToLower(strings.TrimSpace(part))
			if s != "" && !seen[s] {
				seen[s] = true
				slugs = append(slugs, s)
			}
		}
	}
	return strings.Join(typed, ", "), slugs
}

// impactErrors translates the service's validation problems for the form.
func impactErrors(p views.Page, problems []catalog.Problem, failed []string) []string {
	var out []string
	for _, pr := range problems {
		switch pr.Key {
		case "error.product_unknown":
			var i int
			name := pr.Path
			if _, err := fmt.Sscanf(pr.Path, "failed[%d]", &i); err == nil && i >= 0 && i < len(failed) {
				name = failed[i]
			}
			out = append(out, p.T("impact.error_unknown", "Name", name))
		case "error.too_many":
			out = append(out, p.T("impact.error_too_many", "Count", catalog.MaxFailed))
		case "error.required":
			out = append(out, p.T("impact.error_required"))
		default:
			out = append(out, pr.Message)
		}
	}
	if len(out) == 0 {
		out = append(out, p.T("error.bad_request_message"))
	}
	return out
}

// impactResult turns the simulation into rows with names, levels and
// paths; names come from the graph, levels in one query.
func (w *Web) impactResult(ctx context.Context, g *sovereignty.Graph, im *sovereignty.Impact, persp string) (*views.ImpactResult, error) {
	down := im.Down[:min(len(im.Down), impactRowsShown)]
	degraded := im.Degraded[:min(len(im.Degraded), impactRowsShown)]
	slugs := make([]string, 0, len(down)+len(degraded))
	for _, e := range append(append([]sovereignty.ImpactEntry(nil), down...), degraded...) {
		slugs = append(slugs, e.ProductID)
	}
	levels, err := w.cat.Levels(ctx, slugs, persp)
	if err != nil {
		return nil, err
	}
	ref := func(slug string) views.ImpactProduct {
		if n := g.Name(slug); n != "" {
			return views.ImpactProduct{Slug: slug, Name: n}
		}
		return views.ImpactProduct{Slug: slug, Name: slug}
	}
	row := func(e sovereignty.ImpactEntry) views.ImpactRow {
		r := views.ImpactRow{
			Product: views.ImpactProduct{Slug: e.ProductID, Name: e.Name}, Depth: e.Depth, Via: ref(e.Via),
			Role: catalog.Role(e.Role), Criticality: catalog.Criticality(e.Criticality), Group: e.Group,
		}
		if l, ok := levels[e.ProductID]; ok {
			r.Level, r.LevelKnown = l.Overall, true
		}
		if path, err := im.Path(e.ProductID); err == nil {
			for _, id := range path {
				r.Path = append(r.Path, ref(id))
			}
		}
		return r
	}
	res := &views.ImpactResult{DownTotal: len(im.Down), DegradedTotal: len(im.Degraded)}
	for _, f := range im.Failed {
		res.Failed = append(res.Failed, ref(f))
	}
	for _, e := range down {
		res.Down = append(res.Down, row(e))
	}
	for _, e := range degraded {
		res.Degraded = append(res.Degraded, row(e))
	}
	return res, nil
}
