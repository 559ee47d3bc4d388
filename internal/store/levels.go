package store

import (
	"context"
	"database/sql"

	"github.com/lib/pq"

	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Reclassify runs fn in a transaction and records the rule version the
// levels were computed with. The transaction is pinned to one connection
// (pinnedTx), so that the GraphStore can load the whole catalogue and write
// levels with COPY over pgx inside it (fullGraphStore, recompute.go).
func (s *Store) Reclassify(ctx context.Context, ruleVersion string, fn func(context.Context, catalog.GraphStore) error) error {
	err := s.pinnedTx(ctx, func(tx *gorm.DB, conn *sql.Conn) error {
		if err := lockLevels(ctx, tx); err != nil {
			return err
		}
		if err := fn(ctx, fullGraph(tx, conn)); err != nil {
			return err
		}
		return tx.Exec(`UPDATE catalog_state SET rule_version = ?`, ruleVersion).Error
	})
	return translate(err, "reclassify")
}

// ClassificationState reports the rule version of the stored levels and how
// many (product, perspective) levels are missing or lack the passed state
// or own evaluation (written before migration 00011 or 00012), so that the first start after it
// recomputes every level.
func (s *Store) ClassificationState(ctx context.Context, perspectives int) (catalog.ClassificationState, error) {
	var st catalog.ClassificationState
	err := s.db.WithContext(ctx).Raw(`SELECT
		(SELECT rule_version FROM catalog_state) AS rule_version,
		(SELECT generation FROM catalog_state) AS generation,
		-- (product, perspective) is the primary key, so the missing rows are
		-- the difference of two counts; no per-product look-up needed.
		-- Rows without a passed state or own evaluation (NULL, written
		-- before 00011 or 00012) count as unclassified too, in the same scan.
		(SELECT count(*) FROM products) * ? - (SELECT count(*) FROM product_levels WHERE passed IS NOT NULL AND own IS NOT NULL) AS unclassified`, perspectives).Scan(&st).Error
	return st, translate(err, "classification state")
}

// Generation returns the number of committed catalogue changes.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	return graphStore{db: s.db}.Generation(ctx)
}

// Level returns the stored level of one product under a perspective.
func (s *Store) Level(ctx context.Context, slug, perspective string) (catalog.ProductLevel, error) {
	var rows []levelScan
	err := s.db.WithContext(ctx).Raw(`SELECT p.slug, l.perspective, l.overall, l.pessimistic, l.provisional, l.objectives, l.rule_version, l.passed
		FROM product_levels l JOIN products p ON p.id = l.product_id WHERE p.slug = ? AND l.perspective = ?`, slug, perspective).Scan(&rows).Error
	if err != nil {
		return catalog.ProductLevel{}, translate(err, "level")
	}
	if len(rows) == 0 {
		return catalog.ProductLevel{}, translate(gorm.ErrRecordNotFound, "level of "+slug)
	}
	return rows[0].level(), nil
}

// levelScan is a stored level as gorm scans it.
type levelScan struct {
	Slug        string
	Perspective string
	Overall     int
	Pessimistic int
	Provisional bool
	Objectives  pq.Int64Array `gorm:"type:smallint[]"`
	RuleVersion string
	Passed      storedPassed `gorm:"type:bytea"`
	// Own is read by StoredLevels only; the other reads leave it NULL.
	Own []byte
}

func (r levelScan) level() catalog.ProductLevel {
	l := catalog.ProductLevel{Product: r.Slug, Perspective: r.Perspective, Overall: r.Overall, Pessimistic: r.Pessimistic,
		Provisional: r.Provisional, RuleVersion: r.RuleVersion, Passed: r.Passed.p, Own: ownOf(r.Own)}
	for i := range l.Objectives {
		l.Objectives[i] = -1
		if i < len(r.Objectives) {
			l.Objectives[i] = int(r.Objectives[i])
		}
	}
	return l
}

// Edges returns the whole dependency graph as plain rows, for the in-memory
// outage-impact graph, with the generation it was read at.
func (s *Store) Edges(ctx context.Context) ([]catalog.GraphNode, []catalog.GraphEdge, int64, error) {
	var gen int64
	var nodes []catalog.GraphNode
	var edges []catalog.GraphEdge
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// One snapshot: nodes, edges and generation must agree.
		if err := tx.Exec(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT generation FROM catalog_state`).Scan(&gen).Error; err != nil {
			return err
		}
		var prods []struct {
			ID   int64
			Slug string
			Name string
		}
		if err := tx.Raw(`SELECT id, slug, name FROM products ORDER BY id`).Scan(&prods).Error; err != nil {
			return err
		}
		index := make(map[int64]int32, len(prods))
		nodes = make([]catalog.GraphNode, len(prods))
		for i, p := range prods {
			index[p.ID] = int32(i)
			nodes[i] = catalog.GraphNode{Slug: p.Slug, Name: p.Name}
		}
		rows, err := tx.Raw(`SELECT consumer_id, provider_id, role, criticality, data_access, coalesce(failover_group, '') FROM dependencies ORDER BY id`).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c, p int64
			var e catalog.GraphEdge
			if err := rows.Scan(&c, &p, &e.Role, &e.Criticality, &e.DataAccess, &e.Group); err != nil {
				return err
			}
			e.Consumer, e.Provider = index[c], index[p]
			edges = append(edges, e)
		}
		return rows.Err()
	})
	return nodes, edges, gen, translate(err, "dependency graph")
}

// Levels returns the stored levels of many products under a perspective in
// one query; unclassified products are absent from the map.
func (s *Store) Levels(ctx context.Context, slugs []string, perspective string) (map[string]catalog.ProductLevel, error) {
	out := make(map[string]catalog.ProductLevel, len(slugs))
	if len(slugs) == 0 {
		return out, nil
	}
	var rows []levelScan
	err := s.db.WithContext(ctx).Raw(`SELECT p.slug, l.perspective, l.overall, l.pessimistic, l.provisional, l.objectives, l.rule_version, l.passed
		FROM product_levels l JOIN products p ON p.id = l.product_id WHERE p.slug = ANY(?) AND l.perspective = ?`,
		pq.StringArray(slugs), perspective).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "levels")
	}
	for _, r := range rows {
		out[r.Slug] = r.level()
	}
	return out, nil
}

// StoredLevels implements catalog.GraphStore: the stored levels of slugs
// under every perspective, read on g's handle (inside a write, its
// transaction), with their passed states and own evaluations.
func (g graphStore) StoredLevels(ctx context.Context, slugs []string) ([]catalog.ProductLevel, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	var rows []levelScan
	err := g.db.WithContext(ctx).Raw(`SELECT p.slug, l.perspective, l.overall, l.pessimistic, l.provisional, l.objectives, l.rule_version, l.passed, l.own
		FROM product_levels l JOIN products p ON p.id = l.product_id WHERE p.slug = ANY(?)`,
		pq.StringArray(slugs)).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "stored levels")
	}
	out := make([]catalog.ProductLevel, len(rows))
	for i, r := range rows {
		out[i] = r.level()
	}
	return out, nil
}

// Generation implements catalog.GraphStore: the generation as g's handle
// (inside a write, its transaction) sees it.
func (g graphStore) Generation(ctx context.Context) (int64, error) {
	var gen int64
	err := g.db.WithContext(ctx).Raw(`SELECT generation FROM catalog_state`).Scan(&gen).Error
	return gen, translate(err, "generation")
}

// LevelCounts counts the products of every category by overall level under
// a perspective (Level -1: not classified yet), in one GROUP BY.
func (s *Store) LevelCounts(ctx context.Context, perspective string) ([]catalog.LevelCount, error) {
	var rows []catalog.LevelCount
	err := s.db.WithContext(ctx).Raw(`SELECT c.slug AS category, coalesce(l.overall, -1) AS level, count(*) AS count
		FROM products p JOIN categories c ON c.id = p.category_id
		LEFT JOIN product_levels l ON l.product_id = p.id AND l.perspective = ?
		GROUP BY 1, 2 ORDER BY 1, 2`, perspective).Scan(&rows).Error
	return rows, translate(err, "level counts")
}
