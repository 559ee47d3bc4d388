package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// pageSize is the number of products per catalogue page.
const pageSize = 20

// listProducts renders the catalogue: search, facets, sorting and pages.
func (w *Web) listProducts(c echo.Context) error {
	p := w.page(c, "")
	p.Title = p.T("catalogue.title")
	p.Description = p.T("catalogue.description")
	props := views.CatalogueProps{
		Heading: p.T("catalogue.title"),
		Lead:    p.T("catalogue.lead"),
		Crumbs:  []views.Crumb{{Label: p.T("nav.home"), URL: "/"}, {Label: p.T("catalogue.title")}},
	}
	return w.renderListing(c, p, props, newListState("/products", c.QueryParams(), ""))
}

// renderListing runs the search described by st and renders the catalogue
// view; bad input gives the same page with status 400 and the problems
// beside the search form.
func (w *Web) renderListing(c echo.Context, p views.Page, props views.CatalogueProps, st listState) error {
	ctx := c.Request().Context()
	cats, err := w.cat.Categories(ctx)
	if err != nil {
		return err
	}
	props.Categories = make(map[string]string, len(cats))
	for _, cc := range cats {
		props.Categories[cc.Slug] = cc.Name(p.Lang)
	}
	props.Action, props.Hidden, props.ResetURL = st.base, st.hidden(), st.reset()

	q, err := st.query()
	if err == nil {
		q, err = q.Normalize()
	}
	var res catalog.SearchResult
	if err == nil {
		res, err = w.cat.Search(ctx, q)
	}
	props.Query = q.Text
	if err != nil {
		var ve *catalog.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		props.Problems = problemMessages(p, st, ve.Problems)
		return render(c, http.StatusBadRequest, views.Catalogue(p, props))
	}

	props.Total, props.Items = res.Total, res.Items
	props.Facets = st.facetGroups(p, res.Facets, props.Categories)
	props.Active = st.active(p, props.Categories)
	props.Sorts = st.sortLinks(p, q)
	page := q.Offset/pageSize + 1
	pages := (res.Total + pageSize - 1) / pageSize
	if page > 1 {
		props.PrevURL = st.pageURL(page - 1)
	}
	if page < pages {
		props.NextURL = st.pageURL(page + 1)
	}
	if pages > 1 {
		props.PageSummary = p.T("pagination.summary", "Name", strconv.Itoa(page), "Count", pages)
	}
	if q.Text != "" {
		p.Title = p.T("catalogue.search_title", "Name", q.Text)
	}
	return render(c, http.StatusOK, views.Catalogue(p, props))
}

// problemMessages turns validation problems into sentences naming the
// filter and, where the request holds it, the offending value.
func problemMessages(p views.Page, st listState, problems []catalog.Problem) []string {
	out := make([]string, 0, len(problems))
	for _, pr := range problems {
		param, value := st.valueAt(pr.Path)
		switch pr.Key {
		case "error.page", "error.page_size":
			out = append(out, p.T("catalogue.problem_page"))
		default:
			out = append(out, p.T("catalogue.problem_value", "Name", facetTitle(p, param), "Label", value))
		}
	}
	return out
}

// facetTitle is the translated name of a catalogue parameter.
func facetTitle(p views.Page, param string) string {
	switch param {
	case "category":
		return p.T("facet.category")
	case "vendor_country":
		return p.T("facet.vendor_country")
	case "hosting_country":
		return p.T("facet.hosting_country")
	case "open_source":
		return p.T("facet.open_source")
	case "deployment":
		return p.T("facet.deployment")
	case "kind":
		return p.T("facet.kind")
	case "level":
		return p.T("facet.level")
	case "perspective":
		return p.T("classification.perspective")
	case "sort":
		return p.T("sort.title")
	}
	return param
}
