package store

import (
	"context"
	"slices"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// ReadGraph implements catalog.ReadStore: the statements of Store.Edges in
// one snapshot, scanned from pgx's raw values. The edge columns repeat a
// few values (roles, criticalities, groups) across hundreds of thousands
// of rows; they are interned instead of allocated per row, and edges find
// their products by binary search over the ordered ids instead of a map.
// Loading the graph of 100,000 products and 200,000 edges this way
// allocates a fraction of what the gorm scan did (188 MB, with a peak of
// 97 MB in use), which set the registry's peak memory.
func (r readStore) ReadGraph(ctx context.Context) ([]sovereignty.GraphNode, []sovereignty.GraphEdge, int64, error) {
	var gen int64
	var ids []int64
	var nodes []sovereignty.GraphNode
	var edges []sovereignty.GraphEdge
	err := r.withConn(ctx, func(c *pgx.Conn) error {
		tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		// Exact sizes first: growing the slices by appending would allocate
		// about twice their final size again.
		var nProducts, nEdges int
		if err := tx.QueryRow(ctx, `SELECT (SELECT generation FROM catalog_state), (SELECT count(*) FROM products),
			(SELECT count(*) FROM dependencies)`).Scan(&gen, &nProducts, &nEdges); err != nil {
			return err
		}
		ids = make([]int64, 0, nProducts)
		nodes = make([]sovereignty.GraphNode, 0, nProducts)
		edges = make([]sovereignty.GraphEdge, 0, nEdges)
		rows, err := tx.Query(ctx, `SELECT id, slug, name FROM products ORDER BY id`)
		if err != nil {
			return err
		}
		var id int64
		var n sovereignty.GraphNode
		if _, err := pgx.ForEachRow(rows, []any{&id, &n.ID, &n.Name}, func() error {
			ids = append(ids, id)
			nodes = append(nodes, n)
			return nil
		}); err != nil {
			return err
		}
		index := func(id int64) int32 {
			i, ok := slices.BinarySearch(ids, id)
			if !ok {
				return 0 // as Store.Edges's map gives for an unknown id
			}
			return int32(i)
		}
		interned := map[string]string{}
		intern := func(b []byte) string {
			if s, ok := interned[string(b)]; ok {
				return s
			}
			s := string(b)
			interned[s] = s
			return s
		}
		// In the table's physical order, put in the order of the edges'
		// ids afterwards if need be (see byDependencyID).
		seq := make([]int64, 0, nEdges)
		rows, err = tx.Query(ctx, `SELECT consumer_id, provider_id, role, criticality, data_access, coalesce(failover_group, ''), id FROM dependencies`,
			pgx.QueryResultFormats{pgx.BinaryFormatCode, pgx.BinaryFormatCode, pgx.TextFormatCode, pgx.TextFormatCode, pgx.TextFormatCode, pgx.TextFormatCode, pgx.BinaryFormatCode})
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c, p, id int64
			if err := rows.Scan(&c, &p, nil, nil, nil, nil, &id); err != nil {
				return err
			}
			seq = append(seq, id)
			raw := rows.RawValues()
			edges = append(edges, sovereignty.GraphEdge{
				Consumer: index(c), Provider: index(p), Role: intern(raw[2]),
				Criticality: sovereignty.Criticality(intern(raw[3])), DataAccess: sovereignty.DataAccess(intern(raw[4])),
				Group: intern(raw[5]),
			})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if !slices.IsSorted(seq) {
			sort.Sort(byDependencyID{edges, seq})
		}
		return nil
	})
	if err != nil {
		return nil, nil, 0, translate(err, "graph")
	}
	return nodes, edges, gen, nil
}

// byDependencyID sorts a graph's edges by their dependency ids. The graph
// keeps each consumer's edges in the order given, and that must be the
// order of the product's record (loadProducts orders by id): a stored
// passed state names the dependency that set a level by its position
// (sovereignty.Passed.Via), which a repropagation over the graph reads.
type byDependencyID struct {
	edges []sovereignty.GraphEdge
	ids   []int64
}

func (b byDependencyID) Len() int           { return len(b.ids) }
func (b byDependencyID) Less(i, j int) bool { return b.ids[i] < b.ids[j] }
func (b byDependencyID) Swap(i, j int) {
	b.ids[i], b.ids[j] = b.ids[j], b.ids[i]
	b.edges[i], b.edges[j] = b.edges[j], b.edges[i]
}
