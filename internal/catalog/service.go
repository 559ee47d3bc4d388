package catalog

import (
	"context"
	"fmt"
	"time"
)

// Repository is the storage the catalogue's use cases need. internal/store
// implements it on PostgreSQL.
type Repository interface {
	// Import writes d in one transaction and calls after inside it.
	Import(ctx context.Context, d Dataset, after AfterWrite) (ImportReport, error)
	// Reclassify runs fn in one transaction and records ruleVersion.
	Reclassify(ctx context.Context, ruleVersion string, fn func(context.Context, GraphStore) error) error
	ClassificationState(ctx context.Context, perspectives int) (ClassificationState, error)
	// Graph gives the graph operations outside a transaction.
	Graph() GraphStore
	Level(ctx context.Context, slug, perspective string) (ProductLevel, error)
	Levels(ctx context.Context, slugs []string, perspective string) (map[string]ProductLevel, error)
	LevelCounts(ctx context.Context, perspective string) ([]LevelCount, error)
	Edges(ctx context.Context) ([]GraphNode, []GraphEdge, int64, error)
	Generation(ctx context.Context) (int64, error)
	Categories(ctx context.Context) ([]CategoryCount, error)
	Search(ctx context.Context, q Query) (SearchResult, error)
	Product(ctx context.Context, slug string) (ProductDetail, error)
	Organization(ctx context.Context, slug string) (OrganizationDetail, error)
	Organizations(ctx context.Context) ([]OrganizationSummary, error)
	Stats(ctx context.Context) (Stats, error)
	// Missing returns the keys of r that name nothing in the catalogue.
	Missing(ctx context.Context, r References) (References, error)
}

// Dataset is a self-contained set of catalogue entries, as read from the
// seed files or an import.
type Dataset struct {
	Sources       []Source
	Categories    []Category
	Organizations []Organization
	Products      []Product
}

// ImportReport counts what an import changed; a re-import of unchanged data
// reports zero changes.
type ImportReport struct {
	Created   int
	Updated   int
	Unchanged int
	// Reclassified is how many products' levels the import computed
	// (under every perspective); 0 when nothing that levels depend on
	// changed.
	Reclassified int
	// ReclassifiedBy says how the import computed them ("" when it
	// computed none).
	ReclassifiedBy ReclassifyPath
}

// ReclassifyPath is how a write recomputed the levels its change affects.
type ReclassifyPath string

// The ways a write recomputes levels, cheapest first (see reclassify).
const (
	// ByCutoff: the changed products alone, which pass on what they stored.
	ByCutoff ReclassifyPath = "cutoff"
	// ByGraph: the change carried through the dependency graph and the
	// stored states (repropagate).
	ByGraph ReclassifyPath = "graph"
	// ByDependents: the changed products and their dependents, from their
	// records and upstream closures.
	ByDependents ReclassifyPath = "dependents"
	// ByBulk: every product, from the whole catalogue.
	ByBulk ReclassifyPath = "bulk"
)

// Changed reports whether the import wrote anything.
func (r ImportReport) Changed() bool { return r.Created+r.Updated > 0 }

// CategoryCount is a category with the number of products in it.
type CategoryCount struct {
	Category
	Products int
}

// MaxDependentsShown bounds the dependents (and replacing products) a
// product detail lists; a hub has tens of thousands.
const MaxDependentsShown = 50

// ProductRef names another product in a product's neighbourhood.
type ProductRef struct {
	Slug          string
	Name          string
	VendorName    string
	VendorCountry Country
}

// Dependent is a product that depends on the one being shown.
type Dependent struct {
	Consumer   ProductRef
	Dependency Dependency
}

// ProductDetail is everything the product page and API show.
type ProductDetail struct {
	Product   Product
	Vendor    Organization
	Category  Category
	Operators map[string]Organization // by slug, for the offerings
	Sources   map[string]Source       // by key, every source cited
	Refs      map[string]ProductRef   // by slug: providers, alternatives, replaced products
	// Dependents are the products that need this one: critical first, at
	// most MaxDependentsShown of DependentsTotal.
	Dependents      []Dependent
	DependentsTotal int
	// ReplacedBy are products recorded as alternatives to this one.
	ReplacedBy []ProductRef
}

// OrganizationSummary is an organisation in a listing.
type OrganizationSummary struct {
	Slug       string
	Name       string
	HQCountry  Country
	Products   int
	Controlled bool // has a recorded controlling owner
}

// ControlLink is one step in an organisation's chain of owners.
type ControlLink struct {
	Holder    Organization
	Ownership Ownership
	Depth     int    // 1 for a direct owner
	Of        string // slug of the organisation the holder owns
}

// OrganizationDetail is everything the organisation page and API show.
type OrganizationDetail struct {
	Organization Organization
	// Chain lists owners transitively, nearest first; cycles are cut.
	Chain []ControlLink
	// Holdings are organisations this one holds a stake in.
	Holdings []OrganizationSummary
	Products []ProductSummary
	Sources  map[string]Source
}

// Stats are the numbers at a glance on the home page.
type Stats struct {
	Products      int
	Organizations int
	Categories    int
	Sources       int
	Dependencies  int
	OpenSource    int
}

// AfterWrite runs inside a write's transaction with what was written.
type AfterWrite func(ctx context.Context, g GraphStore, ch Changed) error

// ClassificationState describes the stored levels as a whole.
type ClassificationState struct {
	RuleVersion  string // the rule version the levels were last fully computed with
	Generation   int64  // committed catalogue changes so far
	Unclassified int    // (product, perspective) levels missing
}

// Service holds the catalogue's use cases.
type Service struct {
	repo  Repository
	now   func() time.Time
	graph graphCache
	gen   generation
	memo  memo
	reads readCaches
	// bulkShare is the share of the catalogue from which a write's
	// reclassification recomputes every product (WithBulkShare).
	bulkShare float64
	// heavyWork wraps work that holds the whole catalogue (WithHeavyWork).
	heavyWork func(work func() error) error
}

// NewService returns a Service on repo.
func NewService(repo Repository, opts ...Option) *Service {
	s := &Service{repo: repo, now: time.Now, bulkShare: DefaultBulkShare}
	s.gen.ttl = time.Second
	for _, o := range opts {
		o(s)
	}
	return s
}

// Import validates a dataset as a whole and stores it in one transaction,
// together with the recomputed levels of every product it affects.
func (s *Service) Import(ctx context.Context, d Dataset) (ImportReport, error) {
	if err := d.Validate(); err != nil {
		return ImportReport{}, err
	}
	// A process that has the dependency graph loaded (it serves pages)
	// brings it up to date first: a write carries a hub's change through
	// it (repropagate) only when it is of the generation the write finds,
	// and must not load it while it holds the level lock.
	if s.anyLoadedGraph() != nil {
		s.forgetGeneration()
		if _, err := s.Graph(ctx); err != nil {
			return ImportReport{}, fmt.Errorf("import: %w", err)
		}
	}
	var rc reclassified
	r, err := s.repo.Import(ctx, d, func(ctx context.Context, g GraphStore, ch Changed) error {
		var err error
		rc, err = s.reclassify(ctx, g, ch)
		return err
	})
	r.Reclassified, r.ReclassifiedBy = rc.products, rc.by
	if err == nil {
		// Committed: the generation it counts is the catalogue's. Before
		// the generation is forgotten, so that no page in between reloads
		// the graph it keeps.
		s.keepGraph(rc.keep)
	}
	s.forgetGeneration()
	if err != nil {
		return r, fmt.Errorf("import: %w", err)
	}
	return r, nil
}

// Search runs a catalogue search after validating the query, including
// that every category filter names an existing category.
func (s *Service) Search(ctx context.Context, q Query) (SearchResult, error) {
	q, err := q.Normalize()
	if err != nil {
		return SearchResult{}, err
	}
	if len(q.Categories) > 0 {
		cats, err := s.Categories(ctx)
		if err != nil {
			return SearchResult{}, err
		}
		known := make(map[string]bool, len(cats))
		for _, c := range cats {
			known[c.Slug] = true
		}
		p := newProblems()
		for i, c := range q.Categories {
			if !known[c] {
				p.at("category[%d]", i).add("error.facet", "%q is not a category", c)
			}
		}
		if err := p.err(); err != nil {
			return SearchResult{}, err
		}
	}
	return s.repo.Search(ctx, q)
}

// Product returns one product with its neighbourhood.
func (s *Service) Product(ctx context.Context, slug string) (ProductDetail, error) {
	if !ValidSlug(slug) {
		return ProductDetail{}, ErrNotFound
	}
	if rs := s.readStore(); rs != nil {
		return s.cachedProduct(ctx, rs, slug)
	}
	return s.repo.Product(ctx, slug)
}

// Organization returns one organisation with its control chain.
func (s *Service) Organization(ctx context.Context, slug string) (OrganizationDetail, error) {
	if !ValidSlug(slug) {
		return OrganizationDetail{}, ErrNotFound
	}
	return s.repo.Organization(ctx, slug)
}

// Organizations lists every organisation.
func (s *Service) Organizations(ctx context.Context) ([]OrganizationSummary, error) {
	return memoized(ctx, s, "organizations", func() ([]OrganizationSummary, error) { return s.repo.Organizations(ctx) })
}

// Categories lists the categories with their product counts.
func (s *Service) Categories(ctx context.Context) ([]CategoryCount, error) {
	return memoized(ctx, s, "categories", func() ([]CategoryCount, error) { return s.repo.Categories(ctx) })
}

// Stats returns the numbers at a glance.
func (s *Service) Stats(ctx context.Context) (Stats, error) {
	return memoized(ctx, s, "stats", func() (Stats, error) { return s.repo.Stats(ctx) })
}
