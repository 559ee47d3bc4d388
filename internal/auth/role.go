package auth

import (
	"fmt"
	"slices"
)

// Role is a named set of permissions granted to a user.
type Role string

// The roles of the editorial workflow. Roles compose: an admin who also
// reviews holds both RoleAdmin and RoleReviewer.
const (
	// RoleVendor drafts and proposes entries for its own organisations.
	RoleVendor Role = "vendor"
	// RoleReviewer reviews, comments on, approves and rejects proposals.
	RoleReviewer Role = "reviewer"
	// RoleAdmin manages users, roles, memberships, categories and reference data.
	RoleAdmin Role = "admin"
)

// Roles lists every role in a stable order.
func Roles() []Role { return []Role{RoleVendor, RoleReviewer, RoleAdmin} }

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// ParseRole returns the role named s, or an error wrapping ErrUnknownRole.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", fmt.Errorf("%w: %q", ErrUnknownRole, s)
	}
	return r, nil
}

// RolesOf turns role names as stored (sessions, tokens, the workflow's
// actors) into roles; unknown names stay and grant nothing (see Can).
func RolesOf(names []string) []Role {
	out := make([]Role, len(names))
	for i, n := range names {
		out[i] = Role(n)
	}
	return out
}
