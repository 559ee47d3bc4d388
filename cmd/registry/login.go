package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/auth/devidp"
	"github.com/sovereignty-registry/registry/internal/auth/oidc"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/web"
	"github.com/sovereignty-registry/registry/internal/workflow"
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
		RedirectURL: base + "/auth/callback", RolesClaim: e.cfg.OIDCRolesClaim, OrganizationsClaim: e.cfg.OIDCOrganizationsClaim,
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
	return relyingParty{client: client, home: base + "/"}, storeAccounts{st: st}, stop, nil
}

// relyingParty is the OIDC client as the pages use it: signing out at the
// provider brings the browser back to the registry's home page, the
// post-logout redirect the provider must have registered.
type relyingParty struct {
	client *oidc.Client
	home   string
}

func (r relyingParty) Begin(next string) (string, oidc.Pending) { return r.client.Begin(next) }

func (r relyingParty) Finish(ctx context.Context, p oidc.Pending, callback url.Values) (auth.User, oidc.Tokens, error) {
	return r.client.Finish(ctx, p, callback)
}

func (r relyingParty) LogoutURL(idTokenHint string) (string, bool) {
	return r.client.LogoutURL(idTokenHint, r.home)
}

// logoutOrigin is the origin of the provider's logout endpoint ("" when it
// has none): the sign-out form leads there, so the pages' policy must
// allow it as a form target.
func (r relyingParty) logoutOrigin() string {
	raw, ok := r.client.LogoutURL("", r.home)
	if !ok {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
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

func (a storeAccounts) SignIn(ctx context.Context, u auth.User, tokens oidc.Tokens, userAgent string) (string, error) {
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	id, err := a.st.UpsertUser(ctx, u.Issuer, u.Subject, u.Name, u.Email, roles, u.Organizations)
	if err != nil {
		return "", err
	}
	cookie, _, err := a.st.CreateSession(ctx, id, store.SessionOptions{
		UserAgent: userAgent, IDToken: tokens.IDToken, Absolute: sessionAbsolute, Idle: sessionIdle,
	})
	if err != nil {
		return "", err
	}
	return cookie, a.audit(ctx, cookie, "session.login", nil)
}

// audit records a sign-in or sign-out of the cookie's session: the audit
// log says from which session every later step came, so it also says when
// each session began and ended.
func (a storeAccounts) audit(ctx context.Context, cookie, action string, after any) error {
	s, err := a.st.Session(ctx, cookie)
	if err != nil {
		return err
	}
	ev := workflow.Event{At: time.Now().UTC(), Actor: strconv.FormatInt(s.UserID, 10), SessionID: s.ID, Action: action, Subject: "user:" + strconv.FormatInt(s.UserID, 10)}
	if after != nil {
		if ev.After, err = json.Marshal(after); err != nil {
			return err
		}
	}
	_, err = a.st.AppendAudit(ctx, ev)
	return err
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
	return web.Account{ID: u.ID, Name: u.Name, Roles: u.Roles, Organizations: u.Organizations, CSRF: s.CSRFToken, Session: s.ID}, nil
}

// SignOut revokes the session and returns the ID token it kept; a session
// that has already ended has no hint to give, which is no error.
func (a storeAccounts) SignOut(ctx context.Context, cookie string) (string, error) {
	var idToken string
	switch s, err := a.st.Session(ctx, cookie); {
	case err == nil:
		idToken = s.IDToken
		if err := a.audit(ctx, cookie, "session.logout", nil); err != nil {
			return "", err
		}
	case !errors.Is(err, catalog.ErrNotFound):
		return "", err
	}
	return idToken, a.st.RevokeSession(ctx, cookie)
}

// SignOutEverywhere revokes every session of the cookie's user.
func (a storeAccounts) SignOutEverywhere(ctx context.Context, cookie string) (int64, error) {
	s, err := a.st.Session(ctx, cookie)
	if err != nil {
		return 0, err
	}
	n, err := a.st.RevokeAllSessions(ctx, s.UserID)
	if err != nil {
		return 0, err
	}
	ev := workflow.Event{At: time.Now().UTC(), Actor: strconv.FormatInt(s.UserID, 10), SessionID: s.ID,
		Action: "session.revoke_all", Subject: "user:" + strconv.FormatInt(s.UserID, 10), After: json.RawMessage(`{"sessions":` + strconv.FormatInt(n, 10) + `}`)}
	_, err = a.st.AppendAudit(ctx, ev)
	return n, err
}
