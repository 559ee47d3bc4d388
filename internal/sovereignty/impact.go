package sovereignty

import (
	"fmt"
	"slices"
)

// ImpactStatus is what an outage does to a product.
type ImpactStatus string

// The two impact statuses. A product not listed keeps running.
const (
	Down     ImpactStatus = "down"     // reachable from a failed product through critical edges
	Degraded ImpactStatus = "degraded" // loses a feature
)

// ImpactEntry is one affected product. Via is the provider whose failure it
// suffers (for a failover group: the last member to fail).
type ImpactEntry struct {
	ProductID   string
	Name        string
	Status      ImpactStatus
	Depth       int // hops from the nearest failed product
	Via         string
	Role        string
	Criticality Criticality
	Group       string
}

// Impact is the result of an outage simulation, by Engine.Impact or
// Graph.Impact.
type Impact struct {
	Failed   []string
	Down     []ImpactEntry // breadth-first: nearest first
	Degraded []ImpactEntry
	e        *Engine // exactly one of e and g is set
	g        *Graph
	pred     []int32 // -1 for a failed product
	state    []uint8
}

// The impact states of a product during a simulation.
const (
	impOK uint8 = iota
	impDegraded
	impDown
)

// impactNet is what the outage simulation needs of a dependency graph, as
// plain arrays that Engine and Graph both keep, so that runImpact is the one
// implementation of the outage rules for both. Reverse entry k (the
// consumers of provider p are k = rstart[p] … rstart[p+1]-1) names the
// consumer rcons[k], the consumer's edge handle redge[k] (reported back as
// via) and the edge's kind rkind[k] (see packKind).
type impactNet struct {
	rstart, rcons, redge, rkind []int32
	// removed marks slots that are not products (nil: none).
	removed []bool
	// groupDown reports whether every member of consumer c's failover
	// group g is down; a member outside the catalogue counts as running.
	// It is called only for critical edges in a group.
	groupDown func(c, g int32, state []uint8) bool
}

// packKind packs an edge's criticality code and failover group (-1 for
// none; only critical edges have one) into one int32.
func packKind(crit uint8, group int32) int32 {
	if crit != critCritical {
		group = -1
	}
	return (group+1)<<2 | int32(crit)
}

func unpackKind(k int32) (crit uint8, group int32) { return uint8(k & 3), k>>2 - 1 }

// impactRun is the raw outcome of runImpact: per product its state, its
// depth and the provider (pred) and edge (via) it fails by; queue lists the
// failed products, then the down ones, then the degraded ones, each in
// breadth-first order.
type impactRun struct {
	state         []uint8
	depth         []int32
	pred, via     []int32
	queue         []int32
	nSeeds, nDown int
}

// runImpact simulates the failure of seeds (methodology P3, see
// Engine.Impact for the rules). Every product enters the queue at most
// once, so cycles are harmless.
func runImpact(n *impactNet, seeds []int32) impactRun {
	size := len(n.rstart) - 1
	r := impactRun{
		state: make([]uint8, size),
		depth: make([]int32, size),
		pred:  make([]int32, size),
		via:   make([]int32, size),
		queue: make([]int32, 0, len(seeds)),
	}
	state, depth, pred, via := r.state, r.depth, r.pred, r.via
	rstart, rcons, redge, rkind, removed := n.rstart, n.rcons, n.redge, n.rkind, n.removed
	for _, s := range seeds {
		if state[s] != impDown {
			state[s] = impDown
			pred[s] = -1
			r.queue = append(r.queue, s)
		}
	}
	r.nSeeds = len(r.queue)
	// Phase 1: everything that goes down, breadth-first.
	for q := 0; q < len(r.queue); q++ {
		p := r.queue[q]
		for k := rstart[p]; k < rstart[p+1]; k++ {
			c := rcons[k]
			if state[c] == impDown || (removed != nil && removed[c]) {
				continue
			}
			crit, g := unpackKind(rkind[k])
			if crit != critCritical || (g >= 0 && !n.groupDown(c, g, state)) {
				continue
			}
			state[c] = impDown
			depth[c] = depth[p] + 1
			pred[c], via[c] = p, redge[k]
			r.queue = append(r.queue, c)
		}
	}
	r.nDown = len(r.queue)
	// Phase 2: degradation, from the down products and then from the
	// degraded ones (critical edges only: a lost feature of a feature is
	// not followed further).
	for q := 0; q < len(r.queue); q++ {
		p := r.queue[q]
		for k := rstart[p]; k < rstart[p+1]; k++ {
			c := rcons[k]
			if state[c] != impOK || (removed != nil && removed[c]) {
				continue
			}
			crit, g := unpackKind(rkind[k])
			if !(state[p] == impDown && crit == critDegrading) && !(state[p] == impDegraded && crit == critCritical && g < 0) {
				continue
			}
			state[c] = impDegraded
			depth[c] = depth[p] + 1
			pred[c], via[c] = p, redge[k]
			r.queue = append(r.queue, c)
		}
	}
	return r
}

// entries builds the Down and Degraded lists once, at their final size,
// from the breadth-first order.
func (r *impactRun) entries(entry func(c int32, st ImpactStatus) ImpactEntry) (down, degraded []ImpactEntry) {
	down = make([]ImpactEntry, 0, r.nDown-r.nSeeds)
	for _, c := range r.queue[r.nSeeds:r.nDown] {
		down = append(down, entry(c, Down))
	}
	degraded = make([]ImpactEntry, 0, len(r.queue)-r.nDown)
	for _, c := range r.queue[r.nDown:] {
		degraded = append(degraded, entry(c, Degraded))
	}
	return down, degraded
}

// impactNet returns the engine's view for runImpact; edge handles are the
// consumer's dependency indexes.
func (e *Engine) impactNet() *impactNet {
	return &impactNet{rstart: e.rstart, rcons: e.rcons, redge: e.redge, rkind: e.rkind, removed: e.removed,
		groupDown: func(c, g int32, state []uint8) bool {
			for _, ed := range e.deps[c] {
				if int32(ed.group) == g && (ed.prov < 0 || state[ed.prov] != impDown) {
					return false
				}
			}
			return true
		}}
}

// Impact simulates the failure of the given products (methodology P3,
// issue "outage impact"): a consumer goes down when a critical dependency
// outside any failover group is down, or when every member of one of its
// critical failover groups is down; it degrades (without going down) when a
// degrading dependency is down or a critical dependency is degraded.
// Optional dependencies never affect a consumer, and a failover group with a
// surviving member carries the service. Unknown IDs are an error
// (ErrUnknownProduct), cycles are harmless (every product is visited once).
// Graph.Impact gives the same result from a compact graph.
func (e *Engine) Impact(failed ...string) (*Impact, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	seeds, err := e.lookup(failed)
	if err != nil {
		return nil, err
	}
	r := runImpact(e.impactNet(), seeds)
	im := &Impact{Failed: append([]string(nil), failed...), e: e, pred: r.pred, state: r.state}
	im.Down, im.Degraded = r.entries(func(c int32, st ImpactStatus) ImpactEntry {
		d := &e.products[c].Dependencies[r.via[c]]
		return ImpactEntry{ProductID: e.products[c].ID, Name: e.name(c), Status: st, Depth: int(r.depth[c]),
			Via: d.Provider, Role: d.Role, Criticality: critOf(e.deps[c][r.via[c]].crit), Group: d.Group}
	})
	return im, nil
}

// Path returns the chain of product IDs from a failed product to id, e.g.
// ["cloudflare", "mistral-le-chat"], or an error if id is not affected.
func (im *Impact) Path(id string) ([]string, error) {
	var v int32
	var ok bool
	var idOf func(int32) string
	if im.g != nil {
		v, ok = im.g.idx[id]
		idOf = func(i int32) string { return im.g.ids[i] }
	} else {
		im.e.mu.RLock()
		defer im.e.mu.RUnlock()
		v, ok = im.e.idx[id]
		idOf = func(i int32) string { return im.e.products[i].ID }
	}
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownProduct, id)
	}
	if int(v) >= len(im.state) || im.state[v] == impOK {
		return nil, fmt.Errorf("sovereignty: %q is not affected by the outage", id)
	}
	var rev []string
	for steps := 0; v >= 0 && steps <= len(im.pred); steps++ {
		rev = append(rev, idOf(v))
		v = im.pred[v]
	}
	slices.Reverse(rev)
	return rev, nil
}
