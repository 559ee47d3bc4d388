package catalog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// Read-cache bounds. A product page reads its product, the product's
// upstream closure (for the explanation), the organisations those products
// involve and the stored levels of the tree's boxes. Closures share their
// providers (hubs and popular products), so records are kept per product
// and reused across pages; all of it belongs to one catalogue generation
// and is dropped when the generation moves on.
const (
	// readCacheProducts bounds the records kept of products others depend
	// on (about 5 KB each). Measured on the generated 100,000-product
	// catalogue: 300 products make up 80 % of the providers in random
	// products' closures, 1,600 make up 90 %, 2,800 95 %.
	readCacheProducts = 2_000
	// readCacheRecent bounds the records kept of pages' products nobody
	// depends on: only until the page's explanation has read them.
	readCacheRecent = 128
	// readCacheOrganizations bounds the organisation records kept. Every
	// product page names its vendor and operators and walks their owners,
	// and a bounded map keeps for certain only half its bound (see
	// bounded), so the bound is twice the organisations of a large
	// catalogue: with 2,500, the 2,073 organisations of the generated
	// 100,000-product catalogue did not fit, and about one product page in
	// four paid a second round trip for an evicted one.
	readCacheOrganizations = 10_000
	// readCacheLevels bounds the products whose stored levels are kept
	// (about 200 bytes each, every perspective).
	readCacheLevels = 20_000
	// readCacheDetails bounds the assembled product details kept; only
	// products with at least detailCacheFrom dependents are kept (what a
	// detail saves is counting and listing a hub's dependents).
	readCacheDetails = 500
	detailCacheFrom  = 50
)

// bounded is a size-bounded map with approximately least-recently-used
// eviction: entries live in a current and a previous generation of maps;
// a hit in the previous one moves the entry forward, and when the current
// map is half the bound it becomes the previous one (dropping the older
// half). Safe for concurrent use.
type bounded[K comparable, V any] struct {
	mu        sync.Mutex
	half      int
	cur, prev map[K]V
}

func newBounded[K comparable, V any](size int) *bounded[K, V] {
	half := max(size/2, 1)
	return &bounded[K, V]{half: half, cur: make(map[K]V, half)}
}

func (b *bounded[K, V]) get(k K) (V, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if v, ok := b.cur[k]; ok {
		return v, true
	}
	v, ok := b.prev[k]
	if ok {
		b.putLocked(k, v)
	}
	return v, ok
}

func (b *bounded[K, V]) put(k K, v V) {
	b.mu.Lock()
	b.putLocked(k, v)
	b.mu.Unlock()
}

func (b *bounded[K, V]) putLocked(k K, v V) {
	b.cur[k] = v
	if len(b.cur) >= b.half {
		b.prev, b.cur = b.cur, make(map[K]V, b.half)
	}
}

// storedLevels are the stored levels of one product, per perspective (in
// the order of Perspectives()), as far as they have been read.
type storedLevels struct {
	read, present uint8 // bit i: perspective i was read / has a level
	levels        [maxPerspectives]compactLevel
}

// maxPerspectives bounds the perspectives storedLevels can hold.
const maxPerspectives = 4

// compactLevel is a ProductLevel without its product and perspective, in
// small integers: the levels cache holds tens of thousands.
type compactLevel struct {
	overall, pessimistic int8
	provisional          bool
	hasPassed            bool
	objectives           [6]int8
	ruleVersion          string
	passed               sovereignty.Passed
}

func compact(l ProductLevel) compactLevel {
	c := compactLevel{overall: int8(l.Overall), pessimistic: int8(l.Pessimistic), provisional: l.Provisional,
		ruleVersion: l.RuleVersion}
	if c.ruleVersion == sovereignty.RuleVersion {
		c.ruleVersion = sovereignty.RuleVersion // one copy of the string for all
	}
	for i, o := range l.Objectives {
		c.objectives[i] = int8(o)
	}
	if l.Passed != nil {
		c.hasPassed, c.passed = true, *l.Passed
	}
	return c
}

func (c compactLevel) level(slug, perspective string) ProductLevel {
	l := ProductLevel{Product: slug, Perspective: perspective, Overall: int(c.overall), Pessimistic: int(c.pessimistic),
		Provisional: c.provisional, RuleVersion: c.ruleVersion}
	for i, o := range c.objectives {
		l.Objectives[i] = int(o)
	}
	if c.hasPassed {
		p := c.passed
		l.Passed = &p
	}
	return l
}

// perspectiveNames are the names of Perspectives(), in order.
var perspectiveNames = sync.OnceValue(func() []string {
	var names []string
	for _, p := range Perspectives() {
		names = append(names, p.Name)
	}
	return names
})

// readCache holds the records of one catalogue generation.
type readCache struct {
	gen      int64
	products *bounded[string, *ProductRecord]
	recent   *bounded[string, *ProductRecord]
	orgs     *bounded[string, *OrganizationRecord]
	levels   *bounded[string, storedLevels]
	details  *bounded[string, *ProductDetail]
}

// readCaches gives the read cache of the current generation.
type readCaches struct {
	mu  sync.Mutex
	cur *readCache
}

// readCache returns the read cache of the current generation, starting an
// empty one when the generation moved on. Records are loaded after the
// generation was read, so a cache never holds data older than its
// generation; a write commits a new generation, which retires the cache.
func (s *Service) readCache(ctx context.Context) (*readCache, error) {
	gen, err := s.currentGeneration(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.reads
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil || c.cur.gen != gen {
		c.cur = &readCache{
			gen:      gen,
			products: newBounded[string, *ProductRecord](readCacheProducts),
			recent:   newBounded[string, *ProductRecord](readCacheRecent),
			orgs:     newBounded[string, *OrganizationRecord](readCacheOrganizations),
			levels:   newBounded[string, storedLevels](readCacheLevels),
			details:  newBounded[string, *ProductDetail](readCacheDetails),
		}
	}
	return c.cur, nil
}

// readStore returns the repository's batched read path, nil when it has
// none (or must not use it, inside a transaction).
func (s *Service) readStore() ReadStore {
	if rp, ok := s.repo.(readPather); ok {
		return rp.ReadPath()
	}
	return nil
}

// perspectiveIndex is the position of a perspective in Perspectives().
func perspectiveIndex(name string) int {
	for i, p := range perspectiveNames() {
		if p == name {
			return i
		}
	}
	return -1
}

// cacheLevels records levels read for slugs under the perspectives whose
// indexes are in read (a bit set); slugs without a level there are
// unclassified.
func (c *readCache) cacheLevels(slugs []string, read uint8, levels []ProductLevel) {
	by := make(map[string]*storedLevels, len(slugs))
	for _, slug := range slugs {
		sl, _ := c.levels.get(slug)
		sl.read |= read
		by[slug] = &sl
	}
	for _, l := range levels {
		i := perspectiveIndex(l.Perspective)
		sl := by[l.Product]
		if i < 0 || i >= maxPerspectives || sl == nil {
			continue
		}
		sl.present |= 1 << i
		sl.levels[i] = compact(l)
	}
	for slug, sl := range by {
		c.levels.put(slug, *sl)
	}
}

// record returns a cached product record.
func (c *readCache) record(slug string) (*ProductRecord, bool) {
	if r, ok := c.products.get(slug); ok {
		return r, true
	}
	return c.recent.get(slug)
}

// cachedLevel answers a stored level from the cache: found says whether
// the cache knows, ok whether the product has a level.
func (c *readCache) cachedLevel(slug string, persp int) (l ProductLevel, ok, found bool) {
	if persp < 0 || persp >= maxPerspectives {
		return ProductLevel{}, false, false
	}
	sl, hit := c.levels.get(slug)
	if !hit || sl.read&(1<<persp) == 0 {
		return ProductLevel{}, false, false
	}
	return sl.levels[persp].level(slug, perspectiveNames()[persp]), sl.present&(1<<persp) != 0, true
}

// cachedPassed answers a stored Passed from the cache, without the rest of
// the level: found says whether the cache knows, usable whether the
// product has a Passed under the current rules.
func (c *readCache) cachedPassed(slug string, persp int) (p sovereignty.Passed, usable, found bool) {
	sl, hit := c.levels.get(slug)
	if !hit || sl.read&(1<<persp) == 0 {
		return p, false, false
	}
	l := sl.levels[persp]
	if sl.present&(1<<persp) == 0 || !l.hasPassed || l.ruleVersion != sovereignty.RuleVersion {
		return p, false, true
	}
	return l.passed, true, true
}

// levelsRead reports whether the cache knows slug's stored levels under
// the perspective with index persp (or knows it has none).
func (c *readCache) levelsRead(slug string, persp int) bool {
	sl, ok := c.levels.get(slug)
	return ok && sl.read&(1<<persp) != 0
}

// predictHops guesses which products beyond the direct providers an
// explanation under the perspective with index persp will read, and that
// the cache cannot give: the explanation follows its paths hop by hop
// through the providers' stored pointers (explainFrozen), and each hop
// whose record or stored level the cache lacks would cost a round trip of
// its own. The walk starts at every provider whose record and stored
// state the cache holds, along every axis (a superset of the axes the
// real paths continue on), and goes as far as the cache reaches; where it
// stops, the product is named. A wrong guess costs a few rows in the
// page's batch, a missed one the round trip it would have cost anyway.
func (c *readCache) predictHops(providers []string, persp int) []string {
	if persp < 0 || persp >= maxPerspectives {
		return nil
	}
	var out []string
	named := map[string]bool{}
	lookup := func(id string) ([]string, sovereignty.Passed, bool) {
		r, ok := c.record(id)
		var p sovereignty.Passed
		if ok {
			p, ok, _ = c.cachedPassed(id, persp)
		}
		if !ok {
			if !named[id] {
				named[id] = true
				out = append(out, id)
			}
			return nil, p, false
		}
		provs := make([]string, len(r.Product.Dependencies))
		for i, d := range r.Product.Dependencies {
			provs[i] = d.Provider
		}
		return provs, p, true
	}
	for _, p := range providers {
		walk := sovereignty.NewPathWalk(p)
		for hop := 0; hop < maxPathRounds; hop++ {
			if len(walk.Step(lookup)) == 0 {
				break
			}
		}
	}
	return out
}

// appendProviders appends the providers of slug up to depth hops (0: all)
// as the in-memory dependency graph has them.
func appendProviders(dst []string, gr *sovereignty.Graph, slug string, depth int) []string {
	links, err := gr.Upstream(slug, depth)
	if err != nil {
		return dst
	}
	for _, l := range links {
		if l.Provider != "" {
			dst = append(dst, l.Provider)
		}
	}
	return dst
}

// predictRead extends want (a product and its direct providers) by what
// explaining the product will read under the perspective with index persp
// and the cache cannot give (see predictHops). It does not add the
// providers of those: on a dense graph (ten edges a product) that read
// some hundred products a page, which cost more than the round trips it
// saved (product page with its tree at 1,000,000 edges: 23-25 ms p95
// instead of 16-17).
func (c *readCache) predictRead(want []string, persp int) []string {
	seen := make(map[string]bool, len(want))
	for _, slug := range want {
		seen[slug] = true
	}
	for _, slug := range c.predictHops(want[1:], persp) {
		if !seen[slug] {
			seen[slug] = true
			want = append(want, slug)
		}
	}
	return want
}

// readSet is what one page read gathered: a product with its upstream
// closure, or with its direct providers and the products its explanation's
// paths pass through, and the organisations their rules consult.
type readSet struct {
	root     *ProductRecord
	products map[string]*ProductRecord // root included
	orgs     map[string]*OrganizationRecord
	nb       *Neighbourhood
}

// gatherer loads product records for one readSet: from the cache where it
// can, otherwise in batches.
type gatherer struct {
	ctx  context.Context
	rs   ReadStore
	c    *readCache
	root string
	// persp is the index of the perspective the records are explained
	// under, -1 when they are not: then the batches also bring the stored
	// levels the explanation reads of records the cache holds without
	// them.
	persp  int
	set    *readSet
	loaded map[string]*ProductRecord // every record at hand, also beyond the set
	tried  map[string]bool           // slugs asked for (missing ones stay missing)
}

// load makes the records of slugs available in g.loaded, reading those the
// cache lacks in one round trip (with the neighbourhood of nb, if not "").
func (g *gatherer) load(slugs []string, nb string) error {
	var missing, levels []string
	for _, slug := range slugs {
		if _, ok := g.loaded[slug]; ok || g.tried[slug] {
			continue
		}
		g.tried[slug] = true
		if r, ok := g.c.record(slug); ok {
			g.loaded[slug] = r
			if g.persp >= 0 && !g.c.levelsRead(slug, g.persp) {
				levels = append(levels, slug)
			}
			continue
		}
		missing = append(missing, slug)
	}
	if len(missing) == 0 && len(levels) == 0 && nb == "" {
		return nil
	}
	res, err := g.rs.ReadProducts(g.ctx, ReadRequest{Products: missing, Levels: levels, Neighbourhood: nb})
	if err != nil {
		return err
	}
	for i := range res.Products {
		r := &res.Products[i]
		g.loaded[r.Product.Slug] = r
		if r.Product.Slug == g.root {
			g.c.recent.put(g.root, r) // kept for longer below if others depend on it
		} else {
			g.c.products.put(r.Product.Slug, r) // a provider
		}
	}
	g.c.cacheLevels(slices.Concat(missing, levels), 1<<len(perspectiveNames())-1, res.Levels)
	if nb != "" {
		g.set.nb = res.Neighbourhood
	}
	return nil
}

// add loads slugs and adds those that exist to the set, with the
// organisations they involve; it reports whether any was new.
func (g *gatherer) add(slugs []string) (bool, error) {
	if err := g.load(slugs, ""); err != nil {
		return false, err
	}
	added := false
	for _, slug := range slugs {
		if r := g.loaded[slug]; r != nil && g.set.products[slug] == nil {
			g.set.products[slug] = r
			added = true
		}
	}
	if !added {
		return false, nil
	}
	return true, gatherOrganizations(g.ctx, g.rs, g.c, g.set)
}

// gather collects the product root and its providers — with closure all
// of them, transitively, else the direct ones — and the organisations they
// involve (vendors, operators and their owners, transitively); with
// neighbourhood it also loads root's dependents and replacing products.
// persp is the index of the perspective root is to be explained under
// from its providers' stored states (explainFrozen), -1 for none: the
// first batch then also brings what the explanation will read beyond the
// direct providers, as far as the cache can tell (predictHops).
// Typically one round trip: the providers are predicted from the in-memory
// dependency graph when it is loaded, and checked against the records.
func (s *Service) gather(ctx context.Context, rs ReadStore, c *readCache, root string, neighbourhood, closure bool, persp int) (*gatherer, error) {
	set := &readSet{products: map[string]*ProductRecord{}, orgs: map[string]*OrganizationRecord{}}
	g := &gatherer{ctx: ctx, rs: rs, c: c, root: root, persp: persp, set: set,
		loaded: map[string]*ProductRecord{}, tried: map[string]bool{}}
	want := []string{root}
	depth := 1
	if closure {
		depth = 0
	}
	gr := s.loadedGraph(c.gen)
	if gr != nil && gr.Has(root) {
		want = appendProviders(want, gr, root, depth)
		if persp >= 0 && !closure {
			want = c.predictRead(want, persp)
		}
	}
	nb := ""
	if neighbourhood {
		nb = root
	}
	if err := g.load(want, nb); err != nil {
		return nil, err
	}
	if set.root = g.loaded[root]; set.root == nil || (neighbourhood && set.nb == nil) {
		return nil, fmt.Errorf("product %s: %w", root, ErrNotFound)
	}
	if set.nb != nil && set.nb.DependentsTotal > 0 {
		c.products.put(root, set.root)
	}
	// The providers from the records themselves: the graph may be older.
	for {
		clear(set.products)
		queue := []string{root}
		var more []string
		for len(queue) > 0 {
			slug := queue[0]
			queue = queue[1:]
			if _, seen := set.products[slug]; seen {
				continue
			}
			r := g.loaded[slug]
			if r == nil {
				if !g.tried[slug] {
					more = append(more, slug)
				}
				continue
			}
			set.products[slug] = r
			if !closure && slug != root {
				continue
			}
			for _, d := range r.Product.Dependencies {
				queue = append(queue, d.Provider)
			}
		}
		if len(more) == 0 {
			break
		}
		if err := g.load(more, ""); err != nil {
			return nil, err
		}
	}
	if err := gatherOrganizations(ctx, rs, c, set); err != nil {
		return nil, err
	}
	return g, nil
}

// gatherOrganizations adds the vendors and operators of set's products and
// their owners, transitively.
func gatherOrganizations(ctx context.Context, rs ReadStore, c *readCache, set *readSet) error {
	var queue []string
	for _, r := range set.products {
		queue = append(queue, r.Product.Vendor)
		for _, o := range r.Product.Offerings {
			queue = append(queue, o.Operator)
		}
	}
	tried := map[string]bool{}
	for len(queue) > 0 {
		var missing []string
		var next []string
		for _, slug := range queue {
			if _, ok := set.orgs[slug]; ok {
				continue
			}
			r, ok := c.orgs.get(slug)
			if !ok {
				if !tried[slug] {
					tried[slug] = true
					missing = append(missing, slug)
				}
				continue
			}
			set.orgs[slug] = r
			for _, w := range r.Organization.Owners {
				next = append(next, w.Holder)
			}
		}
		if len(missing) > 0 {
			recs, err := rs.ReadOrganizations(ctx, slices.Compact(slices.Sorted(slices.Values(missing))))
			if err != nil {
				return err
			}
			for i := range recs {
				r := &recs[i]
				c.orgs.put(r.Organization.Slug, r)
				set.orgs[r.Organization.Slug] = r
				for _, w := range r.Organization.Owners {
					next = append(next, w.Holder)
				}
			}
		}
		queue = next
	}
	return nil
}

// subgraph is the closure as the rules engine reads it, in storage order
// (as GraphStore.Upstream gives it), with every source it cites.
func (set *readSet) subgraph() Subgraph {
	// Sized for every source once (records share few): grown source by
	// source, the map was rehashed several times on every page.
	n := 0
	for _, r := range set.products {
		n += len(r.Sources)
	}
	for _, r := range set.orgs {
		n += len(r.Sources)
	}
	sub := Subgraph{Sources: make(map[string]Source, n)}
	prods := slices.Collect(maps.Values(set.products))
	slices.SortFunc(prods, func(a, b *ProductRecord) int { return cmp.Compare(a.ID, b.ID) })
	sub.Products = make([]Product, len(prods))
	for i, r := range prods {
		sub.Products[i] = r.Product
		maps.Copy(sub.Sources, r.Sources)
	}
	orgs := slices.Collect(maps.Values(set.orgs))
	slices.SortFunc(orgs, func(a, b *OrganizationRecord) int { return cmp.Compare(a.ID, b.ID) })
	sub.Organizations = make([]Organization, len(orgs))
	for i, r := range orgs {
		sub.Organizations[i] = r.Organization
		maps.Copy(sub.Sources, r.Sources)
	}
	return sub
}

// detail assembles the product page's data from a gathered set, exactly as
// Repository.Product reads it.
func (set *readSet) detail() ProductDetail {
	r := set.root
	p := r.Product
	// The page names the vendor and operators without their owners.
	orgs := append([]string{p.Vendor}, make([]string, 0, len(p.Offerings))...)
	for _, o := range p.Offerings {
		orgs = append(orgs, o.Operator)
	}
	nSources := len(r.Sources)
	for _, slug := range orgs {
		if o, ok := set.orgs[slug]; ok {
			nSources += len(o.Sources)
		}
	}
	d := ProductDetail{
		Product: p, Category: r.Category,
		Operators: make(map[string]Organization, len(orgs)), Sources: make(map[string]Source, nSources),
		Refs:       make(map[string]ProductRef, len(p.Dependencies)+len(r.AlternativeRefs)),
		Dependents: set.nb.Dependents, DependentsTotal: set.nb.DependentsTotal, ReplacedBy: set.nb.ReplacedBy,
	}
	maps.Copy(d.Sources, r.Sources)
	for _, slug := range orgs {
		o, ok := set.orgs[slug]
		if !ok {
			continue
		}
		org := o.Organization
		org.Owners = nil
		d.Operators[slug] = org
		maps.Copy(d.Sources, o.Sources)
	}
	d.Vendor = d.Operators[p.Vendor]
	for _, dep := range p.Dependencies {
		if pr, ok := set.products[dep.Provider]; ok {
			ref := ProductRef{Slug: pr.Product.Slug, Name: pr.Product.Name, VendorCountry: pr.VendorCountry}
			if v, ok := set.orgs[pr.Product.Vendor]; ok {
				ref.VendorName = v.Organization.Name
			}
			d.Refs[dep.Provider] = ref
		}
	}
	for _, ref := range r.AlternativeRefs {
		d.Refs[ref.Slug] = ref
	}
	return d
}

// defaultReference is sovereignty.DefaultReference(), built once: an
// explanation runs the rules on a product's closure for every page, and
// the engine only reads its reference data.
var defaultReference = sync.OnceValue(func() *sovereignty.Reference {
	r := sovereignty.DefaultReference()
	return &r
})

// anyLoadedGraph returns the in-memory dependency graph of whatever
// generation is loaded, nil when none is, without loading it.
func (s *Service) anyLoadedGraph() *sovereignty.Graph {
	c := &s.graph
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.graph
}

// loadedGraph returns the in-memory dependency graph if it is loaded for
// generation gen, without loading it.
func (s *Service) loadedGraph(gen int64) *sovereignty.Graph {
	c := &s.graph
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.graph != nil && c.gen == gen {
		return c.graph
	}
	return nil
}

// cachedProduct is Product through the read cache.
func (s *Service) cachedProduct(ctx context.Context, rs ReadStore, slug string) (ProductDetail, error) {
	c, err := s.readCache(ctx)
	if err != nil {
		return ProductDetail{}, err
	}
	if d, ok := c.details.get(slug); ok {
		return *d, nil
	}
	g, err := s.gather(ctx, rs, c, slug, true, false, -1)
	if err != nil {
		return ProductDetail{}, err
	}
	d := g.set.detail()
	if d.DependentsTotal >= detailCacheFrom {
		c.details.put(slug, &d)
	}
	return d, nil
}

// ProductExplained is Product and Explain for one product page, from one
// read: the product and its direct providers gathered for the page's
// detail also feed the rules (see explainGathered).
func (s *Service) ProductExplained(ctx context.Context, slug, perspective string) (ProductDetail, Explanation, error) {
	perspective, err := ValidPerspective(perspective)
	if err != nil {
		return ProductDetail{}, Explanation{}, err
	}
	if !ValidSlug(slug) {
		return ProductDetail{}, Explanation{}, ErrNotFound
	}
	rs := s.readStore()
	if rs == nil {
		d, err := s.repo.Product(ctx, slug)
		if err != nil {
			return ProductDetail{}, Explanation{}, err
		}
		ex, err := s.Explain(ctx, slug, perspective)
		return d, ex, err
	}
	c, err := s.readCache(ctx)
	if err != nil {
		return ProductDetail{}, Explanation{}, err
	}
	g, err := s.gather(ctx, rs, c, slug, true, false, perspectiveIndex(perspective))
	if err != nil {
		return ProductDetail{}, Explanation{}, err
	}
	d := g.set.detail()
	if d.DependentsTotal >= detailCacheFrom {
		c.details.put(slug, &d)
	}
	ex, err := s.explainGathered(g, slug, perspective)
	return d, ex, err
}

// explainRead is Explain through the read path: nil ok when the
// repository has none.
func (s *Service) explainRead(ctx context.Context, slug, perspective string) (ex Explanation, ok bool, err error) {
	rs := s.readStore()
	if rs == nil {
		return Explanation{}, false, nil
	}
	c, err := s.readCache(ctx)
	if err != nil {
		return Explanation{}, true, err
	}
	g, err := s.gather(ctx, rs, c, slug, false, false, perspectiveIndex(perspective))
	if err != nil {
		return Explanation{}, true, err
	}
	ex, err = s.explainGathered(g, slug, perspective)
	return ex, true, err
}

// explainGathered explains slug from a gatherer that holds it and its
// direct providers: from their stored Passed (explainFrozen), or, where
// one of them has none yet, from the whole upstream closure.
func (s *Service) explainGathered(g *gatherer, slug, perspective string) (Explanation, error) {
	ex, ok, err := s.explainFrozen(g, slug, perspective)
	if err != nil || ok {
		return ex, err
	}
	full, err := s.gather(g.ctx, g.rs, g.c, slug, false, true, -1)
	if err != nil {
		return Explanation{}, err
	}
	return s.explainIn(full.set.subgraph(), slug, perspective)
}

// maxPathRounds bounds the rounds in which explainFrozen loads the next
// hops of the explanation's paths; each round extends every unfinished
// path by at least one product, and paths are short (a product reaches a
// hub in a few hops), so the bound only guards against a stale state.
const maxPathRounds = 16

// explainFrozen explains slug with its providers standing in by their
// stored Passed (sovereignty.NewFrozenEngine): a few records instead of
// the upstream closure, which on a dense graph holds thousands. Each round
// adds the products the paths continue to. It gives the full closure's
// result as long as the stored levels are current, which every write
// keeps them (they are recomputed in its transaction); ok is false when a
// product involved has no stored Passed under the current rules (written
// before it was kept, or not classified yet) or its Passed does not fit
// its record, or a path cannot be completed from the stored pointers.
func (s *Service) explainFrozen(g *gatherer, slug, perspective string) (ex Explanation, ok bool, err error) {
	passed := make(map[string]sovereignty.Passed, len(g.set.products))
	pi := perspectiveIndex(perspective)
	if pi < 0 || pi >= maxPerspectives {
		return Explanation{}, false, nil
	}
	// readPassed adds the stored Passed of the set's products; false when
	// one has none.
	readPassed := func() (bool, error) {
		var need []string
		for p := range g.set.products {
			if _, ok := passed[p]; ok {
				continue
			}
			switch st, usable, found := g.c.cachedPassed(p, pi); {
			case !found:
				need = append(need, p)
			case !usable:
				return false, nil
			default:
				passed[p] = st
			}
		}
		if len(need) == 0 {
			return true, nil
		}
		stored, err := s.cachedLevels(g.ctx, g.c, need, pi)
		if err != nil {
			return false, err
		}
		for _, p := range need {
			l, ok := stored[p]
			if !ok || l.Passed == nil || l.RuleVersion != sovereignty.RuleVersion {
				return false, nil
			}
			passed[p] = *l.Passed
		}
		return true, nil
	}
	// The paths' hops, loaded a hop at a time by following the stored
	// pointers from the product's own stored state, before any rules run;
	// the rounds below only catch what these did not foresee (a level
	// that moved since it was stored, a self-hosted profile's paths).
	walk := sovereignty.NewPathWalk(slug)
	lookup := func(id string) ([]string, sovereignty.Passed, bool) {
		r, p := g.set.products[id], passed[id]
		if r == nil {
			return nil, p, false
		}
		provs := make([]string, len(r.Product.Dependencies))
		for i, d := range r.Product.Dependencies {
			provs[i] = d.Provider
		}
		return provs, p, true
	}
	for hop := 0; hop < maxPathRounds; hop++ {
		if ok, err := readPassed(); !ok || err != nil {
			return Explanation{}, false, err
		}
		next := walk.Step(lookup)
		if len(next) == 0 {
			break
		}
		if _, err := g.add(next); err != nil {
			return Explanation{}, false, err
		}
	}
	opts := sovereignty.Options{Perspective: perspective, AsOf: s.now(), Reference: defaultReference()}
	for round := 0; ; round++ {
		if ok, err := readPassed(); !ok || err != nil {
			return Explanation{}, false, err
		}
		sub := g.set.subgraph()
		eng, err := sovereignty.NewFrozenEngine(toSovereignty(sub), passed, []string{slug}, opts)
		if errors.Is(err, sovereignty.ErrFrozenMismatch) {
			return Explanation{}, false, nil
		}
		if err != nil {
			return Explanation{}, false, fmt.Errorf("explain %s: %w", slug, err)
		}
		res, gaps, err := eng.ResultGaps(slug)
		if err != nil {
			return Explanation{}, false, fmt.Errorf("explain %s: %w", slug, err)
		}
		if len(gaps) == 0 {
			return explanation(res, sub), true, nil
		}
		if round == maxPathRounds {
			return Explanation{}, false, nil
		}
		added, err := g.add(gaps)
		if err != nil {
			return Explanation{}, false, err
		}
		if !added {
			// A stored pointer names a provider that is gone: the
			// states are older than the records.
			return Explanation{}, false, nil
		}
	}
}

// explainSubgraph is the upstream closure of one product for Explain,
// from GraphStore.Upstream (repositories without a read path).
func (s *Service) explainSubgraph(ctx context.Context, slug string) (Subgraph, error) {
	return s.repo.Graph().Upstream(ctx, []string{slug})
}

// level is the stored level of one product, through the read cache.
func (s *Service) level(ctx context.Context, slug, perspective string) (ProductLevel, error) {
	i := perspectiveIndex(perspective)
	if s.readStore() == nil || i < 0 || i >= maxPerspectives {
		return s.repo.Level(ctx, slug, perspective)
	}
	c, err := s.readCache(ctx)
	if err != nil {
		return ProductLevel{}, err
	}
	if l, ok, found := c.cachedLevel(slug, i); found {
		if !ok {
			return ProductLevel{}, fmt.Errorf("level of %s: %w", slug, ErrNotFound)
		}
		return l, nil
	}
	l, err := s.repo.Level(ctx, slug, perspective)
	switch {
	case err == nil:
		c.cacheLevels([]string{slug}, 1<<i, []ProductLevel{l})
	case errors.Is(err, ErrNotFound):
		// Unknown products are not remembered: only their absence of a
		// level would be, and an unknown slug costs one indexed query.
	}
	return l, err
}

// levels are the stored levels of many products, through the read cache.
func (s *Service) levels(ctx context.Context, slugs []string, perspective string) (map[string]ProductLevel, error) {
	i := perspectiveIndex(perspective)
	if s.readStore() == nil || i < 0 || i >= maxPerspectives {
		return s.repo.Levels(ctx, slugs, perspective)
	}
	c, err := s.readCache(ctx)
	if err != nil {
		return nil, err
	}
	return s.cachedLevels(ctx, c, slugs, i)
}

// cachedLevels is levels through the read cache c, for the perspective with
// index i: an explanation reads its records and their stored levels
// through the same cache (what the cache lacks is read now, as records
// are).
func (s *Service) cachedLevels(ctx context.Context, c *readCache, slugs []string, i int) (map[string]ProductLevel, error) {
	perspective := perspectiveNames()[i]
	out := make(map[string]ProductLevel, len(slugs))
	var missing []string
	for _, slug := range slugs {
		l, ok, found := c.cachedLevel(slug, i)
		switch {
		case !found:
			missing = append(missing, slug)
		case ok:
			out[slug] = l
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	got, err := s.repo.Levels(ctx, missing, perspective)
	if err != nil {
		return nil, err
	}
	read := make([]ProductLevel, 0, len(got))
	for slug, l := range got {
		out[slug] = l
		read = append(read, l)
	}
	c.cacheLevels(missing, 1<<i, read)
	return out, nil
}
