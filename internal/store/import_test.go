package store_test

import (
	"context"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// TestImport_CountsEveryChange: an import that changes only a source or a
// category saves no level, which counts a change otherwise; it must still
// move the generation on, or cached pages keep the old title.
func TestImport_CountsEveryChange(t *testing.T) {
	cases := []struct {
		name string
		edit func(d *catalog.Dataset)
	}{
		{"a source's title", func(d *catalog.Dataset) { d.Sources[0].Title += " (edited)" }},
		{"a category's name", func(d *catalog.Dataset) { d.Categories[0].NameEN += " (edited)" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Seeded(t)
			before, err := s.Generation(ctx)
			if err != nil {
				t.Fatal(err)
			}
			d := mustSeed(t)
			tc.edit(&d)
			rep, err := catalog.NewService(s).Import(ctx, d)
			if err != nil || rep.Updated != 1 {
				t.Fatalf("import: %+v, %v; want one entry updated", rep, err)
			}
			if after, err := s.Generation(ctx); err != nil || after <= before {
				t.Fatalf("generation %d after the import (%v), was %d", after, err, before)
			}
		})
	}
}
