package auth

import "slices"

// User is a person signed in through an OpenID provider.
//
// A user is identified by the pair (Issuer, Subject), as OpenID Connect
// guarantees only that pair to be stable and unique; the e-mail address may
// change or be reused and is never used as a key.
type User struct {
	// ID is the registry's own key for the user; 0 until the store has saved it.
	ID int64
	// Issuer is the OpenID provider's issuer URL.
	Issuer string
	// Subject is the provider's stable identifier of the user (the sub claim).
	Subject string
	// Name is the display name.
	Name string
	// Email is the contact address; informative only, never a key.
	Email string
	// Roles are the roles granted to the user.
	Roles []Role
	// Organizations are the slugs of the organisations the user is a member of
	// (relevant for vendors).
	Organizations []string
}

// HasRole reports whether the user holds role r.
func (u User) HasRole(r Role) bool { return slices.Contains(u.Roles, r) }

// MemberOf reports whether the user is a member of the organisation with the
// given slug.
func (u User) MemberOf(orgSlug string) bool {
	return orgSlug != "" && slices.Contains(u.Organizations, orgSlug)
}

// Can reports whether the user's roles grant permission p.
func (u User) Can(p Permission) bool { return Can(u.Roles, p) }

// Anonymous reports whether u is the zero user, i.e. nobody is signed in.
func (u User) Anonymous() bool { return u.Issuer == "" && u.Subject == "" }
