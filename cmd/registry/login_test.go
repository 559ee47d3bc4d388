package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestLogin_BuiltInProvider signs in through the real program and its
// built-in OpenID provider over HTTP, as a browser would: redirect to the
// provider, its login form, the callback, a session; then signs out.
func TestLogin_BuiltInProvider(t *testing.T) {
	base, _, logs := startProgram(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	get := func(u string) (*http.Response, *goquery.Document) {
		t.Helper()
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		defer resp.Body.Close()
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		if err != nil {
			t.Fatalf("parse %s: %v", u, err)
		}
		return resp, doc
	}
	post := func(u string, form url.Values) (*http.Response, *goquery.Document) {
		t.Helper()
		resp, err := client.PostForm(u, form)
		if err != nil {
			t.Fatalf("POST %s: %v", u, err)
		}
		defer resp.Body.Close()
		doc, _ := goquery.NewDocumentFromReader(resp.Body)
		return resp, doc
	}

	home, doc := get(base + "/")
	if home.StatusCode != http.StatusOK || doc.Find(`a[href="/login"]`).Length() != 1 {
		t.Fatalf("home: status %d, sign-in link present: %v", home.StatusCode, doc.Find(`a[href="/login"]`).Length() == 1)
	}

	// /login sends the browser to the provider, which shows its form.
	resp, doc := get(base + "/login?next=/products")
	if strings.HasPrefix(resp.Request.URL.String(), base) {
		t.Fatalf("/login did not leave for the provider: status %d at %s\nlog:\n%s", resp.StatusCode, resp.Request.URL, logs.String())
	}
	form := doc.Find("form")
	reqID, _ := form.Find(`input[name="authRequestID"]`).Attr("value")
	action, _ := form.Attr("action")
	if reqID == "" || action == "" {
		t.Fatalf("no login form at %s", resp.Request.URL)
	}
	target := resp.Request.URL.ResolveReference(&url.URL{Path: action}).String()

	// Posting the form completes the flow back at the registry's callback.
	resp, doc = post(target, url.Values{"authRequestID": {reqID}, "username": {"reviewer1"}, "password": {"reviewer1"}})
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/products" {
		t.Fatalf("after sign-in: status %d at %s", resp.StatusCode, resp.Request.URL)
	}
	if got := doc.Find(".site-user__name").Text(); !strings.Contains(got, "Rita Reviewer") {
		t.Fatalf("signed-in name not shown, header says %q", got)
	}
	var session *http.Cookie
	for _, c := range jar.Cookies(resp.Request.URL) {
		if c.Name == "registry_session" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}

	// A callback whose state this browser did not start is refused.
	bad, _ := get(base + "/auth/callback?state=forged&code=x")
	if bad.StatusCode != http.StatusBadRequest {
		t.Errorf("forged callback: status %d, want 400", bad.StatusCode)
	}

	// Signing out needs the session's CSRF token.
	noCSRF, _ := post(base+"/logout", url.Values{})
	if noCSRF.StatusCode != http.StatusForbidden {
		t.Errorf("logout without CSRF token: status %d, want 403", noCSRF.StatusCode)
	}
	_, doc = get(base + "/")
	csrf, _ := doc.Find(`form[action="/logout"] input[name="csrf_token"]`).Attr("value")
	if csrf == "" {
		t.Fatal("no CSRF token in the sign-out form")
	}
	out, doc := post(base+"/logout", url.Values{"csrf_token": {csrf}})
	if out.StatusCode != http.StatusOK || doc.Find(".site-user__name").Length() != 0 {
		t.Errorf("after sign-out: status %d, still signed in: %v", out.StatusCode, doc.Find(".site-user__name").Length() != 0)
	}

	// The old session cookie is worthless now, even replayed by hand.
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.AddCookie(&http.Cookie{Name: "registry_session", Value: session.Value})
	replay, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	body, _ := io.ReadAll(replay.Body)
	replay.Body.Close()
	if strings.Contains(string(body), "Rita Reviewer") {
		t.Error("a revoked session still signs the user in")
	}
}
