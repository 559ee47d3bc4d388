package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/pages"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

func TestPageStore(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	ps := s.Pages()
	svc := catalog.NewService(s, catalog.WithGenerationTTL(0))
	gen, err := svc.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now()
	k := pages.Key{Slug: "nextcloud", Lang: "de", Version: "v1", Day: today}
	read := func(k pages.Key) string {
		t.Helper()
		b, err := ps.StoredPage(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if err := ps.StorePage(ctx, k, gen, []byte("page")); err != nil {
		t.Fatal(err)
	}

	t.Run("a page is found only under its whole key", func(t *testing.T) {
		other := func(f func(*pages.Key)) pages.Key { o := k; f(&o); return o }
		tests := []struct {
			name string
			key  pages.Key
			want string
		}{
			{"same key", k, "page"},
			{"same day, another hour", other(func(o *pages.Key) { o.Day = today.Truncate(24 * time.Hour) }), "page"},
			{"other language", other(func(o *pages.Key) { o.Lang = "en" }), ""},
			{"other view", other(func(o *pages.Key) { o.View = "perspective=de" }), ""},
			{"other version", other(func(o *pages.Key) { o.Version = "v2" }), ""},
			{"other day", other(func(o *pages.Key) { o.Day = today.AddDate(0, 0, 1) }), ""},
			{"other product", other(func(o *pages.Key) { o.Slug = "element" }), ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if got := read(tc.key); got != tc.want {
					t.Errorf("got %q, want %q", got, tc.want)
				}
			})
		}
	})

	t.Run("an older rendering does not replace a newer one", func(t *testing.T) {
		if err := ps.StorePage(ctx, k, gen-1, []byte("older")); err != nil {
			t.Fatal(err)
		}
		if got := read(k); got != "page" {
			t.Errorf("got %q, want the newer page", got)
		}
	})

	t.Run("the missing pages are the products without one", func(t *testing.T) {
		missing, err := ps.ProductsWithoutPage(ctx, "de", "", "v1", today)
		if err != nil {
			t.Fatal(err)
		}
		st, err := svc.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(missing, "nextcloud") || len(missing) != st.Products-1 {
			t.Errorf("%d missing (nextcloud among them: %v), want %d without nextcloud", len(missing), slices.Contains(missing, "nextcloud"), st.Products-1)
		}
	})

	t.Run("a write makes every page stale, and a day later the janitor removes it", func(t *testing.T) {
		if n, err := s.DeleteStalePages(ctx, today); err != nil || n != 0 {
			t.Fatalf("deleted %d valid pages (%v), want none", n, err)
		}
		if err := svc.RecomputeAll(ctx); err != nil {
			t.Fatal(err)
		}
		if got := read(k); got != "" {
			t.Fatalf("got %q after a write, want none", got)
		}
		missing, err := ps.ProductsWithoutPage(ctx, "de", "", "v1", today)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(missing, "nextcloud") {
			t.Error("nextcloud's stale page counts as present")
		}
		if n, err := s.DeleteStalePages(ctx, today); err != nil || n != 0 {
			t.Errorf("deleted %d stale pages rendered just now (%v), want none: the warmer overwrites them", n, err)
		}
		if n, err := s.DeleteStalePages(ctx, today.Add(25*time.Hour)); err != nil || n != 1 {
			t.Errorf("deleted %d stale pages a day later (%v), want 1", n, err)
		}
	})

	t.Run("pages of an earlier day are removed a day later", func(t *testing.T) {
		gen, err := svc.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := ps.StorePage(ctx, k, gen, []byte("page")); err != nil {
			t.Fatal(err)
		}
		if n, err := s.DeleteStalePages(ctx, today.Add(2*time.Hour)); err != nil || n != 0 {
			t.Errorf("deleted %d pages two hours on (%v), want none", n, err)
		}
		if n, err := s.DeleteStalePages(ctx, today.Add(25*time.Hour)); err != nil || n != 1 {
			t.Errorf("deleted %d pages of yesterday (%v), want 1", n, err)
		}
	})
}
