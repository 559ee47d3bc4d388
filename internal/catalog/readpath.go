package catalog

import (
	"context"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// ProductRecord is one product as the read caches keep it: the product with
// its alternatives and adoptions, the sources its evidence cites and what
// other pages need to name it.
type ProductRecord struct {
	// ID is the product's storage key; the rules engine sees the products
	// of a closure in this order, as the classification does.
	ID      int64
	Product Product
	// Category is the product's category (slug and names).
	Category Category
	// VendorCountry is the vendor's country as stored with the product
	// (what a ProductRef shows).
	VendorCountry Country
	// Sources are the sources cited by the product's evidence: its facts,
	// offerings, certifications, dependencies and adoptions.
	Sources map[string]Source
	// AlternativeRefs name the products in Product.Alternatives.
	AlternativeRefs []ProductRef
}

// OrganizationRecord is one organisation as the read caches keep it: with
// its direct owners and the sources its evidence (and its owners') cites.
type OrganizationRecord struct {
	ID           int64
	Organization Organization
	Sources      map[string]Source
}

// Neighbourhood is what a product page shows of the products around one
// product beyond its own record: the first dependents, their total and the
// products recorded as alternatives to it.
type Neighbourhood struct {
	Dependents      []Dependent
	DependentsTotal int
	ReplacedBy      []ProductRef
}

// ReadRequest asks a ReadStore for the records a product page needs, to be
// answered in one round trip.
type ReadRequest struct {
	// Products are the slugs of the products to load, with their stored
	// levels under every perspective.
	Products []string
	// Levels are the slugs of products whose stored levels alone to load,
	// under every perspective (their records are at hand already).
	Levels []string
	// Neighbourhood names the product whose Neighbourhood to load; "" for
	// none.
	Neighbourhood string
}

// ReadResult answers a ReadRequest. Unknown slugs are left out.
type ReadResult struct {
	Products []ProductRecord
	// Levels are the stored levels of Products and of the request's
	// Levels under every perspective; a (product, perspective) without a
	// row is not classified yet.
	Levels []ProductLevel
	// Neighbourhood is nil when none was asked for or the product is
	// unknown.
	Neighbourhood *Neighbourhood
}

// ReadStore is an optional capability of a Repository: batched loads of
// whole records for the service's read caches (product pages, their
// explanations and trees). A Repository offers it through a method
// ReadPath() ReadStore, which returns nil where it must not be used (inside
// a transaction); without it the service reads through Repository alone.
type ReadStore interface {
	// ReadProducts loads what req names in one round trip.
	ReadProducts(ctx context.Context, req ReadRequest) (ReadResult, error)
	// ReadOrganizations loads organisations by slug, with their direct
	// owners; unknown slugs are left out.
	ReadOrganizations(ctx context.Context, slugs []string) ([]OrganizationRecord, error)
	// ReadGraph is Repository.Edges in the rules engine's types (the
	// nodes and edges NewGraph takes, in the same order), with less
	// garbage: the dependency graph of a large catalogue is loaded at
	// every generation.
	ReadGraph(ctx context.Context) ([]sovereignty.GraphNode, []sovereignty.GraphEdge, int64, error)
}

// readPather is implemented by repositories that offer a ReadStore.
type readPather interface {
	ReadPath() ReadStore
}
