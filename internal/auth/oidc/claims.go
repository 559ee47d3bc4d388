package oidc

import (
	"fmt"
	"slices"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"

	"github.com/sovereignty-registry/registry/internal/auth"
)

// user maps a verified ID token to an auth.User keyed by (issuer, subject).
func (c *Client) user(idt *gooidc.IDToken) (auth.User, error) {
	if idt.Subject == "" || idt.Issuer == "" {
		return auth.User{}, fmt.Errorf("%w: no subject or issuer", ErrClaims)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return auth.User{}, fmt.Errorf("%w: %w", ErrClaims, err)
	}
	u := auth.User{
		Issuer:  idt.Issuer,
		Subject: idt.Subject,
		Name:    firstString(claims, "name", "preferred_username"),
		Email:   firstString(claims, "email"),
		Roles:   c.roles(claimStrings(claims, c.cfg.RolesClaim)),
	}
	if c.cfg.OrganizationsClaim != "" {
		for _, o := range claimStrings(claims, c.cfg.OrganizationsClaim) {
			if o != "" && !slices.Contains(u.Organizations, o) {
				u.Organizations = append(u.Organizations, o)
			}
		}
	}
	return u, nil
}

// roles maps claim values through the RoleMap (or the role names themselves)
// and returns each role once, in the order of auth.Roles.
func (c *Client) roles(values []string) []auth.Role {
	got := map[auth.Role]bool{}
	for _, v := range values {
		if c.cfg.RoleMap != nil {
			if r, ok := c.cfg.RoleMap[v]; ok {
				got[r] = true
			}
			continue
		}
		if r, err := auth.ParseRole(v); err == nil {
			got[r] = true
		}
	}
	var out []auth.Role
	for _, r := range auth.Roles() {
		if got[r] {
			out = append(out, r)
		}
	}
	return out
}

// lookup follows a dotted path through nested claim objects.
func lookup(claims map[string]any, path string) (any, bool) {
	var cur any = claims
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// claimStrings reads a claim that is a string or an array of strings; other
// element types are skipped.
func claimStrings(claims map[string]any, path string) []string {
	v, ok := lookup(claims, path)
	if !ok {
		return nil
	}
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// firstString returns the first non-empty string among the named claims.
func firstString(claims map[string]any, names ...string) string {
	for _, n := range names {
		if s, ok := claims[n].(string); ok && s != "" {
			return s
		}
	}
	return ""
}
