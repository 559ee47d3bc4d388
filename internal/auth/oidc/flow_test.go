package oidc

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/auth/devidp"
)

func TestFlow_DemoAccounts(t *testing.T) {
	e := newEnv(t)
	c := mustClient(t, e.config())
	cases := []struct {
		username string
		subject  string
		name     string
		roles    []auth.Role
		orgs     []string
	}{
		{"vendor", "demo-vendor", "Vera Vendor", []auth.Role{auth.RoleVendor}, []string{"nextcloud"}},
		{"reviewer1", "demo-reviewer-1", "Rita Reviewer", []auth.Role{auth.RoleReviewer}, nil},
		{"reviewer2", "demo-reviewer-2", "Rolf Reviewer", []auth.Role{auth.RoleReviewer}, nil},
		{"admin", "demo-admin", "Ada Admin", []auth.Role{auth.RoleAdmin}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.username, func(t *testing.T) {
			authURL, p := c.Begin("/products/nextcloud-hub?tab=evidence")
			checkAuthURL(t, authURL, p)
			q := login(t, authURL, tc.username, tc.username)
			u, toks, err := c.Finish(context.Background(), p, q)
			if err != nil {
				t.Fatalf("Finish: %v", err)
			}
			if u.Issuer != e.issuer || u.Subject != tc.subject || u.Name != tc.name || u.ID != 0 {
				t.Errorf("user = %+v; want issuer %s, subject %s, name %s", u, e.issuer, tc.subject, tc.name)
			}
			if u.Email == "" {
				t.Error("email claim missing")
			}
			if !slices.Equal(u.Roles, tc.roles) || !slices.Equal(u.Organizations, tc.orgs) {
				t.Errorf("roles %v orgs %v; want %v %v", u.Roles, u.Organizations, tc.roles, tc.orgs)
			}
			if toks.IDToken == "" || toks.AccessToken == "" {
				t.Errorf("tokens missing: %+v", toks)
			}
			if p.Next != "/products/nextcloud-hub?tab=evidence" {
				t.Errorf("Next = %q", p.Next)
			}
		})
	}
	t.Run("vendor may edit nextcloud only", func(t *testing.T) {
		authURL, p := c.Begin("")
		u, _, err := c.Finish(context.Background(), p, login(t, authURL, "vendor", "vendor"))
		if err != nil {
			t.Fatal(err)
		}
		if !auth.MayEditOrganization(u, "nextcloud") || auth.MayEditOrganization(u, "ionos") {
			t.Errorf("vendor %+v: wrong organisation rights", u)
		}
		if p.Next != "/" {
			t.Errorf("empty next became %q, want /", p.Next)
		}
	})
}

// checkAuthURL asserts that the authorization request carries state, nonce and
// an S256 PKCE challenge, but never the verifier.
func checkAuthURL(t *testing.T, authURL string, p Pending) {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("state") != p.State || q.Get("nonce") != p.Nonce || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("response_type") != "code" || q.Get("client_id") != clientID {
		t.Errorf("authorization URL lacks state, nonce, PKCE or client: %s", authURL)
	}
	if strings.Contains(authURL, p.Verifier) {
		t.Error("authorization URL leaks the PKCE verifier")
	}
	if !strings.Contains(q.Get("scope"), "openid") {
		t.Errorf("scope %q lacks openid", q.Get("scope"))
	}
}

func TestFlow_RoleMap(t *testing.T) {
	e := newEnv(t, devidp.User{
		Subject: "kc-1", Username: "kc", Password: "kc", Name: "Keycloak Style",
		Groups: []string{"registry-reviewers", "registry-admins", "unrelated", "admin"},
	})
	cfg := e.config()
	cfg.RoleMap = map[string]auth.Role{"registry-reviewers": auth.RoleReviewer, "registry-admins": auth.RoleAdmin}
	c := mustClient(t, cfg)
	authURL, p := c.Begin("/")
	u, _, err := c.Finish(context.Background(), p, login(t, authURL, "kc", "kc"))
	if err != nil {
		t.Fatal(err)
	}
	// "admin" is not in the map, so only the mapped groups count.
	if want := []auth.Role{auth.RoleReviewer, auth.RoleAdmin}; !slices.Equal(u.Roles, want) {
		t.Errorf("roles = %v, want %v", u.Roles, want)
	}
	if u.Organizations != nil {
		t.Errorf("organisations = %v, want none", u.Organizations)
	}
}

func TestFinish_Rejects(t *testing.T) {
	e := newEnv(t)
	c := mustClient(t, e.config())
	ctx := context.Background()

	t.Run("wrong state", func(t *testing.T) {
		authURL, p := c.Begin("/")
		q := login(t, authURL, "reviewer1", "reviewer1")
		q.Set("state", "forged")
		if _, _, err := c.Finish(ctx, p, q); !errors.Is(err, ErrState) {
			t.Errorf("err = %v, want ErrState", err)
		}
	})
	t.Run("missing state", func(t *testing.T) {
		authURL, p := c.Begin("/")
		q := login(t, authURL, "reviewer1", "reviewer1")
		q.Del("state")
		if _, _, err := c.Finish(ctx, p, q); !errors.Is(err, ErrState) {
			t.Errorf("err = %v, want ErrState", err)
		}
	})
	t.Run("empty pending", func(t *testing.T) {
		authURL, _ := c.Begin("/")
		q := login(t, authURL, "reviewer1", "reviewer1")
		if _, _, err := c.Finish(ctx, Pending{}, url.Values{"code": q["code"]}); !errors.Is(err, ErrState) {
			t.Errorf("err = %v, want ErrState", err)
		}
	})
	t.Run("wrong nonce", func(t *testing.T) {
		authURL, p := c.Begin("/")
		q := login(t, authURL, "reviewer1", "reviewer1")
		p.Nonce = "another-login"
		if _, _, err := c.Finish(ctx, p, q); !errors.Is(err, ErrNonce) {
			t.Errorf("err = %v, want ErrNonce", err)
		}
	})
	t.Run("wrong PKCE verifier", func(t *testing.T) {
		authURL, p := c.Begin("/")
		q := login(t, authURL, "reviewer1", "reviewer1")
		_, other := c.Begin("/")
		p.Verifier = other.Verifier
		if _, _, err := c.Finish(ctx, p, q); !errors.Is(err, ErrExchange) {
			t.Errorf("err = %v, want ErrExchange", err)
		}
	})
	t.Run("missing code", func(t *testing.T) {
		_, p := c.Begin("/")
		if _, _, err := c.Finish(ctx, p, url.Values{"state": {p.State}}); !errors.Is(err, ErrExchange) {
			t.Errorf("err = %v, want ErrExchange", err)
		}
	})
	t.Run("provider error", func(t *testing.T) {
		_, p := c.Begin("/")
		q := url.Values{"state": {p.State}, "error": {"access_denied"}, "error_description": {"user cancelled"}}
		_, _, err := c.Finish(ctx, p, q)
		if !errors.Is(err, ErrProvider) || !strings.Contains(err.Error(), "access_denied") {
			t.Errorf("err = %v, want ErrProvider with access_denied", err)
		}
	})
	t.Run("replayed code", func(t *testing.T) {
		authURL, p := c.Begin("/")
		q := login(t, authURL, "reviewer2", "reviewer2")
		_, toks, err := c.Finish(ctx, p, q)
		if err != nil {
			t.Fatalf("first Finish: %v", err)
		}
		if code := userinfoStatus(t, e, toks.AccessToken); code != 200 {
			t.Fatalf("userinfo before replay: %d", code)
		}
		if _, _, err := c.Finish(ctx, p, q); !errors.Is(err, ErrExchange) {
			t.Errorf("second Finish: err = %v, want ErrExchange", err)
		}
		// The provider revokes what the replayed code had obtained.
		if code := userinfoStatus(t, e, toks.AccessToken); code == 200 {
			t.Errorf("userinfo after replay: %d, want the token refused", code)
		}
	})
}

func TestFlow_IssuerWithPath(t *testing.T) {
	e := newEnvAt(t, "/devidp")
	c := mustClient(t, e.config())
	authURL, p := c.Begin("/")
	u, toks, err := c.Finish(context.Background(), p, login(t, authURL, "reviewer2", "reviewer2"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Issuer != e.issuer || u.Subject != "demo-reviewer-2" {
		t.Errorf("user = %+v", u)
	}
	if logout, ok := c.LogoutURL(toks.IDToken, ""); !ok || !strings.HasPrefix(logout, e.issuer+"/end_session?") {
		t.Errorf("LogoutURL = %q, %v", logout, ok)
	}
}
