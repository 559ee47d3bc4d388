package store

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/lib/pq"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Search runs a catalogue search: PostgreSQL full text over German and
// English stems of accent-folded text, an unstemmed prefix match, and a
// trigram fallback on the name for misspellings ("nextclod").
func (s *Store) Search(ctx context.Context, q catalog.Query) (catalog.SearchResult, error) {
	b := newSearchSQL(q)
	var res catalog.SearchResult
	items, next, err := s.searchItems(ctx, b, q)
	if err != nil {
		return res, err
	}
	res.Items, res.Next = items, next
	res.Facets, res.Total, err = s.searchFacets(ctx, b)
	if err != nil {
		return res, err
	}
	return res, nil
}

// searchSQL builds the WHERE clause and ranking expression of a search.
type searchSQL struct {
	args  []any
	where []string
	rank  string
	persp string // placeholder of the perspective, for the level join
}

// levelJoin attaches the stored level of each product under the query's
// perspective (absent while a product is unclassified).
func (b *searchSQL) levelJoin() string {
	return "LEFT JOIN product_levels l ON l.product_id = p.id AND l.perspective = " + b.persp
}

func (b *searchSQL) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

func newSearchSQL(q catalog.Query) *searchSQL {
	b := &searchSQL{rank: "0"}
	b.persp = b.arg(q.Perspective)
	if q.Text != "" {
		text := b.arg(q.Text)
		folded := b.arg(strings.ToLower(q.Text))
		tsq := fmt.Sprintf("(websearch_to_tsquery('german', registry_unaccent(%[1]s)) || websearch_to_tsquery('english', registry_unaccent(%[1]s))", text)
		if prefix := prefixQuery(q.Text); prefix != "" {
			tsq += fmt.Sprintf(" || to_tsquery('simple', registry_unaccent(%s))", b.arg(prefix))
		}
		tsq += ")"
		foldedExpr := fmt.Sprintf("registry_unaccent(%s)", folded)
		b.where = append(b.where, fmt.Sprintf("(p.search_vector @@ %s OR p.name_folded %% %s)", tsq, foldedExpr))
		// Name hits weigh most (tsvector weight A), an exact name most of all.
		b.rank = fmt.Sprintf("(ts_rank(p.search_vector, %[1]s)::float8 + similarity(p.name_folded, %[2]s) + CASE WHEN p.name_folded = %[2]s THEN 1 ELSE 0 END)", tsq, foldedExpr)
	}
	if len(q.Categories) > 0 {
		b.where = append(b.where, fmt.Sprintf("p.category_id IN (SELECT id FROM categories WHERE slug = ANY(%s))", b.arg(pq.StringArray(q.Categories))))
	}
	if len(q.VendorCountries) > 0 {
		b.where = append(b.where, fmt.Sprintf("p.vendor_country = ANY(%s)", b.arg(pq.StringArray(countryStrings(q.VendorCountries)))))
	}
	if len(q.HostingCountries) > 0 {
		b.where = append(b.where, fmt.Sprintf("p.hosting_countries && %s", b.arg(pq.StringArray(countryStrings(q.HostingCountries)))))
	}
	if q.OpenSource != "" {
		b.where = append(b.where, fmt.Sprintf("p.open_source = %s", b.arg(string(q.OpenSource))))
	}
	// Values within one facet are alternatives.
	var deployments []string
	for _, d := range q.Deployments {
		switch d {
		case catalog.DeploymentVendorHosted:
			deployments = append(deployments, "p.vendor_hosted = 'yes'")
		case catalog.DeploymentSelfHostable:
			deployments = append(deployments, "p.self_hostable = 'yes'")
		}
	}
	if len(deployments) > 0 {
		b.where = append(b.where, "("+strings.Join(deployments, " OR ")+")")
	}
	if len(q.Levels) > 0 {
		b.where = append(b.where, fmt.Sprintf("l.overall = ANY(%s)", b.arg(pq.Array(q.Levels))))
	}
	if len(q.Kinds) > 0 {
		kinds := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			kinds[i] = string(k)
		}
		b.where = append(b.where, fmt.Sprintf("p.kind = ANY(%s)", b.arg(pq.StringArray(kinds))))
	}
	return b
}

func (b *searchSQL) whereSQL() string {
	if len(b.where) == 0 {
		return "TRUE"
	}
	return strings.Join(b.where, " AND ")
}

// prefixQuery turns free text into a safe tsquery of prefix terms
// ("video konf" → "video:* & konf:*"). Only letters and digits survive, so
// no user input can break the tsquery syntax.
func prefixQuery(text string) string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 8 {
		words = words[:8]
	}
	for i, w := range words {
		words[i] = w + ":*"
	}
	return strings.Join(words, " & ")
}

type summaryRow struct {
	ID               int64
	Slug             string
	Name             string
	NameFolded       string
	VendorSlug       string
	VendorName       string
	VendorCountry    string
	CategorySlug     string
	Kind             string
	DescriptionDE    string `gorm:"column:description_de"`
	DescriptionEN    string `gorm:"column:description_en"`
	OpenSource       string
	VendorHosted     string
	SelfHostable     string
	HostingCountries pq.StringArray `gorm:"type:text[]"`
	UpdatedAt        time.Time
	Rank             float64

	LevelOverall     *int
	LevelPessimistic *int
	LevelProvisional *bool
	LevelObjectives  pq.Int64Array `gorm:"type:smallint[]"`
	LevelRuleVersion *string
	LevelPerspective *string
}

const summaryColumns = `p.id, p.slug, p.name, p.name_folded, o.slug AS vendor_slug, o.name AS vendor_name,
	p.vendor_country, c.slug AS category_slug, p.kind, p.description_de, p.description_en, p.open_source,
	p.vendor_hosted, p.self_hostable, p.hosting_countries, p.updated_at,
	l.overall AS level_overall, l.pessimistic AS level_pessimistic, l.provisional AS level_provisional,
	l.objectives AS level_objectives, l.rule_version AS level_rule_version, l.perspective AS level_perspective`

func (s *Store) searchItems(ctx context.Context, b *searchSQL, q catalog.Query) ([]catalog.ProductSummary, string, error) {
	args := append([]any(nil), b.args...)
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	var order, after string
	switch q.Sort {
	case catalog.SortRelevance:
		order = "rank DESC, id"
		if c := q.Cursor; c != nil {
			r, _ := strconv.ParseFloat(c.Key, 64)
			after = fmt.Sprintf("(rank < %[1]s OR (rank = %[1]s AND id > %[2]s))", arg(r), arg(c.ID))
		}
	case catalog.SortUpdated:
		order = "updated_at DESC, id DESC"
		if c := q.Cursor; c != nil {
			t, _ := time.Parse(time.RFC3339Nano, c.Key)
			after = fmt.Sprintf("(updated_at, id) < (%s, %s)", arg(t), arg(c.ID))
		}
	default:
		order = "name_folded, id"
		if c := q.Cursor; c != nil {
			after = fmt.Sprintf("(name_folded, id) > (%s, %s)", arg(c.Key), arg(c.ID))
		}
	}
	query := fmt.Sprintf(`SELECT * FROM (
		SELECT %s, %s AS rank
		FROM products p JOIN organizations o ON o.id = p.vendor_id JOIN categories c ON c.id = p.category_id
		%s
		WHERE %s) s`, summaryColumns, b.rank, b.levelJoin(), b.whereSQL())
	if after != "" {
		query += " WHERE " + after
	}
	query += fmt.Sprintf(" ORDER BY %s LIMIT %d", order, q.Limit+1)
	if q.Cursor == nil && q.Offset > 0 {
		query += fmt.Sprintf(" OFFSET %d", q.Offset)
	}
	var rows []summaryRow
	if err := s.scanSQL(ctx, &rows, query, args...); err != nil {
		return nil, "", translate(err, "search")
	}
	var next string
	if len(rows) > q.Limit {
		rows = rows[:q.Limit]
		last := rows[len(rows)-1]
		c := catalog.Cursor{Sort: q.Sort, ID: last.ID}
		switch q.Sort {
		case catalog.SortRelevance:
			c.Key = strconv.FormatFloat(last.Rank, 'g', -1, 64)
		case catalog.SortUpdated:
			c.Key = last.UpdatedAt.Format(time.RFC3339Nano)
		default:
			c.Key = last.NameFolded
		}
		next = c.Encode()
	}
	items := make([]catalog.ProductSummary, len(rows))
	for i, r := range rows {
		items[i] = r.summary()
	}
	return items, next, nil
}

func (r summaryRow) summary() catalog.ProductSummary {
	hc := make([]catalog.Country, len(r.HostingCountries))
	for i, c := range r.HostingCountries {
		hc[i] = catalog.Country(c)
	}
	return catalog.ProductSummary{
		Slug: r.Slug, Name: r.Name, VendorSlug: r.VendorSlug, VendorName: r.VendorName,
		VendorCountry: catalog.Country(r.VendorCountry), CategorySlug: r.CategorySlug, Kind: catalog.Kind(r.Kind),
		DescriptionDE: r.DescriptionDE, DescriptionEN: r.DescriptionEN, OpenSource: catalog.Tri(r.OpenSource),
		VendorHosted: catalog.Tri(r.VendorHosted), SelfHostable: catalog.Tri(r.SelfHostable),
		HostingCountries: hc, UpdatedAt: r.UpdatedAt, Level: r.level(),
	}
}

func (r summaryRow) level() *catalog.ProductLevel {
	if r.LevelOverall == nil {
		return nil
	}
	l := levelScan{Slug: r.Slug, Overall: *r.LevelOverall, Objectives: r.LevelObjectives}
	if r.LevelPessimistic != nil {
		l.Pessimistic = *r.LevelPessimistic
	}
	if r.LevelProvisional != nil {
		l.Provisional = *r.LevelProvisional
	}
	if r.LevelRuleVersion != nil {
		l.RuleVersion = *r.LevelRuleVersion
	}
	if r.LevelPerspective != nil {
		l.Perspective = *r.LevelPerspective
	}
	lv := l.level()
	return &lv
}

type facetRow struct {
	Facet string
	Value string
	Count int
}

// searchFacets counts every facet over the whole result set in one
// statement; the matching set is computed once (a materialised CTE).
func (s *Store) searchFacets(ctx context.Context, b *searchSQL) (catalog.Facets, int, error) {
	query := fmt.Sprintf(`WITH m AS MATERIALIZED (
		SELECT p.category_id, p.vendor_country, p.hosting_countries, p.open_source, p.kind, p.vendor_hosted, p.self_hostable,
			l.overall
		FROM products p %s WHERE %s)
	SELECT 'category' AS facet, c.slug AS value, count(*) AS count FROM m JOIN categories c ON c.id = m.category_id GROUP BY c.slug
	UNION ALL SELECT 'vendor_country', vendor_country, count(*) FROM m GROUP BY vendor_country
	UNION ALL SELECT 'hosting_country', h, count(*) FROM m, unnest(m.hosting_countries) h GROUP BY h
	UNION ALL SELECT 'open_source', open_source, count(*) FROM m GROUP BY open_source
	UNION ALL SELECT 'kind', kind, count(*) FROM m GROUP BY kind
	UNION ALL SELECT 'deployment', 'vendor_hosted', count(*) FROM m WHERE vendor_hosted = 'yes'
	UNION ALL SELECT 'deployment', 'self_hostable', count(*) FROM m WHERE self_hostable = 'yes'
	UNION ALL SELECT 'level', overall::text, count(*) FROM m WHERE overall IS NOT NULL GROUP BY overall
	UNION ALL SELECT 'total', '', count(*) FROM m`, b.levelJoin(), b.whereSQL())
	var rows []facetRow
	if err := s.scanSQL(ctx, &rows, query, b.args...); err != nil {
		return catalog.Facets{}, 0, translate(err, "search facets")
	}
	var f catalog.Facets
	total := 0
	for _, r := range rows {
		fc := catalog.FacetCount{Value: r.Value, Count: r.Count}
		switch r.Facet {
		case "category":
			f.Category = append(f.Category, fc)
		case "vendor_country":
			f.VendorCountry = append(f.VendorCountry, fc)
		case "hosting_country":
			f.HostingCountry = append(f.HostingCountry, fc)
		case "open_source":
			f.OpenSource = append(f.OpenSource, fc)
		case "kind":
			f.Kind = append(f.Kind, fc)
		case "deployment":
			if r.Count > 0 {
				f.Deployment = append(f.Deployment, fc)
			}
		case "level":
			f.Level = append(f.Level, fc)
		case "total":
			total = r.Count
		}
	}
	for _, list := range []*[]catalog.FacetCount{&f.Category, &f.VendorCountry, &f.HostingCountry, &f.OpenSource, &f.Kind} {
		sortFacet(*list)
	}
	return f, total, nil
}

// sortFacet orders values by count, then by value, so facets read the same
// on every request.
func sortFacet(list []catalog.FacetCount) {
	slices.SortFunc(list, func(a, b catalog.FacetCount) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return cmp.Compare(a.Value, b.Value)
	})
}

// scanSQL runs a query with PostgreSQL's $n placeholders and scans all rows
// into dest (a pointer to a slice). It bypasses gorm's Raw, which reads "@"
// as the start of a named parameter and so breaks on the full-text
// operator "@@".
func (s *Store) scanSQL(ctx context.Context, dest any, query string, args ...any) error {
	rows, err := s.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	slice := reflect.ValueOf(dest).Elem()
	for rows.Next() {
		item := reflect.New(slice.Type().Elem())
		if err := s.db.ScanRows(rows, item.Interface()); err != nil {
			return err
		}
		slice.Set(reflect.Append(slice, item.Elem()))
	}
	return rows.Err()
}
