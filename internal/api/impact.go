package api

import (
	"fmt"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// showImpact answers GET /impact?failed=…: which products go down or
// degrade when the named ones fail. It is the same for every perspective.
func (a *API) showImpact(c echo.Context) error {
	vals, err := queryValues(c, impactParams)
	if err != nil {
		return err
	}
	failed := failedOf(vals)
	im, err := a.cat.Impact(c.Request().Context(), failed)
	if err != nil {
		return fmt.Errorf("impact: %w", asQueryError(err))
	}
	out := impactDTO{Failed: dedupe(failed)}
	if out.Down, err = a.toImpactEntries(im, im.Down); err != nil {
		return err
	}
	if out.Degraded, err = a.toImpactEntries(im, im.Degraded); err != nil {
		return err
	}
	m := newMeta()
	m.Counts = &impactCounts{Failed: len(out.Failed), Down: len(out.Down), Degraded: len(out.Degraded)}
	return a.send(c, document{Data: out, Links: selfLink{a.withQuery("/impact", vals)}, Meta: m})
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
