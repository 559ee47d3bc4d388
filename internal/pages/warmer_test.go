package pages

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is a page store in memory: the warmer's logic needs no
// database (the store itself is tested on PostgreSQL in internal/store).
type memStore struct {
	mu       sync.Mutex
	gen      int64
	products []string
	pages    map[Key]int64 // key (without Day's clock) → generation
	fail     error
}

func (m *memStore) StoredPage(context.Context, Key) ([]byte, error) { return nil, nil }

func (m *memStore) StorePage(_ context.Context, k Key, gen int64, _ []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k.Day = k.Day.Truncate(24 * time.Hour)
	m.pages[k] = gen
	return nil
}

func (m *memStore) ProductsWithoutPage(_ context.Context, lang, view, version string, day time.Time) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	var out []string
	for _, p := range m.products {
		k := Key{Slug: p, Lang: lang, View: view, Version: version, Day: day.Truncate(24 * time.Hour)}
		if g, ok := m.pages[k]; !ok || g != m.gen {
			out = append(out, p)
		}
	}
	return out, nil
}

func (m *memStore) generation(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gen, nil
}

func (m *memStore) write() {
	m.mu.Lock()
	m.gen++
	m.mu.Unlock()
}

// newTestWarmer returns a warmer on m whose renders store the page and are
// recorded.
func newTestWarmer(m *memStore, now func() time.Time) (*Warmer, func() []string) {
	var mu sync.Mutex
	var rendered []string
	w := &Warmer{Store: m, Generation: m.generation, Version: "v1", Langs: []string{"de", "en"}, Workers: 2,
		Log: slog.New(slog.DiscardHandler), Now: now}
	w.Render = func(ctx context.Context, slug, lang string) error {
		if slug == "broken" || strings.HasPrefix(slug, "gone") {
			return errors.New("cannot render")
		}
		gen, _ := m.generation(ctx)
		mu.Lock()
		rendered = append(rendered, slug+"/"+lang)
		mu.Unlock()
		return m.StorePage(ctx, Key{Slug: slug, Lang: lang, Version: "v1", Day: w.now()}, gen, nil)
	}
	return w, func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := slices.Clone(rendered)
		rendered = rendered[:0]
		slices.Sort(out)
		return out
	}
}

func TestWarmerSweep(t *testing.T) {
	ctx := context.Background()
	m := &memStore{products: []string{"a", "b", "broken"}, pages: map[Key]int64{}}
	day := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	w, rendered := newTestWarmer(m, func() time.Time { return day })
	steps := []struct {
		name   string
		before func()
		want   []string
	}{
		{"renders every missing page, skipping one that fails", nil, []string{"a/de", "a/en", "b/de", "b/en"}},
		{"renders nothing when every page is valid", nil, nil},
		{"renders everything again after a write", m.write, []string{"a/de", "a/en", "b/de", "b/en"}},
		{"renders everything again on a new day", func() { day = day.Add(24 * time.Hour) }, []string{"a/de", "a/en", "b/de", "b/en"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before()
			}
			n, err := w.Sweep(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := rendered()
			if !slices.Equal(got, st.want) || n != len(st.want) {
				t.Errorf("rendered %v (count %d), want %v", got, n, st.want)
			}
		})
	}
	t.Run("a run of failing pages stops the sweep", func(t *testing.T) {
		m.write()
		saved := m.products
		defer func() { m.products = saved }()
		m.products = nil
		for i := range 3 * maxFailuresInARow {
			m.products = append(m.products, fmt.Sprintf("gone%03d", i))
		}
		m.products = append(m.products, "z")
		n, err := w.Sweep(ctx)
		if err == nil || !strings.Contains(err.Error(), "in a row failed") {
			t.Errorf("err = %v, want the run of failures", err)
		}
		if got := rendered(); n != 0 || len(got) != 0 {
			t.Errorf("rendered %v after the failures, want nothing", got)
		}
	})
	t.Run("a failing store stops the sweep", func(t *testing.T) {
		m.fail = errors.New("database gone")
		defer func() { m.fail = nil }()
		if _, err := w.Sweep(ctx); err == nil {
			t.Error("no error")
		}
	})
}

func TestWarmerCheck(t *testing.T) {
	ctx := context.Background()
	m := &memStore{products: []string{"a", "b"}, pages: map[Key]int64{}}
	// A fixed day: the test must not see midnight.
	day := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	w, rendered := newTestWarmer(m, func() time.Time { return day })
	var swept []int
	w.Swept = func(n int, _ time.Duration) { swept = append(swept, n) }
	steps := []struct {
		name   string
		before func()
		want   []int // the sweeps the check completes
	}{
		{"the first check sweeps", nil, []int{4}},
		{"a check without a change does not", nil, nil},
		{"nor does the next", nil, nil},
		{"a failing sweep is not counted", func() { m.write(); m.fail = errors.New("database gone") }, nil},
		{"so the next check sweeps again", func() { m.fail = nil }, []int{4}},
		{"a new day sweeps", func() { day = day.Add(24 * time.Hour) }, []int{4}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before()
			}
			swept = nil
			w.Check(ctx)
			if !slices.Equal(swept, st.want) {
				t.Errorf("sweeps %v, want %v", swept, st.want)
			}
		})
	}
	if got := rendered(); len(got) != 12 {
		t.Errorf("rendered %d pages in all, want 12", len(got))
	}
}
