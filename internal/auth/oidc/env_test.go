package oidc

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/auth/devidp"
)

// env is a development provider and a relying-party callback, both on real
// HTTP listeners.
type env struct {
	issuer   string
	callback string // the registry's redirect URL
	home     string // a registered post-logout redirect
	idp      *devidp.Server
}

const (
	clientID     = "registry"
	clientSecret = "registry-secret"
	otherID      = "other"
	otherSecret  = "other-secret"
)

// newEnv starts a devidp with the demo users plus extra, and a callback
// server that answers with the query it received.
func newEnv(t *testing.T, extra ...devidp.User) env {
	t.Helper()
	return newEnvAt(t, "", extra...)
}

// newEnvAt is newEnv with the provider's issuer at a path below the host.
func newEnvAt(t *testing.T, path string, extra ...devidp.User) env {
	t.Helper()
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.URL.RawQuery) // capture the callback for the test
	}))
	t.Cleanup(cb.Close)

	// The issuer URL is only known once the listener exists.
	ts := httptest.NewUnstartedServer(nil)
	issuer := "http://" + ts.Listener.Addr().String() + path
	e := env{issuer: issuer, callback: cb.URL + "/auth/callback", home: cb.URL + "/"}
	idp, err := devidp.New(devidp.Options{
		Issuer: issuer,
		Clients: []devidp.Client{
			{ID: clientID, Secret: clientSecret, RedirectURIs: []string{e.callback}, PostLogoutRedirectURIs: []string{e.home}},
			{ID: otherID, Secret: otherSecret, RedirectURIs: []string{cb.URL + "/other/callback"}},
		},
		Users: append(devidp.DemoUsers(), extra...),
	})
	if err != nil {
		t.Fatalf("devidp.New: %v", err)
	}
	e.idp = idp
	ts.Config.Handler = idp
	ts.Start()
	t.Cleanup(ts.Close)
	return e
}

// config returns the registry's relying-party configuration for e.
func (e env) config() Config {
	return Config{
		Issuer:             e.issuer,
		ClientID:           clientID,
		ClientSecret:       clientSecret,
		RedirectURL:        e.callback,
		OrganizationsClaim: "organizations",
		HTTPClient:         &http.Client{Timeout: 5 * time.Second},
	}
}

func mustClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// browser is a user agent that follows redirects and keeps cookies.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 5 * time.Second}
}

// login walks the browser part of the flow: authorize → login page → POST
// the form → callback. It returns the query the callback received.
func login(t *testing.T, authURL, username, password string) url.Values {
	t.Helper()
	b := browser(t)
	resp, err := b.Get(authURL)
	if err != nil {
		t.Fatalf("GET authorize: %v", err)
	}
	page := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Demo accounts") {
		t.Fatalf("authorize did not lead to the login page: %d %s\n%s", resp.StatusCode, resp.Request.URL, page)
	}
	loginURL := resp.Request.URL
	id := loginURL.Query().Get("authRequestID")
	if id == "" {
		t.Fatalf("login page URL %s has no authRequestID", loginURL)
	}
	form := url.Values{"authRequestID": {id}, "username": {username}, "password": {password}}
	post := *loginURL
	post.RawQuery = ""
	resp, err = b.PostForm(post.String(), form)
	if err != nil {
		t.Fatalf("POST login: %v", err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login POST ended with %d at %s:\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	q, err := url.ParseQuery(body)
	if err != nil {
		t.Fatalf("callback query %q: %v", body, err)
	}
	return q
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
