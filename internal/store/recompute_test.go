package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// TestReclassify_AllMatchesUpstream checks that the full-catalogue load of
// a recomputation builds exactly what the per-product path (Upstream over
// every product) builds, descriptions and evidence aside, and that the
// plain handle's All (Upstream-based) agrees.
func TestReclassify_AllMatchesUpstream(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	plain, err := s.Graph().All(ctx)
	if err != nil {
		t.Fatalf("plain All: %v", err)
	}
	errDone := errors.New("done") // rolls the transaction back
	err = s.Reclassify(ctx, "test", func(ctx context.Context, g catalog.GraphStore) error {
		slugs, err := g.AllSlugs(ctx)
		if err != nil {
			return err
		}
		up, err := g.Upstream(ctx, slugs)
		if err != nil {
			return err
		}
		all, err := g.All(ctx)
		if err != nil {
			return err
		}
		if n := countSources(reflect.ValueOf(up)); n == 0 {
			t.Fatal("Upstream loaded no evidence: the comparison would prove nothing")
		}
		up = store.WithoutEvidence(up)
		if n := countSources(reflect.ValueOf(all)); n > 0 {
			t.Errorf("All loaded %d cited sources, want none", n)
		}
		if len(all.Products) != len(slugs) || len(all.Products) < 10 {
			t.Fatalf("All loaded %d products, want %d", len(all.Products), len(slugs))
		}
		if !reflect.DeepEqual(all.Products, up.Products) {
			for i := range up.Products {
				if i < len(all.Products) && !reflect.DeepEqual(all.Products[i], up.Products[i]) {
					t.Errorf("product %s differs\n got: %+v\nwant: %+v", up.Products[i].Slug, all.Products[i], up.Products[i])
				}
			}
			t.Fatal("All's products differ from Upstream's")
		}
		if !reflect.DeepEqual(plain.Products, up.Products) {
			t.Error("the plain handle's All differs from Upstream")
		}
		orgs := map[string]catalog.Organization{}
		for _, o := range all.Organizations {
			orgs[o.Slug] = o
		}
		for _, want := range up.Organizations {
			if got, ok := orgs[want.Slug]; !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("organisation %s differs\n got: %+v\nwant: %+v", want.Slug, got, want)
			}
		}
		if len(all.Sources) > 0 || len(plain.Sources) > 0 {
			t.Errorf("All loaded %d sources, the plain handle's %d, want none", len(all.Sources), len(plain.Sources))
		}
		return errDone
	})
	if !errors.Is(err, errDone) {
		t.Fatalf("reclassify: %v", err)
	}
}

// countSources counts the source keys cited anywhere in v (every field
// named Sources that is a []string) plus the entries of maps of sources.
func countSources(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return countSources(v.Elem())
	case reflect.Slice, reflect.Array:
		n := 0
		for i := range v.Len() {
			n += countSources(v.Index(i))
		}
		return n
	case reflect.Map:
		return v.Len()
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.Name == "Sources" && f.Type == reflect.TypeOf([]string(nil)) {
				n += v.Field(i).Len()
				continue
			}
			if f.IsExported() {
				n += countSources(v.Field(i))
			}
		}
		return n
	}
	return 0
}

// TestService_RecomputeAllMatchesClassify checks that a full recomputation
// (whole-catalogue load, parallel perspectives, COPY) stores the levels
// the seed import stored through the per-product path (Upstream, one
// engine after the other, gorm upsert), after the stored levels were
// spoiled and partly deleted.
func TestService_RecomputeAllMatchesClassify(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	slugs, err := s.Graph().AllSlugs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	levels := func() map[string]map[string]catalog.ProductLevel {
		t.Helper()
		out := map[string]map[string]catalog.ProductLevel{}
		for _, p := range catalog.Perspectives() {
			ls, err := s.Levels(ctx, slugs, p.Name)
			if err != nil {
				t.Fatal(err)
			}
			out[p.Name] = ls
		}
		return out
	}
	want := levels()
	for p, ls := range want {
		if len(ls) != len(slugs) {
			t.Fatalf("the seed import stored %d levels under %s, want %d", len(ls), p, len(slugs))
		}
		for slug, l := range ls {
			if l.Passed == nil {
				t.Fatalf("the seed import stored the level of %s under %s without a passed state", slug, p)
			}
		}
	}
	for _, q := range []string{
		`UPDATE product_levels SET overall = 0, pessimistic = 0, provisional = true, objectives = '{0,0,0,0,0,0}', rule_version = 'old'
			WHERE product_id % 2 = 0`,
		`DELETE FROM product_levels WHERE product_id % 3 = 0`,
		// As written before the passed state was kept (migration 00011).
		`UPDATE product_levels SET passed = NULL WHERE product_id % 5 = 1`,
	} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.ClassificationState(ctx, len(catalog.Perspectives()))
	if err != nil {
		t.Fatal(err)
	}
	if before.Unclassified == 0 {
		t.Fatal("deleting levels left none unclassified")
	}

	recomputed, err := catalog.NewService(s).EnsureClassified(ctx)
	if err != nil || !recomputed {
		t.Fatalf("EnsureClassified: %v, %v; want a recomputation", recomputed, err)
	}
	got := levels()
	if !reflect.DeepEqual(got, want) {
		for p := range want {
			for slug, w := range want[p] {
				if g := got[p][slug]; !reflect.DeepEqual(g, w) {
					t.Errorf("%s/%s: got %+v, want %+v", slug, p, g, w)
				}
			}
		}
		t.Fatal("recomputed levels differ")
	}
	after, err := s.ClassificationState(ctx, len(catalog.Perspectives()))
	if err != nil {
		t.Fatal(err)
	}
	if after.Unclassified != 0 || after.RuleVersion != sovereignty.RuleVersion || after.Generation <= before.Generation {
		t.Errorf("state after: %+v (before %+v)", after, before)
	}
	// Again, with every level in place: an upsert of unchanged rows.
	if err := catalog.NewService(s).RecomputeAll(ctx); err != nil {
		t.Fatalf("second recomputation: %v", err)
	}
	if again := levels(); !reflect.DeepEqual(again, want) {
		t.Error("a second recomputation changed the levels")
	}
}
