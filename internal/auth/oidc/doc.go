// Package oidc is the registry's OpenID Connect relying party: discovery from
// an issuer URL, the authorization code flow with PKCE (S256), state and nonce
// checks, ID token verification with github.com/coreos/go-oidc/v3 (issuer,
// audience, expiry, signature, at_hash), the mapping of a roles claim to
// auth.Role, and RP-initiated logout.
//
// It keeps no state of its own: Begin returns a Pending that the caller stores
// server-side (in the session) and hands back to Finish with the callback's
// query.
package oidc
