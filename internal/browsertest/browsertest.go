// Package browsertest drives a real headless Chromium (chromedp) for the
// registry's browser tests and checks pages with axe-core.
//
// Chromium is found on PATH (chromium, chromium-browser, google-chrome) or
// at $CHROMIUM_PATH. Without one, tests are skipped with a plain message,
// except in CI (CI=true), where a missing browser fails the test: CI
// installs Debian's chromium, so the browser tests always run there.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sovereignty-registry/registry/tools/axe"
)

// FindChromium returns the path of a Chromium binary, or "".
func FindChromium() string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless Chromium for t and returns a browser context that
// is closed when t ends. It skips t when no Chromium is installed (fails in CI).
func New(t *testing.T) context.Context {
	t.Helper()
	path := FindChromium()
	if path == "" {
		msg := "browser test skipped: no Chromium found (install Debian's chromium: make browser-deps, or set CHROMIUM_PATH)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " — CI must run browser tests")
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first Run starts the browser and must not carry a timeout (it
	// would end the browser); later steps get one through the returned ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

// Violation is one axe-core rule violation.
type Violation struct {
	ID          string `json:"id"`
	Impact      string `json:"impact"`
	Description string `json:"description"`
	Nodes       []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// wcagTags restricts axe to the WCAG 2.1 A and AA rules.
const wcagTags = `["wcag2a","wcag2aa","wcag21a","wcag21aa"]`

// Axe runs axe-core on the current page and returns its violations.
func Axe(ctx context.Context) ([]Violation, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe.Source()+";true")); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + wcagTags + `}}).then(r => JSON.stringify(r.violations))`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var v []Violation
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil, fmt.Errorf("read axe-core result: %w", err)
	}
	return v, nil
}

// AssertAccessible fails t with a readable list if the current page has any
// WCAG 2.1 A/AA violation.
func AssertAccessible(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	v, err := Axe(ctx)
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	if len(v) == 0 {
		return
	}
	var b strings.Builder
	for _, x := range v {
		fmt.Fprintf(&b, "\n  %s (%s): %s", x.ID, x.Impact, x.Description)
		for i, n := range x.Nodes {
			if i == 3 {
				fmt.Fprintf(&b, "\n    … %d more", len(x.Nodes)-3)
				break
			}
			fmt.Fprintf(&b, "\n    %v %s", n.Target, n.HTML)
		}
	}
	t.Errorf("%s: %d axe-core WCAG 2.1 AA violations:%s", page, len(v), b.String())
}
