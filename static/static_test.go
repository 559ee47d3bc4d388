package static

import (
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func mustAssets(t *testing.T) *Assets {
	t.Helper()
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func TestAssets_URL(t *testing.T) {
	a := mustAssets(t)
	for _, name := range []string{"app.css", "vendor/kern/kern.min.css", "vendor/kern/fonts/fira-sans.css"} {
		t.Run(name, func(t *testing.T) {
			u := a.URL(name)
			if !regexp.MustCompile(`^/static/` + regexp.QuoteMeta(name) + `\?v=[0-9a-f]{10}$`).MatchString(u) {
				t.Errorf("URL(%q) = %q", name, u)
			}
			if a.URL("/"+name) != u {
				t.Errorf("leading slash changes the URL")
			}
			if _, err := fs.Stat(a.FS(), name); err != nil {
				t.Errorf("FS lacks %s: %v", name, err)
			}
		})
	}
	if got := a.URL("nope.css"); got != "/static/nope.css" {
		t.Errorf("unknown asset: got %q", got)
	}
}

func TestAssets_HashFollowsContent(t *testing.T) {
	a1, _ := newAssets(fstest.MapFS{"a.css": {Data: []byte("a{}")}})
	a2, _ := newAssets(fstest.MapFS{"a.css": {Data: []byte("b{}")}})
	h1, ok1 := a1.Hash("a.css")
	h2, ok2 := a2.Hash("a.css")
	if !ok1 || !ok2 || h1 == h2 {
		t.Errorf("hashes %q %q must exist and differ", h1, h2)
	}
	if _, ok := a1.Hash("b.css"); ok {
		t.Error("Hash of a missing file reports ok")
	}
}

// remoteRef finds what would make a browser contact another host from CSS:
// any @import (we never need one) and url() with a scheme or "//". Comments
// and data: URIs are removed first: the SVG xmlns inside them is never fetched.
var (
	comment   = regexp.MustCompile(`/\*[\s\S]*?\*/`)
	dataURI   = regexp.MustCompile(`url\(\s*(["']?)data:[^)]*\)`)
	remoteRef = regexp.MustCompile(`(?i)@import|url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)`)
)

// remoteRefs returns the remote references in css, each with some context.
func remoteRefs(css string) []string {
	css = dataURI.ReplaceAllString(comment.ReplaceAllString(css, ""), "")
	var out []string
	for _, loc := range remoteRef.FindAllStringIndex(css, -1) {
		from, to := max(0, loc[0]-40), min(len(css), loc[1]+60)
		out = append(out, css[from:to])
	}
	return out
}

func TestRemoteRefs(t *testing.T) {
	tests := []struct {
		css  string
		want int
	}{
		{`@import url("https://fonts.googleapis.com/css?family=X");`, 2}, // @import and url()
		{`@import "other.css";`, 1},
		{`@font-face{src:url(https://cdn.example/f.woff2)}`, 1},
		{`a{background:url( '//cdn.example/x.png' )}`, 1},
		{`a{background:url("HTTP://x/y")}`, 1},
		{`@font-face{src:url("./fira-sans/FiraSans-Regular.woff2")}`, 0},
		{`a{mask:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3C/svg%3E")}`, 0},
		{`/* see https://kern-ux.de and @import */ a{color:red}`, 0},
	}
	for _, tt := range tests {
		if got := remoteRefs(tt.css); len(got) != tt.want {
			t.Errorf("remoteRefs(%q) = %q, want %d hits", tt.css, got, tt.want)
		}
	}
}

// TestCSS_NoRemoteReferences keeps the promise that pages load nothing from another host.
func TestCSS_NoRemoteReferences(t *testing.T) {
	a := mustAssets(t)
	n := 0
	err := fs.WalkDir(a.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".css") {
			return err
		}
		n++
		b, err := fs.ReadFile(a.FS(), p)
		if err != nil {
			return err
		}
		for _, ref := range remoteRefs(string(b)) {
			t.Errorf("%s: remote reference: …%s…", p, ref)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Errorf("checked only %d stylesheets; expected app.css and the KERN files", n)
	}
}

// TestCSS_FontURLsResolve checks that every relative url() in a stylesheet
// points at an embedded file, so the fonts work under /static/vendor/kern/.
func TestCSS_FontURLsResolve(t *testing.T) {
	a := mustAssets(t)
	rel := regexp.MustCompile(`url\(\s*["']?(\.{0,2}/?[^"')]+\.(?:woff2?|ttf|otf|svg|png))["']?\s*\)`)
	for _, css := range []string{"vendor/kern/fonts/fira-sans.css", "app.css"} {
		b, err := fs.ReadFile(a.FS(), css)
		if err != nil {
			t.Fatal(err)
		}
		dir := css[:strings.LastIndex(css, "/")+1]
		for _, m := range rel.FindAllStringSubmatch(string(b), -1) {
			target := cleanJoin(dir, m[1])
			if _, err := fs.Stat(a.FS(), target); err != nil {
				t.Errorf("%s refers to %s, which is not embedded", css, m[1])
			}
		}
	}
}

func cleanJoin(dir, rel string) string {
	parts := strings.Split(strings.TrimSuffix(dir, "/"), "/")
	if dir == "" {
		parts = nil
	}
	for _, seg := range strings.Split(rel, "/") {
		switch seg {
		case ".", "":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, seg)
		}
	}
	return strings.Join(parts, "/")
}

// TestCSS_LevelBadgeContrast checks the level badge colours in app.css: text
// on background at least 7:1 (WCAG AAA, so the small badge text stays
// readable), and the five levels visibly distinct.
func TestCSS_LevelBadgeContrast(t *testing.T) {
	b, err := fs.ReadFile(mustAssets(t).FS(), "app.css")
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`--rsl-([0-9a-z]+)-(bg|fg|accent):\s*#([0-9a-fA-F]{6})`)
	colours := map[string]map[string]string{}
	for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
		if colours[m[1]] == nil {
			colours[m[1]] = map[string]string{}
		}
		colours[m[1]][m[2]] = m[3]
	}
	seenBg := map[string]string{}
	for _, lvl := range []string{"0", "1", "2", "3", "4", "unknown"} {
		c := colours[lvl]
		if c["bg"] == "" || c["fg"] == "" || c["accent"] == "" {
			t.Errorf("level %s: missing colour variables: %v", lvl, c)
			continue
		}
		if r := contrast(c["fg"], c["bg"]); r < 7 {
			t.Errorf("level %s: text contrast %.2f:1 < 7:1", lvl, r)
		}
		if other, dup := seenBg[c["bg"]]; dup {
			t.Errorf("levels %s and %s share a background", lvl, other)
		}
		seenBg[c["bg"]] = lvl
		if !regexp.MustCompile(`\.level-badge--` + lvl + `\b`).Match(b) {
			t.Errorf("no .level-badge--%s rule", lvl)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(0) + 0.7152*ch(2) + 0.0722*ch(4)
}
