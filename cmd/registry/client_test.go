package main

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// client is a cookie-keeping HTTP client for page tests: it signs in
// through the real OpenID flow and posts forms with the session's CSRF
// token, as a browser would.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
	// provider is the OpenID provider's origin the client signed in at.
	provider *url.URL
}

// newClient returns an anonymous client of the program at base.
func newClient(t *testing.T, base string) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatalf("cookie jar: %v", err)
	}
	return &client{t: t, base: base, http: &http.Client{Jar: jar}}
}

// signInAs returns a client signed in as the demo user (vendor, reviewer1,
// reviewer2, admin: the password is the user name) through the built-in
// provider's login form, over HTTP.
func signInAs(t *testing.T, base, user string) *client {
	t.Helper()
	c := newClient(t, base)
	resp, doc := c.get("/login?next=/")
	form := doc.Find("form")
	reqID, _ := form.Find(`input[name="authRequestID"]`).Attr("value")
	action, _ := form.Attr("action")
	if reqID == "" || action == "" {
		t.Fatalf("sign in %s: no login form at %s (status %d)", user, resp.Request.URL, resp.StatusCode)
	}
	c.provider = &url.URL{Scheme: resp.Request.URL.Scheme, Host: resp.Request.URL.Host}
	target := resp.Request.URL.ResolveReference(&url.URL{Path: action}).String()
	resp, err := c.http.PostForm(target, url.Values{"authRequestID": {reqID}, "username": {user}, "password": {user}})
	if err != nil {
		t.Fatalf("sign in %s: %v", user, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.String(), base) {
		t.Fatalf("sign in %s: status %d at %s", user, resp.StatusCode, resp.Request.URL)
	}
	_, doc = c.get("/")
	c.csrf, _ = doc.Find(`form[action="/logout"] input[name="csrf_token"]`).Attr("value")
	if c.csrf == "" {
		t.Fatalf("sign in %s: no CSRF token on the home page", user)
	}
	return c
}

// get fetches path (following redirects) and parses the page.
func (c *client) get(path string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		c.t.Fatalf("parse %s: %v", path, err)
	}
	return resp, doc
}

// post submits form to path with the session's CSRF token added (unless
// form sets csrf_token itself) and parses the answer, following redirects.
func (c *client) post(path string, form url.Values) (*http.Response, *goquery.Document) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok && c.csrf != "" {
		form.Set("csrf_token", c.csrf)
	}
	resp, err := c.http.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(resp.Body)
	return resp, doc
}

// noRedirects returns a copy of c that reports redirects instead of
// following them (for asserting a 303 and its Location).
func (c *client) noRedirects() *client {
	cp := *c
	h := *c.http
	h.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cp.http = &h
	return &cp
}

// cookie returns the value of the named cookie the client holds for the
// registry ("" when none).
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}
