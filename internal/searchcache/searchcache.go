// Package searchcache keeps the results of recent catalogue searches in
// memory, keyed by the normalised query and the catalogue's generation, so
// an unchanged catalogue answers a repeated search (the catalogue's
// numbers at a glance, a popular query, a facet filter) without asking the
// database. Any committed change moves the generation on, which retires
// every cached entry at once; nothing is ever invalidated by hand.
package searchcache

import (
	"context"
	"slices"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Service is a catalogue service whose Search is cached; every other
// method is the wrapped service's.
type Service struct {
	*catalog.Service
	cache *lru.Cache[string, catalog.SearchResult]
}

// New wraps svc with a cache of up to size results; size 0 returns a
// wrapper that does not cache.
func New(svc *catalog.Service, size int) *Service {
	s := &Service{Service: svc}
	if size > 0 {
		s.cache, _ = lru.New[string, catalog.SearchResult](size) // only fails for size <= 0
	}
	return s
}

// Search answers from the cache when the same normalised query was asked
// at the current generation; invalid queries go to the service, which
// reports the problem.
func (s *Service) Search(ctx context.Context, q catalog.Query) (catalog.SearchResult, error) {
	if s.cache == nil {
		return s.Service.Search(ctx, q)
	}
	norm, err := q.Normalize()
	if err != nil {
		return s.Service.Search(ctx, q)
	}
	gen, err := s.Generation(ctx)
	if err != nil {
		return catalog.SearchResult{}, err
	}
	key := norm.CacheKey(gen)
	if res, ok := s.cache.Get(key); ok {
		// Callers may adjust the items they get (a page sets levels for
		// its perspective); they must not reach into the cached slice.
		res.Items = slices.Clone(res.Items)
		return res, nil
	}
	res, err := s.Service.Search(ctx, q)
	if err == nil {
		cached := res
		cached.Items = slices.Clone(res.Items)
		s.cache.Add(key, cached)
	}
	return res, err
}

// Len reports how many results are cached.
func (s *Service) Len() int {
	if s.cache == nil {
		return 0
	}
	return s.cache.Len()
}
