package sovereignty

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// GraphNode is a product of a Graph.
type GraphNode struct {
	ID   string
	Name string // display name; empty means the ID
}

// GraphEdge is one dependency row of a Graph: Consumer needs Provider. Both
// are indexes into the nodes given to NewGraph. A Provider outside them
// (conventionally -1) is a provider missing from the catalogue: the edge is
// kept, never fails and, in a failover group, counts as a surviving member,
// exactly as a dangling edge of an Engine.
type GraphEdge struct {
	Consumer    int32
	Provider    int32
	Role        string
	Criticality Criticality // anything unrecognised is critical
	Group       string      // tested failover group; only critical edges use it
	DataAccess  DataAccess  // what the provider can read; "" when not recorded
}

// GraphLink is one dependency edge reached by a walk through a Graph
// (Upstream, Downstream).
type GraphLink struct {
	Consumer    string
	Provider    string // "" when the provider is not in the catalogue
	Role        string
	Criticality Criticality
	Group       string
	DataAccess  DataAccess
	Depth       int // 1 for an edge of the starting product
}

// Graph is a compact, immutable dependency graph for outage simulation and
// graph walks. It answers Impact with exactly the rules of Engine.Impact
// (one shared implementation) without holding an Engine: it keeps only the
// product IDs and names and, per edge, the provider, a role and a group
// interned to small integers and the criticality code, in forward and
// reverse CSR arrays with int32 indexes (23 bytes per edge). A Graph is
// safe for concurrent use; rebuild it (NewGraph or Engine.Graph) after a
// change to the catalogue.
type Graph struct {
	ids, names []string
	idx        map[string]int32

	// Forward CSR: the edges of consumer c are fstart[c] … fstart[c+1]-1.
	fstart []int32
	fprov  []int32  // -1: provider not in the catalogue
	frole  []uint16 // index into roles
	fcrit  []uint8
	fgroup []int32 // index into groups, -1 for none (the raw group, also on non-critical edges)
	facc   []uint8 // index into accesses

	// Reverse CSR: the consumers of provider p are rcons[rstart[p]:rstart[p+1]],
	// redge holds the forward edge index of each.
	rstart []int32
	rcons  []int32
	redge  []int32
	rkind  []int32 // criticality and failover group of the edge (packKind)

	roles    []string
	groups   []string
	accesses []DataAccess
	invalid  int

	// marks pools the visited sets of walks over the graph (marks.go).
	marks sync.Pool
	// ranked is the ranking of MostUsed, sorted once.
	rankOnce sync.Once
	ranked   []int32
}

// NewGraph builds a Graph from node and edge rows. Edges are kept in the
// given order per consumer (which fixes the breadth-first order of Impact).
// An edge whose Consumer is not a node index is ignored and counted by
// Invalid; a duplicate node ID resolves to its first node. At most 65,535
// distinct roles are interned; further ones are recorded as the empty role
// and counted by Invalid.
func NewGraph(nodes []GraphNode, edges []GraphEdge) *Graph {
	n := int32(len(nodes))
	g := &Graph{
		ids:    make([]string, n),
		names:  make([]string, n),
		idx:    make(map[string]int32, n),
		fstart: make([]int32, n+1),
	}
	for i, nd := range nodes {
		g.ids[i] = nd.ID
		if nd.Name != "" && nd.Name != nd.ID {
			g.names[i] = nd.Name
		}
		if _, dup := g.idx[nd.ID]; !dup {
			g.idx[nd.ID] = int32(i)
		}
	}
	// Counting sort of the edges by consumer, stable.
	m := 0
	for _, ed := range edges {
		if ed.Consumer < 0 || ed.Consumer >= n {
			g.invalid++
			continue
		}
		g.fstart[ed.Consumer+1]++
		m++
	}
	for i := int32(1); i <= n; i++ {
		g.fstart[i] += g.fstart[i-1]
	}
	g.fprov = make([]int32, m)
	g.frole = make([]uint16, m)
	g.fcrit = make([]uint8, m)
	g.fgroup = make([]int32, m)
	g.facc = make([]uint8, m)
	g.accesses = []DataAccess{""}
	accIdx := map[DataAccess]uint8{"": 0}
	// Role 0 is the empty role, which also takes roles beyond the limit.
	g.roles = []string{""}
	roleIdx := map[string]uint16{"": 0}
	groupIdx := map[string]int32{}
	fill := slices.Clone(g.fstart[:n])
	rcount := make([]int32, n+1)
	for _, ed := range edges {
		if ed.Consumer < 0 || ed.Consumer >= n {
			continue
		}
		k := fill[ed.Consumer]
		fill[ed.Consumer]++
		p := ed.Provider
		if p < 0 || p >= n {
			p = -1
		} else {
			rcount[p+1]++
		}
		g.fprov[k] = p
		g.fcrit[k] = ed.Criticality.code()
		r, ok := roleIdx[ed.Role]
		if !ok {
			if len(g.roles) > 0xffff {
				g.invalid++
				r = 0
			} else {
				r = uint16(len(g.roles))
				roleIdx[ed.Role] = r
				g.roles = append(g.roles, ed.Role)
			}
		}
		g.frole[k] = r
		a, ok := accIdx[ed.DataAccess]
		if !ok && len(g.accesses) < 0xff {
			a = uint8(len(g.accesses))
			accIdx[ed.DataAccess] = a
			g.accesses = append(g.accesses, ed.DataAccess)
		}
		g.facc[k] = a
		g.fgroup[k] = -1
		if ed.Group != "" {
			gi, ok := groupIdx[ed.Group]
			if !ok {
				gi = int32(len(g.groups))
				groupIdx[ed.Group] = gi
				g.groups = append(g.groups, ed.Group)
			}
			g.fgroup[k] = gi
		}
	}
	for i := int32(1); i <= n; i++ {
		rcount[i] += rcount[i-1]
	}
	g.rstart = rcount
	g.rcons = make([]int32, rcount[n])
	g.redge = make([]int32, rcount[n])
	g.rkind = make([]int32, rcount[n])
	rfill := slices.Clone(rcount[:n])
	for c := int32(0); c < n; c++ {
		for k := g.fstart[c]; k < g.fstart[c+1]; k++ {
			if p := g.fprov[k]; p >= 0 {
				j := rfill[p]
				g.rcons[j], g.redge[j] = c, k
				g.rkind[j] = packKind(g.fcrit[k], g.fgroup[k])
				rfill[p]++
			}
		}
	}
	return g
}

// Graph returns a compact Graph of the engine's current catalogue (removed
// products left out, dependencies on missing or removed products kept as
// edges to a provider outside the catalogue), for serving outage and graph
// queries without the Engine.
func (e *Engine) Graph() *Graph {
	e.mu.RLock()
	defer e.mu.RUnlock()
	newIdx := make([]int32, len(e.products))
	nodes := make([]GraphNode, 0, len(e.products))
	total := 0
	for i := range e.products {
		newIdx[i] = -1
		if !e.removed[i] {
			newIdx[i] = int32(len(nodes))
			nodes = append(nodes, GraphNode{ID: e.products[i].ID, Name: e.products[i].Name})
			total += len(e.deps[i])
		}
	}
	edges := make([]GraphEdge, 0, total)
	for i := range e.products {
		if e.removed[i] {
			continue
		}
		for j, ed := range e.deps[i] {
			d := &e.products[i].Dependencies[j]
			p := int32(-1)
			if ed.prov >= 0 {
				p = newIdx[ed.prov]
			}
			edges = append(edges, GraphEdge{Consumer: newIdx[i], Provider: p, Role: d.Role, Criticality: d.Criticality, Group: d.Group, DataAccess: d.DataAccess})
		}
	}
	return NewGraph(nodes, edges)
}

// Len returns the number of products.
func (g *Graph) Len() int { return len(g.ids) }

// Edges returns the number of dependency edges kept.
func (g *Graph) Edges() int { return len(g.fprov) }

// Invalid returns the number of edge rows NewGraph could not keep (a
// consumer index out of range, a role beyond the interning limit).
func (g *Graph) Invalid() int { return g.invalid }

// Has reports whether the graph holds a product with this ID.
func (g *Graph) Has(id string) bool {
	_, ok := g.idx[id]
	return ok
}

// Name returns a product's display name ("" when the ID is unknown).
func (g *Graph) Name(id string) string {
	v, ok := g.idx[id]
	if !ok {
		return ""
	}
	return g.name(v)
}

func (g *Graph) name(v int32) string {
	if n := g.names[v]; n != "" {
		return n
	}
	return g.ids[v]
}

func (g *Graph) lookup(ids []string) ([]int32, error) {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		v, ok := g.idx[id]
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownProduct, id)
		}
		out = append(out, v)
	}
	return out, nil
}

// impactNet returns the graph's view for runImpact; edge handles are
// forward edge indexes.
func (g *Graph) impactNet() *impactNet {
	return &impactNet{rstart: g.rstart, rcons: g.rcons, redge: g.redge, rkind: g.rkind,
		groupDown: func(c, grp int32, state []uint8) bool {
			for k := g.fstart[c]; k < g.fstart[c+1]; k++ {
				if g.fgroup[k] == grp && g.fcrit[k] == critCritical && (g.fprov[k] < 0 || state[g.fprov[k]] != impDown) {
					return false
				}
			}
			return true
		}}
}

// Impact simulates the failure of the given products with exactly the rules
// and result of Engine.Impact (the same implementation runs on both).
// Unknown IDs are an error (ErrUnknownProduct).
func (g *Graph) Impact(failed ...string) (*Impact, error) {
	seeds, err := g.lookup(failed)
	if err != nil {
		return nil, err
	}
	r := runImpact(g.impactNet(), seeds)
	im := &Impact{Failed: append([]string(nil), failed...), g: g, pred: r.pred, state: r.state}
	im.Down, im.Degraded = r.entries(func(c int32, st ImpactStatus) ImpactEntry {
		k := r.via[c]
		en := ImpactEntry{ProductID: g.ids[c], Name: g.name(c), Status: st, Depth: int(r.depth[c]),
			Via: g.ids[g.fprov[k]], Role: g.roles[g.frole[k]], Criticality: critOf(g.fcrit[k])}
		if gi := g.fgroup[k]; gi >= 0 {
			en.Group = g.groups[gi]
		}
		return en
	})
	return im, nil
}

// Dependents returns the IDs of every product that depends on one of ids,
// directly or transitively, excluding ids themselves, sorted (as
// Engine.Dependents). Every dependency counts, whatever its criticality.
func (g *Graph) Dependents(ids ...string) ([]string, error) {
	seeds, err := g.lookup(ids)
	if err != nil {
		return nil, err
	}
	reach := g.reachDependents(seeds)
	out := make([]string, 0, len(reach))
	for _, v := range reach {
		out = append(out, g.ids[v])
	}
	slices.Sort(out)
	return out, nil
}

// reachDependents returns every product that depends on one of seeds,
// directly or transitively, seeds excluded, in breadth-first order.
func (g *Graph) reachDependents(seeds []int32) []int32 {
	seen := g.getMarks()
	defer g.putMarks(seen)
	queue := make([]int32, 0, len(seeds))
	for _, s := range seeds {
		if seen.mark(s) {
			queue = append(queue, s)
		}
	}
	n0 := len(queue)
	for k := 0; k < len(queue); k++ {
		p := queue[k]
		for i := g.rstart[p]; i < g.rstart[p+1]; i++ {
			if c := g.rcons[i]; seen.mark(c) {
				queue = append(queue, c)
			}
		}
	}
	return queue[n0:]
}

// ReachCount returns how many products ids and every product that depends
// on one of them, directly or transitively, make up together; an ID not in
// the graph (a product added since) counts as one.
func (g *Graph) ReachCount(ids []string) int {
	seeds := make([]int32, 0, len(ids))
	unknown := 0
	for _, id := range ids {
		if v, ok := g.idx[id]; ok {
			seeds = append(seeds, v)
		} else {
			unknown++
		}
	}
	slices.Sort(seeds)
	seeds = slices.Compact(seeds)
	return len(seeds) + unknown + len(g.reachDependents(seeds))
}

// CountDependents returns how many products depend on id, directly
// (direct) and transitively (all), e.g. for "used by N products".
func (g *Graph) CountDependents(id string) (direct, all int, err error) {
	v, ok := g.idx[id]
	if !ok {
		return 0, 0, fmt.Errorf("%w: %q", ErrUnknownProduct, id)
	}
	seen := map[int32]bool{v: true}
	for i := g.rstart[v]; i < g.rstart[v+1]; i++ {
		if c := g.rcons[i]; !seen[c] {
			seen[c] = true
			direct++
		}
	}
	// Counting needs no names: sorting a hub's tens of thousands of IDs
	// cost more than the rest of a product page.
	return direct, len(g.reachDependents([]int32{v})), nil
}

// Upstream walks the dependencies of id breadth-first, up to depth hops
// (depth ≤ 0: no limit), and returns every edge met, nearest first; each
// product is expanded once, so cycles are harmless. It serves
// /products/{slug}/dependencies?depth=.
func (g *Graph) Upstream(id string, depth int) ([]GraphLink, error) {
	return g.walk(id, depth, true)
}

// Downstream walks the dependents of id breadth-first, up to depth hops
// (depth ≤ 0: no limit), and returns every edge met, nearest first. It
// serves /products/{slug}/dependents.
func (g *Graph) Downstream(id string, depth int) ([]GraphLink, error) {
	return g.walk(id, depth, false)
}

func (g *Graph) walk(id string, depth int, up bool) ([]GraphLink, error) {
	v, ok := g.idx[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownProduct, id)
	}
	dist := map[int32]int{v: 0}
	queue := []int32{v}
	var out []GraphLink
	for k := 0; k < len(queue); k++ {
		u := queue[k]
		d := dist[u]
		if depth > 0 && d >= depth {
			break // breadth-first: every later node is at least as deep
		}
		visit := func(c, e, next int32) {
			l := GraphLink{Consumer: g.ids[c], Role: g.roles[g.frole[e]], Criticality: critOf(g.fcrit[e]),
				DataAccess: g.accesses[g.facc[e]], Depth: d + 1}
			if p := g.fprov[e]; p >= 0 {
				l.Provider = g.ids[p]
			}
			if gi := g.fgroup[e]; gi >= 0 {
				l.Group = g.groups[gi]
			}
			out = append(out, l)
			if next < 0 {
				return
			}
			if _, seen := dist[next]; !seen {
				dist[next] = d + 1
				queue = append(queue, next)
			}
		}
		if up {
			for e := g.fstart[u]; e < g.fstart[u+1]; e++ {
				visit(u, e, g.fprov[e])
			}
		} else {
			for i := g.rstart[u]; i < g.rstart[u+1]; i++ {
				visit(g.rcons[i], g.redge[i], g.rcons[i])
			}
		}
	}
	return out, nil
}

// MostUsed returns up to n product IDs with the most direct dependents,
// most first (ties by ID), leaving out products nobody depends on: the
// providers whose outage matters most.
func (g *Graph) MostUsed(n int) []string {
	ranked := g.ranking()
	out := make([]string, min(n, len(ranked)))
	for i := range out {
		out[i] = g.ids[ranked[i]]
	}
	return out
}

// ranking orders the products others depend on as MostUsed does. The
// graph never changes, so it is sorted once: sorting 100,000 products for
// every outage page took a third of the page's time.
func (g *Graph) ranking() []int32 {
	g.rankOnce.Do(func() {
		for v := int32(0); v < int32(len(g.ids)); v++ {
			if g.rstart[v+1] > g.rstart[v] {
				g.ranked = append(g.ranked, v)
			}
		}
		count := func(v int32) int32 { return g.rstart[v+1] - g.rstart[v] }
		slices.SortFunc(g.ranked, func(a, b int32) int {
			if ca, cb := count(a), count(b); ca != cb {
				return int(cb - ca)
			}
			return strings.Compare(g.ids[a], g.ids[b])
		})
	})
	return g.ranked
}
