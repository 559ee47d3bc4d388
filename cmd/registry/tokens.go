package main

import (
	"context"
	"time"

	"github.com/sovereignty-registry/registry/internal/api"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/web"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// The editorial service is what the submission endpoints run on.
var _ api.Editorial = (*workflow.Service)(nil)

// storeTokens adapts the store's personal API tokens to the tokens page
// and to the API's bearer authentication (neither imports the store).
type storeTokens struct {
	st *store.Store
}

var (
	_ web.Tokens    = storeTokens{}
	_ api.TokenAuth = storeTokens{}
)

func (s storeTokens) CreateToken(ctx context.Context, userID int64, name string, scopes []string, expiresAt time.Time, session string) (string, web.APIToken, error) {
	secret, t, err := s.st.CreateToken(ctx, userID, name, scopes, expiresAt, session)
	if err != nil {
		return "", web.APIToken{}, err
	}
	return secret, webToken(t), nil
}

func (s storeTokens) Tokens(ctx context.Context, userID int64) ([]web.APIToken, error) {
	ts, err := s.st.Tokens(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]web.APIToken, len(ts))
	for i, t := range ts {
		out[i] = webToken(t)
	}
	return out, nil
}

func (s storeTokens) RevokeToken(ctx context.Context, userID, id int64, session string) error {
	return s.st.RevokeToken(ctx, userID, id, session)
}

// TokenHolder gives the token's holder with the user's roles and
// organisations as they are now.
func (s storeTokens) TokenHolder(ctx context.Context, secret string) (api.TokenHolder, error) {
	t, u, err := s.st.TokenUser(ctx, secret)
	if err != nil {
		return api.TokenHolder{}, err
	}
	return api.TokenHolder{TokenID: t.ID, UserID: u.ID, Scopes: t.Scopes, Roles: u.Roles, Organizations: u.Organizations}, nil
}

func webToken(t store.APIToken) web.APIToken {
	return web.APIToken{ID: t.ID, Name: t.Name, Scopes: t.Scopes, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
		LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}
