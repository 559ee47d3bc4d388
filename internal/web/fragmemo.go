package web

import (
	"context"
	"io"
	"strings"
	"sync"

	"github.com/a-h/templ"
)

// fragmentMemoSize bounds the fragments a fragmentMemo keeps per language;
// when it is full it starts afresh.
const fragmentMemoSize = 1_000

// fragmentMemo keeps the HTML of small components that pages render many
// times from few distinct values (level badges): the first rendering per
// language and key is kept and written again for every later use. The key
// names everything the output depends on besides the language, so an entry
// never goes stale.
type fragmentMemo struct {
	mu      sync.RWMutex
	entries map[string]string // lang + "\x00" + key → HTML
}

// fragment returns a component writing c's output for (lang, key).
func (m *fragmentMemo) fragment(lang, key string, c templ.Component) templ.Component {
	k := lang + "\x00" + key
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		m.mu.RLock()
		html, ok := m.entries[k]
		m.mu.RUnlock()
		if !ok {
			var b strings.Builder
			if err := c.Render(ctx, &b); err != nil {
				return err
			}
			html = b.String()
			m.mu.Lock()
			if m.entries == nil || len(m.entries) >= fragmentMemoSize {
				m.entries = map[string]string{}
			}
			m.entries[k] = html
			m.mu.Unlock()
		}
		_, err := io.WriteString(w, html)
		return err
	})
}
