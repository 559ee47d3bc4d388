package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func mustBundle(t *testing.T) *Bundle {
	t.Helper()
	b, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b
}

// TestCatalogues_SameKeys fails when a key exists in one catalogue but not in another.
func TestCatalogues_SameKeys(t *testing.T) {
	b := mustBundle(t)
	langs := Languages()
	for _, a := range langs {
		for _, other := range langs {
			if a == other {
				continue
			}
			for _, k := range b.Keys(a) {
				if !b.keys[other][k] {
					t.Errorf("key %q is in %s.toml but missing in %s.toml", k, a, other)
				}
			}
		}
	}
	if n := len(b.Keys(Default)); n == 0 {
		t.Fatal("default catalogue is empty")
	}
}

// TestCatalogues_Render executes every message in every language, so a broken
// template ({{.Name} …) or an empty translation fails here, not on a page.
func TestCatalogues_Render(t *testing.T) {
	b := mustBundle(t)
	for _, lang := range Languages() {
		l := b.Localizer(lang)
		for _, k := range b.Keys(lang) {
			got := l.T(k, "Count", 2, "Name", "X", "Code", "RSL-1", "Label", "Y", "Status", 404, "Total", 10)
			if got == "" || got == k {
				t.Errorf("%s: %q renders as %q", lang, k, got)
			}
			if strings.Contains(got, "<no value>") {
				t.Errorf("%s: %q uses a placeholder no caller is known to fill: %q", lang, k, got)
			}
		}
	}
}

// keyCall finds literal keys in T("…") and x.T("…") calls.
var keyCall = regexp.MustCompile(`\bT\(\s*"([^"\\]+)"`)

// TestCatalogues_UsedKeysExist scans the views and the web layer for T("key")
// calls and fails for any key missing from a catalogue. Keys built at run
// time cannot be seen here: prefer literal keys (a switch over cases).
func TestCatalogues_UsedKeysExist(t *testing.T) {
	b := mustBundle(t)
	root := filepath.Join("..", "..")
	var files []string
	add := func(dir string, match func(name string) bool) {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return filepath.SkipDir // the web layer may not exist yet
				}
				return err
			}
			if !d.IsDir() && match(d.Name()) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s: %v", dir, err)
		}
	}
	// views: the .templ sources (the generated _templ.go repeat them) and hand-written Go.
	add("views", func(n string) bool {
		return strings.HasSuffix(n, ".templ") || (strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_templ.go"))
	})
	add(filepath.Join("internal", "web"), func(n string) bool { return strings.HasSuffix(n, ".go") })
	if len(files) == 0 {
		t.Fatal("found no view files to scan; has the layout moved?")
	}

	missing := map[string][]string{} // "key (lang)" -> files
	seen := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyCall.FindAllStringSubmatch(string(src), -1) {
			seen++
			for _, lang := range Languages() {
				if !b.keys[lang][m[1]] {
					k := m[1] + " (" + lang + ")"
					missing[k] = append(missing[k], f)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("found no T(\"…\") calls; has the calling convention changed?")
	}
	keys := make([]string, 0, len(missing))
	for k := range missing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("missing translation %s, used in %s", k, strings.Join(missing[k], ", "))
	}
}

func TestLocalizer_T(t *testing.T) {
	b := mustBundle(t)
	de, en := b.Localizer("de"), b.Localizer("en")
	tests := []struct {
		name string
		l    *Localizer
		key  string
		args []any
		want string
	}{
		{"plain de", de, "nav.catalogue", nil, "Katalog"},
		{"plain en", en, "nav.catalogue", nil, "Catalogue"},
		{"template data", en, "nav.signed_in_as", []any{"Name", "Ada"}, "Signed in as Ada"},
		{"plural one by shorthand", de, "results.count", []any{1}, "1 Ergebnis"},
		{"plural other by shorthand", de, "results.count", []any{3}, "3 Ergebnisse"},
		{"plural by Count pair", en, "results.count", []any{"Count", 1}, "1 result"},
		{"plural zero is other", en, "results.count", []any{0}, "0 results"},
		{"missing key shows key", en, "no.such.key", nil, "no.such.key"},
		{"data is not HTML-escaped here (templ escapes)", en, "nav.signed_in_as", []any{"Name", "<b>"}, "Signed in as <b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.T(tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%q, %v) = %q, want %q", tt.key, tt.args, got, tt.want)
			}
		})
	}
}

func TestBundle_Localizer(t *testing.T) {
	b := mustBundle(t)
	for in, want := range map[string]string{"de": "de", "en": "en", "fr": "de", "": "de", "EN": "de"} {
		if got := b.Localizer(in).Lang(); got != want {
			t.Errorf("Localizer(%q).Lang() = %q, want %q", in, got, want)
		}
	}
	if !b.Localizer("en").Has("site.name") || b.Localizer("en").Has("nope") {
		t.Error("Has reports wrongly")
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name                  string
		query, cookie, header string
		want                  string
	}{
		{"nothing: default", "", "", "", "de"},
		{"query wins over all", "en", "de", "de-DE", "en"},
		{"query region variant", "en-GB", "", "", "en"},
		{"cookie when no query", "", "en", "de", "en"},
		{"unsupported query falls through to cookie", "fr", "en", "", "en"},
		{"garbage query ignored", "!!", "", "en-US,en;q=0.9", "en"},
		{"header english", "", "", "en-US,en;q=0.9", "en"},
		{"header german", "", "", "de-CH,de;q=0.9,en;q=0.5", "de"},
		{"header weights", "", "", "fr-FR,fr;q=0.9,en;q=0.8,de;q=0.7", "en"},
		{"header unsupported only", "", "", "fr-FR,ja", "de"},
		{"header malformed", "", "", ";;;q=x", "de"},
		{"header wildcard", "", "", "*", "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Negotiate(tt.query, tt.cookie, tt.header); got != tt.want {
				t.Errorf("Negotiate(%q, %q, %q) = %q, want %q", tt.query, tt.cookie, tt.header, got, tt.want)
			}
		})
	}
}

func TestKeyCall(t *testing.T) {
	src := `{ p.T("nav.catalogue") } l.T("results.count", n) T( "a.b", "Name", x) XT("no") p.T(key) t("no")`
	var got []string
	for _, m := range keyCall.FindAllStringSubmatch(src, -1) {
		got = append(got, m[1])
	}
	if strings.Join(got, " ") != "nav.catalogue results.count a.b" {
		t.Errorf("keyCall found %q", got)
	}
}
