package web

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// counting is a component that writes its text and counts its renderings.
type counting struct {
	text  string
	calls *int
}

func (c counting) Render(_ context.Context, w io.Writer) error {
	*c.calls++
	_, err := io.WriteString(w, c.text)
	return err
}

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatalf("render: %v", err)
	}
	return b.String()
}

func TestFragmentMemo(t *testing.T) {
	var m fragmentMemo
	var calls int
	de := counting{text: "<span>hoch</span>", calls: &calls}
	en := counting{text: "<span>high</span>", calls: &calls}

	if got := renderString(t, m.fragment("de", "badge/3", de)); got != de.text {
		t.Errorf("first rendering = %q, want %q", got, de.text)
	}
	if got := renderString(t, m.fragment("de", "badge/3", de)); got != de.text || calls != 1 {
		t.Errorf("second rendering = %q after %d renderings, want %q from the memo", got, calls, de.text)
	}
	if got := renderString(t, m.fragment("en", "badge/3", en)); got != en.text || calls != 2 {
		t.Errorf("other language = %q after %d renderings, want %q rendered anew", got, calls, en.text)
	}

	t.Run("bounded", func(t *testing.T) {
		var m fragmentMemo
		n := 0
		for i := range fragmentMemoSize + 10 {
			renderString(t, m.fragment("de", fmt.Sprint(i), counting{text: "x", calls: &n}))
		}
		if len(m.entries) > fragmentMemoSize {
			t.Errorf("memo holds %d entries, bound %d", len(m.entries), fragmentMemoSize)
		}
	})
}
