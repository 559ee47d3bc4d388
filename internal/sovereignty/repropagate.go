package sovereignty

import (
	"fmt"
	"slices"
	"sync/atomic"
)

// State is what is stored of a product's level under one perspective that
// a Repropagation reads: its own evaluation and what it passes on.
type State struct {
	Own    Own
	Passed Passed
}

// Repropagation carries a change to the own evaluations of some products
// (the roots) to every product that depends on them, from the dependency
// graph and the states stored with the levels alone: a product's level
// follows from its own evaluation and its direct providers' Passed, so no
// product's facts need to be read but the roots'. A change to a hub that
// thousands of products depend on then costs work in proportion to the
// graph around it, not a load of the whole catalogue's facts.
//
// The region (the roots and their transitive dependents) is evaluated
// providers first; a product is evaluated again only when it is a root or
// one of its providers passes on something else than it stored, so the
// work follows what changes. Everything that does not depend on the
// perspective (the region, its order, the compiled edges) is computed once
// by Graph.Repropagation and shared by the perspectives' Summaries, which
// may run concurrently.
type Repropagation struct {
	g      *Graph
	region []int32 // roots first, then their dependents
	roots  int     // region[:roots] are the roots
	// needed are the products whose states Summaries reads: the region,
	// then the direct providers of its products outside it.
	needed []int32
	pos    []int32 // pos[v]: v's position in needed, -1 if not needed
	// comps lists the region's strongly connected components, providers'
	// first: component i is comps[ends[i-1]:ends[i]].
	comps  []int32
	ends   []int32
	cyclic bool
	deps   [][]edge // the compiled edges of the region's products
	groups []int16  // their failover groups
	// evaluated is the most products one call of Summaries evaluated.
	evaluated atomic.Int64
}

// Repropagation prepares the repropagation of a change to the own
// evaluations of roots (see Repropagation). An ID not in the graph is an
// error (ErrUnknownProduct): a new product's dependents are not known.
func (g *Graph) Repropagation(roots []string) (*Repropagation, error) {
	seeds, err := g.lookup(roots)
	if err != nil {
		return nil, err
	}
	slices.Sort(seeds)
	seeds = slices.Compact(seeds)
	n := g.Len()
	r := &Repropagation{g: g, roots: len(seeds), pos: make([]int32, n), deps: make([][]edge, n), groups: make([]int16, n)}
	r.region = append(seeds, g.reachDependents(seeds)...)
	for i := range r.pos {
		r.pos[i] = -1
	}
	inRegion := make([]bool, n)
	for i, v := range r.region {
		inRegion[v] = true
		r.pos[v] = int32(i)
	}
	r.needed = slices.Clone(r.region)
	for _, v := range r.region {
		r.deps[v], r.groups[v] = g.compiledEdges(v)
		for _, ed := range r.deps[v] {
			if ed.prov >= 0 && r.pos[ed.prov] < 0 {
				r.pos[ed.prov] = int32(len(r.needed))
				r.needed = append(r.needed, ed.prov)
			}
		}
	}
	r.ends = make([]int32, 0, len(r.region))
	r.comps = make([]int32, 0, len(r.region))
	components(n, r.region, inRegion, func(v, pos int32) (int32, bool) {
		if int(pos) >= len(r.deps[v]) {
			return 0, false
		}
		return r.deps[v][pos].prov, true
	}, func(comp []int32) {
		if len(comp) > 1 || slices.ContainsFunc(r.deps[comp[0]], func(ed edge) bool { return ed.prov == comp[0] }) {
			r.cyclic = true
		}
		r.comps = append(r.comps, comp...)
		r.ends = append(r.ends, int32(len(r.comps)))
	})
	return r, nil
}

// compiledEdges compiles the dependencies of v as Engine.compileEdges
// does from v's record: the failover groups numbered per consumer, among
// critical edges only.
func (g *Graph) compiledEdges(v int32) ([]edge, int16) {
	out := make([]edge, 0, g.fstart[v+1]-g.fstart[v])
	var groups []int32
	for k := g.fstart[v]; k < g.fstart[v+1]; k++ {
		ed := edge{prov: g.fprov[k], group: -1, crit: g.fcrit[k], readable: g.accesses[g.facc[k]].readable()}
		if gi := g.fgroup[k]; gi >= 0 && ed.crit == critCritical {
			l := slices.Index(groups, gi)
			if l < 0 {
				l = len(groups)
				groups = append(groups, gi)
			}
			ed.group = int16(l)
		}
		out = append(out, ed)
	}
	return out, int16(len(groups))
}

// Needed lists the products whose states Summaries needs, in the order it
// takes them: the roots and their dependents, then the direct providers
// of those that are neither.
func (r *Repropagation) Needed() []string {
	out := make([]string, len(r.needed))
	for i, v := range r.needed {
		out[i] = r.g.ids[v]
	}
	return out
}

// Region is how many products the change can reach: the roots and their
// transitive dependents.
func (r *Repropagation) Region() int { return len(r.region) }

// Cyclic reports whether some products of the region depend on each other
// in a cycle. Inside a cycle, which of several equally binding
// dependencies a product's Passed names depends on the order of
// evaluation, which differs from a full computation's; the levels do not.
func (r *Repropagation) Cyclic() bool { return r.cyclic }

// Summaries computes, under the options' perspective, the compact results
// of the products of the region whose result the change can move: the
// roots, and every product whose Passed (pointers included) now differs
// from its state's. Every other product keeps its stored result: its own
// evaluation is unchanged, and the rest of a result follows from what
// Passed holds. To find them it evaluates the roots and every product with
// a provider that now passes on something else than its state says.
// states are the states of Needed, in its order: a root's with its new own
// evaluation and the Passed stored before the change, every other
// product's as stored. The levels equal NewEngine's over the
// changed catalogue when the stored states are a full computation's of
// the catalogue before it and the roots' dependencies are unchanged;
// a product left out would come out as stored.
//
// A Passed that names a dependency its product does not have in the
// graph is an error (ErrFrozenMismatch): the state cannot be the graph's.
func (r *Repropagation) Summaries(states []State, o Options) ([]Summary, error) {
	if len(states) != len(r.needed) {
		return nil, fmt.Errorf("sovereignty: %d states for %d products", len(states), len(r.needed))
	}
	e, err := newEngine(o)
	if err != nil {
		return nil, err
	}
	n := r.g.Len()
	e.ids, e.deps, e.rstart, e.rcons = r.g.ids, r.deps, r.g.rstart, r.g.rcons
	e.removed = make([]bool, n)
	e.own = make([]ownNode, n)
	e.eff = make([]effNode, n)
	for i, v := range r.needed {
		st := &states[i]
		if i < len(r.region) {
			for _, j := range st.Passed.Via {
				if int(j) >= len(r.deps[v]) {
					return nil, fmt.Errorf("%w: %s has no dependency %d", ErrFrozenMismatch, r.g.ids[v], j)
				}
			}
			e.own[v] = st.Own.n
			e.own[v].ngroups = r.groups[v]
		} else {
			e.own[v].lv[cS1a] = st.Passed.S1a
		}
		e.eff[v].v = st.Passed.Axes
		for s, j := range st.Passed.Via {
			e.eff[v].via[s] = int32(j)
		}
	}
	dirty := make([]bool, n)
	var out []Summary
	evaluated := 0
	var st settler
	start := int32(0)
	for _, end := range r.ends {
		comp := r.comps[start:end]
		start = end
		if !r.reached(comp, dirty) {
			continue
		}
		for _, v := range comp {
			e.resetEff(v)
		}
		st.settle(e, comp)
		evaluated += len(comp)
		for _, v := range comp {
			was := &states[r.pos[v]].Passed
			if e.eff[v].v != was.Axes || e.own[v].lv[cS1a] != was.S1a {
				dirty[v] = true
			}
			// Everything else of a product's result follows from its own
			// evaluation, unchanged but at the roots, and its effective
			// state, which Passed holds with the pointers.
			if int(r.pos[v]) < r.roots || e.passed(v) != *was {
				out = append(out, e.summary(v))
			}
		}
	}
	for {
		was := r.evaluated.Load()
		if int64(evaluated) <= was || r.evaluated.CompareAndSwap(was, int64(evaluated)) {
			break
		}
	}
	return out, nil
}

// Evaluated is the most products one call of Summaries so far evaluated
// (the roots and the dependents the change reached under its perspective),
// the maximum over the perspectives computed.
func (r *Repropagation) Evaluated() int { return int(r.evaluated.Load()) }

// reached reports whether the change reaches component comp: it holds a
// root, or one of its products depends on a product that passes on
// something new (dirty).
func (r *Repropagation) reached(comp []int32, dirty []bool) bool {
	for _, v := range comp {
		if int(r.pos[v]) < r.roots {
			return true
		}
		for _, ed := range r.deps[v] {
			if ed.prov >= 0 && dirty[ed.prov] {
				return true
			}
		}
	}
	return false
}

// DependsAs reports whether the graph holds, for product id, exactly the
// dependencies deps, in their order, with everything the graph keeps of
// them (provider, role, criticality, failover group, data access). A
// Repropagation takes the roots' dependencies from the graph, and a graph
// kept across a write must show its edges as they are; a change that
// altered them needs the graph of the changed catalogue.
func (g *Graph) DependsAs(id string, deps []Dependency) bool {
	v, ok := g.idx[id]
	if !ok || int(g.fstart[v+1]-g.fstart[v]) != len(deps) {
		return false
	}
	for j, d := range deps {
		k := g.fstart[v] + int32(j)
		p := g.fprov[k]
		if p < 0 || g.ids[p] != d.Provider || g.roles[g.frole[k]] != d.Role || g.fcrit[k] != d.Criticality.code() ||
			g.accesses[g.facc[k]] != d.DataAccess || g.groupName(k) != d.Group {
			return false
		}
	}
	return true
}

// groupName returns the failover group of edge k ("" for none).
func (g *Graph) groupName(k int32) string {
	if g.fgroup[k] < 0 {
		return ""
	}
	return g.groups[g.fgroup[k]]
}
