package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sovereignty-registry/registry/internal/auth"
)

// Finish completes a login from the callback's query: it checks the state
// against pending, exchanges the code with the PKCE verifier, verifies the ID
// token (signature, issuer, audience, expiry, at_hash) and its nonce, and maps
// the claims to an auth.User (ID 0: the store assigns it).
//
// Every error wraps one of the package's sentinels; the caller shows a safe
// message and logs the detail.
func (c *Client) Finish(ctx context.Context, pending Pending, callbackQuery url.Values) (auth.User, Tokens, error) {
	if e := callbackQuery.Get("error"); e != "" {
		return auth.User{}, Tokens{}, fmt.Errorf("%w: %s: %s", ErrProvider, e, callbackQuery.Get("error_description"))
	}
	if pending.State == "" || subtle.ConstantTimeCompare([]byte(pending.State), []byte(callbackQuery.Get("state"))) != 1 {
		return auth.User{}, Tokens{}, ErrState
	}
	if c.cfg.Now().Sub(pending.Created) > c.cfg.PendingTTL {
		return auth.User{}, Tokens{}, fmt.Errorf("%w: login attempt expired", ErrState)
	}
	code := callbackQuery.Get("code")
	if code == "" {
		return auth.User{}, Tokens{}, fmt.Errorf("%w: no code in callback", ErrExchange)
	}

	ctx = gooidc.ClientContext(ctx, c.cfg.HTTPClient)
	tok, err := c.oauth.Exchange(ctx, code, oauth2.VerifierOption(pending.Verifier))
	if err != nil {
		return auth.User{}, Tokens{}, fmt.Errorf("%w: %w", ErrExchange, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return auth.User{}, Tokens{}, fmt.Errorf("%w: token response has no id_token", ErrToken)
	}
	idt, err := c.verify(ctx, raw, pending.Nonce)
	if err != nil {
		return auth.User{}, Tokens{}, err
	}
	// at_hash binds the access token to the ID token; it is optional in the
	// code flow, so check it when present.
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return auth.User{}, Tokens{}, fmt.Errorf("%w: %w", ErrToken, err)
		}
	}
	u, err := c.user(idt)
	if err != nil {
		return auth.User{}, Tokens{}, err
	}
	return u, Tokens{IDToken: raw, AccessToken: tok.AccessToken, Expiry: tok.Expiry}, nil
}

// VerifyIDToken verifies a raw ID token as Finish does (signature, issuer,
// audience, expiry, nonce) and maps its claims to an auth.User.
func (c *Client) VerifyIDToken(ctx context.Context, rawIDToken, nonce string) (auth.User, error) {
	idt, err := c.verify(gooidc.ClientContext(ctx, c.cfg.HTTPClient), rawIDToken, nonce)
	if err != nil {
		return auth.User{}, err
	}
	return c.user(idt)
}

func (c *Client) verify(ctx context.Context, raw, nonce string) (*gooidc.IDToken, error) {
	idt, err := c.verifier.Verify(ctx, raw)
	if err != nil {
		var expired *gooidc.TokenExpiredError
		if errors.As(err, &expired) {
			return nil, fmt.Errorf("%w: %w: %w", ErrToken, ErrTokenExpired, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrToken, err)
	}
	if nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return nil, ErrNonce
	}
	return idt, nil
}
