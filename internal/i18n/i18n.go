// Package i18n translates the user interface. Messages are keyed by ID and
// kept in embedded TOML catalogues, one per language (locales/de.toml,
// locales/en.toml). German is the default language and the fallback for a
// message missing in English; a missing key is caught by this package's tests.
//
// Views never import this package: the web layer asks the Bundle for a
// Localizer and hands its T method to the views as a plain function.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Default is the language used when nothing better can be negotiated.
const Default = "de"

// Languages lists the supported languages, the default first.
func Languages() []string { return []string{"de", "en"} }

// supportedTags returns the language tags matching Languages, in the same order.
func supportedTags() []language.Tag { return []language.Tag{language.German, language.English} }

//go:embed locales/*.toml
var locales embed.FS

// Bundle holds the parsed message catalogues of all supported languages.
// It is safe for concurrent use once constructed.
type Bundle struct {
	b    *goi18n.Bundle
	keys map[string]map[string]bool // language -> message IDs present in its catalogue

	mu         sync.Mutex
	plainCache map[string]*sync.Map // language -> key -> message without arguments
}

// New parses the embedded catalogues.
func New() (*Bundle, error) {
	return newBundle(locales, "locales")
}

// newBundle loads <dir>/<lang>.toml and every <dir>/<area>.<lang>.toml
// (one file per area of the site keeps parallel work apart) for every
// supported language from fsys. A key defined twice is an error.
func newBundle(fsys fs.FS, dir string) (*Bundle, error) {
	b := goi18n.NewBundle(language.German)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	keys := make(map[string]map[string]bool)
	for _, lang := range Languages() {
		files, err := fs.Glob(fsys, path.Join(dir, "*."+lang+".toml"))
		if err != nil {
			return nil, fmt.Errorf("i18n: list %s catalogues: %w", lang, err)
		}
		keys[lang] = map[string]bool{}
		for _, file := range append([]string{path.Join(dir, lang+".toml")}, files...) {
			data, err := fs.ReadFile(fsys, file)
			if err != nil {
				return nil, fmt.Errorf("i18n: load %s catalogue: %w", lang, err)
			}
			// go-i18n takes the language from the file name's last tag.
			mf, err := b.ParseMessageFileBytes(data, path.Base(file))
			if err != nil {
				return nil, fmt.Errorf("i18n: load %s: %w", file, err)
			}
			for _, m := range mf.Messages {
				if keys[lang][m.ID] {
					return nil, fmt.Errorf("i18n: key %q defined twice for %s (again in %s)", m.ID, lang, file)
				}
				keys[lang][m.ID] = true
			}
		}
	}
	return &Bundle{b: b, keys: keys}, nil
}

// Localizer returns a translator for lang ("de" or "en"); any other value
// gets the default language.
func (b *Bundle) Localizer(lang string) *Localizer {
	if !b.supports(lang) {
		lang = Default
	}
	return &Localizer{lang: lang, l: goi18n.NewLocalizer(b.b, lang), has: b.keys[lang], plain: b.plain(lang)}
}

// plain returns lang's cache of messages without arguments. A page asks
// for hundreds of labels; go-i18n resolves each through its templates, so
// the constant ones are resolved once per process.
func (b *Bundle) plain(lang string) *sync.Map {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.plainCache == nil {
		b.plainCache = map[string]*sync.Map{}
	}
	m, ok := b.plainCache[lang]
	if !ok {
		m = &sync.Map{}
		b.plainCache[lang] = m
	}
	return m
}

// Keys returns the sorted message IDs of lang's catalogue.
func (b *Bundle) Keys(lang string) []string {
	out := make([]string, 0, len(b.keys[lang]))
	for k := range b.keys[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (b *Bundle) supports(lang string) bool {
	_, ok := b.keys[lang]
	return ok
}

// Localizer translates message IDs into one language.
type Localizer struct {
	lang  string
	l     *goi18n.Localizer
	has   map[string]bool
	plain *sync.Map
}

// Lang returns the localizer's language code ("de" or "en").
func (l *Localizer) Lang() string { return l.lang }

// Has reports whether key exists in this language's catalogue.
func (l *Localizer) Has(key string) bool { return l.has[key] }

// T translates key. The optional args are either
//
//   - key/value pairs filling the message's template ({{.Name}}):
//     T("nav.signed_in_as", "Name", user.Name); or
//   - a single number, shorthand for ("Count", n).
//
// A "Count" value that is a number also selects the plural form
// (one/other), so a plural message reads T("results.count", n) or
// T("results.count", "Count", n, "Query", q).
//
// A key missing from this language falls back to German; a key missing
// everywhere is returned as is, so the gap is visible on the page (and the
// catalogue tests fail before it gets there).
func (l *Localizer) T(key string, args ...any) string {
	if len(args) == 0 && l.plain != nil {
		if msg, ok := l.plain.Load(key); ok {
			return msg.(string)
		}
		msg := l.localize(key, nil)
		l.plain.Store(key, msg)
		return msg
	}
	return l.localize(key, args)
}

func (l *Localizer) localize(key string, args []any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(args) == 1 && isNumber(args[0]) {
		args = []any{"Count", args[0]}
	}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2+1)
		for i := 0; i+1 < len(args); i += 2 {
			name, ok := args[i].(string)
			if !ok {
				name = fmt.Sprint(args[i])
			}
			data[name] = args[i+1]
		}
		if len(args)%2 == 1 { // a dangling value is a caller's mistake; keep it visible
			data["Extra"] = args[len(args)-1]
		}
		if n, ok := data["Count"]; ok && isNumber(n) {
			cfg.PluralCount = n
		}
		cfg.TemplateData = data
	}
	msg, err := l.l.Localize(cfg)
	if msg == "" && err != nil {
		return key
	}
	return msg
}

// isNumber reports whether v can serve as a plural count.
func isNumber(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	}
	return false
}

// languageMatcher matches tags against the supported languages. Building
// a matcher costs more than the rest of a negotiation, and it is never
// changed after it is built, so it is built once.
var languageMatcher = sync.OnceValue(func() language.Matcher { return language.NewMatcher(supportedTags()) })

// Negotiate picks the language for a request: an explicit ?lang= wins, then
// the language cookie, then the browser's Accept-Language header; values
// that match no supported language are skipped. The result is "de" or "en".
func Negotiate(queryLang, cookieLang, acceptLanguage string) string {
	matcher := languageMatcher()
	for _, explicit := range []string{queryLang, cookieLang} {
		explicit = strings.TrimSpace(explicit)
		if explicit == "" {
			continue
		}
		if slices.Contains(Languages(), explicit) {
			return explicit // the common case, without parsing
		}
		t, err := language.Parse(explicit)
		if err != nil {
			continue
		}
		if _, i, conf := matcher.Match(t); conf != language.No {
			return Languages()[i]
		}
	}
	if prefs, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(prefs) > 0 {
		if _, i, conf := matcher.Match(prefs...); conf != language.No {
			return Languages()[i]
		}
	}
	return Default
}
