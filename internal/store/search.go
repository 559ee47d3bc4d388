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

	"github.com/jackc/pgx/v5"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// fuzzyBelow is the number of full-text matches under which a search also
// tries trigram similarity on names, for misspellings ("nextclod").
const fuzzyBelow = 3

// Search runs a catalogue search: PostgreSQL full text over German and
// English stems of accent-folded text plus an unstemmed prefix match; when
// that finds almost nothing, a trigram fallback on the name. The fallback
// is a second query rather than an OR in the first, because the OR keeps
// PostgreSQL from using the full-text index for common words.
//
// The facets are counted on the facet table of the current generation
// (facets.go) when there is one, else (inside a transaction) in SQL.
func (s *Store) Search(ctx context.Context, q catalog.Query) (catalog.SearchResult, error) {
	return s.search(ctx, q, false)
}

// search is Search; plain counts the facets in SQL and scans the items
// through gorm, as inside a transaction (the reference for the tests).
func (s *Store) search(ctx context.Context, q catalog.Query, plain bool) (catalog.SearchResult, error) {
	var res catalog.SearchResult
	var t *facetTable
	ok := false
	if !plain {
		var err error
		if t, ok, err = s.facets(ctx); err != nil {
			return res, err
		}
	}
	count := s.searchFacets
	if ok {
		count = func(ctx context.Context, b *searchSQL) (catalog.Facets, int, error) {
			return s.tableFacets(ctx, t, b, q)
		}
	}
	b := newSearchSQL(q, false)
	facets, total, err := count(ctx, b)
	if err != nil {
		return res, err
	}
	if q.Text != "" && total < fuzzyBelow {
		fb := newSearchSQL(q, true)
		ff, ft, err := count(ctx, fb)
		if err != nil {
			return res, err
		}
		if ft > total {
			b, facets, total = fb, ff, ft
		}
	}
	res.Facets, res.Total = facets, total
	res.Items, res.Next, err = s.searchItems(ctx, b, q, plain || !ok)
	return res, err
}

// tableFacets counts the facets of b's result set on the facet table: the
// filters are applied there, the text (if any) is matched in PostgreSQL,
// which returns only the ids.
func (s *Store) tableFacets(ctx context.Context, t *facetTable, b *searchSQL, q catalog.Query) (catalog.Facets, int, error) {
	f := t.filter(q)
	if b.text == nil {
		fs, total := t.count(f, nil)
		return fs, total, nil
	}
	// Sequential scans off, as for the items (querySummaries).
	matched := []int32{}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT set_config('enable_seqscan', 'off', true)`)
	batch.Queue(`SELECT p.id FROM products p WHERE `+b.text.whereSQL(), b.text.args...).Query(func(rows pgx.Rows) error {
		var id int64
		_, err := pgx.ForEachRow(rows, []any{&id}, func() error {
			if i, ok := t.pos[id]; ok {
				matched = append(matched, i)
			}
			return nil
		})
		return err
	})
	if err := (readStore{sql: s.sql}).send(ctx, batch); err != nil {
		return catalog.Facets{}, 0, translate(err, "search")
	}
	fs, total := t.count(f, matched)
	return fs, total, nil
}

// searchSQL builds the WHERE clause and ranking expression of a search.
type searchSQL struct {
	args   []any
	where  []string
	rank   func(arg func(any) string) string
	persp  string // placeholder of the perspective, for the level join
	levels bool   // the WHERE clause filters by level, so it needs the join
	// text is the text condition alone, with its own parameters (nil
	// without text): what the facet table needs PostgreSQL for.
	text *searchSQL
}

// levelJoin attaches the stored level of each product under the query's
// perspective (absent while a product is unclassified).
func (b *searchSQL) levelJoin() string {
	return "LEFT JOIN product_levels l ON l.product_id = p.id AND l.perspective = " + b.persp
}

// levelJoinIf is the level join where the filter needs it, else nothing.
func (b *searchSQL) levelJoinIf() string {
	if b.levels {
		return b.levelJoin()
	}
	return ""
}

// arg adds a parameter and returns its placeholder with an explicit type:
// the facet query does not use every parameter (the rank's), and
// PostgreSQL must still know the type of each.
func (b *searchSQL) arg(v any) string {
	b.args = append(b.args, v)
	ph := "$" + strconv.Itoa(len(b.args))
	switch v.(type) {
	case pq.StringArray:
		return ph + "::text[]"
	case string:
		return ph + "::text"
	default:
		return ph
	}
}

// newSearchSQL builds the search's WHERE clause and rank; fuzzy adds the
// trigram match on names. The rank's own parameters are added only when
// the items query is built (the facet query must not carry parameters it
// does not use: PostgreSQL cannot type them).
func newSearchSQL(q catalog.Query, fuzzy bool) *searchSQL {
	b := &searchSQL{rank: func(func(any) string) string { return "0" }}
	b.persp = b.arg(q.Perspective)
	if q.Text != "" {
		text, lower, prefix := q.Text, strings.ToLower(q.Text), prefixQuery(q.Text)
		tsq := func(arg func(any) string) string {
			t := arg(text)
			out := fmt.Sprintf("(websearch_to_tsquery('german', registry_unaccent(%[1]s)) || websearch_to_tsquery('english', registry_unaccent(%[1]s))", t)
			if prefix != "" {
				out += fmt.Sprintf(" || to_tsquery('simple', registry_unaccent(%s))", arg(prefix))
			}
			return out + ")"
		}
		folded := func(arg func(any) string) string { return fmt.Sprintf("registry_unaccent(%s)", arg(lower)) }
		match := func(arg func(any) string) string {
			if fuzzy {
				return fmt.Sprintf("(p.search_vector @@ %s OR p.name_folded %% %s)", tsq(arg), folded(arg))
			}
			return fmt.Sprintf("p.search_vector @@ %s", tsq(arg))
		}
		b.where = append(b.where, match(b.arg))
		b.text = &searchSQL{}
		b.text.where = []string{match(b.text.arg)}
		// Name hits weigh most (tsvector weight A), an exact name most of all.
		b.rank = func(arg func(any) string) string {
			f := folded(arg)
			r := fmt.Sprintf("ts_rank(p.search_vector, %s)::float8 + CASE WHEN p.name_folded = %s THEN 1 ELSE 0 END", tsq(arg), f)
			if fuzzy {
				r += fmt.Sprintf(" + similarity(p.name_folded, %s)", f)
			}
			return "(" + r + ")"
		}
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
		b.levels = true
		b.where = append(b.where, fmt.Sprintf("l.overall = ANY(%s::int[])", b.arg(pq.Array(q.Levels))))
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

func (s *Store) searchItems(ctx context.Context, b *searchSQL, q catalog.Query, plain bool) ([]catalog.ProductSummary, string, error) {
	ib := &searchSQL{args: append([]any(nil), b.args...)}
	arg := ib.arg
	rank := b.rank(arg)
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
	// The page is chosen on products alone (plus levels when filtering by
	// them); names, vendors, categories and levels are joined to the chosen
	// rows only.
	inner := fmt.Sprintf(`SELECT p.id, p.name_folded, p.updated_at, %s AS rank FROM products p %s WHERE %s`,
		rank, b.levelJoinIf(), b.whereSQL())
	if after != "" {
		inner = "SELECT * FROM (" + inner + ") m WHERE " + after
	}
	inner += fmt.Sprintf(" ORDER BY %s LIMIT %d", order, q.Limit+1)
	if q.Cursor == nil && q.Offset > 0 {
		inner += fmt.Sprintf(" OFFSET %d", q.Offset)
	}
	query := fmt.Sprintf(`SELECT %s, page.rank
		FROM (%s) page
		JOIN products p ON p.id = page.id JOIN organizations o ON o.id = p.vendor_id JOIN categories c ON c.id = p.category_id
		%s
		ORDER BY %s`, summaryColumns, inner, b.levelJoin(), "page."+strings.ReplaceAll(order, ", ", ", page."))
	var rows []summaryRow
	if err := s.querySummaries(ctx, &rows, plain, q.Text != "", query, ib.args); err != nil {
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

// level is the listed product's stored level, without Passed: a listing
// shows levels and explains none, so it does not read the passed state.
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
	Facet        string
	Value        string
	Count        int
	VendorHosted int
	SelfHostable int
}

// searchFacets counts every facet over the whole result set: one pass of
// GROUPING SETS over the matching rows, plus one over their hosting
// countries (an array). Deployment counts ride on the total row.
func (s *Store) searchFacets(ctx context.Context, b *searchSQL) (catalog.Facets, int, error) {
	query := fmt.Sprintf(`WITH m AS MATERIALIZED (
		SELECT p.category_id, p.vendor_country, p.hosting_countries, p.open_source, p.kind, p.vendor_hosted, p.self_hostable,
			l.overall
		FROM products p %s WHERE %s),
	g AS (
		SELECT CASE WHEN grouping(category_id) = 0 THEN 'category' WHEN grouping(vendor_country) = 0 THEN 'vendor_country'
				WHEN grouping(open_source) = 0 THEN 'open_source' WHEN grouping(kind) = 0 THEN 'kind'
				WHEN grouping(overall) = 0 THEN 'level' ELSE 'total' END AS facet,
			category_id, vendor_country, open_source, kind, overall,
			count(*) AS count,
			count(*) FILTER (WHERE vendor_hosted = 'yes') AS vendor_hosted,
			count(*) FILTER (WHERE self_hostable = 'yes') AS self_hostable
		FROM m GROUP BY GROUPING SETS ((category_id), (vendor_country), (open_source), (kind), (overall), ()))
	SELECT g.facet, CASE g.facet WHEN 'category' THEN c.slug WHEN 'vendor_country' THEN g.vendor_country
			WHEN 'open_source' THEN g.open_source WHEN 'kind' THEN g.kind WHEN 'level' THEN g.overall::text ELSE '' END AS value,
		g.count, g.vendor_hosted, g.self_hostable
	FROM g LEFT JOIN categories c ON c.id = g.category_id
	WHERE NOT (g.facet = 'level' AND g.overall IS NULL)
	UNION ALL SELECT 'hosting_country', h, count(*), 0, 0 FROM m, unnest(m.hosting_countries) h GROUP BY h`,
		b.levelJoin(), b.whereSQL())
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
		case "level":
			f.Level = append(f.Level, fc)
		case "total":
			total = r.Count
			for _, d := range []catalog.FacetCount{
				{Value: catalog.DeploymentVendorHosted, Count: r.VendorHosted},
				{Value: catalog.DeploymentSelfHostable, Count: r.SelfHostable},
			} {
				if d.Count > 0 {
					f.Deployment = append(f.Deployment, d)
				}
			}
		}
	}
	for _, list := range []*[]catalog.FacetCount{&f.Category, &f.VendorCountry, &f.HostingCountry, &f.OpenSource, &f.Kind} {
		sortFacet(*list)
	}
	// Levels read best in their own order, RSL-0 to RSL-4.
	slices.SortFunc(f.Level, func(a, b catalog.FacetCount) int { return cmp.Compare(a.Value, b.Value) })
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

// querySummaries runs the items query and scans its rows. Unless plain
// (inside a transaction) it goes through pgx (no reflection per row), and a text
// search runs with sequential scans off: PostgreSQL overestimates how
// many products a common word matches ("Cloud": 54,000 guessed, 21,000
// found) and scans the whole table (250 ms) where the full-text index
// takes 110 ms.
func (s *Store) querySummaries(ctx context.Context, dest *[]summaryRow, plain, text bool, query string, args []any) error {
	if plain {
		return s.scanSQL(ctx, dest, query, args...)
	}
	b := &pgx.Batch{}
	if text {
		b.Queue(`SELECT set_config('enable_seqscan', 'off', true)`)
	}
	b.Queue(query, args...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var r summaryRow
			var hosting []string
			var objectives []int64
			if err := rows.Scan(&r.ID, &r.Slug, &r.Name, &r.NameFolded, &r.VendorSlug, &r.VendorName, &r.VendorCountry,
				&r.CategorySlug, &r.Kind, &r.DescriptionDE, &r.DescriptionEN, &r.OpenSource, &r.VendorHosted, &r.SelfHostable,
				&hosting, &r.UpdatedAt, &r.LevelOverall, &r.LevelPessimistic, &r.LevelProvisional, &objectives,
				&r.LevelRuleVersion, &r.LevelPerspective, &r.Rank); err != nil {
				return err
			}
			r.HostingCountries, r.LevelObjectives = hosting, objectives
			*dest = append(*dest, r)
		}
		return rows.Err()
	})
	return readStore{sql: s.sql}.send(ctx, b)
}

// inTx reports whether the store runs inside a transaction (the pool's
// connections would not see its writes).
func (s *Store) inTx() bool {
	_, ok := s.db.Statement.ConnPool.(gorm.TxCommitter)
	return ok
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
