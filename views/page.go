// Package views holds the templ components that render the HTML pages. Views
// receive typed data (a Page plus plain props) and never import echo, gorm or
// the i18n package: the web layer fills Page, including its T function.
package views

import (
	"net/url"
	"strconv"
	"strings"
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
	// Flash is a one-time notice shown above the content, empty for none.
	Flash string
}

// UserInfo is the little the layout needs to know about the signed-in user.
type UserInfo struct {
	Name  string
	Roles []string
}

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
