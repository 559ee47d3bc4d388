package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestLogout_EndsSessionAtProvider signs in through the built-in provider,
// signs out and follows each hop by hand: the registry revokes its session
// and sends the browser to the provider's end_session endpoint with the ID
// token as hint, and the provider sends it back to the home page.
func TestLogout_EndsSessionAtProvider(t *testing.T) {
	base, _, logs := startProgram(t)
	c := signInAs(t, base, "reviewer1")
	jar, provider, session := c.http.Jar, c.provider, c.cookie("registry_session")
	if session == "" {
		t.Fatal("no session cookie after sign-in")
	}

	// One hop at a time, so every redirect can be checked.
	hop := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, u string, form url.Values) (*http.Response, *goquery.Document) {
		t.Helper()
		req, _ := http.NewRequest(method, u, strings.NewReader(form.Encode()))
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := hop.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, u, err)
		}
		defer resp.Body.Close()
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		if err != nil {
			t.Fatalf("parse %s: %v", u, err)
		}
		return resp, doc
	}

	_, doc := do(http.MethodGet, base+"/", nil)
	csrf, _ := doc.Find(`form[action="/logout"] input[name="csrf_token"]`).Attr("value")
	if csrf == "" {
		t.Fatalf("not signed in, or no CSRF token in the sign-out form\nlog:\n%s", logs.String())
	}

	// The registry ends its session and hands over to the provider.
	out, _ := do(http.MethodPost, base+"/logout", url.Values{"csrf_token": {csrf}})
	to, err := url.Parse(out.Header.Get("Location"))
	if out.StatusCode != http.StatusSeeOther || err != nil || to.Host != provider.Host || !strings.HasSuffix(to.Path, "/end_session") {
		t.Fatalf("logout: status %d to %q, want 303 to the end_session endpoint of %s", out.StatusCode, out.Header.Get("Location"), provider)
	}
	q := to.Query()
	if q.Get("client_id") != "registry" || q.Get("post_logout_redirect_uri") != base+"/" {
		t.Errorf("end_session query %v: want client_id registry and post_logout_redirect_uri %s/", q, base)
	}
	if sub := jwtSubject(t, q.Get("id_token_hint")); sub != "demo-reviewer-1" {
		t.Errorf("id_token_hint names subject %q, want the signed-in demo-reviewer-1", sub)
	}

	// The provider accepts the hint and the registered redirect, and sends
	// the browser home.
	back, _ := do(http.MethodGet, to.String(), nil)
	if back.StatusCode != http.StatusFound || back.Header.Get("Location") != base+"/" {
		t.Fatalf("end_session: status %d to %q, want 302 to %s/", back.StatusCode, back.Header.Get("Location"), base)
	}
	home, doc := do(http.MethodGet, base+"/", nil)
	if home.StatusCode != http.StatusOK || doc.Find(".site-user__name").Length() != 0 || doc.Find(`a[href="/login"]`).Length() != 1 {
		t.Errorf("home after sign-out: status %d, still signed in: %v", home.StatusCode, doc.Find(".site-user__name").Length() != 0)
	}

	// The old cookie, replayed by hand, is anonymous.
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.AddCookie(&http.Cookie{Name: "registry_session", Value: session})
	replay, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	body, _ := io.ReadAll(replay.Body)
	replay.Body.Close()
	if replay.StatusCode != http.StatusOK || strings.Contains(string(body), "Rita Reviewer") || !strings.Contains(string(body), `href="/login"`) {
		t.Errorf("replayed session cookie: status %d, still signed in", replay.StatusCode)
	}
}

// jwtSubject returns the sub claim of a JWT without verifying it (the
// provider does that); "" when raw is no JWT.
func jwtSubject(t *testing.T, raw string) string {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Sub string `json:"sub"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return ""
	}
	return claims.Sub
}
