package catalog

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// manyLevels is how many levels to save from which a repropagation saves
// through the storage's bulk path (BulkGraphStore, COPY) rather than row
// by row.
const manyLevels = 200

// repropagate carries the new own evaluations of the changed products
// slugs (computed by classifyCutoff, c, in a write that found the
// catalogue at generation gen) to their dependents through the
// dependency graph in memory and the states stored with the levels
// (sovereignty.Graph.Repropagation), and saves every level that moved. It
// reports how many products it computed and true when it did; false, with
// nothing saved, when it cannot be done exactly, and the caller takes the
// slower paths:
//   - the graph of the catalogue as the write found it is not loaded (the
//     write's transaction must see the generation the graph was loaded
//     at; the write itself counts its change only when it saves levels);
//   - a changed product's dependencies changed, or it is new;
//   - the products the change can reach hold a cycle (a repropagation's
//     pointers inside it would differ from a full computation's);
//   - a stored state is missing, of another rule version, or names a
//     dependency its product does not have.
//
// Its cost follows the part of the graph the change reaches and the levels
// that move, not the catalogue's facts: a change to a hub used by most of
// a 100,000-product catalogue reads their stored states, not their
// records.
func (s *Service) repropagate(ctx context.Context, g GraphStore, gen int64, slugs []string, c cutoff) (int, bool, error) {
	// Only the graph already loaded: loading it here would take a second
	// pool connection while the write holds the level lock, for which
	// every other write waits holding its own (Service.Import loads it
	// before the write).
	gr := s.loadedGraph(gen)
	if gr == nil || !graphHolds(gr, c.sub, slugs) {
		return 0, false, nil
	}
	rp, err := gr.Repropagation(slugs)
	if errors.Is(err, sovereignty.ErrUnknownProduct) || (err == nil && rp.Cyclic()) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("classify: %w", err)
	}
	var n int
	var ok bool
	err = s.heavy(func() error {
		n, ok, err = s.repropagateStates(ctx, g, rp, c)
		return err
	})
	return n, ok, err
}

// repropagateStates reads the states rp needs, computes every perspective
// and saves the levels that moved (see repropagate). c holds the changed
// products' stored levels and their levels computed afresh.
func (s *Service) repropagateStates(ctx context.Context, g GraphStore, rp *sovereignty.Repropagation, c cutoff) (int, bool, error) {
	needed := rp.Needed()
	ps := Perspectives()
	states := make([][]sovereignty.State, len(ps))
	have := make([][]bool, len(ps))
	for i := range ps {
		states[i] = make([]sovereignty.State, len(needed))
		have[i] = make([]bool, len(needed))
	}
	err := g.StoredStates(ctx, needed, sovereignty.RuleVersion, func(at int, perspective string, st sovereignty.State) {
		if pi := perspectiveIndex(perspective); pi >= 0 {
			states[pi][at], have[pi][at] = st, true
		}
	})
	if err != nil {
		return 0, false, err
	}
	for i := range ps {
		if slices.Contains(have[i], false) {
			return 0, false, nil
		}
	}
	// The roots (the first of needed) with their new own evaluations.
	for _, l := range c.fresh {
		at, pi := slices.Index(needed, l.Product), perspectiveIndex(l.Perspective)
		if at < 0 || pi < 0 || l.Own == nil {
			return 0, false, nil
		}
		states[pi][at].Own = *l.Own
	}
	sums := make([][]sovereignty.Summary, len(ps))
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, p := range ps {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			sums[i], errs[i] = rp.Summaries(states[i], sovereignty.Options{Perspective: p.Name, AsOf: s.now()})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		if errors.Is(err, sovereignty.ErrFrozenMismatch) {
			return 0, false, nil
		}
		return 0, false, fmt.Errorf("classify: %w", err)
	}
	// Summaries leaves out the products whose levels stay as stored; of
	// the roots, which it always returns, only the levels that moved are
	// written.
	stored := map[[2]string]ProductLevel{}
	for _, l := range c.stored {
		stored[[2]string{l.Product, l.Perspective}] = l
	}
	var moved []ProductLevel
	for i := range ps {
		for _, sum := range sums[i] {
			l := levelOf(sum)
			if old, root := stored[[2]string{l.Product, l.Perspective}]; !root || !sameLevel(l, old) {
				moved = append(moved, l)
			}
		}
	}
	if b, bulk := g.(BulkGraphStore); bulk && len(moved) >= manyLevels {
		return rp.Evaluated(), true, b.SaveMovedLevels(ctx, moved)
	}
	// Saved even when nothing moved: saving counts the write's change in
	// the generation, which the caches follow.
	return rp.Evaluated(), true, g.SaveLevels(ctx, moved)
}

// sameLevel reports whether two levels are equal, their passed states and
// own evaluations by value.
func sameLevel(a, b ProductLevel) bool {
	pa, pb, oa, ob := a.Passed, b.Passed, a.Own, b.Own
	a.Passed, b.Passed, a.Own, b.Own = nil, nil, nil, nil
	return a == b && (pa == nil) == (pb == nil) && (pa == nil || *pa == *pb) &&
		(oa == nil) == (ob == nil) && (oa == nil || *oa == *ob)
}

// graphHolds reports whether gr holds the products slugs, whose records
// sub holds, as they are: their dependencies (Graph.DependsAs) and their
// names.
func graphHolds(gr *sovereignty.Graph, sub Subgraph, slugs []string) bool {
	c := converter{sources: sub.Sources}
	for _, rec := range sub.Products {
		if !slices.Contains(slugs, rec.Slug) {
			continue // the rest of the closure, unchanged
		}
		p := c.product(rec)
		name := p.Name
		if name == "" {
			name = p.ID
		}
		if !gr.DependsAs(p.ID, p.Dependencies) || gr.Name(p.ID) != name {
			return false
		}
	}
	return true
}

// keptGraph is a dependency graph in memory that a write left as it was,
// and the generation the write will have made when it commits.
type keptGraph struct {
	graph *sovereignty.Graph
	gen   int64
}

// keepingGraph adds to rc, the reclassification of a write that found the
// catalogue at generation gen and changed the products slugs (records in
// sub), the graph in memory of that generation when the write left it as
// it was: then it is also the graph of the generation the write makes,
// and the write's commit need not cost the next write or page a reload of
// it (a million edges take seconds).
func (s *Service) keepingGraph(ctx context.Context, g GraphStore, gen int64, slugs []string, sub Subgraph, rc reclassified) (reclassified, error) {
	gr := s.loadedGraph(gen)
	if gr == nil || !graphHolds(gr, sub, slugs) {
		return rc, nil
	}
	after, err := g.Generation(ctx)
	if err != nil {
		return rc, err
	}
	rc.keep = keptGraph{graph: gr, gen: after}
	return rc, nil
}

// keepGraph moves the graph in memory on to the generation a committed
// write made (keptGraph), if it is still the one the write found.
func (s *Service) keepGraph(k keptGraph) {
	if k.graph == nil {
		return
	}
	c := &s.graph
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.graph == k.graph && c.gen < k.gen {
		c.gen = k.gen
	}
}
