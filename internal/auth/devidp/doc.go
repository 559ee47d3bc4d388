// Package devidp is an OpenID provider for development mode and tests, built
// on github.com/zitadel/oidc/v3 pkg/op with in-memory storage.
//
// It serves discovery, authorize, a simple login page listing its demo
// accounts (with their passwords: it is for development only), token,
// userinfo, keys and end_session over real HTTP, so the registry talks to it
// exactly as to any other provider. Roles travel in the groups claim and
// organisation memberships in the organizations claim of the ID token.
//
// New refuses to build a provider when production mode is configured.
//
// In tests the issuer URL is only known once the listener exists; create the
// httptest server unstarted, build the provider with its URL, then start it:
//
//	ts := httptest.NewUnstartedServer(nil)
//	idp, err := devidp.New(devidp.Options{Issuer: "http://" + ts.Listener.Addr().String(), ...})
//	ts.Config.Handler = idp
//	ts.Start()
package devidp
