package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// TestEditorialPages drives the editorial workflow through its pages, as
// people would: the real program on a real database, signing in through
// the built-in OpenID provider over HTTP, forms posted with the session's
// CSRF token. The vendor proposes a change to nextcloud, a reviewer
// approves it, the entry and its history show it; then the ways it can go
// wrong: a fact without a source, bad evidence, a stale version, a hidden
// submission.
func TestEditorialPages(t *testing.T) {
	dbURL := storetest.URL(t)
	base := edStartProgram(t, dbURL)
	vendor := signInAs(t, base, "vendor")
	rev1 := signInAs(t, base, "reviewer1")
	rev2 := signInAs(t, base, "reviewer2")
	anon := newClient(t, base)

	t.Run("account pages lead to the work", func(t *testing.T) {
		resp, doc := vendor.get("/account?lang=en")
		edStatus(t, resp, http.StatusOK)
		for _, href := range []string{"/submissions/new?product=nextcloud", "/submissions/new?organization=nextcloud", "/account/tokens"} {
			if doc.Find(`a[href="`+href+`"]`).Length() == 0 {
				t.Errorf("vendor's account page lacks a link to %s", href)
			}
		}
		_, doc = rev1.get("/account?lang=en")
		if doc.Find(`a[href="/review"]`).Length() == 0 {
			t.Error("reviewer's account page lacks the inbox link")
		}
		edCheckPage(t, "account", doc)
	})

	t.Run("a signed-in reader never gets the stored anonymous page", func(t *testing.T) {
		// The anonymous page is rendered and stored (page store on by
		// default), then asked for again by both.
		for i := range 2 {
			resp, doc := anon.get("/products/nextcloud")
			edStatus(t, resp, http.StatusOK)
			if doc.Find(`form[action="/logout"]`).Length() != 0 {
				t.Fatalf("anonymous request %d: the page has a sign-out form", i+1)
			}
			resp, doc = vendor.get("/products/nextcloud")
			edStatus(t, resp, http.StatusOK)
			if doc.Find(`form[action="/logout"]`).Length() != 1 {
				t.Fatalf("signed-in request %d: the page lacks the sign-out form (the anonymous page was sent)", i+1)
			}
		}
	})

	var first string // the first proposal's page
	t.Run("vendor proposes a change and submits it", func(t *testing.T) {
		resp, doc := vendor.get("/submissions/new?product=nextcloud&lang=en")
		edStatus(t, resp, http.StatusOK)
		edCheckPage(t, "new submission form", doc)
		vals := edFormValues(doc.Selection)
		if vals.Get("name") != "Nextcloud Hub" || vals.Get("license.value") != "AGPL-3.0" || vals.Get("license.sources") == "" {
			t.Fatalf("form not pre-filled from the entry: name %q, license %q cites %q", vals.Get("name"), vals.Get("license.value"), vals.Get("license.sources"))
		}
		vals.Set("description_en", "Files, **calendars** and chat, self-hosted. <script>alert(1)</script>")
		// New evidence for a fact that was unknown, cited by its number.
		number := strconv.Itoa(len(vals["cited"]) + 1)
		vals.Set("source[0].url", "https://nextcloud.com/about/")
		vals.Set("source[0].title", "Nextcloud – About us")
		vals.Set("source[0].kind", "vendor_marketing")
		vals.Set("governance.value", "single_vendor")
		vals.Set("governance.sources", number)
		vals.Set("op", "save")
		resp, _ = vendor.noRedirects().post("/submissions", vals)
		first = edRedirect(t, resp, regexp.MustCompile(`^/submissions/\d+\?done=save$`))
		first, _, _ = strings.Cut(first, "?")

		_, doc = vendor.get(first + "/edit?lang=en")
		vals = edFormValues(doc.Selection)
		if !strings.Contains(vals.Get("description_en"), "**calendars**") {
			t.Fatalf("edit form lost the saved description: %q", vals.Get("description_en"))
		}
		vals.Set("op", "submit")
		resp, _ = vendor.noRedirects().post(first, vals)
		edRedirect(t, resp, regexp.MustCompile(`^`+first+`\?done=submit$`))

		resp, body := edGetBody(t, vendor, first+"?done=submit&lang=en")
		edStatus(t, resp, http.StatusOK)
		doc = edParse(t, body)
		edCheckPage(t, "submission", doc)
		if got := edText(doc.Find(".submission-status .kern-badge").First()); got != "Submitted" {
			t.Errorf("state %q, want Submitted", got)
		}
		if doc.Find(".changes-table strong").Text() != "calendars" {
			t.Error("the description's Markdown is not rendered in the diff")
		}
		if strings.Contains(body, "<script>alert") || doc.Find("script").Length() > 0 {
			t.Error("the description's script reached the submission page")
		}
		if doc.Find(".flash").Length() == 0 {
			t.Error("no notice after submitting")
		}
		if !strings.Contains(edText(doc.Find("#sub-sources-heading").Parent()), "https://nextcloud.com/about/") {
			t.Error("the new source is not listed with its address")
		}
		gov := doc.Find(".changes-table tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Find("th").Text(), "Governance › Sources")
		})
		if href, _ := gov.Find("a").Attr("href"); href != "https://nextcloud.com/about/" {
			t.Errorf("the diff does not show the new evidence of the governance: %q", edText(gov))
		}
	})

	t.Run("reviewer starts the review and approves", func(t *testing.T) {
		_, doc := rev1.get("/review?lang=en")
		edCheckPage(t, "inbox", doc)
		if doc.Find(`.inbox-table a[href="`+first+`"]`).Length() != 1 {
			t.Fatalf("the proposal %s is not in the inbox", first)
		}
		for _, action := range []string{"start_review", "approve"} {
			_, doc = rev1.get(first + "?lang=en")
			form := doc.Find(`form.submission-action:has(input[name="action"][value="` + action + `"])`)
			if form.Length() != 1 {
				t.Fatalf("no %s button for the reviewer", action)
			}
			resp, _ := rev1.noRedirects().post(first+"/actions", edFormValues(form))
			edRedirect(t, resp, regexp.MustCompile(`^`+first+`\?done=`+action+`$`))
		}
		_, doc = rev1.get(first + "?lang=en")
		if got := edText(doc.Find(".submission-status .kern-badge").First()); got != "Approved" {
			t.Errorf("state %q after approval, want Approved", got)
		}
	})

	t.Run("the entry and its history show the change", func(t *testing.T) {
		resp, body := edGetBody(t, anon, "/products/nextcloud?lang=en")
		edStatus(t, resp, http.StatusOK)
		if !strings.Contains(body, "calendars") {
			t.Error("the product page does not show the new description")
		}
		doc := edParse(t, body)
		if strings.Contains(body, "<script>alert") || doc.Find("script").Length() > 0 {
			t.Error("the description's script reached the product page")
		}
		if doc.Find(`a[href="https://nextcloud.com/about/"]`).Length() == 0 {
			t.Error("the product page does not cite the new source")
		}
		if doc.Find(`a[href="/products/nextcloud/history"]`).Length() != 1 {
			t.Error("the product page has no link to its history")
		}
		resp, doc = anon.get("/products/nextcloud/history?lang=en")
		edStatus(t, resp, http.StatusOK)
		edCheckPage(t, "history", doc)
		if n := doc.Find(".history-table tbody tr").Length(); n != 2 {
			t.Errorf("history lists %d versions, want 2 (the baseline and the change)", n)
		}
		row := doc.Find(".changes-table tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Find("th").Text(), "Description (English)")
		})
		if row.Length() != 1 || !strings.Contains(row.Text(), "calendars") {
			t.Errorf("the diff of the last two versions lacks the description: %q", edText(doc.Find(".changes-table")))
		}
		resp, _ = anon.get("/products/nextcloud/history?from=1&to=1")
		edStatus(t, resp, http.StatusOK)
		resp, _ = anon.get("/products/no-such-product/history")
		edStatus(t, resp, http.StatusNotFound)
	})

	t.Run("a known fact without a source is refused at the fact, input kept", func(t *testing.T) {
		_, doc := vendor.get("/submissions/new?product=nextcloud&lang=en")
		vals := edFormValues(doc.Selection)
		vals.Set("license.sources", "")
		vals.Set("description_en", "Typed with care.")
		vals.Set("op", "submit")
		resp, doc := vendor.post("/submissions", vals)
		edStatus(t, resp, http.StatusUnprocessableEntity)
		edCheckPage(t, "form with problems", doc)
		msg := edText(doc.Find("#f-license-sources-error"))
		if !strings.Contains(msg, "source") {
			t.Errorf("no message at the licence's sources, got %q", msg)
		}
		input := doc.Find("#f-license-sources")
		if d, _ := input.Attr("aria-describedby"); !strings.Contains(d, "f-license-sources-error") {
			t.Errorf("the message is not tied to the input: aria-describedby=%q", d)
		}
		if doc.Find(`.input-problem a[href="#f-license-sources"]`).Length() != 1 {
			t.Error("the summary does not link the problem to its field")
		}
		if got := doc.Find("#f-description_en").Text(); got != "Typed with care." {
			t.Errorf("typed description lost: %q", got)
		}
		if got, _ := doc.Find("#f-license-value").Attr("value"); got != "AGPL-3.0" {
			t.Errorf("licence lost: %q", got)
		}
		// The draft was saved: the form now belongs to it.
		draft, _ := doc.Find("form.submission-form").Attr("action")
		if !regexp.MustCompile(`^/submissions/\d+$`).MatchString(draft) {
			t.Fatalf("form posts to %q, want the saved draft", draft)
		}
		// Submitting it from its page brings the form back with the problem.
		_, doc = vendor.get(draft + "?lang=en")
		submit := doc.Find(`form.submission-action:has(input[name="action"][value="submit"])`)
		if submit.Length() != 1 {
			t.Fatal("the draft's page offers no submit button")
		}
		resp, doc = vendor.post(draft+"/actions?lang=en", edFormValues(submit))
		edStatus(t, resp, http.StatusUnprocessableEntity)
		if edText(doc.Find("#f-license-sources-error")) == "" {
			t.Error("submitting from the page does not show the problem at the fact")
		}
	})

	t.Run("bad evidence is refused with a field error", func(t *testing.T) {
		_, doc := vendor.get("/submissions/new?product=nextcloud&lang=en")
		vals := edFormValues(doc.Selection)
		vals.Set("source[0].url", "javascript:alert(1)")
		vals.Set("source[0].title", "Trust me")
		vals.Set("op", "save")
		resp, doc := vendor.post("/submissions", vals)
		edStatus(t, resp, http.StatusUnprocessableEntity)
		if edText(doc.Find("#f-source-0-url-error")) == "" {
			t.Error("no message at the evidence URL")
		}
		if got, _ := doc.Find("#f-source-0-url").Attr("value"); got != "javascript:alert(1)" {
			t.Errorf("typed URL not kept: %q", got)
		}
		if doc.Find(`a[href^="javascript"]`).Length() > 0 {
			t.Error("the bad URL became a link")
		}
	})

	t.Run("another row, without JavaScript", func(t *testing.T) {
		_, doc := vendor.get("/submissions/new?product=nextcloud&lang=en")
		vals := edFormValues(doc.Selection)
		vals.Set("description_de", "Bleibt stehen.")
		vals.Set("add", "dependency")
		resp, doc := vendor.post("/submissions", vals)
		edStatus(t, resp, http.StatusOK)
		if doc.Find("#f-dependencies-3-on").Length() != 1 {
			t.Error("no fourth dependency row (two recorded, one blank, one added)")
		}
		if got := doc.Find("#f-description_de").Text(); got != "Bleibt stehen." {
			t.Errorf("input lost: %q", got)
		}
	})

	var second string
	t.Run("a comment thread", func(t *testing.T) {
		_, doc := vendor.get("/submissions/new?product=nextcloud")
		vals := edFormValues(doc.Selection)
		vals.Set("description_en", "Second change.")
		vals.Set("op", "submit")
		resp, _ := vendor.noRedirects().post("/submissions", vals)
		second, _, _ = strings.Cut(edRedirect(t, resp, regexp.MustCompile(`^/submissions/\d+\?done=submit$`)), "?")

		resp, _ = vendor.noRedirects().post(second+"/comments", url.Values{"body": {"Please look at the new source."}})
		edRedirect(t, resp, regexp.MustCompile(`^`+second+`\?done=comment#comments$`))
		resp, _ = rev1.noRedirects().post(second+"/comments", url.Values{"body": {"Looking.\nSecond line."}})
		edRedirect(t, resp, regexp.MustCompile(`^`+second))
		resp, doc = rev1.post(second+"/comments?lang=en", url.Values{"body": {"   "}})
		edStatus(t, resp, http.StatusUnprocessableEntity)
		if edText(doc.Find("#comment-body-error")) == "" {
			t.Error("an empty comment shows no message")
		}
		_, doc = vendor.get(second + "?lang=en")
		comments := doc.Find("#comments .comment")
		if comments.Length() != 2 {
			t.Fatalf("%d comments, want 2", comments.Length())
		}
		if !strings.Contains(comments.Eq(0).Text(), "Vera Vendor") || !strings.Contains(comments.Eq(1).Text(), "Rita Reviewer") {
			t.Errorf("thread without names: %q", edText(comments))
		}
		if comments.Eq(1).Find("p").Length() != 2 {
			t.Error("line breaks of a comment are lost")
		}
	})

	t.Run("an action on a stale version is refused and changes nothing", func(t *testing.T) {
		_, doc := rev1.get(second + "?lang=en")
		stale := edFormValues(doc.Find(`form.submission-action:has(input[value="start_review"])`))
		_, doc = rev2.get(second)
		resp, _ := rev2.noRedirects().post(second+"/actions", edFormValues(doc.Find(`form.submission-action:has(input[value="start_review"])`)))
		edRedirect(t, resp, regexp.MustCompile(`done=start_review`))
		_, doc = rev2.get(second)
		before, _ := doc.Find(`form.submission-action input[name="version"]`).Attr("value")

		resp, doc = rev1.post(second+"/actions?lang=en", stale)
		edStatus(t, resp, http.StatusConflict)
		if !strings.Contains(edText(doc.Find(".kern-alert--warning")), "changed") {
			t.Error("no message that someone else changed it meanwhile")
		}
		if got := edText(doc.Find(".submission-status .kern-badge").First()); got != "In review" {
			t.Errorf("the 409 page shows state %q, want the current In review", got)
		}
		_, doc = rev2.get(second)
		after, _ := doc.Find(`form.submission-action input[name="version"]`).Attr("value")
		if before == "" || before != after {
			t.Errorf("version moved from %q to %q on a refused action", before, after)
		}
	})

	t.Run("a draft edited elsewhere meanwhile: 409, input kept", func(t *testing.T) {
		_, doc := vendor.get("/submissions/new?product=nextcloud")
		vals := edFormValues(doc.Selection)
		vals.Set("op", "save")
		resp, _ := vendor.noRedirects().post("/submissions", vals)
		draft, _, _ := strings.Cut(edRedirect(t, resp, regexp.MustCompile(`^/submissions/\d+\?done=save$`)), "?")
		_, doc = vendor.get(draft + "/edit")
		tab1, tab2 := edFormValues(doc.Selection), edFormValues(doc.Selection)
		tab1.Set("name", "Saved in the other tab")
		resp, _ = vendor.noRedirects().post(draft, tab1)
		edRedirect(t, resp, regexp.MustCompile(`done=save`))
		tab2.Set("name", "Typed here")
		resp, doc = vendor.post(draft+"?lang=en", tab2)
		edStatus(t, resp, http.StatusConflict)
		if !strings.Contains(edText(doc.Find(".kern-alert--warning")), "Someone else changed") {
			t.Error("no conflict message")
		}
		if got, _ := doc.Find("#f-name").Attr("value"); got != "Typed here" {
			t.Errorf("input lost: name %q", got)
		}
		if !strings.Contains(edText(doc.Find(".kern-alert--warning .changes-table")), "Saved in the other tab") {
			t.Error("the current state is not shown")
		}
	})

	t.Run("another organisation's submission is hidden", func(t *testing.T) {
		id := edForeignSubmission(t, dbURL)
		resp, _ := vendor.get("/submissions/" + id)
		edStatus(t, resp, http.StatusNotFound)
		resp, _ = vendor.get("/submissions/" + id + "/edit")
		edStatus(t, resp, http.StatusNotFound)
		resp, _ = vendor.post("/submissions/"+id+"/actions", url.Values{"action": {"withdraw"}, "version": {"1"}})
		edStatus(t, resp, http.StatusNotFound)
		resp, _ = rev1.get("/submissions/" + id)
		edStatus(t, resp, http.StatusOK)
	})

	t.Run("a reviewer confirms an entry due for re-review", func(t *testing.T) {
		_, doc := rev1.get("/review?lang=en")
		form := doc.Find(`.inbox-due form`).First()
		action, _ := form.Attr("action")
		if form.Length() == 0 || !strings.HasSuffix(action, "/verify") {
			t.Fatal("no entry due for re-review (the seed has entries without sources)")
		}
		resp, _ := rev1.noRedirects().post(action, nil)
		edRedirect(t, resp, regexp.MustCompile(`^/review\?done=verify$`))
		_, doc = rev1.get("/review?done=verify")
		if doc.Find(`.inbox-due form[action="`+action+`"]`).Length() != 0 {
			t.Error("the confirmed entry is still due")
		}
		if doc.Find(".flash").Length() == 0 {
			t.Error("no notice after confirming")
		}
	})

	t.Run("vendors act only for their own organisations", func(t *testing.T) {
		resp, _ := vendor.get("/submissions/new?product=ionos-cloud")
		edStatus(t, resp, http.StatusForbidden)
		resp, _ = vendor.get("/submissions/new?organization=ionos")
		edStatus(t, resp, http.StatusForbidden)
		resp, _ = rev1.get("/submissions/new?product=nextcloud")
		edStatus(t, resp, http.StatusForbidden)
	})

	t.Run("without sign-in the history page still answers", func(t *testing.T) {
		plain := newClient(t, edStartProgram(t, storetest.URL(t), "REGISTRY_MODE", "production"))
		resp, doc := plain.get("/products/nextcloud/history?lang=en")
		edStatus(t, resp, http.StatusOK)
		if !strings.Contains(edText(doc.Find("main")), "never been changed") {
			t.Errorf("history without the workflow: %q", edText(doc.Find("main")))
		}
	})

	t.Run("signed-out visitors are sent to sign in", func(t *testing.T) {
		resp, _ := anon.noRedirects().get("/review")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("GET /review anonymously: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, _ = vendor.get("/review")
		edStatus(t, resp, http.StatusForbidden)
	})
}

// edForeignSubmission drafts a change for another organisation
// (ionos) straight through the workflow service on the program's
// database: no demo account acts for it.
func edForeignSubmission(t *testing.T, dbURL string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, slog.New(slog.NewTextHandler(io.Discard, nil)), store.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cat := catalog.NewService(st)
	d, err := cat.Product(ctx, "ionos-cloud")
	if err != nil {
		t.Fatal(err)
	}
	other := workflow.Actor{ID: "999999", Roles: []string{workflow.RoleVendor}, Organizations: []string{d.Product.Vendor}}
	sub, err := workflow.NewService(st, cat).Create(ctx, other, workflow.KindChange, catalog.Proposal{Product: d.Product})
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(sub.ID, 10)
}

// edStartProgram runs the real program on port 0 against the database at
// dbURL (the test needs to reach it too), with extra environment variables
// as name/value pairs, and waits until it is ready.
func edStartProgram(t *testing.T, dbURL string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	vars := map[string]string{"DATABASE_URL": dbURL, "REGISTRY_ADDR": "127.0.0.1:0", "REGISTRY_DEV_IDP_ADDR": "127.0.0.1:0", "REGISTRY_SHUTDOWN_TIMEOUT": "10s"}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	env := envOf(vars)
	addrc, done := make(chan string, 1), make(chan int, 1)
	errOut := &syncBuffer{}
	go func() {
		done <- runWith(ctx, nil, env, io.Discard, errOut, hooks{ready: func(a string) { addrc <- a }})
	}()
	var base string
	select {
	case addr := <-addrc:
		base = "http://" + addr
	case code := <-done:
		cancel()
		t.Fatalf("program exited with %d before serving:\n%s", code, errOut.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("program did not start within 60s")
	}
	var once sync.Once
	t.Cleanup(func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Error("program did not stop within 30s")
			}
		})
	})
	waitReady(t, base)
	return base
}

// edFormValues collects what a browser would post from the form(s) in sel:
// named inputs (radios and boxes when checked), the selected options and
// the textareas. Buttons are left out: the caller says which one it pressed.
func edFormValues(sel *goquery.Selection) url.Values {
	vals := url.Values{}
	form := sel.Find("form.submission-form")
	if form.Length() == 0 {
		form = sel // sel is the form
	}
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		v, _ := s.Attr("value")
		switch typ, _ := s.Attr("type"); typ {
		case "radio", "checkbox":
			if _, checked := s.Attr("checked"); checked {
				vals.Add(name, v)
			}
		default:
			vals.Add(name, v)
		}
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		opt := s.Find("option[selected]")
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		v, _ := opt.Attr("value")
		vals.Add(name, v)
	})
	form.Find("textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		vals.Add(name, s.Text())
	})
	vals.Del("csrf_token") // the client adds its own
	return vals
}

// edCheckPage fails for what no page may do: an id used twice, a form
// control without a label, script or inline style, a form without the
// CSRF token.
func edCheckPage(t *testing.T, page string, doc *goquery.Document) {
	t.Helper()
	ids := map[string]int{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		ids[id]++
	})
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q used %d times", page, id, n)
		}
	}
	doc.Find("input:not([type=hidden]), select, textarea").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if id == "" || doc.Find(`label[for="`+id+`"]`).Length() == 0 {
			name, _ := s.Attr("name")
			t.Errorf("%s: control %q (id %q) has no label", page, name, id)
		}
	})
	if doc.Find("script, [style]").Length() > 0 {
		t.Errorf("%s: script or inline style", page)
	}
	doc.Find(`form[method="post"]`).Each(func(_ int, s *goquery.Selection) {
		if s.Find(`input[name="csrf_token"]`).Length() != 1 {
			action, _ := s.Attr("action")
			t.Errorf("%s: form to %s without CSRF token", page, action)
		}
	})
	var last int
	doc.Find("h1, h2, h3, h4").Each(func(_ int, s *goquery.Selection) {
		level := int(goquery.NodeName(s)[1] - '0')
		if last > 0 && level > last+1 {
			t.Errorf("%s: heading %q skips from h%d to h%d", page, edText(s), last, level)
		}
		last = level
	})
}

func edStatus(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want)
	}
}

// edRedirect checks a 303 whose Location matches re and returns it.
func edRedirect(t *testing.T, resp *http.Response, re *regexp.Regexp) string {
	t.Helper()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !re.MatchString(loc) {
		t.Fatalf("%s %s: status %d to %q, want 303 to %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, loc, re)
	}
	return loc
}

// edGetBody fetches path and returns the raw page too.
func edGetBody(t *testing.T, c *client, path string) (*http.Response, string) {
	t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func edParse(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func edText(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
