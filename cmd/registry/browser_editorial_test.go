package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sovereignty-registry/registry/internal/browsertest"
)

// TestBrowser_VendorSubmitsReviewerApproves drives the editorial process in
// headless Chromium: the vendor signs in at the built-in provider, proposes
// a change to its product and submits it; a reviewer signs in, starts the
// review and approves; the product page then shows the change. Every
// editorial page on the way must pass axe-core's WCAG 2.1 A/AA rules.
func TestBrowser_VendorSubmitsReviewerApproves(t *testing.T) {
	ctx := browsertest.New(t)
	base, _, _ := startProgram(t)
	b := browser{t: t, ctx: ctx, base: base}

	b.signIn("vendor")
	b.open("/account", "h1")
	browsertest.AssertAccessible(t, ctx, "vendor's account page")

	b.open("/account/tokens", "h1")
	browsertest.AssertAccessible(t, ctx, "API tokens page")

	b.open("/submissions/new?product=nextcloud", "form.submission-form")
	browsertest.AssertAccessible(t, ctx, "submission form")
	// A known fact without its source cannot be submitted: the message
	// stands at the field, the draft is kept.
	licenceSources, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-license-sources")))
	if err != nil || licenceSources == "" {
		t.Fatalf("the licence of nextcloud cites no source in the form (%q, %v)", licenceSources, err)
	}
	b.do("submit the licence without its source",
		chromedp.Clear(chromedp.CSS("#f-license-sources")),
		chromedp.Click(chromedp.CSS(`button[name="op"][value="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-license-sources-error")))
	browsertest.AssertAccessible(t, ctx, "submission form with a problem")
	const changed = "Collaboration platform, proposed in the browser test."
	b.do("edit the English description",
		chromedp.SetValue(chromedp.CSS("#f-license-sources"), licenceSources),
		chromedp.SetValue(chromedp.CSS(`textarea[name="description_en"]`), changed),
		chromedp.Click(chromedp.CSS(`button[name="op"][value="submit"]`)))
	b.waitPath("the submission page", func(p string) bool {
		return strings.HasPrefix(p, "/submissions/") && strings.Contains(p, "done=submit")
	})
	subURL := strings.TrimPrefix(b.location(), base)
	subURL, _, _ = strings.Cut(subURL, "?")
	b.do("submission shown", chromedp.WaitVisible(chromedp.CSS(".submission-actions")))
	browsertest.AssertAccessible(t, ctx, "submission page (vendor)")
	b.signOut()

	b.signIn("reviewer1")
	b.open("/review", "h1")
	browsertest.AssertAccessible(t, ctx, "reviewer's inbox")
	b.do("open the proposal from the inbox", chromedp.Click(chromedp.CSS(`a[href="`+subURL+`"]`)))
	b.waitPath("the submission page", func(p string) bool { return strings.HasPrefix(p, subURL) })
	b.do("start the review", chromedp.Click(chromedp.CSS(`form.submission-action:has(input[value="start_review"]) button`)))
	b.do("approve button shown", chromedp.WaitVisible(chromedp.CSS(`form.submission-action:has(input[value="approve"]) button`)))
	browsertest.AssertAccessible(t, ctx, "submission page (reviewer)")
	b.do("approve", chromedp.Click(chromedp.CSS(`form.submission-action:has(input[value="approve"]) button`)))
	b.waitPath("back on the submission", func(p string) bool {
		return strings.HasPrefix(p, subURL) && strings.Contains(b.location(), "done=approve")
	})

	b.open("/products/nextcloud?lang=en", "h1")
	if text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"))); err != nil || !strings.Contains(text, changed) {
		t.Errorf("the product page does not show the approved change (%v)", err)
	}
	b.open("/products/nextcloud/history", "h1")
	browsertest.AssertAccessible(t, ctx, "version history")
	b.signOut()

	// The admin pages, where the audit log now holds the whole story.
	b.signIn("admin")
	for _, page := range []string{"/admin", "/admin/users", "/admin/categories", "/admin/policy", "/admin/audit"} {
		b.open(page, "h1")
		browsertest.AssertAccessible(t, ctx, "admin page "+page)
	}
}

// browser is a small driver for a headless Chromium session.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (b browser) do(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (at %s)", name, err, b.location())
	}
}

func (b browser) open(path, ready string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
}

func (b browser) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	return loc
}

// waitPath waits until the current URL's path (on the registry) satisfies ok.
func (b browser) waitPath(what string, ok func(path string) bool) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if loc := b.location(); strings.HasPrefix(loc, b.base) && ok(strings.TrimPrefix(loc, b.base)) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("timed out waiting for %s (at %s)", what, b.location())
}

// signIn signs user in through the built-in provider's login page.
func (b browser) signIn(user string) {
	b.t.Helper()
	b.do("sign-in link", chromedp.Navigate(b.base+"/login?next=/account"), chromedp.WaitVisible(chromedp.CSS("#username")))
	b.do("provider login as "+user,
		chromedp.SetValue(chromedp.CSS("#username"), user),
		chromedp.SetValue(chromedp.CSS("#password"), user),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	b.waitPath("back at the registry", func(p string) bool { return strings.HasPrefix(p, "/account") })
	b.do("signed in", chromedp.WaitVisible(chromedp.CSS(".site-user__name")))
}

// signOut uses the header's sign-out button (and the provider's logout).
func (b browser) signOut() {
	b.t.Helper()
	b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	b.waitPath("signed out", func(p string) bool { return p == "/" || strings.HasPrefix(p, "/?") })
	b.do("anonymous again", chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
}
