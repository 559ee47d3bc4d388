package web

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/i18n"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/seed"
	"github.com/sovereignty-registry/registry/static"
)

// TestCachedClassification checks that a product page's classification is
// reused within a generation and recomputed after a write.
func TestCachedClassification(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	svc := catalog.NewService(s, catalog.WithGenerationTTL(0))
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	w := New(Options{Catalog: svc, I18n: bundle, Assets: assets, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	w.classificationFrom = 0 // keep every classification
	classify := func() catalogClassification {
		t.Helper()
		_, cached, _, err := w.productPage(ctx, "nextcloud", "eu")
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.Product(ctx, "nextcloud")
		if err != nil {
			t.Fatal(err)
		}
		ex, err := svc.Explain(ctx, "nextcloud", "eu")
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := w.classification(ctx, d, ex, "eu")
		if err != nil {
			t.Fatal(err)
		}
		fresh.Result.AsOf = cached.Result.AsOf // the clock moved on
		if !reflect.DeepEqual(cached, fresh) {
			t.Error("the cached classification differs from a fresh one")
		}
		return catalogClassification{len(cached.Tree.Nodes), cached.Result.Name}
	}
	before := classify()
	if again := classify(); again != before {
		t.Errorf("second read %+v, want %+v", again, before)
	}
	d, err := seed.Load(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Products {
		if d.Products[i].Slug == "nextcloud" {
			d.Products[i].Name = "Nextcloud (edited)"
		}
	}
	if _, err := catalog.NewService(s).Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	if after := classify(); after.name != "Nextcloud (edited)" {
		t.Errorf("after the write the classification names %q, want the edited name", after.name)
	}
}

type catalogClassification struct {
	nodes int
	name  string
}
