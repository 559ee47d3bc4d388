package oidc

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"

	"github.com/sovereignty-registry/registry/internal/auth"
)

// Defaults applied by New.
const (
	// DefaultRolesClaim is the claim read for roles when Config.RolesClaim is empty.
	DefaultRolesClaim = "groups"
	// DefaultPendingTTL is how long a begun login may take when
	// Config.PendingTTL is zero.
	DefaultPendingTTL = 10 * time.Minute
)

// Config configures a relying party.
type Config struct {
	// Issuer is the provider's issuer URL; discovery reads
	// Issuer + "/.well-known/openid-configuration" and the document must name
	// the same issuer.
	Issuer string
	// ClientID and ClientSecret are the registry's credentials at the provider.
	ClientID     string
	ClientSecret string
	// RedirectURL is the registry's absolute callback URL.
	RedirectURL string
	// Scopes are requested in addition to openid (always requested); profile
	// and email when nil.
	Scopes []string
	// RolesClaim names the ID token claim holding the user's roles or groups;
	// a dotted path reaches into objects (Keycloak: "realm_access.roles").
	// DefaultRolesClaim when empty.
	RolesClaim string
	// RoleMap maps claim values to roles; values not in the map are ignored.
	// When nil, the values "vendor", "reviewer" and "admin" map to their role.
	RoleMap map[string]auth.Role
	// OrganizationsClaim optionally names a claim (dotted path allowed) with
	// organisation slugs; when empty, memberships come from the registry only.
	OrganizationsClaim string
	// HTTPClient is used for discovery, keys and the token endpoint;
	// http.DefaultClient when nil. Give it a timeout.
	HTTPClient *http.Client
	// Now is the clock for token expiry and pending logins; time.Now when nil.
	Now func() time.Time
	// PendingTTL bounds the time between Begin and Finish; DefaultPendingTTL
	// when zero.
	PendingTTL time.Duration
}

// withDefaults validates c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	if c.Issuer == "" || c.ClientID == "" || c.RedirectURL == "" {
		return c, fmt.Errorf("%w: issuer, client ID and redirect URL are required", ErrConfig)
	}
	if u, err := url.Parse(c.RedirectURL); err != nil || !u.IsAbs() || u.Host == "" {
		return c, fmt.Errorf("%w: redirect URL %q must be absolute", ErrConfig, c.RedirectURL)
	}
	for v, r := range c.RoleMap {
		if !r.Valid() {
			return c, fmt.Errorf("%w: role map sends %q to unknown role %q", ErrConfig, v, r)
		}
	}
	if c.Scopes == nil {
		c.Scopes = []string{"profile", "email"}
	}
	if !slices.Contains(c.Scopes, gooidc.ScopeOpenID) {
		c.Scopes = append([]string{gooidc.ScopeOpenID}, c.Scopes...)
	}
	if c.RolesClaim == "" {
		c.RolesClaim = DefaultRolesClaim
	}
	if c.HTTPClient == nil {
		c.HTTPClient = http.DefaultClient
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.PendingTTL <= 0 {
		c.PendingTTL = DefaultPendingTTL
	}
	return c, nil
}
