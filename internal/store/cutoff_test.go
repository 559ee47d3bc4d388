package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// TestService_CutoffAtUnchangedHub changes the Cloudflare product through an
// import, once without moving what it passes on to its dependents and once
// moving it, and checks which products the write computed and that the
// stored levels are those a full recomputation stores afterwards.
func TestService_CutoffAtUnchangedHub(t *testing.T) {
	cases := []struct {
		name string
		edit func(d *catalog.Dataset, p *catalog.Product)
		// cutoff: the write computes the hub alone, else its dependents too.
		cutoff bool
	}{
		{
			name:   "description",
			edit:   func(_ *catalog.Dataset, p *catalog.Product) { p.DescriptionEN += " Edited." },
			cutoff: true,
		},
		{
			name: "evidence of a fact",
			edit: func(d *catalog.Dataset, p *catalog.Product) {
				// Cite one more source for the licence.
				for _, src := range d.Sources {
					if !slices.Contains(p.License.Sources, src.Key) {
						p.License.Sources = append(slices.Clone(p.License.Sources), src.Key)
						return
					}
				}
			},
			cutoff: true,
		},
		{
			name: "data location abroad",
			edit: func(_ *catalog.Dataset, p *catalog.Product) {
				p.Offerings[0].DataLocations = catalog.KnownFact([]catalog.DataLocation{{Country: "CN", Purpose: catalog.PurposePrimary}}, "cloudflare-10k-2021")
			},
			cutoff: false,
		},
	}
	for _, tc := range cases {
		for _, path := range reclassifyPaths {
			t.Run(tc.name+"/"+path.name, func(t *testing.T) {
				ctx := context.Background()
				s := storetest.Seeded(t)
				before := mustLevels(t, ctx, s)
				d := mustSeed(t)
				for i := range d.Products {
					if d.Products[i].Slug == "cloudflare" {
						tc.edit(&d, &d.Products[i])
					}
				}
				rep, err := catalog.NewService(s, catalog.WithBulkShare(path.share)).Import(ctx, d)
				if err != nil {
					t.Fatalf("import: %v", err)
				}
				if rep.Updated == 0 {
					t.Fatalf("the edit changed nothing (%+v); the test proves nothing", rep)
				}
				got := mustLevels(t, ctx, s)
				if !reflect.DeepEqual(got, recomputedLevels(t, ctx, s)) {
					t.Fatal("the write stored other levels than a full recomputation")
				}
				if tc.cutoff {
					if rep.Reclassified != 1 {
						t.Errorf("the write computed %d products, want the hub alone", rep.Reclassified)
					}
					if !reflect.DeepEqual(got, before) {
						t.Error("a change that moves no level of the hub changed stored levels")
					}
					return
				}
				if rep.Reclassified <= 1 {
					t.Errorf("the write computed %d products; the hub's dependents had to follow", rep.Reclassified)
				}
				if reflect.DeepEqual(got, before) {
					t.Error("moving the hub's data abroad changed no level; the test proves nothing")
				}
			})
		}
	}
}

// TestService_NoCutoffOnCycle: a product on a dependency cycle is never cut
// off (its stored pointers and its dependents' come from different
// computations), even when it passes on what it did.
func TestService_NoCutoffOnCycle(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	svc := catalog.NewService(s, catalog.WithBulkShare(2)) // per product: the count is exact
	d := mustSeed(t)
	// Cloudflare's monitoring goes to ChatGPT, which sits behind
	// Cloudflare: a cycle (a made-up edge, in this test's database only).
	for i := range d.Products {
		if d.Products[i].Slug == "cloudflare" {
			p := &d.Products[i]
			p.Dependencies = append(slices.Clone(p.Dependencies), catalog.Dependency{Provider: "chatgpt", Role: catalog.RoleMonitoring,
				DataAccess: catalog.AccessMetadata, Criticality: catalog.Optional, Sources: []string{d.Sources[0].Key}})
		}
	}
	if _, err := svc.Import(ctx, d); err != nil {
		t.Fatalf("import with the cycle: %v", err)
	}
	for i := range d.Products {
		if d.Products[i].Slug == "cloudflare" {
			d.Products[i].DescriptionEN += " Edited."
		}
	}
	rep, err := svc.Import(ctx, d)
	if err != nil {
		t.Fatalf("import of the description: %v", err)
	}
	if rep.Updated == 0 || rep.Reclassified <= 1 {
		t.Errorf("editing a product on a cycle computed %d products (%+v); its dependents must follow", rep.Reclassified, rep)
	}
	got := mustLevels(t, ctx, s)
	if want := recomputedLevels(t, ctx, s); !reflect.DeepEqual(got, want) {
		t.Fatal("the write stored other levels than a full recomputation")
	}
}
