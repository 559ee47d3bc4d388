package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// TokenHolder is a live personal API token and the user it acts for, with
// the user's current roles and memberships (not those at the token's
// creation: a vendor who leaves an organisation loses its access at once).
type TokenHolder struct {
	TokenID       int64
	UserID        int64
	Scopes        []string
	Roles         []string
	Organizations []string
}

// TokenAuth looks up personal API tokens; the store, adapted in
// cmd/registry, implements it.
type TokenAuth interface {
	// TokenHolder returns the token whose secret is secret and its holder,
	// recording the use; catalog.ErrNotFound when the secret is unknown,
	// revoked or expired.
	TokenHolder(ctx context.Context, secret string) (TokenHolder, error)
}

// actorKey is the echo context key of the authenticated workflow actor.
const actorKey = "api.actor"

// bearerRealm names the protection space in WWW-Authenticate (RFC 6750).
const bearerRealm = `Bearer realm="registry"`

// clientKey is the failed-token limiter's key for a client address: the
// address, or for IPv6 its /64 network, which one client usually holds
// whole (one key per address would let it try 2⁶⁴ times as often).
func clientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil || addr.Is4() || addr.Is4In6() {
		return ip
	}
	p, err := addr.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// retryAfterFailures is the Retry-After, in seconds, of a client past its
// failed-token limit: time for the bucket to refill a few tries.
const retryAfterFailures = 60

// requireToken lets through requests with a live bearer token carrying
// scope. A missing, unknown, expired or revoked token answers 401 with a
// challenge, 429 once the client's address has presented too many unknown
// ones (Options.FailedTokens; a valid token still passes, and each wrong
// one is still looked up: the limit slows guessing down, it does not save
// the look-up); a token without the scope 403. Which submissions the holder
// may see or change is the workflow's decision, as on the forms.
func (a *API) requireToken(scope string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Add("Vary", "Authorization")
			secret, ok := bearer(c.Request().Header.Get(echo.HeaderAuthorization))
			if !ok {
				h.Set("WWW-Authenticate", bearerRealm)
				return echo.NewHTTPError(http.StatusUnauthorized, "This request needs a personal API token: send it as \"Authorization: Bearer <token>\".")
			}
			if a.tokens == nil || a.ed == nil {
				// Sign-in is off, so no token can exist.
				h.Set("WWW-Authenticate", bearerRealm+`, error="invalid_token"`)
				return echo.NewHTTPError(http.StatusUnauthorized, "The token is unknown, expired or revoked.")
			}
			holder, err := a.tokens.TokenHolder(c.Request().Context(), secret)
			switch {
			case errors.Is(err, catalog.ErrNotFound):
				if ok, _ := a.failures.Allow(clientKey(c.RealIP())); !ok {
					h.Set("Retry-After", strconv.Itoa(retryAfterFailures))
					return echo.NewHTTPError(http.StatusTooManyRequests,
						"Too many unknown, expired or revoked tokens from this address; wait a minute before trying another.")
				}
				h.Set("WWW-Authenticate", bearerRealm+`, error="invalid_token"`)
				return echo.NewHTTPError(http.StatusUnauthorized, "The token is unknown, expired or revoked.")
			case err != nil:
				return fmt.Errorf("authenticate token: %w", err)
			}
			if !slices.Contains(holder.Scopes, scope) {
				h.Set("WWW-Authenticate", bearerRealm+`, error="insufficient_scope", scope="`+scope+`"`)
				return echo.NewHTTPError(http.StatusForbidden, "The token lacks the scope "+scope+".")
			}
			c.Set(actorKey, workflow.Actor{
				ID: strconv.FormatInt(holder.UserID, 10), Roles: holder.Roles, Organizations: holder.Organizations,
				SessionID: "token:" + strconv.FormatInt(holder.TokenID, 10),
			})
			return next(c)
		}
	}
}

// bearer extracts the token of an "Authorization: Bearer <token>" header;
// the scheme is case-insensitive (RFC 9110).
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// actorOf returns the actor requireToken established.
func actorOf(c echo.Context) workflow.Actor {
	a, _ := c.Get(actorKey).(workflow.Actor)
	return a
}
