package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/views"
)

// listUsers shows every user with the roles and organisations from their
// claims and a form for those assigned in the registry.
func (w *Web) listUsers(c echo.Context) error {
	if err := w.adminAvailable(); err != nil {
		return err
	}
	return w.renderUsers(c, http.StatusOK, 0, nil)
}

// updateUser replaces the roles and organisations assigned to a user. A
// refused input comes back with the messages next to its fields (422); a
// user changed meanwhile comes back with the current values (409).
func (w *Web) updateUser(c echo.Context) error {
	if err := w.adminAvailable(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	version, err := adminFormVersion(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	roleInput, orgText := form["roles"], c.FormValue("organizations")
	err = w.admin.SetAssignments(c.Request().Context(), actor(c), id, roleInput, adminSplitSlugs(orgText), version)
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, adminUsersPath+"?saved=1#user-"+strconv.FormatInt(id, 10)+"-row")
	case errors.Is(err, catalog.ErrConflict):
		return w.renderUsers(c, http.StatusConflict, id, func(r *views.AdminUserRow) { r.Conflict = true })
	case server.Problems(err) != nil:
		p := w.page(c, "")
		unknown, lerr := w.unknownOrganizations(c, adminSplitSlugs(orgText))
		if lerr != nil {
			return lerr
		}
		errs := adminFieldErrors(server.Problems(err), func(pr catalog.Problem) string {
			if pr.Key == "error.organization" && len(unknown) > 0 {
				return p.T("admin.error.organization_named", "Name", strings.Join(unknown, ", "))
			}
			return adminProblemMessage(p, pr)
		})
		return w.renderUsers(c, http.StatusUnprocessableEntity, id, func(r *views.AdminUserRow) {
			r.AssignedRoles, r.Organizations, r.Version, r.Errors = roleInput, orgText, version, errs
		})
	default:
		return err
	}
}

// renderUsers shows the users page with status; adjust, when set, changes
// the row of user id (the refused input, the conflict note).
func (w *Web) renderUsers(c echo.Context, status int, id int64, adjust func(*views.AdminUserRow)) error {
	ctx := c.Request().Context()
	users, err := w.admin.Users(ctx)
	if err != nil {
		return err
	}
	orgs, err := w.cat.Organizations(ctx)
	if err != nil {
		return err
	}
	p := w.page(c, "")
	p.Title = p.T("admin.users.title")
	adminSaved(c, &p)
	props := views.AdminUsersProps{Roles: adminRoleOptions(p)}
	for _, o := range orgs {
		props.Organizations = append(props.Organizations, views.AdminOption{Value: o.Slug, Label: o.Name})
	}
	for _, u := range users {
		row := views.AdminUserRow{
			ID: u.ID, Name: u.Name, Email: u.Email, Issuer: u.Issuer,
			ClaimRoles: u.ClaimRoles, ClaimOrganizations: u.ClaimOrganizations,
			AssignedRoles: u.AssignedRoles, Organizations: strings.Join(u.AssignedOrganizations, ", "),
			Version: u.Version,
		}
		if row.Name == "" {
			row.Name = u.Email
		}
		if adjust != nil && u.ID == id {
			adjust(&row)
		}
		props.Rows = append(props.Rows, row)
	}
	if status != http.StatusOK {
		p.Title = p.T("admin.error_title", "Name", p.Title)
	}
	return render(c, status, views.AdminUsers(p, props))
}

// adminRoleOptions are the assignable roles with their labels.
func adminRoleOptions(p views.Page) []views.AdminOption {
	var out []views.AdminOption
	for _, r := range auth.Roles() {
		out = append(out, views.AdminOption{Value: string(r), Label: adminRoleLabel(p, r)})
	}
	return out
}

// adminRoleLabel names a role in the page language.
func adminRoleLabel(p views.Page, r auth.Role) string {
	switch r {
	case auth.RoleVendor:
		return p.T("admin.role.vendor")
	case auth.RoleReviewer:
		return p.T("admin.role.reviewer")
	case auth.RoleAdmin:
		return p.T("admin.role.admin")
	}
	return string(r)
}

// adminSplitSlugs reads the organisations field: slugs separated by commas or
// spaces.
func adminSplitSlugs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
}

// unknownOrganizations returns the slugs that name no organisation of the
// catalogue, so the message can say which ones.
func (w *Web) unknownOrganizations(c echo.Context, slugs []string) ([]string, error) {
	orgs, err := w.cat.Organizations(c.Request().Context())
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range slugs {
		if !slices.ContainsFunc(orgs, func(o catalog.OrganizationSummary) bool { return o.Slug == s }) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}
