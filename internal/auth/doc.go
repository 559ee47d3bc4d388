// Package auth is the domain of who may do what in the registry: the User
// (keyed by OpenID issuer and subject, never by e-mail), the Role, the one
// permission table, the per-object rules of the editorial workflow and the
// context helpers that carry the signed-in user through a request.
//
// It uses the standard library only; the OpenID Connect relying party lives in
// internal/auth/oidc and the development provider in internal/auth/devidp.
package auth
