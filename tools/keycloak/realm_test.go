package keycloak

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/auth/devidp"
)

// realmFile is the realm, relative to this package; composeFile is the
// compose file at the repository root that imports it.
const (
	realmFile   = "registry-realm.json"
	composeFile = "../../compose.yaml"
)

// realm is the part of Keycloak's realm representation the registry relies on.
type realm struct {
	Realm       string `json:"realm"`
	Enabled     bool   `json:"enabled"`
	SSLRequired string `json:"sslRequired"`
	Roles       struct {
		Realm []struct {
			Name string `json:"name"`
		} `json:"realm"`
	} `json:"roles"`
	Clients []client `json:"clients"`
	Users   []user   `json:"users"`
	// Components carries the user profile, as a JSON document in a string.
	Components map[string][]struct {
		ProviderID string              `json:"providerId"`
		Config     map[string][]string `json:"config"`
	} `json:"components"`
}

type client struct {
	ClientID                  string            `json:"clientId"`
	Enabled                   bool              `json:"enabled"`
	Protocol                  string            `json:"protocol"`
	PublicClient              bool              `json:"publicClient"`
	Secret                    string            `json:"secret"`
	RedirectURIs              []string          `json:"redirectUris"`
	StandardFlowEnabled       bool              `json:"standardFlowEnabled"`
	ImplicitFlowEnabled       bool              `json:"implicitFlowEnabled"`
	DirectAccessGrantsEnabled bool              `json:"directAccessGrantsEnabled"`
	Attributes                map[string]string `json:"attributes"`
	ProtocolMappers           []struct {
		Name           string            `json:"name"`
		ProtocolMapper string            `json:"protocolMapper"`
		Config         map[string]string `json:"config"`
	} `json:"protocolMappers"`
}

type user struct {
	Username      string              `json:"username"`
	Enabled       bool                `json:"enabled"`
	EmailVerified bool                `json:"emailVerified"`
	FirstName     string              `json:"firstName"`
	LastName      string              `json:"lastName"`
	Email         string              `json:"email"`
	RealmRoles    []string            `json:"realmRoles"`
	Attributes    map[string][]string `json:"attributes"`
	Credentials   []struct {
		Type      string `json:"type"`
		Value     string `json:"value"`
		Temporary bool   `json:"temporary"`
	} `json:"credentials"`
}

// compose is the part of compose.yaml the test reads.
type compose struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Ports       []string          `yaml:"ports"`
		NetworkMode string            `yaml:"network_mode"`
	} `yaml:"services"`
}

func load(t *testing.T) (realm, compose) {
	t.Helper()
	var r realm
	b, err := os.ReadFile(realmFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", realmFile, err)
	}
	var c compose
	if b, err = os.ReadFile(composeFile); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", composeFile, err)
	}
	return r, c
}

func (r realm) client(id string) (client, bool) {
	for _, c := range r.Clients {
		if c.ClientID == id {
			return c, true
		}
	}
	return client{}, false
}

// matchesRedirect reports whether uri is allowed by Keycloak's redirect
// patterns: exact, or a prefix when the pattern ends in "*".
func matchesRedirect(patterns []string, uri string) bool {
	for _, p := range patterns {
		if p == uri || (strings.HasSuffix(p, "*") && strings.HasPrefix(uri, strings.TrimSuffix(p, "*"))) {
			return true
		}
	}
	return false
}

// TestRealm_MatchesCompose: the registry in compose.yaml can sign in with
// the realm as imported: issuer, client, secret, redirects and claims agree.
func TestRealm_MatchesCompose(t *testing.T) {
	r, c := load(t)
	reg, ok := c.Services["registry"]
	if !ok {
		t.Fatal("compose.yaml has no registry service")
	}
	kc, ok := c.Services["keycloak"]
	if !ok {
		t.Fatal("compose.yaml has no keycloak service")
	}
	env := reg.Environment
	base := strings.TrimRight(env["REGISTRY_BASE_URL"], "/")

	t.Run("issuer names the realm at Keycloak's public address", func(t *testing.T) {
		iss, err := url.Parse(env["OIDC_ISSUER"])
		if err != nil || iss.Path != "/realms/"+r.Realm {
			t.Fatalf("OIDC_ISSUER %q does not name realm %q", env["OIDC_ISSUER"], r.Realm)
		}
		if !r.Enabled {
			t.Error("realm is disabled")
		}
		if got := strings.TrimRight(kc.Environment["KC_HOSTNAME"], "/"); got != iss.Scheme+"://"+iss.Host {
			t.Errorf("KC_HOSTNAME %q, but the issuer is at %s://%s", got, iss.Scheme, iss.Host)
		}
		if port := iss.Port(); kc.Environment["KC_HTTP_PORT"] != port || !slices.ContainsFunc(kc.Ports, func(p string) bool {
			return strings.HasPrefix(p, port+":"+port)
		}) {
			t.Errorf("Keycloak must listen on and publish port %s of the issuer (KC_HTTP_PORT %q, ports %v)", port, kc.Environment["KC_HTTP_PORT"], kc.Ports)
		}
		// The registry reaches the issuer's localhost only inside Keycloak's
		// network, whose published ports must then include its own.
		if iss.Hostname() == "localhost" {
			if reg.NetworkMode != "service:keycloak" {
				t.Errorf("registry network_mode %q: it cannot reach %s from its own network", reg.NetworkMode, iss)
			}
			bu, _ := url.Parse(base)
			if !slices.ContainsFunc(kc.Ports, func(p string) bool { return strings.HasPrefix(p, bu.Port()+":") }) || len(reg.Ports) != 0 {
				t.Errorf("the registry's port %s must be published by the keycloak service (keycloak %v, registry %v)", bu.Port(), kc.Ports, reg.Ports)
			}
		}
	})

	t.Run("Keycloak imports this realm", func(t *testing.T) {
		if !strings.HasPrefix(kc.Image, "quay.io/keycloak/keycloak:") || !slices.Contains(kc.Command, "start-dev") || !slices.Contains(kc.Command, "--import-realm") {
			t.Errorf("keycloak: image %q, command %v; want quay.io/keycloak/keycloak with start-dev --import-realm", kc.Image, kc.Command)
		}
		mount := "./tools/keycloak/" + realmFile + ":/opt/keycloak/data/import/"
		if !slices.ContainsFunc(kc.Volumes, func(v string) bool { return strings.HasPrefix(v, mount) }) {
			t.Errorf("keycloak volumes %v do not mount %s into the import folder", kc.Volumes, realmFile)
		}
		if _, err := os.Stat(filepath.Join("..", "..", "tools", "keycloak", realmFile)); err != nil {
			t.Errorf("mounted path: %v", err)
		}
	})

	t.Run("client", func(t *testing.T) {
		cl, ok := r.client(env["OIDC_CLIENT_ID"])
		if !ok {
			t.Fatalf("no client %q (OIDC_CLIENT_ID) in the realm", env["OIDC_CLIENT_ID"])
		}
		if !cl.Enabled || cl.Protocol != "openid-connect" || cl.PublicClient {
			t.Errorf("client must be an enabled, confidential openid-connect client: %+v", cl)
		}
		if cl.Secret == "" || cl.Secret != env["OIDC_CLIENT_SECRET"] {
			t.Errorf("client secret %q, OIDC_CLIENT_SECRET %q", cl.Secret, env["OIDC_CLIENT_SECRET"])
		}
		if !cl.StandardFlowEnabled || cl.ImplicitFlowEnabled || cl.DirectAccessGrantsEnabled {
			t.Error("only the authorization code flow may be enabled")
		}
		if cl.Attributes["pkce.code.challenge.method"] != "S256" {
			t.Errorf("PKCE method %q, want S256 enforced", cl.Attributes["pkce.code.challenge.method"])
		}
		if want := base + "/auth/callback"; !slices.Contains(cl.RedirectURIs, want) {
			t.Errorf("redirect URIs %v lack the registry's callback %s", cl.RedirectURIs, want)
		}
		// Signing out comes back to the home page (cmd/registry: base + "/").
		postLogout := strings.Split(cl.Attributes["post.logout.redirect.uris"], "##")
		if !matchesRedirect(postLogout, base+"/") {
			t.Errorf("post-logout redirect URIs %v do not allow %s/", postLogout, base)
		}
	})

	t.Run("claims in the ID token", func(t *testing.T) {
		cl, _ := r.client(env["OIDC_CLIENT_ID"])
		var roles, orgs bool
		for _, m := range cl.ProtocolMappers {
			inIDToken := m.Config["id.token.claim"] == "true" && m.Config["multivalued"] == "true"
			switch {
			case m.ProtocolMapper == "oidc-usermodel-realm-role-mapper" && m.Config["claim.name"] == env["OIDC_ROLES_CLAIM"]:
				roles = inIDToken
			case m.ProtocolMapper == "oidc-usermodel-attribute-mapper" && m.Config["claim.name"] == devidp.ClaimOrganizations:
				orgs = inIDToken && m.Config["user.attribute"] == "organizations"
			}
		}
		if !roles {
			t.Errorf("no realm-role mapper puts the roles into the ID token claim %q (OIDC_ROLES_CLAIM)", env["OIDC_ROLES_CLAIM"])
		}
		if !orgs {
			t.Errorf("no attribute mapper puts the organizations attribute into the ID token claim %q", devidp.ClaimOrganizations)
		}
	})
}

// TestRealm_UserProfile: the organisations attribute is declared, so
// Keycloak keeps it, and only admins may change it: a vendor who could
// edit their own organisations could edit any organisation's entries.
func TestRealm_UserProfile(t *testing.T) {
	r, _ := load(t)
	var profile struct {
		Attributes []struct {
			Name        string `json:"name"`
			Multivalued bool   `json:"multivalued"`
			Permissions struct {
				Edit []string `json:"edit"`
			} `json:"permissions"`
		} `json:"attributes"`
		UnmanagedAttributePolicy string `json:"unmanagedAttributePolicy"`
	}
	var raw []string
	for _, c := range r.Components["org.keycloak.userprofile.UserProfileProvider"] {
		if c.ProviderID == "declarative-user-profile" {
			raw = c.Config["kc.user.profile.config"]
		}
	}
	if len(raw) != 1 {
		t.Fatal("no declarative user profile in the realm")
	}
	if err := json.Unmarshal([]byte(raw[0]), &profile); err != nil {
		t.Fatalf("user profile: %v", err)
	}
	if profile.UnmanagedAttributePolicy == "ENABLED" {
		t.Error("unmanaged attributes enabled: users could set attributes themselves")
	}
	var names []string
	for _, a := range profile.Attributes {
		names = append(names, a.Name)
		if a.Name == "organizations" && (!a.Multivalued || !slices.Equal(a.Permissions.Edit, []string{"admin"})) {
			t.Errorf("organizations: multivalued %v, editable by %v; want multivalued, admins only", a.Multivalued, a.Permissions.Edit)
		}
	}
	for _, want := range []string{"username", "email", "firstName", "lastName", "organizations"} {
		if !slices.Contains(names, want) {
			t.Errorf("user profile lacks %q (has %v)", want, names)
		}
	}
}

// TestRealm_DemoUsers: Keycloak has the roles and the demo accounts of the
// built-in provider, so the README's accounts work with either.
func TestRealm_DemoUsers(t *testing.T) {
	r, _ := load(t)
	var roles []string
	for _, role := range r.Roles.Realm {
		roles = append(roles, role.Name)
	}
	for _, want := range auth.Roles() {
		if !slices.Contains(roles, string(want)) {
			t.Errorf("realm role %q missing (have %v)", want, roles)
		}
	}
	for _, d := range devidp.DemoUsers() {
		t.Run(d.Username, func(t *testing.T) {
			i := slices.IndexFunc(r.Users, func(u user) bool { return u.Username == d.Username })
			if i < 0 {
				t.Fatal("missing")
			}
			u := r.Users[i]
			if !u.Enabled || !u.EmailVerified || u.Email != d.Email || u.FirstName+" "+u.LastName != d.Name {
				t.Errorf("account %+v differs from the built-in provider's %+v", u, d)
			}
			if len(u.Credentials) != 1 || u.Credentials[0].Type != "password" || u.Credentials[0].Value != d.Password || u.Credentials[0].Temporary {
				t.Errorf("want one permanent password %q", d.Password)
			}
			if !slices.Equal(u.RealmRoles, d.Groups) {
				t.Errorf("realm roles %v, want %v", u.RealmRoles, d.Groups)
			}
			for _, role := range u.RealmRoles {
				if !slices.Contains(roles, role) {
					t.Errorf("role %q is not a realm role", role)
				}
			}
			if got := u.Attributes["organizations"]; !slices.Equal(got, d.Organizations) {
				t.Errorf("organizations %v, want %v", got, d.Organizations)
			}
		})
	}
	if len(r.Users) != len(devidp.DemoUsers()) {
		t.Errorf("%d users in the realm, want the %d demo accounts only", len(r.Users), len(devidp.DemoUsers()))
	}
}
