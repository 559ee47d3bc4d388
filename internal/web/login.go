package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/auth/oidc"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// Login is the OpenID Connect relying party the sign-in pages use.
type Login interface {
	Begin(next string) (authURL string, pending oidc.Pending)
	Finish(ctx context.Context, pending oidc.Pending, callback url.Values) (auth.User, oidc.Tokens, error)
	// LogoutURL returns where to send the browser to sign out at the
	// provider too (with idTokenHint, which may be empty), from where it
	// comes back to the site; false when the provider offers no logout.
	LogoutURL(idTokenHint string) (string, bool)
}

// Account is the signed-in user as the pages see it.
type Account struct {
	ID    int64
	Name  string
	Roles []string
	// Organizations are the slugs of the organisations a vendor acts for.
	Organizations []string
	// CSRF is the session's token every state-changing form carries.
	CSRF string
	// Session names the session in the audit log (a hash, never the cookie).
	Session string
}

// Accounts is what signing in needs of the storage, in the pages' terms:
// sign-ins in progress, users and server-side sessions.
type Accounts interface {
	SaveLogin(ctx context.Context, p oidc.Pending) error
	// TakeLogin returns the sign-in saved under state once;
	// catalog.ErrNotFound afterwards.
	TakeLogin(ctx context.Context, state string) (oidc.Pending, error)
	// SignIn records the user and starts a session that keeps the
	// provider's ID token for signing out; it returns the cookie value.
	SignIn(ctx context.Context, u auth.User, tokens oidc.Tokens, userAgent string) (string, error)
	// Account returns the session's user; catalog.ErrNotFound when the
	// session is unknown, expired or revoked.
	Account(ctx context.Context, cookie string) (Account, error)
	// SignOut ends the session and returns the ID token it was started
	// with ("" when it kept none), the hint for the provider's logout.
	SignOut(ctx context.Context, cookie string) (idTokenHint string, err error)
	// SignOutEverywhere ends every session of the cookie's user (a lost
	// laptop, a shared computer); it reports how many ended.
	SignOutEverywhere(ctx context.Context, cookie string) (int64, error)
}

// Cookie names. The session cookie is opaque: its value means nothing
// outside the sessions table, which stores only a hash of it.
const (
	sessionCookie = "registry_session"
	loginCookie   = "registry_login"
	accountKey    = "account"
)

// loadAccount puts the signed-in user, if any, into the request.
func (w *Web) loadAccount(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if w.accounts != nil {
			if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
				a, err := w.accounts.Account(c.Request().Context(), ck.Value)
				switch {
				case err == nil:
					c.Set(accountKey, a)
				case !errors.Is(err, catalog.ErrNotFound):
					return err
				}
			}
		}
		return next(c)
	}
}

// account returns the signed-in user of the request.
func account(c echo.Context) (Account, bool) {
	a, ok := c.Get(accountKey).(Account)
	return a, ok
}

// startLogin sends the browser to the identity provider. The sign-in in
// progress is kept server-side; a short-lived cookie ties it to this
// browser, so nobody can complete a sign-in started elsewhere.
func (w *Web) startLogin(c echo.Context) error {
	if w.login == nil {
		return echo.ErrNotFound
	}
	authURL, pending := w.login.Begin(c.QueryParam("next"))
	if err := w.accounts.SaveLogin(c.Request().Context(), pending); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: loginCookie, Value: pending.State, Path: "/auth", MaxAge: 600,
		HttpOnly: true, Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusSeeOther, authURL)
}

// finishLogin completes the sign-in: the state must match this browser's,
// the provider's answer must verify, then a fresh session starts (a new
// id, so a session id known before login is worthless).
func (w *Web) finishLogin(c echo.Context) error {
	if w.login == nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	state := c.QueryParam("state")
	ck, err := c.Cookie(loginCookie)
	if err != nil || state == "" || ck.Value != state {
		return w.loginFailed(c, errors.New("state does not belong to this browser"))
	}
	c.SetCookie(&http.Cookie{Name: loginCookie, Path: "/auth", MaxAge: -1, HttpOnly: true})
	pending, err := w.accounts.TakeLogin(ctx, state)
	if err != nil {
		return w.loginFailed(c, err)
	}
	u, tokens, err := w.login.Finish(ctx, pending, c.QueryParams())
	if err != nil {
		return w.loginFailed(c, err)
	}
	cookie, err := w.accounts.SignIn(ctx, u, tokens, c.Request().UserAgent())
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: cookie, Path: "/", HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode, MaxAge: int((12 * time.Hour).Seconds())})
	return c.Redirect(http.StatusSeeOther, oidc.SafeNext(pending.Next))
}

// loginFailed answers a refused sign-in with a 400 page; the reason goes
// to the log only.
func (w *Web) loginFailed(c echo.Context, err error) error {
	w.log.Warn("sign-in refused", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
	p := w.page(c, "")
	return render(c, http.StatusBadRequest, views.ErrorPage(p, http.StatusBadRequest, p.T("login.failed")))
}

// logout ends the session. It is a POST with the session's CSRF token, so
// another site cannot sign a user out. Then it sends the browser to the
// provider's logout, when there is one: otherwise the next sign-in would
// pass silently through the provider's still-open session.
func (w *Web) logout(c echo.Context) error {
	a, ok := account(c)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	if c.FormValue(views.CSRFField) != a.CSRF {
		return echo.NewHTTPError(http.StatusForbidden, "CSRF token missing or wrong")
	}
	var idToken string
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if idToken, err = w.accounts.SignOut(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if to, ok := w.login.LogoutURL(idToken); ok {
		return c.Redirect(http.StatusSeeOther, to)
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
