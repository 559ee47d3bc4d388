package web

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// requireAccount lets only signed-in users through. Anybody else is sent
// to sign in and comes back to the page (a GET) or to the start (a form
// post cannot be replayed after a redirect).
func (w *Web) requireAccount(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := account(c); ok {
			return next(c)
		}
		if w.login == nil {
			return echo.ErrNotFound
		}
		back := "/"
		if c.Request().Method == http.MethodGet {
			back = c.Request().URL.RequestURI()
		}
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(back))
	}
}

// checkCSRF refuses every state-changing request whose form does not carry
// the session's CSRF token. It runs after requireAccount: only signed-in
// users post forms that change anything.
func (w *Web) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		a, ok := account(c)
		got := c.FormValue(views.CSRFField)
		if !ok || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.CSRF)) != 1 {
			return echo.NewHTTPError(http.StatusForbidden, "CSRF token missing or wrong")
		}
		return next(c)
	}
}

// require lets through users whose roles grant permission p (see the
// table in internal/auth); others get 403. Finer rules (own organisation,
// four eyes) are the workflow's.
func (w *Web) require(p auth.Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a, ok := account(c)
			if !ok || !auth.Can(roles(a), p) {
				return echo.NewHTTPError(http.StatusForbidden, "needs permission "+string(p))
			}
			return next(c)
		}
	}
}

// requireAny is require for routes that several permissions open (a
// submission's page: its vendors, reviewers and admins).
func (w *Web) requireAny(ps ...auth.Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a, ok := account(c)
			if ok {
				for _, p := range ps {
					if auth.Can(roles(a), p) {
						return next(c)
					}
				}
			}
			return echo.NewHTTPError(http.StatusForbidden, "no permission for this page")
		}
	}
}

func roles(a Account) []auth.Role { return auth.RolesOf(a.Roles) }

// actor is the signed-in user as the workflow sees them.
func actor(c echo.Context) workflow.Actor {
	a, _ := account(c)
	return workflow.Actor{ID: strconv.FormatInt(a.ID, 10), Roles: a.Roles, Organizations: a.Organizations, SessionID: a.Session}
}
