package web

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// Admin is what the admin pages need: users with their roles and
// memberships, categories and the audit log. Every change takes the
// acting admin, is checked against a version (catalog.ErrConflict when
// stale) and is recorded in the audit log with it.
type Admin interface {
	// Users lists every user known from a sign-in.
	Users(ctx context.Context) ([]ManagedUser, error)
	// SetAssignments replaces the roles and organisations admins assigned
	// to user id; a *catalog.ValidationError names "roles" or
	// "organizations".
	SetAssignments(ctx context.Context, a workflow.Actor, id int64, roles, orgs []string, version int) error
	// Categories lists the categories with their versions.
	Categories(ctx context.Context) ([]ManagedCategory, error)
	// CreateCategory adds c; a *catalog.ValidationError names "slug",
	// "name_de" or "name_en".
	CreateCategory(ctx context.Context, a workflow.Actor, c catalog.Category) error
	// UpdateCategory renames the category c.Slug.
	UpdateCategory(ctx context.Context, a workflow.Actor, c catalog.Category, version int) error
	// AuditEvents returns up to f.Limit events matching f, newest first.
	AuditEvents(ctx context.Context, f AuditFilter) ([]workflow.Event, error)
	// ExportAudit streams every event matching f (oldest first, f.Before
	// and f.Limit ignored) to out in format.
	ExportAudit(ctx context.Context, f AuditFilter, format AuditFormat, out io.Writer) error
	// UserNames returns display names by user id (audit actors).
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
}

// ManagedUser is a user on the admin pages: the roles and organisations
// from the provider's claims (replaced at each sign-in) and those assigned
// in the registry; the user holds both.
type ManagedUser struct {
	ID                    int64
	Name, Email, Issuer   string
	ClaimRoles            []string
	ClaimOrganizations    []string
	AssignedRoles         []string
	AssignedOrganizations []string
	Version               int
}

// ManagedCategory is a category on the admin pages.
type ManagedCategory struct {
	catalog.Category
	Products int
	Version  int
}

// AuditFilter selects audit events; empty fields select all. From is
// inclusive, To exclusive; Before pages back from an event id.
type AuditFilter struct {
	Actor, Action, Subject string
	From, To               time.Time
	Before                 int64
	Limit                  int
}

// AuditFormat is an export format of the audit log.
type AuditFormat string

// The export formats.
const (
	AuditCSV       AuditFormat = "csv"
	AuditJSONLines AuditFormat = "jsonl"
)

// The admin pages a successful change returns to.
const (
	adminUsersPath  = "/admin/users"
	adminCatsPath   = "/admin/categories"
	adminPolicyPath = "/admin/policy"
	adminAuditPath  = "/admin/audit"
)

// showAdmin is the admins' start page: a link to every admin page the
// signed-in user's roles open.
func (w *Web) showAdmin(c echo.Context) error {
	a, _ := account(c)
	rs := roles(a)
	p := w.page(c, "")
	p.Title = p.T("admin.title")
	return render(c, http.StatusOK, views.AdminHome(p, views.AdminHomeProps{
		Users:      auth.Can(rs, auth.PermUsersManage),
		Categories: auth.Can(rs, auth.PermCategoriesManage),
		Policy:     auth.Can(rs, auth.PermPolicyManage),
		Audit:      auth.Can(rs, auth.PermAuditRead),
	}))
}

// adminAvailable answers 404 while the admin pages have no backing (sign-in
// off, or the program wired none).
func (w *Web) adminAvailable() error {
	if w.admin == nil {
		return echo.ErrNotFound
	}
	return nil
}

// adminFormVersion reads the hidden version field; a form without a number
// there was not made by our pages.
func adminFormVersion(c echo.Context) (int, error) {
	v, err := strconv.Atoi(c.FormValue("version"))
	if err != nil || v < 0 {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "version missing or not a number")
	}
	return v, nil
}

// adminProblemMessage translates a validation problem for the field it
// belongs to. The keys are spelled out so the catalogue test sees them.
func adminProblemMessage(p views.Page, pr catalog.Problem) string {
	switch pr.Key {
	case "error.required":
		return p.T("admin.error.required")
	case "error.slug":
		return p.T("admin.error.slug")
	case "error.slug_taken":
		return p.T("admin.error.slug_taken")
	case "error.too_long":
		return p.T("admin.error.too_long")
	case "error.role":
		return p.T("admin.error.role")
	case "error.organization":
		return p.T("admin.error.organization")
	case "error.number":
		return p.T("admin.error.number")
	case "error.date":
		return p.T("admin.error.date")
	case "error.date_order":
		return p.T("admin.error.date_order")
	case "error.limit":
		return p.T("admin.error.limit", "Total", auditMaxPageSize)
	}
	return p.T("admin.error.invalid")
}

// adminFieldErrors maps problems to their fields' messages; several problems
// of one field are joined.
func adminFieldErrors(problems []catalog.Problem, translate func(catalog.Problem) string) views.AdminErrors {
	out := views.AdminErrors{}
	for _, pr := range problems {
		msg := translate(pr)
		if prev, ok := out[pr.Path]; ok && prev != msg {
			msg = prev + " " + msg
		}
		out[pr.Path] = msg
	}
	return out
}

// adminSaved is the notice after a successful change: the pages redirect
// to themselves with ?saved=1 (post/redirect/get), so a reload does not
// post the form again.
func adminSaved(c echo.Context, p *views.Page) {
	if c.QueryParam("saved") != "" {
		p.Flash = p.T("admin.saved")
	}
}
