package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sovereignty-registry/registry/internal/browsertest"
)

// TestBrowser_SearchFilterOpen drives the real program in headless Chromium
// the way an official would: search from the home page with the keyboard,
// narrow the result with a facet, open a product; every page must pass
// axe-core's WCAG 2.1 A/AA rules.
func TestBrowser_SearchFilterOpen(t *testing.T) {
	ctx := browsertest.New(t)
	base, _, _ := startProgram(t)

	b := browser{t: t, ctx: ctx, base: base}
	step := b.do
	waitFor := func(what string, ok func(string) bool) string {
		t.Helper()
		b.waitPath(what, func(string) bool { return ok(b.location()) })
		return b.location()
	}

	step("open home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#search-q")))
	browsertest.AssertAccessible(t, ctx, "home")

	step("search with the keyboard",
		chromedp.Focus(chromedp.CSS("#search-q")),
		chromedp.SendKeys(chromedp.CSS("#search-q"), "Videokonferenz\r"))
	waitFor("the catalogue with the query", func(l string) bool {
		return strings.Contains(l, "/products?") && strings.Contains(l, "q=Videokonferenz")
	})
	step("results shown", chromedp.WaitVisible(chromedp.CSS(".product-card")))
	browsertest.AssertAccessible(t, ctx, "catalogue")

	step("filter by vendor country", chromedp.Click(chromedp.CSS(`a.facet-list__link[href*="vendor_country=DE"]`)))
	filtered := waitFor("the filtered catalogue", func(l string) bool { return strings.Contains(l, "vendor_country=DE") })
	if !strings.Contains(filtered, "q=Videokonferenz") {
		t.Errorf("the filter dropped the search text: %s", filtered)
	}
	step("filtered results shown", chromedp.WaitVisible(chromedp.CSS(".product-card")))
	cards, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".product-card").length`))
	if err != nil || cards == 0 {
		t.Fatalf("no product after filtering (%d, %v)", cards, err)
	}

	step("open the first product", chromedp.Click(chromedp.CSS(".product-card__title a")))
	waitFor("a product page", func(l string) bool {
		path := strings.TrimPrefix(l, base)
		return strings.HasPrefix(path, "/products/") && !strings.Contains(path, "?")
	})
	step("product page shown", chromedp.WaitVisible(chromedp.CSS("h1")))
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || strings.TrimSpace(h1) == "" {
		t.Fatalf("product page has no heading (%q, %v)", h1, err)
	}
	browsertest.AssertAccessible(t, ctx, "product page")
}
