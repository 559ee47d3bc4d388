package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/views"
)

// listCategoriesAdmin shows the categories with a form per category for
// its names and a form that adds one.
func (w *Web) listCategoriesAdmin(c echo.Context) error {
	if err := w.adminAvailable(); err != nil {
		return err
	}
	return w.renderCategories(c, http.StatusOK, views.AdminCategoryRow{}, "", nil)
}

// createCategory adds a category; refused input comes back with the
// messages next to its fields (422).
func (w *Web) createCategory(c echo.Context) error {
	if err := w.adminAvailable(); err != nil {
		return err
	}
	cat := adminCategoryForm(c, c.FormValue("slug"))
	err := w.admin.CreateCategory(c.Request().Context(), actor(c), cat)
	if problems := server.Problems(err); problems != nil {
		p := w.page(c, "")
		refused := views.AdminCategoryRow{Slug: cat.Slug, NameDE: cat.NameDE, NameEN: cat.NameEN,
			Errors: adminFieldErrors(problems, func(pr catalog.Problem) string { return adminProblemMessage(p, pr) })}
		return w.renderCategories(c, http.StatusUnprocessableEntity, refused, "", nil)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, adminCatsPath+"?saved=1")
}

// updateCategory renames a category if it is still at the version the
// form was made from; refused input comes back with its messages (422), a
// category changed meanwhile with its current names (409).
func (w *Web) updateCategory(c echo.Context) error {
	if err := w.adminAvailable(); err != nil {
		return err
	}
	if !catalog.ValidSlug(c.Param("slug")) {
		return echo.ErrNotFound
	}
	version, err := adminFormVersion(c)
	if err != nil {
		return err
	}
	cat := adminCategoryForm(c, c.Param("slug"))
	err = w.admin.UpdateCategory(c.Request().Context(), actor(c), cat, version)
	switch problems := server.Problems(err); {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, adminCatsPath+"?saved=1")
	case errors.Is(err, catalog.ErrConflict):
		return w.renderCategories(c, http.StatusConflict, views.AdminCategoryRow{}, cat.Slug, func(r *views.AdminCategoryRow) { r.Conflict = true })
	case problems != nil:
		p := w.page(c, "")
		return w.renderCategories(c, http.StatusUnprocessableEntity, views.AdminCategoryRow{}, cat.Slug, func(r *views.AdminCategoryRow) {
			r.NameDE, r.NameEN, r.Version = cat.NameDE, cat.NameEN, version
			r.Errors = adminFieldErrors(problems, func(pr catalog.Problem) string { return adminProblemMessage(p, pr) })
		})
	default:
		return err
	}
}

// adminCategoryForm reads a category form's names.
func adminCategoryForm(c echo.Context, slug string) catalog.Category {
	return catalog.Category{Slug: slug, NameDE: c.FormValue("name_de"), NameEN: c.FormValue("name_en")}
}

// renderCategories shows the categories page with status: newRow is the
// add form's state; adjust, when set, changes the row of category slug.
func (w *Web) renderCategories(c echo.Context, status int, newRow views.AdminCategoryRow, slug string, adjust func(*views.AdminCategoryRow)) error {
	cats, err := w.admin.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	p := w.page(c, "")
	p.Title = p.T("admin.categories.title")
	if status != http.StatusOK {
		p.Title = p.T("admin.error_title", "Name", p.Title)
	}
	adminSaved(c, &p)
	props := views.AdminCategoriesProps{New: newRow}
	for _, cat := range cats {
		row := views.AdminCategoryRow{Slug: cat.Slug, NameDE: cat.NameDE, NameEN: cat.NameEN, Products: cat.Products, Version: cat.Version}
		if adjust != nil && cat.Slug == slug {
			adjust(&row)
		}
		props.Rows = append(props.Rows, row)
	}
	return render(c, status, views.AdminCategories(p, props))
}
