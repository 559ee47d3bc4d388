package oidc

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/auth"
)

// userinfoStatus calls the provider's userinfo endpoint with an access token.
func userinfoStatus(t *testing.T, e env, accessToken string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.issuer+"/userinfo", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode == http.StatusOK && !strings.Contains(body, `"groups"`) {
		t.Errorf("userinfo lacks groups: %s", body)
	}
	return resp.StatusCode
}

func TestFinish_ExpiredIDToken(t *testing.T) {
	e := newEnv(t)
	cfg := e.config()
	// The provider issues tokens valid for an hour; the relying party's clock
	// is two hours ahead (and the pending login is allowed to be that old).
	cfg.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	c := mustClient(t, cfg)
	authURL, p := c.Begin("/")
	_, _, err := c.Finish(context.Background(), p, login(t, authURL, "admin", "admin"))
	if !errors.Is(err, ErrToken) || !errors.Is(err, ErrTokenExpired) {
		t.Errorf("err = %v, want ErrToken and ErrTokenExpired", err)
	}
}

func TestFinish_PendingExpired(t *testing.T) {
	e := newEnv(t)
	var offset atomic.Int64
	cfg := e.config()
	cfg.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	c := mustClient(t, cfg)
	authURL, p := c.Begin("/")
	q := login(t, authURL, "admin", "admin")
	offset.Store(int64(DefaultPendingTTL + time.Minute))
	if _, _, err := c.Finish(context.Background(), p, q); !errors.Is(err, ErrState) {
		t.Errorf("err = %v, want ErrState", err)
	}
}

// tamperTransport flips one byte of the ID token's signature in token
// responses: an attacker between the registry and the provider.
type tamperTransport struct{ base http.RoundTripper }

func (tt tamperTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := tt.base.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/token") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err == nil {
		if raw, ok := m["id_token"].(string); ok {
			m["id_token"] = flipSignature(raw)
			body, _ = json.Marshal(m)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// flipSignature changes one byte of a compact JWS signature.
func flipSignature(raw string) string {
	i := strings.LastIndexByte(raw, '.')
	sig, err := base64.RawURLEncoding.DecodeString(raw[i+1:])
	if err != nil || len(sig) == 0 {
		return raw + "x"
	}
	sig[len(sig)/2] ^= 0x01
	return raw[:i+1] + base64.RawURLEncoding.EncodeToString(sig)
}

func TestFinish_TamperedIDToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	t.Run("in the token response", func(t *testing.T) {
		cfg := e.config()
		cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second, Transport: tamperTransport{http.DefaultTransport}}
		c := mustClient(t, cfg)
		authURL, p := c.Begin("/")
		if _, _, err := c.Finish(ctx, p, login(t, authURL, "vendor", "vendor")); !errors.Is(err, ErrToken) {
			t.Errorf("err = %v, want ErrToken", err)
		}
	})
	t.Run("presented later", func(t *testing.T) {
		c := mustClient(t, e.config())
		authURL, p := c.Begin("/")
		_, toks, err := c.Finish(ctx, p, login(t, authURL, "vendor", "vendor"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.VerifyIDToken(ctx, toks.IDToken, p.Nonce); err != nil {
			t.Fatalf("untampered token rejected: %v", err)
		}
		if _, err := c.VerifyIDToken(ctx, flipSignature(toks.IDToken), p.Nonce); !errors.Is(err, ErrToken) {
			t.Errorf("err = %v, want ErrToken", err)
		}
	})
}

func TestFinish_WrongAudience(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	registry := mustClient(t, e.config())
	cfg := e.config()
	cfg.ClientID, cfg.ClientSecret, cfg.RedirectURL = otherID, otherSecret, strings.Replace(e.callback, "/auth/", "/other/", 1)
	other := mustClient(t, cfg)

	authURL, p := registry.Begin("/")
	q := login(t, authURL, "reviewer1", "reviewer1")
	t.Run("code issued to another client", func(t *testing.T) {
		if _, _, err := other.Finish(ctx, p, q); !errors.Is(err, ErrExchange) {
			t.Errorf("err = %v, want ErrExchange", err)
		}
	})
	t.Run("ID token issued to another client", func(t *testing.T) {
		_, toks, err := registry.Finish(ctx, p, q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.VerifyIDToken(ctx, toks.IDToken, p.Nonce); !errors.Is(err, ErrToken) {
			t.Errorf("err = %v, want ErrToken", err)
		}
	})
}

func TestNew_UnknownIssuer(t *testing.T) {
	e := newEnv(t)
	notOP := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notOP.Close)
	// A server that serves the real provider's discovery document under
	// another URL: the document names an issuer other than the one asked.
	impostor := httptest.NewServer(e.idp)
	t.Cleanup(impostor.Close)

	cases := []struct {
		name   string
		issuer string
	}{
		{"not an OpenID provider", notOP.URL},
		{"issuer mismatch", impostor.URL},
		{"nothing listening", "http://127.0.0.1:1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := e.config()
			cfg.Issuer = tc.issuer
			if _, err := New(context.Background(), cfg); !errors.Is(err, ErrDiscovery) {
				t.Errorf("err = %v, want ErrDiscovery", err)
			}
		})
	}
}

func TestNew_Config(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"no issuer", Config{ClientID: "c", RedirectURL: "https://r/cb"}},
		{"no client", Config{Issuer: "https://i", RedirectURL: "https://r/cb"}},
		{"relative redirect", Config{Issuer: "https://i", ClientID: "c", RedirectURL: "/cb"}},
		{"unknown role in map", Config{Issuer: "https://i", ClientID: "c", RedirectURL: "https://r/cb",
			RoleMap: map[string]auth.Role{"g": "root"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(context.Background(), tc.cfg); !errors.Is(err, ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	c := mustClient(t, e.config())
	authURL, p := c.Begin("/")
	_, toks, err := c.Finish(context.Background(), p, login(t, authURL, "admin", "admin"))
	if err != nil {
		t.Fatal(err)
	}
	logout, ok := c.LogoutURL(toks.IDToken, e.home)
	if !ok || !strings.HasPrefix(logout, e.issuer+"/end_session?") {
		t.Fatalf("LogoutURL = %q, %v", logout, ok)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(logout)
	if err != nil {
		t.Fatal(err)
	}
	_ = readAll(t, resp)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != e.home {
		t.Errorf("end_session answered %d → %q, want 302 → %q", resp.StatusCode, resp.Header.Get("Location"), e.home)
	}
	if code := userinfoStatus(t, e, toks.AccessToken); code == http.StatusOK {
		t.Errorf("userinfo after logout: %d, want the token refused", code)
	}
}
