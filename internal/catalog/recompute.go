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
// The catalogue is compiled once (the dependency graph does not depend on
// the perspective); the perspectives are independent, so their levels are
// computed in parallel from it, at most GOMAXPROCS at a time. The levels
// of each perspective are saved, on the calling goroutine (the
// transaction's), as soon as they and those of the perspectives before it
// are computed, while the remaining perspectives compute: the database's
// work overlaps the rules'. Saving in the fixed order of Perspectives
// (each perspective's levels in catalogue order), not in the order the
// perspectives happen to finish, takes the rows' locks in the same order
// every time, so that two recomputations cannot deadlock on them.
func (s *Service) recomputeAll(ctx context.Context, g GraphStore) error {
	sub, err := g.All(ctx)
	if err != nil {
		return err
	}
	// sub is not used after this: the collector may free it while the
	// engines run on cat.
	cat := toSovereigntyParallel(sub, runtime.GOMAXPROCS(0))
	comp, err := sovereignty.Compile(cat)
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	ps := Perspectives()
	asOf := s.now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		levels []ProductLevel
		err    error
	}
	work := make(chan int, len(ps))
	done := make([]chan result, len(ps)) // one result per perspective, buffered: a worker never waits
	for i := range ps {
		work <- i
		done[i] = make(chan result, 1)
	}
	close(work)
	var wg sync.WaitGroup
	defer wg.Wait()
	for range min(len(ps), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range work {
				if err := ctx.Err(); err != nil {
					done[i] <- result{err: err}
					continue
				}
				sums, err := comp.Summaries(sovereignty.Options{Perspective: ps[i].Name, AsOf: asOf})
				if err != nil {
					done[i] <- result{err: fmt.Errorf("classify: %w", err)}
					continue
				}
				levels := make([]ProductLevel, len(sums))
				for j, sum := range sums {
					levels[j] = levelOf(sum)
				}
				done[i] <- result{levels: levels}
			}
		})
	}
	for i := range ps {
		r := <-done[i]
		if r.err == nil {
			r.err = g.SaveLevels(ctx, r.levels)
		}
		if r.err != nil {
			cancel() // the perspectives not yet started are skipped
			return r.err
		}
	}
	return nil
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
