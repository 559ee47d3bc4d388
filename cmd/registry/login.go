package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/auth/devidp"
	"github.com/sovereignty-registry/registry/internal/auth/oidc"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/web"
)

// Session lifetimes: a session ends after two hours without use, and in
// any case twelve hours after sign-in.
const (
	sessionIdle     = 2 * time.Hour
	sessionAbsolute = 12 * time.Hour
)

// devClientSecret is the registry's secret at the built-in provider; it
// protects nothing beyond a developer's own machine.
const devClientSecret = "dev-only-secret"

// setupLogin connects sign-in: to OIDC_ISSUER when set, else in dev mode
// to the built-in OpenID provider, started on its own listener so the
// registry talks to it over HTTP exactly as to any other provider. In
// production without OIDC_ISSUER sign-in stays off. The returned stop
// function shuts the built-in provider down.
func setupLogin(ctx context.Context, e env, base string, st *store.Store) (web.Login, web.Accounts, func(), error) {
	stop := func() {}
	cfg := oidc.Config{
		Issuer: e.cfg.OIDCIssuer, ClientID: e.cfg.OIDCClientID, ClientSecret: e.cfg.OIDCClientSecret,
		RedirectURL: base + "/auth/callback", RolesClaim: e.cfg.OIDCRolesClaim,
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
	}
	if cfg.Issuer == "" {
		if e.cfg.Production {
			e.log.Info("sign-in off: production mode and no OIDC_ISSUER")
			return nil, nil, stop, nil
		}
		ln, err := net.Listen("tcp", e.cfg.DevIDPAddr)
		if err != nil {
			return nil, nil, stop, fmt.Errorf("built-in OpenID provider: listen on %s: %w", e.cfg.DevIDPAddr, err)
		}
		issuer := "http://" + ln.Addr().String()
		idp, err := devidp.New(devidp.Options{
			Issuer:     issuer,
			Clients:    []devidp.Client{{ID: cfg.ClientID, Secret: devClientSecret, RedirectURIs: []string{cfg.RedirectURL}, PostLogoutRedirectURIs: []string{base + "/"}}},
			Users:      devidp.DemoUsers(),
			Production: e.cfg.Production,
		})
		if err != nil {
			ln.Close()
			return nil, nil, stop, err
		}
		srv := &http.Server{Handler: idp, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				e.log.Error("built-in OpenID provider stopped", "err", err)
			}
		}()
		stop = func() { _ = srv.Close() }
		cfg.Issuer, cfg.ClientSecret, cfg.OrganizationsClaim = issuer, devClientSecret, devidp.ClaimOrganizations
		e.log.Info("built-in OpenID provider for development (demo accounts on its login page)", "issuer", issuer)
	}
	client, err := oidc.New(ctx, cfg)
	if err != nil {
		stop()
		return nil, nil, func() {}, fmt.Errorf("sign-in: %w", err)
	}
	return client, storeAccounts{st: st}, stop, nil
}

// storeAccounts adapts the store's users and sessions to what the pages
// need (the web layer does not import the store).
type storeAccounts struct {
	st *store.Store
}

func (a storeAccounts) SaveLogin(ctx context.Context, p oidc.Pending) error {
	return a.st.SaveLoginState(ctx, p.State, store.LoginState{Nonce: p.Nonce, Verifier: p.Verifier, Next: p.Next})
}

func (a storeAccounts) TakeLogin(ctx context.Context, state string) (oidc.Pending, error) {
	ls, err := a.st.TakeLoginState(ctx, state)
	if err != nil {
		return oidc.Pending{}, err
	}
	return oidc.Pending{State: state, Nonce: ls.Nonce, Verifier: ls.Verifier, Next: ls.Next, Created: ls.CreatedAt}, nil
}

func (a storeAccounts) SignIn(ctx context.Context, u auth.User, userAgent string) (string, error) {
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	id, err := a.st.UpsertUser(ctx, u.Issuer, u.Subject, u.Name, u.Email, roles, u.Organizations)
	if err != nil {
		return "", err
	}
	cookie, _, err := a.st.CreateSession(ctx, id, userAgent, sessionAbsolute, sessionIdle)
	return cookie, err
}

func (a storeAccounts) Account(ctx context.Context, cookie string) (web.Account, error) {
	s, err := a.st.Session(ctx, cookie)
	if err != nil {
		return web.Account{}, err
	}
	u, err := a.st.User(ctx, s.UserID)
	if err != nil {
		return web.Account{}, err
	}
	if err := a.st.TouchSession(ctx, cookie); err != nil {
		return web.Account{}, err
	}
	return web.Account{ID: u.ID, Name: u.Name, Roles: u.Roles, CSRF: s.CSRFToken}, nil
}

func (a storeAccounts) SignOut(ctx context.Context, cookie string) error {
	return a.st.RevokeSession(ctx, cookie)
}
