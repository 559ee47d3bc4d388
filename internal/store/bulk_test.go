package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// canonicalQueries dump every table without ids and timestamps, joining
// ids to slugs, so two databases can be compared row for row.
var canonicalQueries = map[string]string{
	"sources":       `SELECT key, url, title, kind, retrieved::text, content_hash FROM sources ORDER BY key`,
	"categories":    `SELECT slug, name_de, name_en, content_hash FROM categories ORDER BY slug`,
	"organizations": `SELECT slug, name, coalesce(website, '<null>'), coalesce(legal_name, '<null>'), registration_country, hq_country, coalesce(presence_countries::text, '<null>'), content_hash, version FROM organizations ORDER BY slug`,
	"ownerships": `SELECT o.slug, h.slug, coalesce(w.capital_pct::text, '<null>'), coalesce(w.voting_pct::text, '<null>'), w.control, w.veto, w.board_majority
		FROM ownerships w JOIN organizations o ON o.id = w.organization_id JOIN organizations h ON h.id = w.holder_id ORDER BY 1, 2`,
	"products": `SELECT p.slug, p.name, o.slug, c.slug, p.kind, coalesce(p.website, '<null>'), p.description_de, p.description_en,
		p.vendor_hosted, p.self_hostable, coalesce(p.license, '<null>'), p.governance, p.phone_home, coalesce(p.source_repository, '<null>'),
		p.vendor_country, p.hosting_countries::text, p.open_source, p.search_extra, p.name_folded, p.search_vector::text, p.content_hash, p.version
		FROM products p JOIN organizations o ON o.id = p.vendor_id JOIN categories c ON c.id = p.category_id ORDER BY p.slug`,
	"offerings": `SELECT p.slug, f.position, o.slug, f.data_locations_known, f.support_locations_known, f.key_management, f.governing_law, coalesce(f.subprocessor_list, '<null>')
		FROM offerings f JOIN products p ON p.id = f.product_id JOIN organizations o ON o.id = f.operator_id ORDER BY 1, 2`,
	"offering_locations": `SELECT p.slug, f.position, l.kind, l.position, l.country, coalesce(l.purpose, '<null>')
		FROM offering_locations l JOIN offerings f ON f.id = l.offering_id JOIN products p ON p.id = f.product_id ORDER BY 1, 2, 3, 4`,
	"certifications": `SELECT p.slug, f.position, c.scheme FROM certifications c JOIN offerings f ON f.id = c.offering_id JOIN products p ON p.id = f.product_id ORDER BY 1, 2, 3`,
	"dependencies": `SELECT c.slug, p.slug, d.role, d.data_access, d.criticality, coalesce(d.failover_group, '<null>')
		FROM dependencies d JOIN products c ON c.id = d.consumer_id JOIN products p ON p.id = d.provider_id ORDER BY 1, 2`,
	"alternatives": `SELECT p.slug, r.slug FROM alternatives a JOIN products p ON p.id = a.product_id JOIN products r ON r.id = a.replaces_id ORDER BY 1, 2`,
	"adoptions": `SELECT p.slug, a.position, a.body, a.country, coalesce(a.year::text, '<null>'), coalesce(r.slug, '<null>'), a.description_de, a.description_en
		FROM adoptions a JOIN products p ON p.id = a.product_id LEFT JOIN products r ON r.id = a.replaces_id ORDER BY 1, 2`,
	// Evidence names its subject by the subject's own canonical key.
	"evidence": `SELECT s.key, e.fact, concat_ws('/',
			'org:' || o.slug, 'own:' || wo.slug || '>' || wh.slug, 'prod:' || p.slug,
			'off:' || fp.slug || '#' || f.position, 'cert:' || cp.slug || '#' || cf.position || ':' || c.scheme,
			'dep:' || dc.slug || '>' || dp.slug, 'adopt:' || ap.slug || '#' || a.position)
		FROM evidence e JOIN sources s ON s.id = e.source_id
		LEFT JOIN organizations o ON o.id = e.organization_id
		LEFT JOIN ownerships w ON w.id = e.ownership_id LEFT JOIN organizations wo ON wo.id = w.organization_id LEFT JOIN organizations wh ON wh.id = w.holder_id
		LEFT JOIN products p ON p.id = e.product_id
		LEFT JOIN offerings f ON f.id = e.offering_id LEFT JOIN products fp ON fp.id = f.product_id
		LEFT JOIN certifications c ON c.id = e.certification_id LEFT JOIN offerings cf ON cf.id = c.offering_id LEFT JOIN products cp ON cp.id = cf.product_id
		LEFT JOIN dependencies d ON d.id = e.dependency_id LEFT JOIN products dc ON dc.id = d.consumer_id LEFT JOIN products dp ON dp.id = d.provider_id
		LEFT JOIN adoptions a ON a.id = e.adoption_id LEFT JOIN products ap ON ap.id = a.product_id
		ORDER BY 1, 2, 3`,
}

// dump returns every row of the canonical queries, one string per row.
func dump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range canonicalQueries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("dump %s: %v", name, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("dump %s: %v", name, err)
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = v.String
			}
			out[name] = append(out[name], strings.Join(parts, " | "))
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("dump %s: %v", name, err)
		}
		rows.Close()
	}
	return out
}

func TestStore_BulkInsert(t *testing.T) {
	ctx := context.Background()
	d := mustSeed(t)

	t.Run("writes the rows the normal import writes", func(t *testing.T) {
		bulk := storetest.Migrated(t)
		rep, err := bulk.BulkInsert(ctx, d)
		if err != nil {
			t.Fatalf("bulk insert: %v", err)
		}
		if rep.Products != len(d.Products) || rep.Organizations != len(d.Organizations) || rep.Sources != len(d.Sources) {
			t.Errorf("report %+v does not match the dataset (%d products, %d organisations, %d sources)",
				rep, len(d.Products), len(d.Organizations), len(d.Sources))
		}
		if rep.DerivedFixed != 0 {
			t.Errorf("the refresh corrected %d products: the bulk path derives columns differently from Import", rep.DerivedFixed)
		}
		imported := storetest.Seeded(t)
		got, want := dump(t, bulk.DB()), dump(t, imported.DB())
		for name := range canonicalQueries {
			if len(got[name]) == 0 {
				t.Errorf("%s: no rows written", name)
			}
			if !reflect.DeepEqual(got[name], want[name]) {
				t.Errorf("%s differs from the normal import:\n%s", name, firstDiff(got[name], want[name]))
			}
		}
		for _, p := range d.Products {
			a, errA := bulk.Product(ctx, p.Slug)
			b, errB := imported.Product(ctx, p.Slug)
			if errA != nil || errB != nil {
				t.Fatalf("product %s: %v / %v", p.Slug, errA, errB)
			}
			a.Product.UpdatedAt, b.Product.UpdatedAt = time.Time{}, time.Time{}
			a.Vendor.UpdatedAt, b.Vendor.UpdatedAt = time.Time{}, time.Time{}
			for k, o := range a.Operators {
				o.UpdatedAt = time.Time{}
				a.Operators[k] = o
			}
			for k, o := range b.Operators {
				o.UpdatedAt = time.Time{}
				b.Operators[k] = o
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("product %s reads differently after a bulk insert:\n bulk   %+v\n import %+v", p.Slug, a.Product, b.Product)
			}
		}
		// Same content hashes: the normal import sees nothing to do.
		again, err := catalog.NewService(bulk).Import(ctx, d)
		if err != nil {
			t.Fatalf("import after bulk insert: %v", err)
		}
		if again.Changed() {
			t.Errorf("import after bulk insert changed data: %+v", again)
		}
	})

	t.Run("references stored entries", func(t *testing.T) {
		s := storetest.Seeded(t)
		extra := catalog.Dataset{
			Sources: []catalog.Source{{Key: "bulk-test-doc", URL: "https://example.org/doc", Title: "Doc", Kind: catalog.SourceVendorLegal,
				Retrieved: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}},
			Products: []catalog.Product{{
				Slug: "bulk-test-mail", Name: "Bulk Test Mail", Vendor: "nextcloud", Category: "email", Kind: catalog.KindSaaS,
				DescriptionDE: "Ein Test.", DescriptionEN: "A test.",
				License: catalog.KnownFact("AGPL-3.0-only", "bulk-test-doc"),
				Offerings: []catalog.Offering{{Operator: "hetzner",
					DataLocations: catalog.KnownFact([]catalog.DataLocation{{Country: "DE", Purpose: catalog.PurposePrimary}}, "bulk-test-doc")}},
				Dependencies: []catalog.Dependency{{Provider: "hetzner-cloud", Role: catalog.RoleComputeHosting,
					DataAccess: catalog.AccessPlaintext, Criticality: catalog.Critical, Sources: []string{"bulk-test-doc"}}},
				Alternatives: []string{"microsoft-exchange-online"},
			}},
		}
		rep, err := s.BulkInsert(ctx, extra)
		if err != nil {
			t.Fatalf("bulk insert: %v", err)
		}
		if rep.DerivedFixed != 0 {
			t.Errorf("the refresh corrected %d products", rep.DerivedFixed)
		}
		p, err := s.Product(ctx, "bulk-test-mail")
		if err != nil {
			t.Fatalf("product: %v", err)
		}
		if p.Vendor.Slug != "nextcloud" || len(p.Product.Dependencies) != 1 || p.Product.Dependencies[0].Provider != "hetzner-cloud" {
			t.Errorf("references not resolved: vendor %q, dependencies %+v", p.Vendor.Slug, p.Product.Dependencies)
		}
		res, err := catalog.NewService(s).Search(ctx, catalog.Query{Text: "Bulk Test", HostingCountries: []catalog.Country{"DE"}, OpenSource: catalog.Yes})
		if err != nil {
			t.Fatalf("search: %v", err)
		}
		if len(res.Items) == 0 || res.Items[0].Slug != "bulk-test-mail" || res.Items[0].VendorCountry != "DE" {
			t.Errorf("search does not find the bulk-inserted product with its facets: %+v", res.Items)
		}
	})

	t.Run("refuses existing entries", func(t *testing.T) {
		s := storetest.Seeded(t)
		before, _ := s.Stats(ctx)
		_, err := s.BulkInsert(ctx, catalog.Dataset{Categories: []catalog.Category{{Slug: "bulk-new", NameDE: "Neu", NameEN: "New"}},
			Products: d.Products[:1]})
		if !errors.Is(err, catalog.ErrConflict) {
			t.Fatalf("got %v, want ErrConflict", err)
		}
		after, _ := s.Stats(ctx)
		if before != after {
			t.Errorf("a failed bulk insert changed data: %+v → %+v", before, after)
		}
	})

	t.Run("refuses unknown references", func(t *testing.T) {
		s := storetest.Migrated(t)
		_, err := s.BulkInsert(ctx, catalog.Dataset{Products: d.Products[:1]})
		if !errors.Is(err, catalog.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	})
}

// firstDiff describes where two row lists first differ.
func firstDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("row %d (of %d / %d)\n bulk:   %s\n import: %s", i, len(got), len(want), g, w)
		}
	}
	return "equal"
}
