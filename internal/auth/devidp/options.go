package devidp

import (
	"errors"
	"time"
)

// ErrProduction is returned by New when production mode is configured: the
// development provider must never run in production.
var ErrProduction = errors.New("devidp: refusing to start in production mode")

// ErrConfig is wrapped by New's errors for invalid Options.
var ErrConfig = errors.New("devidp: invalid options")

// Options configure a development provider.
type Options struct {
	// Issuer is the provider's own base URL (scheme, host and optional path),
	// exactly as relying parties will use it for discovery.
	Issuer string
	// Clients are the registered relying parties.
	Clients []Client
	// Users are the accounts that may sign in; DemoUsers gives the defaults.
	Users []User
	// Production must be the registry's production flag; when true New refuses.
	Production bool
	// IDTokenLifetime is how long ID tokens (and access tokens) are valid;
	// one hour when zero.
	IDTokenLifetime time.Duration
}

// Client is a relying party registered with the provider (a confidential web
// client using the authorization code flow).
type Client struct {
	// ID is the client_id.
	ID string
	// Secret is the client_secret.
	Secret string
	// RedirectURIs are the allowed redirect_uri values, compared exactly.
	RedirectURIs []string
	// PostLogoutRedirectURIs are the allowed post_logout_redirect_uri values.
	PostLogoutRedirectURIs []string
}

// User is an account of the provider.
type User struct {
	// Subject is the stable sub claim.
	Subject string
	// Username is what the login form asks for.
	Username string
	// Password is shown on the login page; development only.
	Password string
	// Name is the display name (name claim).
	Name string
	// Email is the e-mail address (email claim, marked verified).
	Email string
	// Groups are emitted as the groups claim; the registry maps them to roles.
	Groups []string
	// Organizations are organisation slugs emitted as the organizations claim.
	Organizations []string
}

// DemoUsers returns the demo accounts of dev mode: vendors of the seeded
// organisations nextcloud and open-xchange (two organisations, so that
// "only your own organisation" can be tried), two reviewers and an admin.
func DemoUsers() []User {
	return []User{
		{Subject: "demo-vendor", Username: "vendor", Password: "vendor", Name: "Vera Vendor",
			Email: "vendor@nextcloud.example", Groups: []string{"vendor"}, Organizations: []string{"nextcloud"}},
		{Subject: "demo-vendor-2", Username: "vendor2", Password: "vendor2", Name: "Otto Oxvendor",
			Email: "vendor@open-xchange.example", Groups: []string{"vendor"}, Organizations: []string{"open-xchange"}},
		{Subject: "demo-reviewer-1", Username: "reviewer1", Password: "reviewer1", Name: "Rita Reviewer",
			Email: "rita@registry.example", Groups: []string{"reviewer"}},
		{Subject: "demo-reviewer-2", Username: "reviewer2", Password: "reviewer2", Name: "Rolf Reviewer",
			Email: "rolf@registry.example", Groups: []string{"reviewer"}},
		{Subject: "demo-admin", Username: "admin", Password: "admin", Name: "Ada Admin",
			Email: "admin@registry.example", Groups: []string{"admin"}},
	}
}
