package sovereignty

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// ErrUnknownProduct is returned for a product ID that the engine does not
// know (e.g. an unknown slug in ?failed=).
var ErrUnknownProduct = errors.New("sovereignty: unknown product")

// Options configure an Engine.
type Options struct {
	// Perspective is a preset name (see Perspectives); "" means "eu".
	Perspective string
	// AsOf is the date the facts are judged at: staleness (12 months) and
	// certificate validity are measured from it. The rules never read the
	// clock, so a zero AsOf is an error.
	AsOf time.Time
	// Reference overrides the reference data; nil means DefaultReference().
	Reference *Reference
}

// edge is a compiled dependency: dense provider index (-1 when the provider
// is not in the catalogue), failover group local to the consumer (-1 for
// none), criticality code and whether legal exposure passes along it.
type edge struct {
	prov     int32
	group    int16
	crit     uint8
	readable bool
}

// Propagated slots. S1.b, S2.b and S3.b are criteria; crit and soft are
// helper axes for S5.a: the lowest decision-authority level (S1.a) among
// the providers reachable through critical edges (respecting failover
// groups), and among those reachable through any other edge.
const (
	sS1b = iota
	sS2b
	sS3b
	sCrit
	sSoft
	nSlot
)

var slotCrit = [nSlot]critIdx{sS1b: cS1b, sS2b: cS2b, sS3b: cS3b, sCrit: cS5a, sSoft: cS5a}

// ownNode is the compact own evaluation the engine keeps per product; the
// rich version (reasons, facts) is recomputed on demand by Result.
type ownNode struct {
	lv          [nCrit][2]Level
	disclosed   [2]bool
	hidden      bool
	spUnknown   bool // some sub-processor list is unknown: S5.a cannot be answered as "none"
	complete    bool
	hasIssues   bool
	hasOffering bool
	ngroups     int16
}

// effNode is the effective (inherited) state: per slot the optimistic and
// pessimistic level, and for the optimistic one the index of the consumer's
// dependency edge that set it (-1: its own facts; -2: undisclosed
// dependencies). Paths are rebuilt from these pointers on demand, which
// keeps propagation cheap.
type effNode struct {
	v   [nSlot][2]Level
	via [nSlot]int32
}

// ObjectiveLevel is the level of one objective: the minimum of its answered
// criteria.
type ObjectiveLevel struct {
	Objective   string
	Level       Level
	Answered    bool // false: no criterion of the objective is answered or applicable
	Pessimistic Level
}

// Summary is the compact result of one product, cheap enough to store as
// columns (level facet, badges).
type Summary struct {
	ProductID   string
	Overall     Level
	Pessimistic Level
	Provisional bool
	Objectives  [6]ObjectiveLevel
	RuleVersion string
	Perspective string
	// Passed is what the product passes on to its dependents; stored with
	// the level, it stands in for the product when a dependent is
	// explained (NewFrozenEngine).
	Passed Passed
	// Own is the product's own evaluation; stored with the level, it lets
	// a change to a provider reach the product's level without its facts
	// (Graph.Repropagation).
	Own Own
}

// Engine holds a compiled catalogue for one perspective and the computed
// levels of every product. Reads (Summary, Result, Impact, Affected) may run
// concurrently; Apply takes an exclusive lock.
type Engine struct {
	mu    sync.RWMutex
	ref   Reference
	persp Perspective
	asOf  time.Time
	cx    evalContext

	orgs     map[string]*Organisation
	products []Product
	removed  []bool
	idx      map[string]int32
	// respUsers maps an organisation to the products whose rules consult
	// its chain, for Apply. It is nil in the engines of Compiled.Summaries,
	// which are never changed.
	respUsers map[string][]int32
	// dangling maps a provider ID that is not in the catalogue to the
	// consumers that name it, so that Apply can resolve their edges when the
	// product is added. Until then the edge contributes unknownProvider
	// (nothing to the shown level, the worst rung to the pessimistic one),
	// the consumer is provisional (hasDangling) and its Result carries an
	// "unknown_dependency" issue.
	dangling map[string][]int32

	chainMu sync.Mutex
	chains  map[string]*ControlChain

	deps   [][]edge
	rstart []int32 // reverse adjacency (CSR): consumers of node v are rcons[rstart[v]:rstart[v+1]]
	rcons  []int32
	redge  []int32 // the consumer's edge index for each rcons entry
	rkind  []int32 // the edge's criticality and group for each rcons entry (packKind)

	own []ownNode
	eff []effNode
	sum []Summary

	// frozen marks the products whose Passed was given (NewFrozenEngine):
	// they are never evaluated; nil in every other engine.
	frozen []bool
	// ids names the products of an engine that has no records (products
	// is nil), the engines of Repropagation, which work on a Graph.
	ids []string
}

// NewEngine compiles the catalogue and computes every product. It fails only
// on invalid options (unknown perspective, zero AsOf, duplicate product IDs);
// problems in the data are reported per product as Issues.
func NewEngine(cat Catalogue, o Options) (*Engine, error) {
	e, err := newEngine(o)
	if err != nil {
		return nil, err
	}
	if err := e.compile(cat); err != nil {
		return nil, err
	}
	e.respUsers = map[string][]int32{}
	e.computeAll()
	return e, nil
}

// newEngine returns an engine with the options and no catalogue.
func newEngine(o Options) (*Engine, error) {
	if o.AsOf.IsZero() {
		return nil, errors.New("sovereignty: Options.AsOf is required")
	}
	e := &Engine{asOf: o.AsOf}
	if o.Reference != nil {
		e.ref = *o.Reference
	} else {
		e.ref = DefaultReference()
	}
	p, err := PerspectiveByName(e.ref, o.Perspective)
	if err != nil {
		return nil, err
	}
	e.persp = p
	e.cx = evalContext{p: &e.persp, ref: &e.ref, chain: e.chain, e: e}
	e.chains = map[string]*ControlChain{}
	return e, nil
}

// compile builds the perspective-independent part of the engine from the
// catalogue: the organisations, the products with their index, the
// compiled dependency edges (forward and reverse) and the failover groups
// (own[i].ngroups); own is allocated here, eff and sum are not.
func (e *Engine) compile(cat Catalogue) error {
	e.orgs = make(map[string]*Organisation, len(cat.Organisations))
	for i := range cat.Organisations {
		e.orgs[cat.Organisations[i].ID] = &cat.Organisations[i]
	}
	n := len(cat.Products)
	// A shallow copy: Apply replaces records in place, and engines for other
	// perspectives may share the caller's catalogue.
	e.products = slices.Clone(cat.Products)
	e.removed = make([]bool, n)
	e.idx = make(map[string]int32, n)
	for i := range e.products {
		id := e.products[i].ID
		if _, dup := e.idx[id]; dup {
			return fmt.Errorf("sovereignty: duplicate product ID %q", id)
		}
		e.idx[id] = int32(i)
	}
	e.dangling = map[string][]int32{}
	e.deps = make([][]edge, n)
	e.own = make([]ownNode, n)
	total := 0
	for i := range e.products {
		total += len(e.products[i].Dependencies)
	}
	backing := make([]edge, 0, total)
	for i := range e.products {
		start := len(backing)
		backing = e.compileEdges(int32(i), backing)
		e.deps[i] = backing[start:len(backing):len(backing)]
	}
	e.buildReverse()
	return nil
}

// computeAll computes every product of a compiled engine: its own rules,
// then the propagation through the whole graph.
func (e *Engine) computeAll() {
	n := len(e.products)
	e.eff = make([]effNode, n)
	e.sum = make([]Summary, n)
	all := make([]int32, n)
	for i := range all {
		all[i] = int32(i)
		e.evalOwn(int32(i))
	}
	e.propagate(all)
}

// Compiled is a catalogue compiled once for the engines of several
// perspectives: the organisations, the product index and the dependency
// graph, forward and reverse, which do not depend on the perspective.
// Compiling (a million edges resolved through the product index) costs
// about as much as computing one perspective's levels; a full
// recomputation of every perspective (Summaries per perspective) pays it,
// and holds the graph in memory, once.
//
// The Catalogue passed to Compile must not be changed while the Compiled
// is in use.
type Compiled struct {
	e *Engine // compiled only: no options, no levels; never changed
}

// Compile compiles the catalogue. It fails only on duplicate product IDs.
func Compile(cat Catalogue) (*Compiled, error) {
	e := &Engine{}
	if err := e.compile(cat); err != nil {
		return nil, err
	}
	return &Compiled{e: e}, nil
}

// Summaries computes the compact result of every product, in catalogue
// order, under the options' perspective: what NewEngine(cat, o).Summaries()
// returns for the compiled catalogue. It keeps no engine, so the results
// cannot be explained or changed afterwards. Summaries may be called
// concurrently, one call per perspective.
func (c *Compiled) Summaries(o Options) ([]Summary, error) {
	e, err := newEngine(o)
	if err != nil {
		return nil, err
	}
	t := c.e
	// Shared, read-only: this engine is never changed (no Apply), and its
	// rules only read the catalogue and the graph.
	e.orgs, e.products, e.removed, e.idx, e.dangling = t.orgs, t.products, t.removed, t.idx, t.dangling
	e.deps, e.rstart, e.rcons, e.redge, e.rkind = t.deps, t.rstart, t.rcons, t.redge, t.rkind
	e.own = slices.Clone(t.own) // with the compiled failover groups
	e.computeAll()
	return e.sum, nil
}

// Perspective returns the engine's perspective.
func (e *Engine) Perspective() Perspective { return e.persp }

// AsOf returns the date the engine judges facts at.
func (e *Engine) AsOf() time.Time { return e.asOf }

// Reference returns the reference data the engine uses.
func (e *Engine) Reference() Reference { return e.ref }

func (e *Engine) chain(orgID string) *ControlChain {
	e.chainMu.Lock()
	defer e.chainMu.Unlock()
	if cc, ok := e.chains[orgID]; ok {
		return cc
	}
	cc := walkControl(e.orgs, &e.persp, &e.ref, orgID)
	e.chains[orgID] = cc
	return cc
}

// Chain returns the control chain of an organisation under the engine's
// perspective (for display: who ultimately controls the vendor).
func (e *Engine) Chain(orgID string) ControlChain {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return *e.chain(orgID)
}

func (e *Engine) compileEdges(c int32, dst []edge) []edge {
	pr := &e.products[c]
	var groups []string
	for _, d := range pr.Dependencies {
		ed := edge{prov: -1, group: -1, crit: d.Criticality.code(), readable: d.DataAccess.readable()}
		if p, ok := e.idx[d.Provider]; ok && !e.removed[p] {
			ed.prov = p
		} else {
			e.dangling[d.Provider] = append(e.dangling[d.Provider], c)
		}
		if d.Group != "" && ed.crit == critCritical {
			g := slices.Index(groups, d.Group)
			if g < 0 {
				g = len(groups)
				groups = append(groups, d.Group)
			}
			ed.group = int16(g)
		}
		dst = append(dst, ed)
	}
	e.own[c].ngroups = int16(len(groups))
	return dst
}

func (e *Engine) buildReverse() {
	n := len(e.products)
	cnt := make([]int32, n+1)
	for c := range e.deps {
		for _, ed := range e.deps[c] {
			if ed.prov >= 0 {
				cnt[ed.prov+1]++
			}
		}
	}
	for i := 1; i <= n; i++ {
		cnt[i] += cnt[i-1]
	}
	e.rstart = cnt
	e.rcons = make([]int32, cnt[n])
	e.redge = make([]int32, cnt[n])
	e.rkind = make([]int32, cnt[n])
	fill := slices.Clone(cnt[:n])
	for c := range e.deps {
		for j, ed := range e.deps[c] {
			if ed.prov >= 0 {
				k := fill[ed.prov]
				e.rcons[k] = int32(c)
				e.redge[k] = int32(j)
				e.rkind[k] = packKind(ed.crit, int32(ed.group))
				fill[ed.prov]++
			}
		}
	}
}

func (e *Engine) evalOwn(i int32) {
	if e.removed[i] {
		return
	}
	pr := &e.products[i]
	// The levels only: the explanation is rebuilt on demand by Result.
	var ev ownEval
	e.cx.eval(pr, &ev)
	o := &e.own[i]
	o.lv = ev.lv
	o.disclosed = ev.disclosed
	if len(pr.Offerings) == 0 {
		// Downloaded software has no sub-processors: its dependencies are
		// exactly the edges the registry records.
		o.disclosed = [2]bool{true, true}
	}
	o.hidden = ev.hidden
	o.spUnknown = ev.disclosed[opt] && !ev.disclosed[pess] && len(pr.Offerings) > 0
	o.complete = ev.coverage.Complete()
	o.hasIssues = ev.anyIssue
	o.hasOffering = len(pr.Offerings) > 0
	if e.respUsers == nil {
		return
	}
	// The organisations whose chains the rules consulted: the operators
	// and the vendor.
	for k := range pr.Offerings {
		e.addRespUser(pr.Offerings[k].Operator, i)
	}
	e.addRespUser(pr.Vendor, i)
}

// addRespUser records that product i consults the control chain of
// organisation id.
func (e *Engine) addRespUser(id string, i int32) {
	// Skip the duplicate a re-evaluation would add; a stale entry only
	// costs one needless recomputation, never a wrong level.
	if u := e.respUsers[id]; len(u) == 0 || u[len(u)-1] != i {
		e.respUsers[id] = append(u, i)
	}
}

func (e *Engine) resetEff(i int32) {
	o := &e.own[i]
	f := &e.eff[i]
	f.v[sS1b] = o.lv[cS1b]
	f.v[sS2b] = o.lv[cS2b]
	f.v[sS3b] = o.lv[cS3b]
	f.v[sCrit] = [2]Level{levelNone, levelNone}
	f.v[sSoft] = [2]Level{levelNone, levelNone}
	for s := range f.via {
		f.via[s] = -1
	}
}

func inc(l Level) Level {
	if l >= RSL4 {
		return l
	}
	return l + 1
}

// unknownProvider is what a dependency on a product outside the catalogue
// (or removed from it) contributes: nothing optimistically, the worst rung
// pessimistically, like the synthetic "undisclosed dependencies" edge of P8.
var unknownProvider = func() (v [nSlot][2]Level) {
	for s := range v {
		v[s] = [2]Level{levelNone, criteria[slotCrit[s]].Worst}
	}
	return v
}()

type grp struct {
	s1b, ctrl  [2]Level
	via1, viaC int32
	used       bool
}

// eval recomputes the effective state of consumer c from its own levels and
// its providers' current effective states (methodology P1, P3, P4, P8). It
// returns whether anything changed. Values only ever decrease between
// resets, which is what makes the fixpoint iteration on cycles terminate.
func (e *Engine) eval(c int32, gs []grp) ([]grp, bool) {
	o := &e.own[c]
	var n effNode
	n.v[sS1b] = o.lv[cS1b]
	n.v[sS2b] = o.lv[cS2b]
	n.v[sS3b] = o.lv[cS3b]
	n.v[sCrit] = [2]Level{levelNone, levelNone}
	n.v[sSoft] = [2]Level{levelNone, levelNone}
	for s := range n.via {
		n.via[s] = -1
	}
	if o.hidden {
		// P8: no published sub-processor list is a synthetic critical edge
		// to an unknown provider with unknown data access.
		for _, s := range []int{sS1b, sS2b, sS3b, sCrit} {
			n.v[s][pess] = minL(n.v[s][pess], unknownProvider[s][pess])
		}
	}
	if int(o.ngroups) > 0 {
		gs = slices.Grow(gs[:0], int(o.ngroups))[:o.ngroups]
		for g := range gs {
			gs[g] = grp{s1b: [2]Level{0, 0}, ctrl: [2]Level{0, 0}, via1: -1, viaC: -1}
		}
	}
	set := func(s int, m int, l Level, via int32) {
		if l < n.v[s][m] {
			n.v[s][m] = l
			if m == opt {
				n.via[s] = via
			}
		}
	}
	for j, ed := range e.deps[c] {
		var pv *[nSlot][2]Level
		var ps1a [2]Level
		if ed.prov < 0 || e.removed[ed.prov] {
			pv = &unknownProvider
			ps1a = [2]Level{levelNone, RSL1}
		} else {
			pv = &e.eff[ed.prov].v
			ps1a = e.own[ed.prov].lv[cS1a]
		}
		via := int32(j)
		for m := opt; m <= pess; m++ {
			ctrl := minL(ps1a[m], pv[sCrit][m])
			set(sSoft, m, pv[sSoft][m], via)
			if ed.readable {
				set(sS2b, m, pv[sS2b][m], via)
				set(sS3b, m, pv[sS3b][m], via)
			}
			switch {
			case ed.crit == critCritical && ed.group < 0:
				set(sS1b, m, pv[sS1b][m], via)
				set(sCrit, m, ctrl, via)
			case ed.crit == critCritical:
				g := &gs[ed.group]
				g.used = true
				if pv[sS1b][m] > g.s1b[m] || (m == opt && g.via1 < 0) {
					g.s1b[m] = maxL(g.s1b[m], pv[sS1b][m])
					if m == opt {
						g.via1 = via
					}
				}
				if ctrl > g.ctrl[m] || (m == opt && g.viaC < 0) {
					g.ctrl[m] = maxL(g.ctrl[m], ctrl)
					if m == opt {
						g.viaC = via
					}
				}
				// A foreign member with a home alternative is still a
				// foreign dependency, just not a single point of failure.
				set(sSoft, m, ctrl, via)
			case ed.crit == critDegrading:
				set(sS1b, m, inc(pv[sS1b][m]), via)
				set(sSoft, m, ctrl, via)
			default:
				set(sSoft, m, ctrl, via)
			}
		}
	}
	for g := 0; g < int(o.ngroups); g++ {
		gr := &gs[g]
		if !gr.used {
			continue
		}
		for m := opt; m <= pess; m++ {
			set(sS1b, m, gr.s1b[m], gr.via1)
			set(sCrit, m, gr.ctrl[m], gr.viaC)
		}
	}
	cur := &e.eff[c]
	if n.v == cur.v {
		return gs, false
	}
	// Keep the old pointer where the optimistic value did not move, so that
	// pointers always lead to the predecessor that first set the value and
	// can never form a cycle.
	for s := range n.v {
		if n.v[s][opt] == cur.v[s][opt] {
			n.via[s] = cur.via[s]
		}
	}
	*cur = n
	return gs, true
}

// propagate recomputes the effective state of the given set of products,
// which must be closed under dependents (every consumer of a member is a
// member). Strongly connected components are processed providers first
// (components), so an acyclic graph needs one evaluation per node; inside
// a cycle a worklist iterates to the fixpoint (settle).
func (e *Engine) propagate(set []int32) {
	n := len(e.products)
	active := make([]bool, n)
	for _, v := range set {
		if !e.removed[v] {
			active[v] = true
			e.resetEff(v)
		}
	}
	var st settler
	components(n, set, active, func(v, pos int32) (int32, bool) {
		if int(pos) >= len(e.deps[v]) {
			return 0, false
		}
		return e.deps[v][pos].prov, true
	}, func(comp []int32) { st.settle(e, comp) })
	for _, v := range set {
		if !e.removed[v] {
			e.finalize(v)
		}
	}
}

// settler evaluates components (settle), reusing its scratch space.
type settler struct {
	gs      []grp
	queue   []int32
	inComp  []bool // per product, allocated at the first cycle
	inQueue []bool
}

// settle evaluates one strongly connected component whose providers
// outside it are final: a single product without a self-loop once, a
// cycle by a worklist until nothing changes. Values only decrease between
// resets, so the worklist ends.
func (st *settler) settle(e *Engine, comp []int32) {
	if len(comp) == 1 && !e.selfLoop(comp[0]) {
		st.gs, _ = e.eval(comp[0], st.gs)
		return
	}
	if st.inComp == nil {
		st.inComp, st.inQueue = make([]bool, len(e.own)), make([]bool, len(e.own))
	}
	for _, w := range comp {
		st.inComp[w] = true
		st.inQueue[w] = true
	}
	st.queue = append(st.queue[:0], comp...)
	for len(st.queue) > 0 {
		w := st.queue[0]
		st.queue = st.queue[1:]
		st.inQueue[w] = false
		var changed bool
		st.gs, changed = e.eval(w, st.gs)
		if !changed {
			continue
		}
		for k := e.rstart[w]; k < e.rstart[w+1]; k++ {
			if c := e.rcons[k]; st.inComp[c] && !st.inQueue[c] {
				st.inQueue[c] = true
				st.queue = append(st.queue, c)
			}
		}
	}
	for _, w := range comp {
		st.inComp[w] = false
	}
}

// components finds the strongly connected components of the products in
// set among the n products (Tarjan's algorithm, iterative), following
// from v its pos-th dependency's provider as next returns it (ok false
// past the last; a provider that is negative or not active is skipped),
// and calls emit with each component, providers' components first. emit
// must not keep comp.
func components(n int, set []int32, active []bool, next func(v, pos int32) (int32, bool), emit func(comp []int32)) {
	index := make([]int32, n)
	low := make([]int32, n)
	for _, v := range set {
		index[v] = -1
	}
	onStack := make([]bool, n)
	var stack []int32
	type frame struct{ v, pos int32 }
	var calls []frame
	var counter int32
	var comp []int32
	for _, s := range set {
		if !active[s] || index[s] != -1 {
			continue
		}
		index[s], low[s] = counter, counter
		counter++
		stack = append(stack, s)
		onStack[s] = true
		calls = append(calls, frame{s, 0})
		for len(calls) > 0 {
			fr := &calls[len(calls)-1]
			v := fr.v
			if w, ok := next(v, fr.pos); ok {
				fr.pos++
				if w < 0 || !active[w] {
					continue
				}
				if index[w] == -1 {
					index[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, 0})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				u := calls[len(calls)-1].v
				if low[v] < low[u] {
					low[u] = low[v]
				}
			}
			if low[v] != index[v] {
				continue
			}
			// v is the root of a component: pop it.
			comp = comp[:0]
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			emit(comp)
		}
	}
}

// hasDangling reports whether v depends on a product that is not in the
// catalogue (never was, or was removed): a missing fact, so the result is
// provisional (methodology §5).
func (e *Engine) hasDangling(v int32) bool {
	for _, ed := range e.deps[v] {
		if ed.prov < 0 || e.removed[ed.prov] {
			return true
		}
	}
	return false
}

func (e *Engine) selfLoop(v int32) bool {
	for _, ed := range e.deps[v] {
		if ed.prov == v {
			return true
		}
	}
	return false
}

// s5a maps the helper axes to CSF SOV-5 Q6 (methodology P4): a foreign-
// controlled provider (S1.a ≤ 1) on a critical path without a home failover
// alternative → 1, or 2 if the dependencies are disclosed; foreign providers
// only off the critical path → 3 if disclosed, 2 if not; none → 4.
func s5a(crit, soft Level, disclosed bool) Level {
	switch {
	case crit <= RSL1 && disclosed:
		return RSL2
	case crit <= RSL1:
		return RSL1
	case soft <= RSL1 && disclosed:
		return RSL3
	case soft <= RSL1:
		return RSL2
	}
	return RSL4
}

// effective returns the criterion levels after inheritance.
func (e *Engine) effective(v int32) [nCrit][2]Level {
	o := &e.own[v]
	f := &e.eff[v]
	lv := o.lv
	lv[cS1b] = f.v[sS1b]
	lv[cS2b] = f.v[sS2b]
	lv[cS3b] = f.v[sS3b]
	for m := opt; m <= pess; m++ {
		lv[cS5a][m] = s5a(f.v[sCrit][m], f.v[sSoft][m], o.disclosed[m])
	}
	if o.spUnknown && lv[cS5a][opt] == RSL4 {
		// "No foreign provider" cannot be claimed while the sub-processors
		// are unknown.
		lv[cS5a][opt] = levelNone
	}
	return lv
}

// aggregate applies the weakest-link rule: objective = min of its answered
// criteria, overall = min of the gating objectives. With nothing answered the
// overall level is the pessimistic one, never a flattering default.
func aggregate(lv *[nCrit][2]Level) (objs [6]ObjectiveLevel, overall, pessimistic Level) {
	for i := range objs {
		objs[i] = ObjectiveLevel{Objective: Objectives[i], Level: levelNone, Pessimistic: levelNone}
	}
	for c := range lv {
		oi := objIndex(criteria[c].Objective)
		objs[oi].Level = minL(objs[oi].Level, lv[c][opt])
		objs[oi].Pessimistic = minL(objs[oi].Pessimistic, lv[c][pess])
	}
	overall, pessimistic = levelNone, levelNone
	for i := range objs {
		overall = minL(overall, objs[i].Level)
		pessimistic = minL(pessimistic, objs[i].Pessimistic)
		objs[i].Answered = objs[i].Level != levelNone
		if !objs[i].Answered {
			objs[i].Level = objs[i].Pessimistic
		}
		if objs[i].Pessimistic == levelNone {
			objs[i].Level, objs[i].Pessimistic = RSL4, RSL4 // not applicable
		}
	}
	if pessimistic == levelNone {
		pessimistic = RSL0
	}
	if overall == levelNone {
		overall = pessimistic
	}
	pessimistic = minL(pessimistic, overall)
	return objs, overall, pessimistic
}

// productID returns the ID of product v.
func (e *Engine) productID(v int32) string {
	if e.ids != nil {
		return e.ids[v]
	}
	return e.products[v].ID
}

func (e *Engine) finalize(v int32) { e.sum[v] = e.summary(v) }

// summary is the compact result of product v from its own and effective
// state.
func (e *Engine) summary(v int32) Summary {
	lv := e.effective(v)
	objs, overall, pes := aggregate(&lv)
	o := &e.own[v]
	return Summary{
		ProductID:   e.productID(v),
		Overall:     overall,
		Pessimistic: pes,
		Provisional: !o.complete || o.hasIssues || pes < overall || e.hasDangling(v),
		Objectives:  objs,
		RuleVersion: RuleVersion,
		Perspective: e.persp.Name,
		Passed:      e.passed(v),
		Own:         e.ownOf(v),
	}
}

// Summary returns the compact result of a product.
func (e *Engine) Summary(id string) (Summary, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.idx[id]
	if !ok || e.removed[i] {
		return Summary{}, fmt.Errorf("%w: %q", ErrUnknownProduct, id)
	}
	if e.isFrozen(i) {
		return Summary{}, fmt.Errorf("%w: %q", ErrFrozenProduct, id)
	}
	return e.sum[i], nil
}

// Summaries returns the compact results of all products in catalogue order.
func (e *Engine) Summaries() []Summary {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]Summary, 0, len(e.sum))
	for i := range e.sum {
		if !e.removed[i] && !e.isFrozen(int32(i)) {
			out = append(out, e.sum[i])
		}
	}
	return out
}

func (e *Engine) lookup(ids []string) ([]int32, error) {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		i, ok := e.idx[id]
		if !ok || e.removed[i] {
			return nil, fmt.Errorf("%w: %q", ErrUnknownProduct, id)
		}
		out = append(out, i)
	}
	return out, nil
}

// dependents returns seeds plus every product that depends on one of them,
// directly or transitively (breadth-first over reverse edges; cycle-safe).
func (e *Engine) dependents(seeds []int32) []int32 {
	seen := make([]bool, len(e.products))
	out := make([]int32, 0, len(seeds))
	for _, s := range seeds {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for k := 0; k < len(out); k++ {
		v := out[k]
		for r := e.rstart[v]; r < e.rstart[v+1]; r++ {
			if c := e.rcons[r]; !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// Dependents returns the IDs of every product that depends on one of ids,
// directly or transitively, excluding ids themselves, sorted.
func (e *Engine) Dependents(ids ...string) ([]string, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	seeds, err := e.lookup(ids)
	if err != nil {
		return nil, err
	}
	// dependents lists each seed once: a repeated ID must not cut off a
	// real dependent.
	slices.Sort(seeds)
	seeds = slices.Compact(seeds)
	all := e.dependents(seeds)
	return e.names(all[len(seeds):]), nil
}

// Affected returns ids plus all their transitive dependents, sorted: exactly
// the products whose levels a change to ids can alter.
func (e *Engine) Affected(ids ...string) ([]string, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	seeds, err := e.lookup(ids)
	if err != nil {
		return nil, err
	}
	return e.names(e.dependents(seeds)), nil
}

func (e *Engine) names(vs []int32) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if !e.removed[v] {
			out = append(out, e.products[v].ID)
		}
	}
	slices.Sort(out)
	return out
}

// Recompute re-evaluates the given products from their current facts and
// propagates to all their dependents. It returns the affected IDs.
func (e *Engine) Recompute(ids ...string) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	seeds, err := e.lookup(ids)
	if err != nil {
		return nil, err
	}
	return e.recompute(seeds), nil
}

func (e *Engine) recompute(seeds []int32) []string {
	for _, s := range seeds {
		e.evalOwn(s)
	}
	set := e.dependents(seeds)
	e.propagate(set)
	return e.names(set)
}

// Change is a set of edits to the catalogue. Upserts replace the whole
// record (an organisation with its owners, a product with its offerings
// and dependencies).
type Change struct {
	Organisations   []Organisation
	Products        []Product
	RemovedProducts []string
}

// Apply edits the catalogue and recomputes exactly the affected products:
// the changed products, the products whose control chains consult a changed
// organisation, and all their transitive dependents. It returns the IDs of
// the recomputed products (sorted), so the store can write them in the same
// transaction as the change.
func (e *Engine) Apply(ch Change) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.frozen != nil {
		// A frozen product's Passed would not follow the change.
		return nil, errors.New("sovereignty: Apply on a frozen engine")
	}
	var seeds []int32
	if len(ch.Organisations) > 0 {
		changed := map[string]bool{}
		for i := range ch.Organisations {
			o := ch.Organisations[i]
			e.orgs[o.ID] = &o
			changed[o.ID] = true
		}
		e.chainMu.Lock()
		for id, cc := range e.chains {
			hit := changed[id]
			for _, c := range cc.consulted {
				hit = hit || changed[c]
			}
			if hit {
				delete(e.chains, id)
				seeds = append(seeds, e.respUsers[id]...)
			}
		}
		e.chainMu.Unlock()
		for id := range changed {
			seeds = append(seeds, e.respUsers[id]...)
		}
	}
	edgesChanged := false
	for _, id := range ch.RemovedProducts {
		i, ok := e.idx[id]
		if !ok || e.removed[i] {
			return nil, fmt.Errorf("%w: %q", ErrUnknownProduct, id)
		}
		e.removed[i] = true
		e.products[i] = Product{ID: id}
		e.deps[i] = nil
		seeds = append(seeds, i)
		edgesChanged = true
	}
	for _, p := range ch.Products {
		i, ok := e.idx[p.ID]
		if !ok {
			i = int32(len(e.products))
			e.idx[p.ID] = i
			e.products = append(e.products, p)
			e.removed = append(e.removed, false)
			e.deps = append(e.deps, nil)
			e.own = append(e.own, ownNode{})
			e.eff = append(e.eff, effNode{})
			e.sum = append(e.sum, Summary{})
			// Consumers that pointed at this ID before it existed now
			// resolve to it.
			for _, c := range e.dangling[p.ID] {
				e.deps[c] = e.compileEdges(c, nil)
				seeds = append(seeds, c)
			}
			delete(e.dangling, p.ID)
		} else {
			e.products[i] = p
			e.removed[i] = false
		}
		e.deps[i] = e.compileEdges(i, nil)
		seeds = append(seeds, i)
		edgesChanged = true
	}
	if edgesChanged {
		e.buildReverse()
	}
	return e.recompute(seeds), nil
}
