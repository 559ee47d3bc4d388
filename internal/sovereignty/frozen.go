package sovereignty

import (
	"errors"
	"fmt"
	"slices"
)

// ErrFrozenProduct is returned by Summary and Result for a product a
// frozen engine took as given: it was never evaluated.
var ErrFrozenProduct = errors.New("sovereignty: product not evaluated (frozen)")

// ErrFrozenMismatch is returned by NewFrozenEngine when a given Passed
// cannot belong to the product's record (it names a dependency the record
// does not have): the stored state is older than the record.
var ErrFrozenMismatch = errors.New("sovereignty: passed state does not fit the product")

// NewFrozenEngine compiles a partial catalogue in which the products with a
// Passed in passed (as stored with their levels, see Summary.Passed) stand
// for their whole upstream closure: that Passed is taken as given, and
// their own rules and dependencies are never evaluated. The products named
// in live, and those without a Passed, are computed as NewEngine computes
// them, reading the frozen products' Passed where they depend on them.
//
// For a live product whose direct providers are all in the catalogue,
// Summary then equals NewEngine's over the whole catalogue, because the
// rules read nothing of a provider but its Passed and the full
// computation's values are a fixpoint. A live product's own Passed in
// passed, when its levels are the ones computed, also gives the
// dependencies its paths take: among equally binding dependencies the full
// computation chose one that cannot lead back through a cycle, which a
// single evaluation cannot tell. Result then equals NewEngine's too, once
// the catalogue holds the products the paths pass through, which
// ResultGaps names.
//
// Summary and Result answer for the live products only (ErrFrozenProduct
// for the others), Summaries lists only them, and the engine cannot be
// changed (Apply fails).
func NewFrozenEngine(cat Catalogue, passed map[string]Passed, live []string, o Options) (*Engine, error) {
	e, err := newEngine(o)
	if err != nil {
		return nil, err
	}
	if err := e.compile(cat); err != nil {
		return nil, err
	}
	n := len(e.products)
	e.frozen = make([]bool, n)
	e.eff = make([]effNode, n)
	e.sum = make([]Summary, n)
	isLive := make([]bool, n)
	for _, id := range live {
		if i, ok := e.idx[id]; ok {
			isLive[i] = true
		}
	}
	var set []int32
	for i := range e.products {
		p, ok := passed[e.products[i].ID]
		if ok {
			for _, j := range p.Via {
				if int(j) >= len(e.deps[i]) {
					return nil, fmt.Errorf("%w: %s has no dependency %d", ErrFrozenMismatch, e.products[i].ID, j)
				}
			}
		}
		if !ok || isLive[i] {
			set = append(set, int32(i))
			e.evalOwn(int32(i))
			continue
		}
		e.frozen[i] = true
		e.eff[i].v = p.Axes
		for s, j := range p.Via {
			e.eff[i].via[s] = int32(j)
		}
		e.own[i].lv[cS1a] = p.S1a
	}
	e.propagate(set)
	for _, v := range set {
		p, ok := passed[e.products[v].ID]
		if !ok || p.Axes != e.eff[v].v {
			continue
		}
		for s, j := range p.Via {
			e.eff[v].via[s] = int32(j)
		}
		e.finalize(v)
	}
	return e, nil
}

// ResultGaps is Result, and the IDs of the products missing from a frozen
// engine's catalogue that the result's inheritance paths would continue
// to (sorted, without repeats): the paths stop before them. Build the
// engine again with them added to get the complete paths; each round adds
// at least one hop, and a path never visits a product twice. In an engine
// that is not frozen, or with every hop present, the list is empty.
func (e *Engine) ResultGaps(id string) (Result, []string, error) {
	var gaps []string
	r, err := e.result(id, &gaps)
	if err != nil {
		return Result{}, nil, err
	}
	slices.Sort(gaps)
	return r, slices.Compact(gaps), nil
}

// gap records, for a path at frozen product v following its dependency j
// to a product the catalogue lacks, the product to load.
func (e *Engine) gap(gaps *[]string, v int32, j int32) {
	if gaps == nil || !e.isFrozen(v) {
		return
	}
	*gaps = append(*gaps, e.products[v].Dependencies[j].Provider)
}

// isFrozen reports whether v was taken as given.
func (e *Engine) isFrozen(v int32) bool { return e.frozen != nil && e.frozen[v] }
