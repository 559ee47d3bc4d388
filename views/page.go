// Package views holds the templ components that render the HTML pages. Views
// receive typed data (a Page plus plain props) and never import echo, gorm or
// the i18n package: the web layer fills Page, including its T function.
package views

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// CSRFField is the name of the hidden form field that carries Page.CSRFToken.
const CSRFField = "csrf_token"

// Page is what every page receives besides its own props.
type Page struct {
	// Lang is the page language, "de" or "en" (the html lang attribute).
	Lang string
	// Title is the page's own title; the layout appends the site name.
	Title string
	// Description is the optional meta description.
	Description string
	// Path is the current request path with its query, e.g. "/products?q=mail".
	// The language switch keeps it and only sets lang=.
	Path string
	// T translates a message key into Lang; args are key/value pairs for
	// the message's placeholders, or a single count for plural messages.
	// It must not be nil.
	T func(key string, args ...any) string
	// Asset returns the cache-busted URL of a static file ("app.css"). It
	// must not be nil.
	Asset func(name string) string
	// CSRFToken is put into every form that posts (see CSRFField).
	CSRFToken string
	// User is the signed-in user, nil when anonymous.
	User *UserInfo
	// LoginEnabled shows the sign-in link to anonymous visitors; it stays
	// off while no identity provider is configured, so no link leads nowhere.
	LoginEnabled bool
	// Flash is a one-time notice shown above the content, empty for none.
	Flash string
	// Fragment, when set, returns a component that writes c's output as
	// first rendered for this language and key (see Page.memo); nil renders
	// c every time.
	Fragment func(key string, c templ.Component) templ.Component
	// Perspective is the validated set of home jurisdictions whose levels
	// the page shows ("eu", "de", "ch", "eu-ch"); empty means the default.
	// Link keeps it on internal links, the layout offers to change it.
	Perspective string
}

// UserInfo is the little the layout needs to know about the signed-in user.
type UserInfo struct {
	Name  string
	Roles []string
}

// Has reports whether the user holds role (for showing the way to pages
// the role opens; the routes check permissions themselves).
func (u *UserInfo) Has(role string) bool { return u != nil && slices.Contains(u.Roles, role) }

// LangURL returns the current page's URL in language lang: the path and
// query of Path with lang=<lang> set. The result is always a path on this
// host ("/" when Path is empty or unusable), never an absolute URL.
func (p Page) LangURL(lang string) string {
	u, err := url.Parse(p.Path)
	if err != nil {
		u = &url.URL{}
	}
	q := u.Query()
	q.Set("lang", lang)
	// Keep only path and query: a scheme or host in Path must not leak into a
	// link, and leading slashes are collapsed so "//host" cannot appear.
	path := "/" + strings.TrimLeft(u.EscapedPath(), "/")
	return path + "?" + q.Encode()
}

// FullTitle is the document title: "<Title> – <site name>", or the site name alone.
func (p Page) FullTitle() string {
	site := p.T("site.name")
	if p.Title == "" {
		return site
	}
	return p.Title + " – " + site
}

// isCurrent reports whether the navigation target href is the current
// section: the same path, or a path below it.
func (p Page) isCurrent(href string) bool {
	path, _, _ := strings.Cut(p.Path, "?")
	return path == href || strings.HasPrefix(path, strings.TrimSuffix(href, "/")+"/")
}

// levelLabel returns the translated label of a sovereignty level. The keys
// are written out so the catalogue test sees them.
func (p Page) levelLabel(level int, known bool) string {
	if known {
		switch level {
		case 4:
			return p.T("level.4")
		case 3:
			return p.T("level.3")
		case 2:
			return p.T("level.2")
		case 1:
			return p.T("level.1")
		case 0:
			return p.T("level.0")
		}
	}
	return p.T("level.unknown")
}

// levelKnown reports whether level is a valid, assessed level (0 to 4).
func levelKnown(level int, known bool) bool { return known && level >= 0 && level <= 4 }

// errorTitle returns the translated title for an HTTP status.
func (p Page) errorTitle(status int) string {
	switch status {
	case 400:
		return p.T("error.400")
	case 401:
		return p.T("error.401")
	case 403:
		return p.T("error.403")
	case 404:
		return p.T("error.404")
	case 405:
		return p.T("error.405")
	case 409:
		return p.T("error.409")
	case 413:
		return p.T("error.413")
	case 429:
		return p.T("error.429")
	case 500:
		return p.T("error.500")
	case 503:
		return p.T("error.503")
	}
	return p.T("error.title")
}

// withTitle returns a copy of p whose Title is t, unless p already has one.
func (p Page) withTitle(t string) Page {
	if p.Title == "" {
		p.Title = t
	}
	return p
}

// language is one entry of the language switch. Name is the language's own
// name (an endonym), so it is not translated.
type language struct{ Code, Short, Name string }

// languages lists the language switch entries, German first.
func languages() []language {
	return []language{{"de", "DE", "Deutsch"}, {"en", "EN", "English"}}
}

// levelClass returns the badge's CSS classes for a level.
func levelClass(level int, known bool) string {
	if !levelKnown(level, known) {
		return "level-badge level-badge--unknown"
	}
	return "level-badge level-badge--" + strconv.Itoa(level)
}

// sourceMeta joins a source's kind and retrieval note as "(kind, retrieved)".
func sourceMeta(s SourceRef) string {
	var parts []string
	for _, v := range []string{s.Kind, s.Retrieved} {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// itoa is strconv.Itoa, short for the templates.
func itoa(n int) string { return strconv.Itoa(n) }

// perspective returns the page's perspective, the default when unset.
func (p Page) perspective() string {
	if p.Perspective == "" {
		return catalog.DefaultPerspective
	}
	return p.Perspective
}

// Link returns an internal link that keeps the page's perspective: href
// with perspective=<name> added to its query when the perspective is not
// the default (default links stay short and cacheable). A fragment stays
// at the end; an href that already names a perspective is left alone.
func (p Page) Link(href string) string {
	persp := p.perspective()
	if persp == catalog.DefaultPerspective || href == "" || strings.HasPrefix(href, "#") {
		return href
	}
	base, frag, hasFrag := strings.Cut(href, "#")
	path, query, _ := strings.Cut(base, "?")
	if v, err := url.ParseQuery(query); err == nil && v.Has("perspective") {
		return href
	}
	out := path + "?"
	if query != "" {
		out += query + "&"
	}
	out += "perspective=" + url.QueryEscape(persp)
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// PerspectiveOption is one entry of the perspective selector.
type PerspectiveOption struct {
	Name, Label string
	Current     bool
}

// perspectiveOptions lists the perspectives with their labels in the page
// language, the page's own marked current.
func (p Page) perspectiveOptions() []PerspectiveOption {
	var out []PerspectiveOption
	for _, ps := range catalog.Perspectives() {
		out = append(out, PerspectiveOption{Name: ps.Name, Label: perspectiveLabel(ps.Label, p.Lang), Current: ps.Name == p.perspective()})
	}
	return out
}

// PerspectiveLabel names the page's perspective in the page language,
// e.g. "EU/EWR" or "Schweiz".
func (p Page) PerspectiveLabel() string {
	for _, ps := range catalog.Perspectives() {
		if ps.Name == p.perspective() {
			return perspectiveLabel(ps.Label, p.Lang)
		}
	}
	return p.perspective()
}

func perspectiveLabel(labels map[string]string, lang string) string {
	if l := labels[lang]; l != "" {
		return l
	}
	return labels["en"]
}

// perspectiveAction is the path the perspective selector submits to: the
// current page's path, never another host (see LangURL).
func (p Page) perspectiveAction() string {
	u, err := url.Parse(p.Path)
	if err != nil {
		return "/"
	}
	return "/" + strings.TrimLeft(u.EscapedPath(), "/")
}

// perspectiveHidden are the current query's parameters the selector form
// carries along (all but perspective itself and the page number, since
// another perspective changes what a filtered listing holds).
func (p Page) perspectiveHidden() []HiddenField {
	u, err := url.Parse(p.Path)
	if err != nil {
		return nil
	}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "perspective" && k != "page" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []HiddenField
	for _, k := range keys {
		for _, v := range q[k] {
			out = append(out, HiddenField{Name: k, Value: v})
		}
	}
	return out
}

// LevelLabel is the translated label of a sovereignty level 0–4 ("Weitgehend
// souverän"), for labels built outside the views (facet values).
func (p Page) LevelLabel(level int) string { return p.levelLabel(level, true) }

// memo is c through p.Fragment: key must name everything c's output
// depends on besides the page's language. Level badges, rendered dozens of
// times per page from a handful of distinct values, were a sixth of a
// catalogue page's rendering.
func (p Page) memo(key string, c templ.Component) templ.Component {
	if p.Fragment == nil {
		return c
	}
	return p.Fragment(key, c)
}

// LevelBadge shows a level as a labelled badge ("RSL-3 · hoch"), or the
// unknown level.
func LevelBadge(p Page, level int, known bool) templ.Component {
	// The key is concatenated rather than formatted: a product page shows
	// dozens of badges.
	return p.memo("level-badge/"+strconv.Itoa(level)+"/"+strconv.FormatBool(known), levelBadge(p, level, known))
}

// ProductLevelBadge shows a product's stored level with its provisional
// note, or "not rated" for nil.
func ProductLevelBadge(p Page, l *catalog.ProductLevel) templ.Component {
	if l == nil {
		return p.memo("product-level/none", productLevelBadge(p, l))
	}
	return p.memo("product-level/"+strconv.Itoa(l.Overall)+"/"+strconv.FormatBool(l.Provisional)+"/"+strconv.Itoa(l.Pessimistic),
		productLevelBadge(p, l))
}
