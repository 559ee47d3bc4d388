package catalog

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// Perspectives lists the perspectives the registry computes and stores.
// They are built once (every page lists them); the slice is the caller's,
// the perspectives themselves are shared and must not be changed.
func Perspectives() []sovereignty.Perspective {
	return slices.Clone(perspectives())
}

var perspectives = sync.OnceValue(func() []sovereignty.Perspective {
	return sovereignty.Perspectives(sovereignty.DefaultReference())
})

// ValidPerspective checks a perspective name ("" means the default).
func ValidPerspective(name string) (string, error) {
	if name == "" {
		return DefaultPerspective, nil
	}
	if perspectiveIndex(name) >= 0 {
		return name, nil
	}
	p := newProblems()
	p.at("perspective").add("error.perspective", "%q is not a perspective (eu, de, ch, eu-ch)", name)
	return "", p.err()
}

// BulkGraphStore is a GraphStore that can also recompute the whole
// catalogue in bulk inside the same transaction. A write's GraphStore
// offers it when the storage can; reclassify then recomputes everything
// when a change affects a large share of the catalogue (a hub), which
// costs less than loading the affected products' closure one by one.
type BulkGraphStore interface {
	GraphStore
	// ProductCount counts the products of the catalogue.
	ProductCount(ctx context.Context) (int, error)
	// Bulk returns the GraphStore of a full recomputation in the same
	// transaction (as Repository.Reclassify hands it): All loads the whole
	// catalogue in one pass and SaveLevels writes only the levels that
	// differ from the stored ones. The storage lets one write compute
	// levels at a time, so what All reads is committed or the write's own.
	Bulk(ctx context.Context) (GraphStore, error)
	// SaveMovedLevels is SaveLevels for levels known to differ from the
	// stored ones, each of which exists (a repropagation compared them):
	// in bulk, without reading the stored levels again to compare.
	SaveMovedLevels(ctx context.Context, levels []ProductLevel) error
}

// DefaultBulkShare is the share of the catalogue from which a write's
// reclassification recomputes every product instead of the affected ones.
// The per-product path's cost follows the upstream closure of the affected
// products (Upstream loads it row by row), the bulk path's the catalogue's
// size. Measured (docs/benchmarks.md, "Change to a hub"): at 100,000
// products and 1,000,000 edges, where even two products' closure is large,
// the paths cross between 223 and 538 affected products (0.2-0.5 %); on
// the seed (61 products) both take under 0.1 s. 1 % stays within a third
// of the better path there, and leaves the per-product path to sparser
// catalogues, where closures are small and a few per cent of the products
// still recompute faster one by one.
const DefaultBulkShare = 0.01

// WithBulkShare sets the share of the catalogue (0 to 1) from which a
// write's reclassification recomputes every product in bulk when the
// storage offers it (BulkGraphStore); 0 always does (unless the changed
// products pass on what they did, see reclassify), more than 1 never.
func WithBulkShare(share float64) Option {
	return func(s *Service) { s.bulkShare = share }
}

// reclassify recomputes, inside a write's transaction, the levels of every
// product the change can affect, and returns how many products it
// computed, and how. When they are a large share of the catalogue it recomputes
// every product in bulk instead: an affected product's level comes out as
// classify computes it (it depends only on its upstream closure, which the
// whole catalogue contains), and an unaffected product's equals its stored
// level, so nothing is written for it.
//
// First, though, it computes the changed products alone (cutoff): a
// dependent reads nothing of its providers but what they pass on
// (sovereignty.Passed, stored with every level), so when the changed
// products still pass on exactly what they stored, no dependent's level
// can change, and computing theirs again would only write them back.
// Editing a description, a source or a fact that does not move a level
// of a hub then costs what editing a leaf costs. When they pass on
// something new, their new own evaluations are carried to their
// dependents through the dependency graph and the stored states
// (repropagate), which reads no dependent's facts.
func (s *Service) reclassify(ctx context.Context, g GraphStore, ch Changed) (reclassified, error) {
	if len(ch.Products)+len(ch.Organizations) == 0 {
		return reclassified{}, nil
	}
	if len(ch.Organizations) == 0 && len(ch.Products) <= cutoffMax {
		gen, err := g.Generation(ctx)
		if err != nil {
			return reclassified{}, err
		}
		c, err := s.classifyCutoff(ctx, g, ch.Products)
		if err != nil {
			return reclassified{}, err
		}
		if c.done {
			return s.keepingGraph(ctx, g, gen, ch.Products, c.sub, reclassified{products: len(ch.Products), by: ByCutoff})
		}
		if c.fresh != nil && s.bulkShare > 0 {
			n, ok, err := s.repropagate(ctx, g, gen, ch.Products, c)
			if err != nil {
				return reclassified{}, err
			}
			if ok {
				return s.keepingGraph(ctx, g, gen, ch.Products, c.sub, reclassified{products: n, by: ByGraph})
			}
		}
	}
	b, bulkable := g.(BulkGraphStore)
	n := 0
	if bulkable {
		var err error
		if n, err = b.ProductCount(ctx); err != nil {
			return reclassified{}, err
		}
		// Listing a hub's dependents takes seconds on a large graph
		// (a recursive query over a million edges); the dependency graph
		// in memory, when loaded, tells first whether the bulk path will
		// be taken anyway.
		if gr := s.anyLoadedGraph(); gr != nil && bulkByGraph(gr, ch, n, s.bulkShare) {
			return reclassified{products: n, by: ByBulk}, s.recomputeBulk(ctx, b)
		}
	}
	slugs, err := g.Affected(ctx, ch.Products, ch.Organizations)
	if err != nil {
		return reclassified{}, err
	}
	if bulkable && len(slugs) > 0 && float64(len(slugs)) >= s.bulkShare*float64(n) {
		return reclassified{products: n, by: ByBulk}, s.recomputeBulk(ctx, b)
	}
	return reclassified{products: len(slugs), by: ByDependents}, s.classify(ctx, g, slugs)
}

// reclassified is how many products a write's reclassification computed,
// and how; and the dependency graph in memory the write left as it was.
type reclassified struct {
	products int
	by       ReclassifyPath
	keep     keptGraph
}

// cutoffMax bounds the changed products for which a write tries the
// cutoff: an editor's change touches one or a few, and computing them
// first costs their upstream closure, which a write changing many
// products (a full import of new data) would compute twice when the
// cutoff fails.
const cutoffMax = 8

// cutoff is what classifyCutoff computed: whether it is done, and
// otherwise, when the changed products existed before with complete
// stored states, their stored levels and their levels computed afresh,
// for repropagate.
type cutoff struct {
	done   bool
	stored []ProductLevel
	fresh  []ProductLevel
	sub    Subgraph // the changed products' upstream closure
}

// classifyCutoff computes the levels of the changed products slugs and,
// when every one of them existed before with a stored level under every
// perspective and still passes on what it stored, saves them and reports
// done: their dependents' levels cannot have changed. Otherwise it saves
// nothing and hands what it computed to the caller, which carries the
// change to the dependents (repropagate) or recomputes them (a new or
// removed product changes what its dependents' edges resolve to, so it
// never cuts off).
func (s *Service) classifyCutoff(ctx context.Context, g GraphStore, slugs []string) (cutoff, error) {
	stored, err := g.StoredLevels(ctx, slugs)
	if err != nil {
		return cutoff{}, err
	}
	before := make(map[[2]string]*sovereignty.Passed, len(stored))
	for _, l := range stored {
		if l.RuleVersion == sovereignty.RuleVersion {
			before[[2]string{l.Product, l.Perspective}] = l.Passed
		}
	}
	if len(before) < len(slugs)*len(perspectives()) {
		return cutoff{}, nil
	}
	sub, err := g.Upstream(ctx, slugs)
	if err != nil || onCycle(sub, slugs) {
		return cutoff{}, err
	}
	levels, err := s.levelsIn(sub, slugs)
	if err != nil {
		return cutoff{}, err
	}
	for _, l := range levels {
		old := before[[2]string{l.Product, l.Perspective}]
		// The pointers (Via) only say which of the product's own
		// dependencies an explanation's path takes; dependents read the
		// levels.
		if old == nil || old.Axes != l.Passed.Axes || old.S1a != l.Passed.S1a {
			return cutoff{stored: stored, fresh: levels, sub: sub}, nil
		}
	}
	return cutoff{done: true, sub: sub}, g.SaveLevels(ctx, levels)
}

// recomputeBulk recomputes every product through b's full recomputation.
func (s *Service) recomputeBulk(ctx context.Context, b BulkGraphStore) error {
	all, err := b.Bulk(ctx)
	if err != nil {
		return err
	}
	return s.heavy(func() error { return s.recomputeAll(ctx, all) })
}

// WithHeavyWork sets how the service runs work that holds the whole
// catalogue in memory (a write's bulk recomputation): run calls work, with
// whatever the process needs around it. The server lifts its soft memory
// limit for the duration, which a recomputation's few hundred MB would
// otherwise turn into a collector running flat out.
func WithHeavyWork(run func(work func() error) error) Option {
	return func(s *Service) { s.heavyWork = run }
}

// heavy runs work through the WithHeavyWork wrapper, if any.
func (s *Service) heavy(work func() error) error {
	if s.heavyWork == nil {
		return work()
	}
	return s.heavyWork(work)
}

// bulkByGraph reports whether the products changed by ch and their
// transitive dependents in gr reach share of the n products, so that the
// write should recompute in bulk. It answers only for changes to products:
// a change to an organisation reaches products through vendors and
// operators, which the graph does not hold. gr may be a generation older
// than the write (the write itself may add or remove edges): too low a
// count leaves the decision to the exact list of affected products, too
// high a one only costs a bulk recomputation, whose levels are right
// either way.
func bulkByGraph(gr *sovereignty.Graph, ch Changed, n int, share float64) bool {
	if len(ch.Organizations) > 0 || len(ch.Products) == 0 {
		return false
	}
	return float64(gr.ReachCount(ch.Products)) >= share*float64(n)
}

// onCycle reports whether one of slugs depends on itself, directly or
// through others, in sub (their upstream closure). The cutoff leaves such
// a product aside: inside a cycle, which of several equally binding
// dependencies a stored pointer names depends on the order of evaluation,
// and pointers from two computations could lead an explanation's path in
// a circle.
func onCycle(sub Subgraph, slugs []string) bool {
	deps := make(map[string][]Dependency, len(sub.Products))
	for _, p := range sub.Products {
		deps[p.Slug] = p.Dependencies
	}
	for _, root := range slugs {
		seen := map[string]bool{}
		queue := []string{root}
		for len(queue) > 0 {
			slug := queue[0]
			queue = queue[1:]
			for _, d := range deps[slug] {
				if d.Provider == root {
					return true
				}
				if !seen[d.Provider] {
					seen[d.Provider] = true
					queue = append(queue, d.Provider)
				}
			}
		}
	}
	return false
}

// classify computes and saves the levels of slugs under every perspective.
func (s *Service) classify(ctx context.Context, g GraphStore, slugs []string) error {
	levels, err := s.compute(ctx, g, slugs)
	if err != nil {
		return err
	}
	return g.SaveLevels(ctx, levels)
}

// compute computes the levels of slugs under every perspective, evaluating
// them inside their upstream closure: a product's level depends only on
// what it (transitively) depends on and on the control chains of the
// organisations involved.
func (s *Service) compute(ctx context.Context, g GraphStore, slugs []string) ([]ProductLevel, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	sub, err := g.Upstream(ctx, slugs)
	if err != nil {
		return nil, err
	}
	return s.levelsIn(sub, slugs)
}

// levelsIn computes the levels of slugs under every perspective inside
// sub, which holds their upstream closure.
func (s *Service) levelsIn(sub Subgraph, slugs []string) ([]ProductLevel, error) {
	cat := toSovereignty(sub)
	levels := make([]ProductLevel, 0, len(slugs)*len(perspectives()))
	for _, p := range perspectives() {
		eng, err := sovereignty.NewEngine(cat, sovereignty.Options{Perspective: p.Name, AsOf: s.now()})
		if err != nil {
			return nil, fmt.Errorf("classify: %w", err)
		}
		for _, slug := range slugs {
			sum, err := eng.Summary(slug)
			if err != nil {
				return nil, fmt.Errorf("classify %s: %w", slug, err)
			}
			levels = append(levels, levelOf(sum))
		}
	}
	return levels, nil
}

// EnsureClassified recomputes every level when the stored ones were made
// with another rule version or some product lacks one. It reports whether
// it recomputed.
func (s *Service) EnsureClassified(ctx context.Context) (bool, error) {
	st, err := s.repo.ClassificationState(ctx, len(Perspectives()))
	if err != nil {
		return false, err
	}
	if st.RuleVersion == sovereignty.RuleVersion && st.Unclassified == 0 {
		return false, nil
	}
	return true, s.RecomputeAll(ctx)
}

// RecomputeAll recomputes and stores the level of every product, loading
// the whole catalogue at once (see recomputeAll).
func (s *Service) RecomputeAll(ctx context.Context) error {
	defer s.forgetGeneration()
	return s.repo.Reclassify(ctx, sovereignty.RuleVersion, func(ctx context.Context, g GraphStore) error {
		return s.heavy(func() error { return s.recomputeAll(ctx, g) })
	})
}

// Level returns the stored level of a product under a perspective.
func (s *Service) Level(ctx context.Context, slug, perspective string) (ProductLevel, error) {
	perspective, err := ValidPerspective(perspective)
	if err != nil {
		return ProductLevel{}, err
	}
	return s.level(ctx, slug, perspective)
}

// Explain computes the full, explained classification of one product: the
// criteria with their reasons, facts and sources, inheritance paths, binding
// constraints, coverage and the self-hosted profile, together with every
// source those facts cite.
func (s *Service) Explain(ctx context.Context, slug, perspective string) (Explanation, error) {
	perspective, err := ValidPerspective(perspective)
	if err != nil {
		return Explanation{}, err
	}
	if !ValidSlug(slug) {
		return Explanation{}, ErrNotFound
	}
	if ex, ok, err := s.explainRead(ctx, slug, perspective); ok {
		return ex, err
	}
	sub, err := s.explainSubgraph(ctx, slug)
	if err != nil {
		return Explanation{}, err
	}
	return s.explainIn(sub, slug, perspective)
}

// explainIn runs the rules for slug on its upstream closure sub.
func (s *Service) explainIn(sub Subgraph, slug, perspective string) (Explanation, error) {
	if len(sub.Products) == 0 {
		return Explanation{}, fmt.Errorf("explain %s: %w", slug, ErrNotFound)
	}
	eng, err := sovereignty.NewEngine(toSovereignty(sub), sovereignty.Options{Perspective: perspective, AsOf: s.now(), Reference: defaultReference()})
	if err != nil {
		return Explanation{}, fmt.Errorf("explain %s: %w", slug, err)
	}
	res, err := eng.Result(slug)
	if err != nil {
		return Explanation{}, fmt.Errorf("explain %s: %w", slug, err)
	}
	return explanation(res, sub), nil
}

// Levels returns the stored levels of many products (unclassified ones are
// absent), for listings and trees.
func (s *Service) Levels(ctx context.Context, slugs []string, perspective string) (map[string]ProductLevel, error) {
	perspective, err := ValidPerspective(perspective)
	if err != nil {
		return nil, err
	}
	return s.levels(ctx, slugs, perspective)
}

// LevelCounts counts products by category and level under a perspective.
func (s *Service) LevelCounts(ctx context.Context, perspective string) ([]LevelCount, error) {
	perspective, err := ValidPerspective(perspective)
	if err != nil {
		return nil, err
	}
	return memoized(ctx, s, "level-counts/"+perspective, func() ([]LevelCount, error) { return s.repo.LevelCounts(ctx, perspective) })
}

// graphCache holds the compact dependency graph for outage impact and
// dependency trees, rebuilt when the catalogue's generation moves on (also
// when another instance wrote).
type graphCache struct {
	mu    sync.Mutex
	gen   int64
	graph *sovereignty.Graph
}

// Graph returns the current dependency graph, reloading it when the stored
// generation differs from the cached one.
func (s *Service) Graph(ctx context.Context) (*sovereignty.Graph, error) {
	gen, err := s.currentGeneration(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.graph
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.graph != nil && c.gen == gen {
		return c.graph, nil
	}
	if rs := s.readStore(); rs != nil {
		gn, ge, g, err := rs.ReadGraph(ctx)
		if err != nil {
			return nil, err
		}
		c.graph, c.gen = sovereignty.NewGraph(gn, ge), g
		return c.graph, nil
	}
	nodes, edges, g, err := s.repo.Edges(ctx)
	if err != nil {
		return nil, err
	}
	gn := make([]sovereignty.GraphNode, len(nodes))
	for i, n := range nodes {
		gn[i] = sovereignty.GraphNode{ID: n.Slug, Name: n.Name}
	}
	ge := make([]sovereignty.GraphEdge, len(edges))
	for i, e := range edges {
		ge[i] = sovereignty.GraphEdge{Consumer: e.Consumer, Provider: e.Provider, Role: string(e.Role),
			Criticality: sovereignty.Criticality(e.Criticality), Group: e.Group, DataAccess: sovereignty.DataAccess(e.DataAccess)}
	}
	c.graph, c.gen = sovereignty.NewGraph(gn, ge), g
	return c.graph, nil
}

// MaxFailed bounds how many products one outage simulation may fail.
const MaxFailed = 20

// Impact simulates the failure of the given products: every product that
// goes down (critical path) or degrades, with the path.
func (s *Service) Impact(ctx context.Context, failed []string) (*sovereignty.Impact, error) {
	p := newProblems()
	if len(failed) == 0 {
		p.at("failed").add("error.required", "name at least one product to fail")
	}
	if len(failed) > MaxFailed {
		p.at("failed").add("error.too_many", "at most %d products can fail at once", MaxFailed)
	}
	g, err := s.Graph(ctx)
	if err != nil {
		return nil, err
	}
	for i, f := range failed {
		if !ValidSlug(f) || !g.Has(f) {
			p.at("failed[%d]", i).add("error.product_unknown", "%q is not a product in the catalogue", f)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return g.Impact(failed...)
}
