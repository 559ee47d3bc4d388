package catalog

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Option configures a Service.
type Option func(*Service)

// WithGenerationTTL sets how long the catalogue's generation, read from the
// database, is trusted before it is read again (default one second). Writes
// through this Service refresh it at once; another instance's write is
// seen after at most this long.
func WithGenerationTTL(d time.Duration) Option {
	return func(s *Service) { s.gen.ttl = d }
}

// WithClock sets the clock the explanations judge facts by (default
// time.Now): staleness and certificate validity are measured from it.
func WithClock(now func() time.Time) Option {
	return func(s *Service) { s.now = now }
}

// generation caches the catalogue's generation counter.
type generation struct {
	mu    sync.Mutex
	ttl   time.Duration
	value int64
	at    time.Time
}

// currentGeneration returns the catalogue's generation, at most gen.ttl old.
func (s *Service) currentGeneration(ctx context.Context) (int64, error) {
	g := &s.gen
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.at.IsZero() && s.now().Sub(g.at) < g.ttl {
		return g.value, nil
	}
	v, err := s.repo.Generation(ctx)
	if err != nil {
		return 0, err
	}
	g.value, g.at = v, s.now()
	return v, nil
}

// forgetGeneration makes the next read ask the database (after a write).
func (s *Service) forgetGeneration() {
	s.gen.mu.Lock()
	s.gen.at = time.Time{}
	s.gen.mu.Unlock()
}

// Generation returns the catalogue's generation counter (at most the
// generation TTL old): a value that changes with every committed change,
// for caches keyed by it.
func (s *Service) Generation(ctx context.Context) (int64, error) { return s.currentGeneration(ctx) }

// CacheKey is a canonical text of a normalised query at a generation.
func (q Query) CacheKey(gen int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%q|%q|%v|%v|%v|%q|%q|%v|%v|%q|%d|%d|%q",
		gen, q.Text, q.Categories, q.VendorCountries, q.HostingCountries, q.OpenSource, q.Deployments,
		q.Kinds, q.Levels, q.Perspective, q.Sort, q.Limit, q.Offset, q.After)
	return b.String()
}

// memo keeps small, catalogue-wide answers (the categories with their
// counts, the numbers at a glance, the level chart) for one generation:
// every page shows some of them, and counting a large catalogue for each
// request would cost more than the page itself.
type memo struct {
	mu     sync.Mutex
	gen    int64
	values map[string]any
}

// memoized returns the value computed by fn for key at the current
// generation, computing it at most once per generation.
func memoized[T any](ctx context.Context, s *Service, key string, fn func() (T, error)) (T, error) {
	var zero T
	gen, err := s.currentGeneration(ctx)
	if err != nil {
		return zero, err
	}
	s.memo.mu.Lock()
	if s.memo.gen != gen || s.memo.values == nil {
		s.memo.gen, s.memo.values = gen, map[string]any{}
	}
	if v, ok := s.memo.values[key]; ok {
		s.memo.mu.Unlock()
		return v.(T), nil
	}
	s.memo.mu.Unlock()
	v, err := fn()
	if err != nil {
		return zero, err
	}
	s.memo.mu.Lock()
	if s.memo.gen == gen {
		s.memo.values[key] = v
	}
	s.memo.mu.Unlock()
	return v, nil
}
