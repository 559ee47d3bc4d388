package store

import (
	"context"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// SearchSQLFacets is Search as inside a transaction: the facets counted in
// SQL, the items scanned through gorm. It is the reference for the facet
// table and the pgx scans.
func SearchSQLFacets(ctx context.Context, s *Store, q catalog.Query) (catalog.SearchResult, error) {
	return s.search(ctx, q, true)
}
