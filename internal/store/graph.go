package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// graphStore implements catalog.GraphStore on a database handle, which is
// the pool for reads or a transaction inside an import.
type graphStore struct {
	db *gorm.DB
}

// Graph returns the catalogue's graph operations outside any transaction.
func (s *Store) Graph() catalog.GraphStore { return graphStore{db: s.db} }

// Affected implements catalog.GraphStore.
func (g graphStore) Affected(ctx context.Context, products, orgs []string) ([]string, error) {
	var slugs []string
	err := g.db.WithContext(ctx).Raw(`WITH RECURSIVE
		held(id) AS (
			SELECT id FROM organizations WHERE slug = ANY($2)
			UNION SELECT w.organization_id FROM ownerships w JOIN held ON w.holder_id = held.id),
		seeds(id) AS (
			SELECT id FROM products WHERE slug = ANY($1)
			UNION SELECT id FROM products WHERE vendor_id IN (SELECT id FROM held)
			UNION SELECT product_id FROM offerings WHERE operator_id IN (SELECT id FROM held)),
		down(id) AS (
			SELECT id FROM seeds
			UNION SELECT d.consumer_id FROM dependencies d JOIN down ON d.provider_id = down.id)
		SELECT p.slug FROM products p JOIN down ON down.id = p.id ORDER BY p.slug`,
		pq.StringArray(products), pq.StringArray(orgs)).Scan(&slugs).Error
	if err != nil {
		return nil, translate(err, "affected products")
	}
	return slugs, nil
}

// AllSlugs implements catalog.GraphStore.
func (g graphStore) AllSlugs(ctx context.Context) ([]string, error) {
	var slugs []string
	if err := g.db.WithContext(ctx).Raw(`SELECT slug FROM products ORDER BY slug`).Scan(&slugs).Error; err != nil {
		return nil, translate(err, "product slugs")
	}
	return slugs, nil
}

// Upstream implements catalog.GraphStore: the products, their transitive
// providers, the organisations their rules consult and the cited sources.
// It runs a fixed number of set-based queries whatever the closure's size.
func (g graphStore) Upstream(ctx context.Context, slugs []string) (catalog.Subgraph, error) {
	db := g.db.WithContext(ctx)
	var ids []int64
	err := db.Raw(`WITH RECURSIVE up(id) AS (
			SELECT id FROM products WHERE slug = ANY($1)
			UNION SELECT d.provider_id FROM dependencies d JOIN up ON d.consumer_id = up.id)
		SELECT id FROM up`, pq.StringArray(slugs)).Scan(&ids).Error
	if err != nil {
		return catalog.Subgraph{}, translate(err, "upstream closure")
	}
	sub := catalog.Subgraph{Sources: map[string]catalog.Source{}}
	if len(ids) == 0 {
		return sub, nil
	}
	if sub.Products, _, err = g.loadProducts(ctx, ids, sub.Sources); err != nil {
		return sub, err
	}
	var orgIDs []int64
	err = db.Raw(`WITH RECURSIVE o(id) AS (
			SELECT id FROM (SELECT vendor_id AS id FROM products WHERE id = ANY($1)
				UNION SELECT operator_id FROM offerings WHERE product_id = ANY($1)) direct
			UNION SELECT w.holder_id FROM ownerships w JOIN o ON w.organization_id = o.id)
		SELECT id FROM o`, pq.Int64Array(ids)).Scan(&orgIDs).Error
	if err != nil {
		return sub, translate(err, "organisations of the upstream closure")
	}
	sub.Organizations, err = g.loadOrganizations(ctx, orgIDs, sub.Sources)
	return sub, err
}

// SaveLevels implements catalog.GraphStore. It also counts the change in
// catalog_state, so other instances refresh their cached graph.
func (g graphStore) SaveLevels(ctx context.Context, levels []catalog.ProductLevel) error {
	db := g.db.WithContext(ctx)
	if len(levels) > 0 {
		ids, err := g.productIDs(ctx, levels)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		rows := make([]levelRow, 0, len(levels))

		for _, l := range levels {
			obj := make(pq.Int64Array, 6)
			for i, v := range l.Objectives {
				obj[i] = int64(v)
			}
			rows = append(rows, levelRow{
				ProductID: ids[l.Product], Perspective: l.Perspective, Overall: l.Overall, Pessimistic: l.Pessimistic,
				Provisional: l.Provisional, Objectives: obj, RuleVersion: l.RuleVersion, Passed: passedBytesOf(l.Passed), Own: ownBytes(l.Own), ComputedAt: now,
			})
		}
		err = db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "product_id"}, {Name: "perspective"}},
			DoUpdates: clause.AssignmentColumns([]string{"overall", "pessimistic", "provisional", "objectives", "rule_version", "passed", "own", "computed_at"}),
		}).CreateInBatches(rows, 2000).Error
		if err != nil {
			return translate(err, "save levels")
		}
	}
	return translate(db.Exec(`UPDATE catalog_state SET generation = generation + 1`).Error, "count change")
}

func (g graphStore) productIDs(ctx context.Context, levels []catalog.ProductLevel) (map[string]int64, error) {
	seen := map[string]bool{}
	var slugs []string
	for _, l := range levels {
		if !seen[l.Product] {
			seen[l.Product] = true
			slugs = append(slugs, l.Product)
		}
	}
	var rows []struct {
		ID   int64
		Slug string
	}
	if err := g.db.WithContext(ctx).Raw(`SELECT id, slug FROM products WHERE slug = ANY($1)`, pq.StringArray(slugs)).Scan(&rows).Error; err != nil {
		return nil, translate(err, "product ids")
	}
	ids := make(map[string]int64, len(rows))
	for _, r := range rows {
		ids[r.Slug] = r.ID
	}
	if len(ids) != len(slugs) {
		return nil, fmt.Errorf("save levels: %d of %d products unknown: %w", len(slugs)-len(ids), len(slugs), catalog.ErrNotFound)
	}
	return ids, nil
}

type levelRow struct {
	ProductID   int64
	Perspective string
	Overall     int
	Pessimistic int
	Provisional bool
	Objectives  pq.Int64Array `gorm:"type:smallint[]"`
	RuleVersion string
	// Passed is the stored form of sovereignty.Passed (appendPassed); nil
	// (NULL) when the level has none.
	Passed []byte
	// Own is sovereignty.Own's byte form; nil (NULL) when the level has none.
	Own        []byte
	ComputedAt time.Time
}

func (levelRow) TableName() string { return "product_levels" }
