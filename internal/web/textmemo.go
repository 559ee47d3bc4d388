package web

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/a-h/templ"

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
//
// Messages whose string arguments differ on every page ("{{.Name}} kann
// ersetzen" with the product's name) are kept once per key as a pattern
// with holes (textPattern) instead of once per value: a memo of every
// value would never hit on a product page and would push the recurring
// translations out.
type textMemo struct {
	langs sync.Map // textMemoLangKey → *textMemoLang
}

type textMemoLangKey struct {
	bundle *i18n.Bundle
	lang   string
}

type textMemoLang struct {
	// plain holds the constant messages (no arguments), copied on write:
	// pages look up hundreds per request and add none once warm, so reads
	// take no lock.
	plain   atomic.Pointer[map[string]string]
	plainMu sync.Mutex // serialises writers of plain

	mu       sync.RWMutex
	entries  map[string]string       // memo key → translation
	patterns map[string]*textPattern // pattern key → pattern, nil: not one
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
		v, _ = tm.langs.LoadOrStore(lk, newTextMemoLang())
	}
	l := v.(*textMemoLang)
	t := p.T
	p.T = func(key string, args ...any) string { return l.translate(t, key, args) }
	return p
}

func newTextMemoLang() *textMemoLang {
	l := &textMemoLang{entries: map[string]string{}, patterns: map[string]*textPattern{}}
	l.plain.Store(&map[string]string{})
	return l
}

// translate answers t(key, args...) from the memo where it can.
func (l *textMemoLang) translate(t func(string, ...any) string, key string, args []any) string {
	if len(args) == 0 {
		return l.constant(t, key)
	}
	if pk, ok := patternKey(key, args); ok {
		if s, ok := l.fromPattern(t, pk, key, args); ok {
			return s
		}
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

// constant answers a message without arguments.
func (l *textMemoLang) constant(t func(string, ...any) string, key string) string {
	if s, ok := (*l.plain.Load())[key]; ok {
		return s
	}
	s := t(key)
	l.plainMu.Lock()
	defer l.plainMu.Unlock()
	old := *l.plain.Load()
	if len(old) >= textMemoSize {
		return s // keys come from the code, so this is a safeguard only
	}
	m := make(map[string]string, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[key] = s
	l.plain.Store(&m)
	return s
}

// fromPattern answers a message from its pattern; ok is false when the
// message has none (its translation does not take the arguments verbatim).
func (l *textMemoLang) fromPattern(t func(string, ...any) string, pk, key string, args []any) (string, bool) {
	l.mu.RLock()
	pat, known := l.patterns[pk]
	l.mu.RUnlock()
	if !known {
		var s string
		pat, s = newTextPattern(t, key, args)
		l.mu.Lock()
		if len(l.patterns) >= textMemoSize {
			clear(l.patterns)
		}
		l.patterns[pk] = pat
		l.mu.Unlock()
		if pat != nil {
			return s, true
		}
	}
	if pat == nil {
		return "", false
	}
	return pat.fill(args), true
}

// textPattern is a translation with holes where its string arguments go:
// the literal parts, and after each part but the last the index of the
// argument filling the hole.
type textPattern struct {
	parts []string
	holes []int
}

// holeMark marks the hole of argument i in a translation made from
// placeholders; messages contain no NUL bytes.
func holeMark(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

// newTextPattern translates key with a placeholder for every string
// argument in a value position (args are name/value pairs) and cuts the
// result at the placeholders. The pattern is used only if it gives back
// what t gives for args (returned as s): a message that formats or tests
// its argument instead of inserting it gets no pattern (nil).
func newTextPattern(t func(string, ...any) string, key string, args []any) (pat *textPattern, s string) {
	marked := make([]any, len(args))
	copy(marked, args)
	for i := 1; i < len(args); i += 2 {
		if _, ok := args[i].(string); ok {
			marked[i] = holeMark(i)
		}
	}
	skeleton := t(key, marked...)
	s = t(key, args...)
	pat = &textPattern{}
	for {
		start := strings.IndexByte(skeleton, 0)
		if start < 0 {
			break
		}
		end := strings.IndexByte(skeleton[start+1:], 0)
		if end < 0 {
			return nil, s
		}
		i, err := strconv.Atoi(skeleton[start+1 : start+1+end])
		if err != nil || i < 1 || i >= len(args) || i%2 == 0 {
			return nil, s
		}
		if _, ok := args[i].(string); !ok {
			return nil, s
		}
		pat.parts = append(pat.parts, skeleton[:start])
		pat.holes = append(pat.holes, i)
		skeleton = skeleton[start+1+end+1:]
	}
	pat.parts = append(pat.parts, skeleton)
	if pat.fill(args) != s {
		return nil, s
	}
	return pat, s
}

// fill returns the translation for args.
func (p *textPattern) fill(args []any) string {
	if len(p.holes) == 0 {
		return p.parts[0]
	}
	n := 0
	for _, part := range p.parts {
		n += len(part)
	}
	for _, h := range p.holes {
		n += len(args[h].(string))
	}
	var b strings.Builder
	b.Grow(n)
	for i, h := range p.holes {
		b.WriteString(p.parts[i])
		b.WriteString(args[h].(string))
	}
	b.WriteString(p.parts[len(p.parts)-1])
	return b.String()
}

// patternKey encodes a key and its arguments without the string values of
// name/value pairs, which a pattern fills in; ok is false when there are
// none (or the arguments are not name/value pairs of strings and integers).
func patternKey(key string, args []any) (string, bool) {
	if len(args)%2 != 0 {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(key) + 16*len(args))
	b.WriteString(key)
	holes := false
	for i, a := range args {
		b.WriteByte(0)
		if _, ok := a.(string); ok && i%2 == 1 {
			b.WriteByte('h')
			holes = true
			continue
		}
		if !writeMemoArg(&b, a) {
			return "", false
		}
	}
	return b.String(), holes
}

// memoKey encodes a key and its arguments; ok is false for arguments other
// than strings and integers (left to the translator every time).
func memoKey(key string, args []any) (string, bool) {
	var b strings.Builder
	b.Grow(len(key) + 16*len(args))
	b.WriteString(key)
	for _, a := range args {
		b.WriteByte(0)
		if !writeMemoArg(&b, a) {
			return "", false
		}
	}
	return b.String(), true
}

// writeMemoArg encodes one argument of a memo key; false for types other
// than strings and integers.
func writeMemoArg(b *strings.Builder, a any) bool {
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
		return false
	}
	return true
}
