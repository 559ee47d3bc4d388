package oidc

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// discoveryOnly serves nothing but a discovery document, with endSession
// as its end_session_endpoint ("" leaves it out); New needs no more.
func discoveryOnly(t *testing.T, endSession string) *httptest.Server {
	t.Helper()
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		doc := map[string]any{
			"issuer":                                ts.URL,
			"authorization_endpoint":                ts.URL + "/authorize",
			"token_endpoint":                        ts.URL + "/token",
			"jwks_uri":                              ts.URL + "/keys",
			"id_token_signing_alg_values_supported": []string{"ES256"},
		}
		if endSession != "" {
			doc["end_session_endpoint"] = endSession
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestLogoutURL(t *testing.T) {
	newClient := func(t *testing.T, endSession string) *Client {
		t.Helper()
		ts := discoveryOnly(t, endSession)
		c, err := New(context.Background(), Config{Issuer: ts.URL, ClientID: "registry", RedirectURL: "https://registry.example/auth/callback"})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		return c
	}

	t.Run("provider without end_session_endpoint", func(t *testing.T) {
		if u, ok := newClient(t, "").LogoutURL("hint", "https://registry.example/"); ok || u != "" {
			t.Errorf("LogoutURL = %q, %v; want \"\", false", u, ok)
		}
	})
	t.Run("keeps the endpoint's own query", func(t *testing.T) {
		u, ok := newClient(t, "https://idp.example/logout?tenant=a").LogoutURL("the.id.token", "https://registry.example/")
		if !ok {
			t.Fatal("LogoutURL not supported")
		}
		got, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		want := url.Values{"tenant": {"a"}, "client_id": {"registry"}, "id_token_hint": {"the.id.token"},
			"post_logout_redirect_uri": {"https://registry.example/"}}
		if got.Host != "idp.example" || got.Path != "/logout" || got.Query().Encode() != want.Encode() {
			t.Errorf("LogoutURL = %s, want https://idp.example/logout?%s", u, want.Encode())
		}
	})
	t.Run("no hint for a session that kept none", func(t *testing.T) {
		u, _ := newClient(t, "https://idp.example/logout").LogoutURL("", "https://registry.example/")
		got, _ := url.Parse(u)
		if _, has := got.Query()["id_token_hint"]; has {
			t.Errorf("LogoutURL = %s sends an empty id_token_hint", u)
		}
	})
}
