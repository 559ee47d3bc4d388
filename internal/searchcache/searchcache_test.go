package searchcache_test

import (
	"context"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/searchcache"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/testdb"
	"github.com/sovereignty-registry/registry/seed"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestSearch_CachesUntilTheCatalogueChanges checks that a repeated search
// is answered from the cache, that a write retires the cached result, and
// that invalid queries are never cached but reported.
func TestSearch_CachesUntilTheCatalogueChanges(t *testing.T) {
	ctx := context.Background()
	svc := catalog.NewService(storetest.Seeded(t))
	c := searchcache.New(svc, 10)
	q := catalog.Query{Text: "Nextcloud"}

	first, err := c.Search(ctx, q)
	if err != nil || len(first.Items) == 0 {
		t.Fatalf("search: %v (%d items)", err, len(first.Items))
	}
	if c.Len() != 1 {
		t.Fatalf("cache holds %d results after one search, want 1", c.Len())
	}
	first.Items[0].Name = "changed by a caller"
	again, _ := c.Search(ctx, catalog.Query{Text: "  Nextcloud "}) // same after normalisation
	if c.Len() != 1 {
		t.Errorf("an equivalent query was cached separately (%d entries)", c.Len())
	}
	if again.Items[0].Name == "changed by a caller" {
		t.Error("a caller's change reached the cached result")
	}

	// A write moves the generation on: the next search must see it.
	d, err := seed.Load(seed.Files())
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	for i := range d.Products {
		if d.Products[i].Slug == "nextcloud" {
			d.Products[i].Name = "Nextcloud Renamed"
		}
	}
	if _, err := svc.Import(ctx, d); err != nil {
		t.Fatalf("import: %v", err)
	}
	after, err := c.Search(ctx, q)
	if err != nil {
		t.Fatalf("search after write: %v", err)
	}
	found := false
	for _, it := range after.Items {
		found = found || it.Name == "Nextcloud Renamed"
	}
	if !found {
		t.Errorf("search after a write still answers from before it: %+v", after.Items)
	}

	if _, err := c.Search(ctx, catalog.Query{Kinds: []catalog.Kind{"spaceship"}}); err == nil {
		t.Error("an invalid query was accepted")
	}
	if c.Len() != 2 {
		t.Errorf("cache holds %d results, want 2 (the invalid query must not be cached)", c.Len())
	}
}

func TestSearch_SizeZeroDoesNotCache(t *testing.T) {
	c := searchcache.New(catalog.NewService(storetest.Seeded(t)), 0)
	if _, err := c.Search(context.Background(), catalog.Query{Text: "mail"}); err != nil {
		t.Fatalf("search: %v", err)
	}
	if c.Len() != 0 {
		t.Errorf("size 0 cached %d results", c.Len())
	}
}
