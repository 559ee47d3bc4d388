package web

import (
	"strconv"

	"github.com/a-h/templ"
	"strings"
	"sync"

	"github.com/sovereignty-registry/registry/internal/i18n"
	"github.com/sovereignty-registry/registry/views"
)

// textMemoSize bounds the translations a textMemo keeps per language; when
// it is full it starts afresh.
const textMemoSize = 10_000

// textMemo remembers translated messages with arguments ("RSL-3 …", "12
// Einträge", "abgerufen am 01.02.2025"): the i18n bundle resolves constant
// messages once, but runs a message template for every call with
// arguments, and a catalogue or product page makes hundreds of such calls
// with few distinct values. A translation depends only on the language,
// the key and the arguments, so the memo never goes stale.
type textMemo struct {
	langs sync.Map // textMemoLangKey → *textMemoLang
}

type textMemoLangKey struct {
	bundle *i18n.Bundle
	lang   string
}

type textMemoLang struct {
	mu      sync.RWMutex
	entries map[string]string // memo key → translation
}

// memoTexts returns p (made by w.page) with its T answering repeated
// calls from the memo, and its level badges rendered once per language
// (Page.Fragment).
func (w *Web) memoTexts(p views.Page) views.Page {
	p = w.texts.wrap(w.i18n, p)
	lang := p.Lang
	p.Fragment = func(key string, c templ.Component) templ.Component { return w.fragments.fragment(lang, key, c) }
	return p
}

// wrap returns p, whose T translates with bundle, with its T answering
// repeated calls from the memo.
func (tm *textMemo) wrap(bundle *i18n.Bundle, p views.Page) views.Page {
	lk := textMemoLangKey{bundle, p.Lang}
	v, ok := tm.langs.Load(lk)
	if !ok {
		v, _ = tm.langs.LoadOrStore(lk, &textMemoLang{entries: map[string]string{}})
	}
	l := v.(*textMemoLang)
	t := p.T
	p.T = func(key string, args ...any) string {
		if len(args) == 0 {
			return t(key) // already cached by the bundle
		}
		k, ok := memoKey(key, args)
		if !ok {
			return t(key, args...)
		}
		l.mu.RLock()
		s, ok := l.entries[k]
		l.mu.RUnlock()
		if ok {
			return s
		}
		s = t(key, args...)
		l.mu.Lock()
		if len(l.entries) >= textMemoSize {
			clear(l.entries)
		}
		l.entries[k] = s
		l.mu.Unlock()
		return s
	}
	return p
}

// memoKey encodes a key and its arguments; ok is false for arguments other
// than strings and integers (left to the translator every time).
func memoKey(key string, args []any) (string, bool) {
	var b strings.Builder
	b.Grow(len(key) + 16*len(args))
	b.WriteString(key)
	for _, a := range args {
		b.WriteByte(0)
		switch v := a.(type) {
		case string:
			b.WriteByte('s')
			b.WriteString(v)
		case int:
			b.WriteByte('i')
			b.WriteString(strconv.Itoa(v))
		case int64:
			b.WriteByte('l')
			b.WriteString(strconv.FormatInt(v, 10))
		default:
			return "", false
		}
	}
	return b.String(), true
}
