package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/views"
)

// showHome renders the start page with the levels per category under the
// request's perspective.
func (w *Web) showHome(c echo.Context) error {
	ctx := c.Request().Context()
	persp, err := perspective(c)
	if err != nil {
		return err
	}
	st, err := w.cat.Stats(ctx)
	if err != nil {
		return err
	}
	cats, err := w.cat.Categories(ctx)
	if err != nil {
		return err
	}
	counts, err := w.cat.LevelCounts(ctx, persp)
	if err != nil {
		return err
	}
	p := w.page(c, "")
	props := views.HomeProps{Stats: views.Stats{
		Products: st.Products, Organizations: st.Organizations, Sources: st.Sources,
		Dependencies: st.Dependencies, OpenSource: st.OpenSource,
	}, Chart: levelChart(cats, counts, p.Lang, persp)}
	for _, cc := range cats {
		props.Categories = append(props.Categories, views.CategoryItem{Slug: cc.Slug, Name: cc.Name(p.Lang), Count: cc.Products})
	}
	return render(c, http.StatusOK, views.Home(p, props))
}
