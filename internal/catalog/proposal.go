package catalog

import (
	"context"
	"fmt"
	"slices"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// Proposal is a product record as an editor proposes it, with the sources
// it introduces. Its facts cite those sources or sources already in the
// catalogue by key.
type Proposal struct {
	Product Product
	Sources []Source
}

// References lists keys a proposal names, by kind.
type References struct {
	Sources       []string
	Organizations []string
	Categories    []string
	Products      []string
}

// CheckProposal validates a proposal on its own (ValidateProduct, each new
// source) and against the catalogue: every organisation, category, product
// and source it names must exist, or be one of its new sources. Problems
// are reported together, with paths as in ValidateProduct ("vendor",
// "dependencies[1].on") and "sources[i]" for the new sources.
func (s *Service) CheckProposal(ctx context.Context, p Proposal) error {
	q := newProblems()
	addNested(q.at("product"), ValidateProduct(p.Product))
	newSources := map[string]bool{}
	for i, src := range p.Sources {
		addNested(q.at("sources[%d]", i), ValidateSource(src))
		newSources[src.Key] = true
	}
	// A first pass only records what the product names; the repository
	// then answers for all of it at once.
	var asked References
	record := func(list *[]string) func(string) bool {
		return func(k string) bool {
			if k != "" && !slices.Contains(*list, k) {
				*list = append(*list, k)
			}
			return true
		}
	}
	checkProductReferences(newProblems(), p.Product, references{
		source: record(&asked.Sources), organization: record(&asked.Organizations),
		category: record(&asked.Categories), product: record(&asked.Products),
	})
	asked.Sources = slices.DeleteFunc(asked.Sources, func(k string) bool { return newSources[k] })
	asked.Products = slices.DeleteFunc(asked.Products, func(k string) bool { return k == p.Product.Slug })
	missing, err := s.repo.Missing(ctx, asked)
	if err != nil {
		return fmt.Errorf("check proposal: %w", err)
	}
	absent := func(list []string) func(string) bool {
		return func(k string) bool { return !slices.Contains(list, k) }
	}
	checkProductReferences(q.at("product"), p.Product, references{
		source:       func(k string) bool { return newSources[k] || absent(missing.Sources)(k) },
		organization: absent(missing.Organizations), category: absent(missing.Categories),
		product: func(k string) bool { return k != p.Product.Slug && absent(missing.Products)(k) },
	})
	return q.err()
}

// PreviewLevel computes the level the proposed product would get under
// perspective if it were published now, without writing anything: a
// product's level depends only on what it transitively depends on, so the
// stored upstream of its providers plus the proposal is all it needs.
func (s *Service) PreviewLevel(ctx context.Context, p Proposal, perspective string) (ProductLevel, error) {
	perspective, err := ValidPerspective(perspective)
	if err != nil {
		return ProductLevel{}, err
	}
	roots := make([]string, 0, len(p.Product.Dependencies))
	for _, d := range p.Product.Dependencies {
		if d.Provider != p.Product.Slug {
			roots = append(roots, d.Provider)
		}
	}
	sub, err := s.repo.Graph().Upstream(ctx, roots)
	if err != nil {
		return ProductLevel{}, fmt.Errorf("preview %s: %w", p.Product.Slug, err)
	}
	// The upstream may contain the published version of the product
	// itself (through a dependency cycle): the proposal replaces it.
	sub.Products = slices.DeleteFunc(sub.Products, func(q Product) bool { return q.Slug == p.Product.Slug })
	sub.Products = append(sub.Products, p.Product)
	if sub.Sources == nil {
		sub.Sources = map[string]Source{}
	}
	for _, src := range p.Sources {
		sub.Sources[src.Key] = src
	}
	if err := s.addOrganizations(ctx, &sub, p.Product); err != nil {
		return ProductLevel{}, fmt.Errorf("preview %s: %w", p.Product.Slug, err)
	}
	eng, err := sovereignty.NewEngine(toSovereignty(sub), sovereignty.Options{Perspective: perspective, AsOf: s.now()})
	if err != nil {
		return ProductLevel{}, fmt.Errorf("preview %s: %w", p.Product.Slug, err)
	}
	sum, err := eng.Summary(p.Product.Slug)
	if err != nil {
		return ProductLevel{}, fmt.Errorf("preview %s: %w", p.Product.Slug, err)
	}
	return levelOf(sum), nil
}

// addOrganizations completes sub with the vendor and operators the proposal
// names (and their control chains) when the providers' upstream lacks them.
func (s *Service) addOrganizations(ctx context.Context, sub *Subgraph, p Product) error {
	have := map[string]bool{}
	for _, o := range sub.Organizations {
		have[o.Slug] = true
	}
	need := []string{p.Vendor}
	for _, o := range p.Offerings {
		need = append(need, o.Operator)
	}
	need = slices.DeleteFunc(need, func(slug string) bool { return have[slug] })
	if len(need) == 0 {
		return nil
	}
	orgs, sources, err := s.repo.Graph().Organizations(ctx, need)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if !have[o.Slug] {
			sub.Organizations = append(sub.Organizations, o)
			have[o.Slug] = true
		}
	}
	for k, src := range sources {
		if _, ok := sub.Sources[k]; !ok {
			sub.Sources[k] = src
		}
	}
	return nil
}

// PublishProposal writes a checked proposal into the catalogue through
// repo (normally bound to the transaction that publishes the submission)
// and recomputes the levels it affects there, so that the entry, its
// levels and the workflow's record change together or not at all.
func (s *Service) PublishProposal(ctx context.Context, repo Repository, p Proposal) error {
	if err := s.CheckProposal(ctx, p); err != nil {
		return err
	}
	d := Dataset{Sources: p.Sources, Products: []Product{p.Product}}
	reclassify := func(ctx context.Context, g GraphStore, ch Changed) error {
		_, err := s.reclassify(ctx, g, ch)
		return err
	}
	if _, err := repo.Import(ctx, d, reclassify); err != nil {
		return fmt.Errorf("publish %s: %w", p.Product.Slug, err)
	}
	// The generation is not forgotten here: the caller's transaction has
	// not committed yet, and a read in between would trust the old
	// generation for another TTL. The caller calls Refresh after commit.
	return nil
}

// Refresh makes the next read ask the database for the catalogue's
// generation at once, instead of trusting the one it read less than a TTL
// ago. A caller that wrote through PublishProposal calls it once its
// transaction has committed, so that its own next pages show the write.
func (s *Service) Refresh() { s.forgetGeneration() }
