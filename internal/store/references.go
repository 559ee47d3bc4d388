package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Missing implements catalog.Repository: it returns the keys of r that name
// nothing in the catalogue, in one round trip.
func (s *Store) Missing(ctx context.Context, r catalog.References) (catalog.References, error) {
	var rows []struct {
		Kind string
		Key  string
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT 'source' AS kind, k AS key FROM unnest(?::text[]) k WHERE NOT EXISTS (SELECT 1 FROM sources WHERE key = k)
		UNION ALL SELECT 'organization', k FROM unnest(?::text[]) k WHERE NOT EXISTS (SELECT 1 FROM organizations WHERE slug = k)
		UNION ALL SELECT 'category', k FROM unnest(?::text[]) k WHERE NOT EXISTS (SELECT 1 FROM categories WHERE slug = k)
		UNION ALL SELECT 'product', k FROM unnest(?::text[]) k WHERE NOT EXISTS (SELECT 1 FROM products WHERE slug = k)`,
		pq.StringArray(nonNil(r.Sources)), pq.StringArray(nonNil(r.Organizations)),
		pq.StringArray(nonNil(r.Categories)), pq.StringArray(nonNil(r.Products))).Scan(&rows).Error
	if err != nil {
		return catalog.References{}, translate(err, "missing references")
	}
	var out catalog.References
	for _, row := range rows {
		switch row.Kind {
		case "source":
			out.Sources = append(out.Sources, row.Key)
		case "organization":
			out.Organizations = append(out.Organizations, row.Key)
		case "category":
			out.Categories = append(out.Categories, row.Key)
		case "product":
			out.Products = append(out.Products, row.Key)
		}
	}
	return out, nil
}

// Organizations implements catalog.GraphStore: the organisations named and
// everyone in their control chains, with the sources they cite.
func (g graphStore) Organizations(ctx context.Context, slugs []string) ([]catalog.Organization, map[string]catalog.Source, error) {
	var ids []int64
	err := g.db.WithContext(ctx).Raw(`WITH RECURSIVE o(id) AS (
			SELECT id FROM organizations WHERE slug = ANY(?)
			UNION SELECT w.holder_id FROM ownerships w JOIN o ON w.organization_id = o.id)
		SELECT id FROM o`, pq.StringArray(slugs)).Scan(&ids).Error
	if err != nil {
		return nil, nil, translate(err, "organisations and their control chains")
	}
	sources := map[string]catalog.Source{}
	orgs, err := g.loadOrganizations(ctx, ids, sources)
	return orgs, sources, err
}
