package catalog

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// recomputeAll computes the level of every product under every perspective
// from the whole catalogue (GraphStore.All) and saves them. Its levels
// equal classify's for every product: a product's level depends only on
// its upstream closure, which the whole catalogue contains.
//
// The perspectives are independent, so their engines run in parallel, at
// most GOMAXPROCS at a time: each engine compiles its own copy of the
// graph (a few hundred MB at a million edges), so the bound also bounds
// the memory. The levels of each perspective are saved, on the calling
// goroutine (the transaction's), as soon as its engine is done, while the
// remaining engines compute: the database's work overlaps the rules'.
func (s *Service) recomputeAll(ctx context.Context, g GraphStore) error {
	sub, err := g.All(ctx)
	if err != nil {
		return err
	}
	// sub is not used after this: the collector may free it while the
	// engines run on cat.
	cat := toSovereigntyParallel(sub, runtime.GOMAXPROCS(0))
	ps := Perspectives()
	asOf := s.now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		levels []ProductLevel
		err    error
	}
	work := make(chan string, len(ps))
	for _, p := range ps {
		work <- p.Name
	}
	close(work)
	done := make(chan result, len(ps))
	var wg sync.WaitGroup
	defer wg.Wait()
	for range min(len(ps), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for name := range work {
				if err := ctx.Err(); err != nil {
					done <- result{err: err}
					continue
				}
				eng, err := sovereignty.NewEngine(cat, sovereignty.Options{Perspective: name, AsOf: asOf})
				if err != nil {
					done <- result{err: fmt.Errorf("classify: %w", err)}
					continue
				}
				sums := eng.Summaries()
				levels := make([]ProductLevel, len(sums))
				for j, sum := range sums {
					levels[j] = levelOf(sum)
				}
				done <- result{levels: levels}
			}
		})
	}
	var first error
	for range ps {
		r := <-done
		if first != nil {
			continue
		}
		if r.err == nil {
			r.err = g.SaveLevels(ctx, r.levels)
		}
		if r.err != nil {
			first = r.err
			cancel() // the engines not yet started are skipped
		}
	}
	return first
}

// toSovereigntyParallel is toSovereignty with the products converted by up
// to workers goroutines; the result is the same, in the same order.
func toSovereigntyParallel(g Subgraph, workers int) sovereignty.Catalogue {
	c := converter{sources: g.Sources}
	cat := sovereignty.Catalogue{
		Organisations: make([]sovereignty.Organisation, 0, len(g.Organizations)),
		Products:      make([]sovereignty.Product, len(g.Products)),
	}
	for _, o := range g.Organizations {
		cat.Organisations = append(cat.Organisations, c.organization(o))
	}
	n := len(g.Products)
	workers = max(1, min(workers, n/1000))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * n / workers; i < (w+1)*n/workers; i++ {
				cat.Products[i] = c.product(g.Products[i])
			}
		})
	}
	wg.Wait()
	return cat
}
