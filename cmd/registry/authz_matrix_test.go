package main

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/web"
)

// outcome is what a request may come to, as the matrix states it.
type outcome string

const (
	toLogin   outcome = "sent to sign in" // 303 to /login
	forbidden outcome = "403"
	hidden    outcome = "404"  // the object exists but is not the user's to see
	done      outcome = "done" // 2xx, or a 303 anywhere but /login
)

// matrixRoles are the users every state-changing route is tried as.
var matrixRoles = []string{"anonymous", "vendor of another organisation", "vendor", "reviewer", "admin"}

// matrixCase is one state-changing route with what each role gets.
type matrixCase struct {
	route string // method and path as registered, e.g. "POST /submissions/:id"
	// request builds a fresh request for role: the path and form. It may
	// set up what the request acts on (a draft, a token) as the vendor.
	request func(t *testing.T, f *matrixFixture, role string) (string, url.Values)
	want    map[string]outcome
}

// TestAuthorizationMatrix tries every state-changing route of the pages as
// anonymous, a vendor of another organisation, the vendor, a reviewer and
// an admin, and asserts what each gets. A route registered without a row
// here fails the test, so a new route cannot skip the matrix.
func TestAuthorizationMatrix(t *testing.T) {
	base, _, _ := startProgram(t)
	f := &matrixFixture{base: base, clients: map[string]*client{"anonymous": newClient(t, base)}}
	for role, user := range map[string]string{"vendor of another organisation": "vendor2", "vendor": "vendor", "reviewer": "reviewer1", "admin": "admin"} {
		f.clients[role] = signInAs(t, base, user)
	}

	cases := []matrixCase{
		{
			route: "POST /submissions",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				_, doc := f.clients["vendor"].get("/submissions/new?product=nextcloud")
				form := formOf(t, doc, "form.submission-form")
				form.Set("op", "save")
				return "/submissions", form
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": forbidden, "vendor": done, "reviewer": forbidden, "admin": forbidden},
		},
		{
			route: "POST /submissions/:id",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				id := f.draft(t)
				_, doc := f.clients["vendor"].get("/submissions/" + id + "/edit")
				form := formOf(t, doc, "form.submission-form")
				form.Set("op", "save")
				return "/submissions/" + id, form
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": hidden, "vendor": done, "reviewer": forbidden, "admin": forbidden},
		},
		{
			route: "POST /submissions/:id/actions",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				id := f.draft(t)
				return "/submissions/" + id + "/actions", url.Values{"action": {"submit"}, "version": {f.version(t, id)}}
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": hidden, "vendor": done, "reviewer": forbidden, "admin": forbidden},
		},
		{
			route: "POST /submissions/:id/comments",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				return "/submissions/" + f.submitted(t) + "/comments", url.Values{"body": {"Please add the hosting contract."}}
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": hidden, "vendor": done, "reviewer": done, "admin": forbidden},
		},
		{
			route: "POST /review/products/:slug/verify",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				return "/review/products/nextcloud/verify", url.Values{}
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": forbidden, "vendor": forbidden, "reviewer": done, "admin": forbidden},
		},
		{
			route: "POST /account/tokens",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				return "/account/tokens", url.Values{"name": {"matrix"}, "scope": {"submissions:read"}, "lifetime": {"30"}}
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": done, "vendor": done, "reviewer": forbidden, "admin": forbidden},
		},
		{
			route: "POST /account/tokens/:id/revoke",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				return "/account/tokens/" + f.token(t) + "/revoke", url.Values{}
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": hidden, "vendor": done, "reviewer": forbidden, "admin": forbidden},
		},
		{
			route: "POST /admin/users/:id",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				_, doc := f.clients["admin"].get("/admin/users")
				action, form := formWith(t, doc, `form[method="post"][action^="/admin/users/"]`)
				return action, form
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": forbidden, "vendor": forbidden, "reviewer": forbidden, "admin": done},
		},
		{
			route: "POST /admin/categories",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				f.seq++
				slug := "matrix-" + strings.ReplaceAll(role, " ", "-") + "-" + string(rune('a'+f.seq%26))
				return "/admin/categories", url.Values{"slug": {slug}, "name_de": {"Matrix"}, "name_en": {"Matrix"}}
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": forbidden, "vendor": forbidden, "reviewer": forbidden, "admin": done},
		},
		{
			route: "POST /admin/categories/:slug",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				_, doc := f.clients["admin"].get("/admin/categories")
				return formWith(t, doc, `form[method="post"][action^="/admin/categories/"]`)
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": forbidden, "vendor": forbidden, "reviewer": forbidden, "admin": done},
		},
		{
			route: "POST /admin/policy",
			request: func(t *testing.T, f *matrixFixture, role string) (string, url.Values) {
				_, doc := f.clients["admin"].get("/admin/policy")
				return formWith(t, doc, `form[method="post"][action="/admin/policy"]`)
			},
			want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": forbidden, "vendor": forbidden, "reviewer": forbidden, "admin": done},
		},
	}
	// Signing out (here or everywhere) ends the session, so these run last
	// and with sessions of their own.
	signOuts := []matrixCase{
		{route: "POST /logout", want: map[string]outcome{"anonymous": done, "vendor of another organisation": done, "vendor": done, "reviewer": done, "admin": done}},
		{route: "POST /account/sessions/revoke", want: map[string]outcome{"anonymous": toLogin, "vendor of another organisation": done, "vendor": done, "reviewer": done, "admin": done}},
	}

	t.Run("every state-changing route has a row", func(t *testing.T) {
		var covered []string
		for _, c := range append(slices.Clone(cases), signOuts...) {
			covered = append(covered, c.route)
		}
		for _, r := range stateChangingRoutes() {
			if !slices.Contains(covered, r) {
				t.Errorf("route %s is not in the authorisation matrix", r)
			}
		}
	})

	for _, c := range cases {
		for _, role := range matrixRoles {
			t.Run(c.route+" as "+role, func(t *testing.T) {
				path, form := c.request(t, f, role)
				resp := f.clients[role].noRedirects().send(path, form)
				if got := classify(resp); got != c.want[role] {
					t.Errorf("%s %s as %s: status %d (Location %q) = %s, want %s", "POST", path, role, resp.StatusCode, resp.Header.Get("Location"), got, c.want[role])
				}
			})
		}
		t.Run(c.route+" without CSRF token", func(t *testing.T) {
			role := allowedRole(c)
			path, form := c.request(t, f, role)
			form.Set("csrf_token", "")
			resp := f.clients[role].noRedirects().send(path, form)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s as %s without CSRF token: status %d, want 403", path, role, resp.StatusCode)
			}
		})
	}
	for _, c := range signOuts {
		path := strings.TrimPrefix(c.route, "POST ")
		for _, role := range matrixRoles {
			t.Run(c.route+" as "+role, func(t *testing.T) {
				cl := newClient(t, base)
				if user := map[string]string{"vendor of another organisation": "vendor2", "vendor": "vendor", "reviewer": "reviewer1", "admin": "admin"}[role]; user != "" {
					cl = signInAs(t, base, user)
					resp := cl.noRedirects().send(path, url.Values{"csrf_token": {""}})
					if resp.StatusCode != http.StatusForbidden {
						t.Errorf("%s without CSRF token: status %d, want 403", path, resp.StatusCode)
					}
				}
				resp := cl.noRedirects().send(path, url.Values{})
				if got := classify(resp); got != c.want[role] {
					t.Errorf("%s as %s: status %d (Location %q) = %s, want %s", path, role, resp.StatusCode, resp.Header.Get("Location"), got, c.want[role])
				}
			})
		}
	}
}

// stateChangingRoutes lists every non-GET route of the pages, as
// "METHOD /path", from the same route table the program serves.
func stateChangingRoutes() []string {
	e := echo.New()
	web.New(web.Options{}).Register(e)
	var out []string
	for _, r := range e.Routes() {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, echo.RouteNotFound:
			continue
		}
		if !slices.Contains(out, r.Method+" "+r.Path) {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// allowedRole returns a role the case lets through, to show that the CSRF
// check refuses even them.
func allowedRole(c matrixCase) string {
	for _, role := range matrixRoles {
		if c.want[role] == done && role != "anonymous" {
			return role
		}
	}
	return "vendor"
}

func classify(resp *http.Response) outcome {
	switch {
	case resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/login"):
		return toLogin
	case resp.StatusCode == http.StatusForbidden:
		return forbidden
	case resp.StatusCode == http.StatusNotFound:
		return hidden
	case resp.StatusCode < 300 || resp.StatusCode == http.StatusSeeOther:
		return done
	}
	return outcome(http.StatusText(resp.StatusCode))
}

// matrixFixture creates what the requests act on, through the pages, as
// the vendor.
type matrixFixture struct {
	base    string
	clients map[string]*client
	seq     int
}

var submissionPath = regexp.MustCompile(`^/submissions/(\d+)$`)

// draft creates a draft change to nextcloud and returns its id.
func (f *matrixFixture) draft(t *testing.T) string {
	t.Helper()
	v := f.clients["vendor"]
	_, doc := v.get("/submissions/new?product=nextcloud")
	form := formOf(t, doc, "form.submission-form")
	form.Set("op", "save")
	resp, _ := v.post("/submissions", form)
	m := submissionPath.FindStringSubmatch(resp.Request.URL.Path)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("create draft: status %d at %s", resp.StatusCode, resp.Request.URL)
	}
	return m[1]
}

// submitted creates a change to nextcloud and submits it.
func (f *matrixFixture) submitted(t *testing.T) string {
	t.Helper()
	id := f.draft(t)
	resp, _ := f.clients["vendor"].post("/submissions/"+id+"/actions", url.Values{"action": {"submit"}, "version": {f.version(t, id)}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("submit %s: status %d", id, resp.StatusCode)
	}
	return id
}

// version reads the submission's current version from its page.
func (f *matrixFixture) version(t *testing.T, id string) string {
	t.Helper()
	_, doc := f.clients["vendor"].get("/submissions/" + id)
	v, _ := doc.Find(`form.submission-action input[name="version"]`).First().Attr("value")
	if v == "" {
		t.Fatalf("submission %s: no version on its page", id)
	}
	return v
}

// token creates a personal API token of the vendor and returns its id.
func (f *matrixFixture) token(t *testing.T) string {
	t.Helper()
	v := f.clients["vendor"]
	f.seq++
	name := "matrix-token-" + string(rune('a'+f.seq%26))
	resp, _ := v.post("/account/tokens", url.Values{"name": {name}, "scope": {"submissions:read"}, "lifetime": {"30"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create token: status %d", resp.StatusCode)
	}
	_, doc := v.get("/account/tokens")
	var id string
	doc.Find(`form[action$="/revoke"]`).Each(func(_ int, s *goquery.Selection) {
		action, _ := s.Attr("action")
		id = strings.TrimSuffix(strings.TrimPrefix(action, "/account/tokens/"), "/revoke")
	})
	if id == "" {
		t.Fatal("the token list has no revoke form")
	}
	return id
}

// send posts form to path with the client's CSRF token unless the form sets
// one, without failing on any status.
func (c *client) send(path string, form url.Values) *http.Response {
	c.t.Helper()
	resp, _ := c.post(path, form)
	return resp
}

// formOf collects what a browser would send for the form matched by sel:
// its fields with their current values (checked boxes only), including
// fields outside it that name it with form="…". Submit buttons are left
// out; the caller sets the one it presses.
func formOf(t *testing.T, doc *goquery.Document, sel string) url.Values {
	t.Helper()
	form := doc.Find(sel).First()
	if form.Length() == 0 {
		t.Fatalf("no form %s on the page", sel)
	}
	fields := form.Find("input, select, textarea")
	if id, ok := form.Attr("id"); ok {
		fields = fields.AddSelection(doc.Find(`[form="` + id + `"]`))
	}
	v := url.Values{}
	fields.Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok || name == "" || name == "csrf_token" { // each client sends its own
			return
		}
		switch typ, _ := s.Attr("type"); {
		case goquery.NodeName(s) == "select":
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			val, _ := opt.Attr("value")
			v.Add(name, val)
		case goquery.NodeName(s) == "textarea":
			v.Add(name, s.Text())
		case typ == "submit" || typ == "button":
		case typ == "checkbox" || typ == "radio":
			if _, checked := s.Attr("checked"); checked {
				val, ok := s.Attr("value")
				if !ok {
					val = "on"
				}
				v.Add(name, val)
			}
		default:
			val, _ := s.Attr("value")
			v.Add(name, val)
		}
	})
	return v
}

// formWith returns the action and values of the first form matched by sel.
func formWith(t *testing.T, doc *goquery.Document, sel string) (string, url.Values) {
	t.Helper()
	action, _ := doc.Find(sel).First().Attr("action")
	if action == "" {
		t.Fatalf("no form %s on the page", sel)
	}
	return action, formOf(t, doc, sel)
}
