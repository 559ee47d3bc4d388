package api

import (
	"fmt"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// showImpact answers GET /impact?failed=…: which products go down or
// degrade when the named ones fail. It is the same for every perspective.
// The whole outage is simulated, but only one page of it is answered
// (impact_page.go), and only its entries get their paths; meta.counts
// gives the totals on every page.
func (a *API) showImpact(c echo.Context) error {
	vals, err := queryValues(c, impactListParams)
	if err != nil {
		return err
	}
	failed := failedOf(vals)
	out := impactDTO{Failed: dedupe(failed)}
	pg, probs := impactPageOf(vals, out.Failed)
	im, err := a.cat.Impact(c.Request().Context(), failed)
	if err != nil {
		if more := server.Problems(err); more != nil {
			// The failed products' problems and the page's, all at once.
			return invalidQuery(append(more, probs...)...)
		}
		return fmt.Errorf("impact: %w", err)
	}
	if len(probs) > 0 {
		return invalidQuery(probs...)
	}
	page := pg.cut(im, out.Failed)
	if out.Down, err = a.toImpactEntries(im, page.down); err != nil {
		return err
	}
	if out.Degraded, err = a.toImpactEntries(im, page.degraded); err != nil {
		return err
	}
	m := newMeta()
	m.Counts = &impactCounts{Failed: len(out.Failed), Down: len(im.Down), Degraded: len(im.Degraded)}
	return a.send(c, document{Data: out, Links: a.pageLinks("/impact", vals, page.next), Meta: m})
}

func (a *API) toImpactEntries(im *sovereignty.Impact, es []sovereignty.ImpactEntry) ([]impactEntryDTO, error) {
	out := make([]impactEntryDTO, len(es))
	for i, e := range es {
		path, err := im.Path(e.ProductID)
		if err != nil {
			return nil, fmt.Errorf("impact path of %s: %w", e.ProductID, err)
		}
		out[i] = impactEntryDTO{Slug: e.ProductID, Name: e.Name, Depth: e.Depth, Via: e.Via, Role: e.Role,
			Criticality: string(e.Criticality), Group: nullable(e.Group), Path: path,
			Links: selfLink{a.link("/products/" + e.ProductID)}}
	}
	return out, nil
}

// dedupe keeps the first of equal slugs, in order.
func dedupe(in []string) []string {
	out := []string{}
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
