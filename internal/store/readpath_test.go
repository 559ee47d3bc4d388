package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// plainRepository hides the store's read path: a service on it reads
// through the Repository methods alone, as before the read caches.
type plainRepository struct{ catalog.Repository }

// TestReadPath_MatchesRepository checks that the cached read path (one
// batch per page, records shared between pages) gives exactly what the
// plain repository reads give: every product's detail, its explanation
// under every perspective and the stored levels.
func TestReadPath_MatchesRepository(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	if s.ReadPath() == nil {
		t.Fatal("the store offers no read path outside a transaction")
	}
	asOf := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return asOf }
	fast := catalog.NewService(s, catalog.WithClock(clock))
	plain := catalog.NewService(plainRepository{s}, catalog.WithClock(clock))
	slugs, err := s.Graph().AllSlugs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Twice: the first pass fills the caches, the second reads from them
	// (with the dependency graph loaded, which predicts closures).
	readFast, readClosure := 0, 0 // product records the explanations read
	for pass := range 2 {
		if pass == 1 {
			if _, err := fast.Graph(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, slug := range slugs {
			want, err := s.Product(ctx, slug)
			if err != nil {
				t.Fatalf("%s: %v", slug, err)
			}
			got, err := fast.Product(ctx, slug)
			if err != nil {
				t.Fatalf("pass %d, %s: %v", pass, slug, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("pass %d, %s: cached detail differs\n got: %+v\nwant: %+v", pass, slug, got, want)
			}
			wantDetail := want
			for _, p := range catalog.Perspectives() {
				want, err := plain.Explain(ctx, slug, p.Name)
				if err != nil {
					t.Fatalf("%s/%s: %v", slug, p.Name, err)
				}
				got, err := fast.Explain(ctx, slug, p.Name)
				if err != nil {
					t.Fatalf("pass %d, %s/%s: %v", pass, slug, p.Name, err)
				}
				if !sameExplanation(got, want) {
					t.Errorf("pass %d, %s/%s: cached explanation differs", pass, slug, p.Name)
				}
				gotDetail, gotEx, err := fast.ProductExplained(ctx, slug, p.Name)
				if err != nil {
					t.Fatalf("pass %d, %s/%s: ProductExplained: %v", pass, slug, p.Name, err)
				}
				if !reflect.DeepEqual(gotDetail, wantDetail) || !sameExplanation(gotEx, want) {
					t.Errorf("pass %d, %s/%s: ProductExplained differs from Product and Explain", pass, slug, p.Name)
				}
				if gotEx.Products > want.Products {
					t.Errorf("pass %d, %s/%s: explained from %d products, more than its closure's %d", pass, slug, p.Name, gotEx.Products, want.Products)
				}
				readFast += gotEx.Products
				readClosure += want.Products
				wl, werr := plain.Level(ctx, slug, p.Name)
				gl, gerr := fast.Level(ctx, slug, p.Name)
				if !reflect.DeepEqual(gl, wl) || (werr == nil) != (gerr == nil) {
					t.Errorf("pass %d, %s/%s: level %+v (%v), want %+v (%v)", pass, slug, p.Name, gl, gerr, wl, werr)
				}
			}
		}
		for _, p := range catalog.Perspectives() {
			want, err := plain.Levels(ctx, append(slugs, "no-such-product"), p.Name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := fast.Levels(ctx, append(slugs, "no-such-product"), p.Name)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("pass %d, %s: cached levels differ", pass, p.Name)
			}
		}
	}
	// The read path explains from the providers' stored states: fewer
	// records than the closures (which the plain path reads) in all.
	if readFast >= readClosure {
		t.Errorf("the read path's explanations read %d product records, the closures hold %d: stored states unused", readFast, readClosure)
	}
	// The dependency graph, loaded through the read path and through Edges.
	gf, err := fast.Graph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gp, err := plain.Graph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if gf.Len() == 0 || gf.Edges() == 0 || !reflect.DeepEqual(gf, gp) {
		t.Errorf("the graph read by the read path (%d nodes, %d edges) differs from Edges' (%d, %d)", gf.Len(), gf.Edges(), gp.Len(), gp.Edges())
	}
	for _, svc := range []*catalog.Service{fast, plain} {
		if _, err := svc.Product(ctx, "no-such-product"); err == nil {
			t.Error("an unknown product was found")
		}
		if _, err := svc.Explain(ctx, "no-such-product", ""); err == nil {
			t.Error("an unknown product was explained")
		}
	}
}

// TestReadPath_ExplainsWithoutStoredStates: where a provider's stored
// state is missing (a level written before it was kept), the read path
// explains from the whole closure, with the same result.
func TestReadPath_ExplainsWithoutStoredStates(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	asOf := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return asOf }
	plain := catalog.NewService(plainRepository{s}, catalog.WithClock(clock))
	// openDesk's closure holds one product beyond its direct providers.
	want, err := plain.Explain(ctx, "opendesk", "")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := catalog.NewService(s, catalog.WithClock(clock)).Explain(ctx, "opendesk", "")
	if err != nil {
		t.Fatal(err)
	}
	if stored.Products >= want.Products || !sameExplanation(stored, want) {
		t.Fatalf("with stored states: read %d products (closure %d), same result %v", stored.Products, want.Products, sameExplanation(stored, want))
	}
	// Each spoils one stored state more; every one sends the read path
	// to the closure, with the same result.
	spoiled := []struct {
		name, product, passed string
	}{
		{"a provider's state missing", "element", "NULL"},
		// Older than the record: it names a dependency the product lacks.
		{"a provider's state not fitting", "element", passedSQL(4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 40, -1, -1, -1, -1)},
		// The product's own, where the walk along the pointers starts.
		{"the product's state not fitting", "opendesk", passedSQL(4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 40, 41, 42, 43, 44)},
	}
	for _, sp := range spoiled {
		if _, err := s.DB().ExecContext(ctx, `UPDATE product_levels SET passed = `+sp.passed+`
			WHERE product_id = (SELECT id FROM products WHERE slug = $1)`, sp.product); err != nil {
			t.Fatalf("%s: %v", sp.name, err)
		}
		got, err := catalog.NewService(s, catalog.WithClock(clock)).Explain(ctx, "opendesk", "")
		if err != nil {
			t.Fatalf("%s: %v", sp.name, err)
		}
		if got.Products != want.Products || !sameExplanation(got, want) {
			t.Fatalf("%s: read %d products (closure %d), same result %v", sp.name, got.Products, want.Products, sameExplanation(got, want))
		}
	}
}

// sameExplanation reports whether two explanations agree in everything
// but Products, the number of product records read: the read path
// explains a product from its providers' stored passed states where it
// can, reading fewer records than the plain path's upstream closure.
func sameExplanation(a, b catalog.Explanation) bool {
	a.Products, b.Products = 0, 0
	return reflect.DeepEqual(a, b)
}

// TestReadPath_WriteIsVisible checks that a committed change retires the
// cached records: the next read shows it.
func TestReadPath_WriteIsVisible(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	svc := catalog.NewService(s)
	before, err := svc.Product(ctx, "nextcloud")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Explain(ctx, "nextcloud", ""); err != nil {
		t.Fatal(err)
	}
	d := mustSeed(t)
	for i := range d.Products {
		if d.Products[i].Slug == "nextcloud" {
			d.Products[i].DescriptionEN = "Edited while cached."
		}
	}
	// Another service writes: this one learns of it through the generation.
	if _, err := catalog.NewService(s).Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		after, err := svc.Product(ctx, "nextcloud")
		if err != nil {
			t.Fatal(err)
		}
		if after.Product.DescriptionEN == "Edited while cached." {
			break
		}
		if after.Product.DescriptionEN != before.Product.DescriptionEN || time.Now().After(deadline) {
			t.Fatalf("description %q after the write, want the edit", after.Product.DescriptionEN)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestReadPath_RestoresSession checks that the read path's batches leave
// the pooled connection's settings as they found them.
func TestReadPath_RestoresSession(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	s.DB().SetMaxOpenConns(1) // the batch and the check share one connection
	res, err := s.ReadPath().ReadProducts(ctx, catalog.ReadRequest{Products: []string{"nextcloud", "aws"}, Neighbourhood: "aws"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Products) != 2 || res.Neighbourhood == nil || len(res.Levels) == 0 {
		t.Fatalf("read %d products, neighbourhood %v, %d levels", len(res.Products), res.Neighbourhood != nil, len(res.Levels))
	}
	for setting, want := range map[string]string{"plan_cache_mode": "auto", "enable_hashjoin": "on", "enable_mergejoin": "on"} {
		var got string
		if err := s.DB().QueryRowContext(ctx, "SHOW "+setting).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s is %q after a read batch, want %q", setting, got, want)
		}
	}
}

// TestReadPath_LevelsOnly checks that a batch reads the stored levels of
// products whose records the caller has (ReadRequest.Levels) without
// their records, beside the records it is asked for.
func TestReadPath_LevelsOnly(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	res, err := s.ReadPath().ReadProducts(ctx, catalog.ReadRequest{Products: []string{"nextcloud"}, Levels: []string{"aws", "no-such-product"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Products) != 1 || res.Products[0].Product.Slug != "nextcloud" {
		t.Fatalf("read %d records, want nextcloud's alone", len(res.Products))
	}
	levels := map[string]int{}
	for _, l := range res.Levels {
		levels[l.Product]++
	}
	n := len(catalog.Perspectives())
	if levels["nextcloud"] != n || levels["aws"] != n || len(levels) != 2 {
		t.Errorf("levels read per product: %v, want %d for nextcloud and aws", levels, n)
	}
	res, err = s.ReadPath().ReadProducts(ctx, catalog.ReadRequest{Levels: []string{"aws"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Products) != 0 || len(res.Levels) != n {
		t.Errorf("levels only: %d records, %d levels, want none and %d", len(res.Products), len(res.Levels), n)
	}
}
