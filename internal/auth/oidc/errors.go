package oidc

import "errors"

// Sentinel errors; every error of this package wraps one of them with %w, so
// callers decide with errors.Is and log the detail.
var (
	// ErrConfig: the Config is incomplete or invalid.
	ErrConfig = errors.New("oidc: invalid configuration")
	// ErrDiscovery: the issuer did not answer with a valid OpenID discovery
	// document for itself.
	ErrDiscovery = errors.New("oidc: discovery failed")
	// ErrProvider: the provider answered the authorization request with an
	// error (for example access_denied).
	ErrProvider = errors.New("oidc: provider returned an error")
	// ErrState: the callback's state is missing, does not match the pending
	// login, or the pending login has expired.
	ErrState = errors.New("oidc: state mismatch")
	// ErrExchange: the code was missing or the token endpoint refused it
	// (wrong, expired or replayed code, PKCE verifier mismatch).
	ErrExchange = errors.New("oidc: code exchange failed")
	// ErrToken: the ID token is missing or invalid (signature, issuer,
	// audience, expiry, at_hash).
	ErrToken = errors.New("oidc: invalid ID token")
	// ErrTokenExpired: the ID token has expired; always wrapped together with
	// ErrToken.
	ErrTokenExpired = errors.New("oidc: ID token expired")
	// ErrNonce: the ID token's nonce does not match the pending login.
	ErrNonce = errors.New("oidc: nonce mismatch")
	// ErrClaims: the ID token lacks a required claim (sub) or its claims cannot
	// be read.
	ErrClaims = errors.New("oidc: unusable claims")
)
