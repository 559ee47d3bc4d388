package devidp

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func options(issuer string) Options {
	return Options{
		Issuer:  issuer,
		Clients: []Client{{ID: "registry", Secret: "s", RedirectURIs: []string{"http://registry.test/auth/callback"}}},
		Users:   DemoUsers(),
	}
}

// start serves a provider at a fresh listener, its issuer being the
// listener's URL plus path.
func start(t *testing.T, path string) (*Server, string) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	issuer := "http://" + ts.Listener.Addr().String() + path
	srv, err := New(options(issuer))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	return srv, issuer
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusFound {
		return resp.StatusCode, resp.Header.Get("Location")
	}
	return resp.StatusCode, string(b)
}

func TestNew_RefusesProduction(t *testing.T) {
	opts := options("http://localhost:8081")
	opts.Production = true
	if srv, err := New(opts); !errors.Is(err, ErrProduction) || srv != nil {
		t.Errorf("New(Production) = %v, %v; want nil, ErrProduction", srv, err)
	}
}

func TestNew_InvalidOptions(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*Options)
	}{
		{"no issuer", func(o *Options) { o.Issuer = "" }},
		{"relative issuer", func(o *Options) { o.Issuer = "/idp" }},
		{"issuer with query", func(o *Options) { o.Issuer = "http://localhost:1/?x=1" }},
		{"no clients", func(o *Options) { o.Clients = nil }},
		{"client without secret", func(o *Options) { o.Clients[0].Secret = "" }},
		{"duplicate client", func(o *Options) { o.Clients = append(o.Clients, o.Clients[0]) }},
		{"no users", func(o *Options) { o.Users = nil }},
		{"user without password", func(o *Options) { o.Users[0].Password = "" }},
		{"duplicate username", func(o *Options) { o.Users[1].Username = o.Users[0].Username }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := options("http://localhost:1")
			tc.modify(&opts)
			if _, err := New(opts); !errors.Is(err, ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestDemoUsers(t *testing.T) {
	groups := map[string]int{}
	orgs := map[string]string{}
	for _, u := range DemoUsers() {
		for _, g := range u.Groups {
			groups[g]++
		}
		if u.Password == "" || u.Subject == "" {
			t.Errorf("demo user %q lacks a password or subject", u.Username)
		}
		if strings.Contains(strings.Join(u.Groups, ","), "vendor") {
			orgs[u.Username] = strings.Join(u.Organizations, ",")
		}
	}
	// The seeded organisations the vendors act for, as the README and the
	// editorial tests rely on them.
	if orgs["vendor"] != "nextcloud" || orgs["vendor2"] != "open-xchange" {
		t.Errorf("vendors' organisations = %v, want vendor: nextcloud, vendor2: open-xchange", orgs)
	}
	if groups["vendor"] != 2 || groups["reviewer"] != 2 || groups["admin"] != 1 {
		t.Errorf("demo accounts by group = %v, want 2 vendors, 2 reviewers, 1 admin", groups)
	}
}

func TestDiscovery(t *testing.T) {
	for _, path := range []string{"", "/devidp"} {
		t.Run("issuer path "+path, func(t *testing.T) {
			_, issuer := start(t, path)
			code, body := get(t, issuer+"/.well-known/openid-configuration")
			if code != http.StatusOK {
				t.Fatalf("discovery: %d %s", code, body)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			if doc["issuer"] != issuer {
				t.Errorf("issuer = %v, want %s", doc["issuer"], issuer)
			}
			for key, want := range map[string]string{
				"authorization_endpoint": issuer + "/authorize",
				"token_endpoint":         issuer + "/oauth/token",
				"userinfo_endpoint":      issuer + "/userinfo",
				"jwks_uri":               issuer + "/keys",
				"end_session_endpoint":   issuer + "/end_session",
			} {
				if doc[key] != want {
					t.Errorf("%s = %v, want %s", key, doc[key], want)
				}
			}
			if !strings.Contains(body, `"S256"`) {
				t.Errorf("discovery does not offer PKCE S256: %s", body)
			}
			code, keys := get(t, issuer+"/keys")
			if code != http.StatusOK || !strings.Contains(keys, `"ES256"`) || !strings.Contains(keys, `"sig"`) {
				t.Errorf("keys: %d %s", code, keys)
			}
		})
	}
}

func TestLoginPage(t *testing.T) {
	_, issuer := start(t, "")
	q := url.Values{
		"client_id": {"registry"}, "redirect_uri": {"http://registry.test/auth/callback"},
		"response_type": {"code"}, "scope": {"openid profile"}, "state": {"st"}, "nonce": {"n"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"},
	}
	code, loc := get(t, issuer+"/authorize?"+q.Encode())
	if code != http.StatusFound || !strings.HasPrefix(loc, issuer+"/login?authRequestID=") {
		t.Fatalf("authorize: %d → %q, want a redirect to the login page", code, loc)
	}
	id, _ := url.Parse(loc)
	reqID := id.Query().Get("authRequestID")

	t.Run("lists every demo account with its password", func(t *testing.T) {
		code, page := get(t, loc)
		if code != http.StatusOK {
			t.Fatalf("login page: %d", code)
		}
		for _, u := range DemoUsers() {
			if !strings.Contains(page, "<td>"+u.Username+"</td><td>"+u.Password+"</td>") {
				t.Errorf("login page lacks account %q", u.Username)
			}
		}
	})
	t.Run("wrong password is refused and the username kept", func(t *testing.T) {
		resp, err := http.PostForm(issuer+"/login", url.Values{"authRequestID": {reqID}, "username": {"admin"}, "password": {"nope"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), "Wrong username or password") ||
			!strings.Contains(string(b), `value="admin"`) {
			t.Errorf("wrong password: %d\n%s", resp.StatusCode, b)
		}
	})
	t.Run("unknown request", func(t *testing.T) {
		if code, _ := get(t, issuer+"/login?authRequestID=nope"); code != http.StatusBadRequest {
			t.Errorf("unknown request: %d, want 400", code)
		}
	})
	t.Run("unknown redirect URI is refused", func(t *testing.T) {
		bad := url.Values{}
		for k, v := range q {
			bad[k] = v
		}
		bad.Set("redirect_uri", "http://evil.example/cb")
		if code, loc := get(t, issuer+"/authorize?"+bad.Encode()); code == http.StatusFound && strings.HasPrefix(loc, "http://evil.example") {
			t.Errorf("authorize redirected to an unregistered URI: %s", loc)
		}
	})
	t.Run("prompt none cannot be honoured", func(t *testing.T) {
		none := url.Values{}
		for k, v := range q {
			none[k] = v
		}
		none.Set("prompt", "none")
		code, loc := get(t, issuer+"/authorize?"+none.Encode())
		if code != http.StatusFound || !strings.Contains(loc, "error=login_required") {
			t.Errorf("prompt=none: %d → %q, want error=login_required", code, loc)
		}
	})
}
