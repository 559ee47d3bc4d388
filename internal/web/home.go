package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/views"
)

// showHome renders the start page.
func (w *Web) showHome(c echo.Context) error {
	ctx := c.Request().Context()
	st, err := w.cat.Stats(ctx)
	if err != nil {
		return err
	}
	cats, err := w.cat.Categories(ctx)
	if err != nil {
		return err
	}
	p := w.page(c, "")
	props := views.HomeProps{Stats: views.Stats{
		Products: st.Products, Organizations: st.Organizations, Sources: st.Sources,
		Dependencies: st.Dependencies, OpenSource: st.OpenSource,
	}}
	for _, cc := range cats {
		props.Categories = append(props.Categories, views.CategoryItem{Slug: cc.Slug, Name: cc.Name(p.Lang), Count: cc.Products})
	}
	return render(c, http.StatusOK, views.Home(p, props))
}
