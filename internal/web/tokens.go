package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/auth"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// Tokens manages the signed-in vendor's personal API tokens; the store,
// adapted in cmd/registry, implements it.
type Tokens interface {
	// CreateToken issues a token and returns its secret, which is not
	// kept and cannot be shown again. session names the session that
	// asked, for the audit log.
	CreateToken(ctx context.Context, userID int64, name string, scopes []string, expiresAt time.Time, session string) (secret string, t APIToken, err error)
	// Tokens lists a user's tokens, newest first.
	Tokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeToken ends one of the user's tokens; catalog.ErrNotFound
	// when the user holds no such token.
	RevokeToken(ctx context.Context, userID, id int64, session string) error
}

// APIToken is a personal API token as its owner sees it: never its secret.
type APIToken struct {
	ID         int64
	Name       string
	Scopes     []string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// tokenLifetimes are the lifetimes the form offers, in days; a year is the
// most the store accepts.
var tokenLifetimes = []int{30, 90, 365}

const defaultTokenLifetime = "90"

// listTokens shows the vendor's tokens and the form that creates one.
func (w *Web) listTokens(c echo.Context) error {
	return w.renderTokens(c, http.StatusOK, views.TokenForm{Lifetime: defaultTokenLifetime}, "", "")
}

// createToken issues a token and shows its secret on this answer, once:
// not after a redirect, so the secret never sits in a URL or a session.
func (w *Web) createToken(c echo.Context) error {
	if w.tokens == nil {
		return echo.ErrNotFound
	}
	a, _ := account(c)
	p := w.page(c, "")
	form := views.TokenForm{
		Name: strings.TrimSpace(c.FormValue("name")), Scopes: formValues(c, "scope"),
		Lifetime: c.FormValue("lifetime"), Errors: map[string]string{},
	}
	switch {
	case form.Name == "":
		form.Errors["name"] = p.T("tokens.error_name")
	case len([]rune(form.Name)) > 100:
		form.Errors["name"] = p.T("tokens.error_name_long")
	}
	if len(form.Scopes) == 0 || slices.ContainsFunc(form.Scopes, func(s string) bool { return !slices.Contains(auth.Scopes(), s) }) {
		form.Errors["scopes"] = p.T("tokens.error_scopes")
	}
	days, err := strconv.Atoi(form.Lifetime)
	if err != nil || !slices.Contains(tokenLifetimes, days) {
		form.Errors["lifetime"] = p.T("tokens.error_lifetime")
	}
	if len(form.Errors) > 0 {
		return w.renderTokens(c, http.StatusUnprocessableEntity, form, "", "")
	}
	expires := time.Now().Add(time.Duration(days) * 24 * time.Hour)
	secret, tok, err := w.tokens.CreateToken(c.Request().Context(), a.ID, form.Name, form.Scopes, expires, a.Session)
	var ve *catalog.ValidationError
	switch {
	case errors.As(err, &ve):
		// The form checks the same rules first; this is the store's word.
		for _, pr := range ve.Problems {
			field := pr.Path
			if field == "expires_at" {
				field = "lifetime"
			}
			form.Errors[field] = pr.Message
		}
		return w.renderTokens(c, http.StatusUnprocessableEntity, form, "", "")
	case err != nil:
		return fmt.Errorf("create token: %w", err)
	}
	return w.renderTokens(c, http.StatusCreated, views.TokenForm{Lifetime: defaultTokenLifetime}, secret, tok.Name)
}

// revokeToken ends one of the vendor's tokens and goes back to the list;
// someone else's token answers 404, like one that does not exist.
func (w *Web) revokeToken(c echo.Context) error {
	if w.tokens == nil {
		return echo.ErrNotFound
	}
	a, _ := account(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("token %q: %w", c.Param("id"), catalog.ErrNotFound)
	}
	if err := w.tokens.RevokeToken(c.Request().Context(), a.ID, id, a.Session); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return c.Redirect(http.StatusSeeOther, "/account/tokens")
}

// renderTokens answers with the tokens page. It is never cached: it may
// hold a secret, and it changes with every token.
func (w *Web) renderTokens(c echo.Context, status int, form views.TokenForm, secret, name string) error {
	if w.tokens == nil {
		return echo.ErrNotFound
	}
	a, _ := account(c)
	toks, err := w.tokens.Tokens(c.Request().Context(), a.ID)
	if err != nil {
		return fmt.Errorf("list tokens: %w", err)
	}
	p := w.page(c, "")
	p.Title = p.T("tokens.title")
	now := time.Now()
	props := views.TokensProps{Form: form, Created: secret, CreatedName: name, Tokens: make([]views.TokenRow, len(toks))}
	for i, t := range toks {
		props.Tokens[i] = views.TokenRow{ID: t.ID, Name: t.Name, Scopes: t.Scopes, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
			LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt, Expired: !now.Before(t.ExpiresAt)}
	}
	for _, s := range auth.Scopes() {
		props.Scopes = append(props.Scopes, views.TokenOption{Value: s, Label: scopeLabel(p, s)})
	}
	for _, d := range tokenLifetimes {
		props.Lifetimes = append(props.Lifetimes, views.TokenOption{Value: strconv.Itoa(d), Label: p.T("tokens.lifetime_days", "Count", d)})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, views.Tokens(p, props))
}

// scopeLabel says what a scope allows, in the page language.
func scopeLabel(p views.Page, scope string) string {
	switch scope {
	case auth.ScopeSubmissionsRead:
		return p.T("tokens.scope_read")
	case auth.ScopeSubmissionsWrite:
		return p.T("tokens.scope_write")
	}
	return scope
}

// formValues returns every value of a repeated form field (checkboxes).
func formValues(c echo.Context, name string) []string {
	f, err := c.FormParams()
	if err != nil {
		return nil
	}
	return f[name]
}
