package oidc

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Client is a relying party bound to one provider, safe for concurrent use.
type Client struct {
	cfg        Config
	provider   *gooidc.Provider
	oauth      oauth2.Config
	verifier   *gooidc.IDTokenVerifier
	endSession string // the provider's end_session_endpoint, if it has one
}

// Pending is what the caller keeps server-side between Begin and Finish. It
// must never be sent to the browser.
type Pending struct {
	// State is echoed by the provider and compared in Finish (CSRF on login).
	State string
	// Nonce is bound into the ID token and compared in Finish (replay).
	Nonce string
	// Verifier is the PKCE code verifier sent with the code exchange.
	Verifier string
	// Next is the local path to go to after login, already passed through SafeNext.
	Next string
	// Created is when Begin ran; Finish refuses a Pending older than PendingTTL.
	Created time.Time
}

// Tokens are the provider's tokens from a finished login.
type Tokens struct {
	// IDToken is the raw, verified ID token; keep it as id_token_hint for logout.
	IDToken string
	// AccessToken is the access token for the userinfo endpoint.
	AccessToken string
	// Expiry is when the access token expires (zero if unknown).
	Expiry time.Time
}

// New discovers the provider at cfg.Issuer and returns a Client for it.
// Errors wrap ErrConfig or ErrDiscovery.
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	provider, err := gooidc.NewProvider(gooidc.ClientContext(ctx, cfg.HTTPClient), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrDiscovery, cfg.Issuer, err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := provider.Claims(&extra); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrDiscovery, cfg.Issuer, err)
	}
	return &Client{
		cfg:      cfg,
		provider: provider,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     provider.Endpoint(),
			RedirectURL:  cfg.RedirectURL,
			Scopes:       cfg.Scopes,
		},
		verifier:   provider.Verifier(&gooidc.Config{ClientID: cfg.ClientID, Now: cfg.Now}),
		endSession: extra.EndSession,
	}, nil
}

// Begin starts a login: it returns the provider's authorization URL to
// redirect the browser to, and the Pending to keep server-side. next is the
// local path to return to afterwards; anything else becomes "/".
func (c *Client) Begin(next string) (authURL string, pending Pending) {
	pending = Pending{
		State:    rand.Text(),
		Nonce:    rand.Text(),
		Verifier: oauth2.GenerateVerifier(),
		Next:     SafeNext(next),
		Created:  c.cfg.Now(),
	}
	authURL = c.oauth.AuthCodeURL(pending.State,
		gooidc.Nonce(pending.Nonce),
		oauth2.S256ChallengeOption(pending.Verifier))
	return authURL, pending
}

// LogoutURL returns the provider's RP-initiated logout URL with the ID token
// hint and the post-logout redirect (which the provider must have
// registered), and false when the provider advertises no end_session_endpoint.
func (c *Client) LogoutURL(idTokenHint, postLogoutRedirect string) (string, bool) {
	if c.endSession == "" {
		return "", false
	}
	u, err := url.Parse(c.endSession)
	if err != nil {
		return "", false
	}
	q := u.Query()
	q.Set("client_id", c.cfg.ClientID)
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	if postLogoutRedirect != "" {
		q.Set("post_logout_redirect_uri", postLogoutRedirect)
	}
	u.RawQuery = q.Encode()
	return u.String(), true
}

// Issuer returns the verified issuer URL of the provider.
func (c *Client) Issuer() string { return c.cfg.Issuer }
