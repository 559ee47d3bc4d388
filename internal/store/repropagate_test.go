package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// allStored reads every stored level as a write reads it (StoredLevels:
// with passed states and own evaluations), keyed by product and
// perspective.
func allStored(t *testing.T, ctx context.Context, s *store.Store) map[[2]string]catalog.ProductLevel {
	t.Helper()
	slugs, err := s.Graph().AllSlugs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := s.Graph().StoredLevels(ctx, slugs)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[[2]string]catalog.ProductLevel, len(ls))
	for _, l := range ls {
		out[[2]string{l.Product, l.Perspective}] = l
	}
	return out
}

// movedAbroad moves the hub's first offering's data to China, citing a
// source of the seed (a made-up fact, in the test's database only).
func movedAbroad(d *catalog.Dataset, p *catalog.Product) {
	p.Offerings = slices.Clone(p.Offerings)
	p.Offerings[0].DataLocations = catalog.KnownFact([]catalog.DataLocation{{Country: "CN", Purpose: catalog.PurposePrimary}}, d.Sources[0].Key)
}

// TestService_RepropagatesThroughTheGraph changes a hub's facts so that
// it passes on something new, and checks that the write carries the change
// through the dependency graph and the stored states (ByGraph) when it
// can, takes a slower path when it cannot, and either way stores exactly
// the levels, passed states and own evaluations a full recomputation
// stores afterwards.
func TestService_RepropagatesThroughTheGraph(t *testing.T) {
	cases := []struct {
		name string
		hub  string
		edit func(d *catalog.Dataset, p *catalog.Product)
		// spoil runs SQL against the stored levels before the write.
		spoil string
		// noGraph: the service has not loaded the dependency graph (it
		// served no page), so the write does not load it either.
		noGraph bool
		want    catalog.ReclassifyPath
	}{
		{name: "cloudflare's data abroad", hub: "cloudflare", edit: func(d *catalog.Dataset, p *catalog.Product) { movedAbroad(d, p) }, want: catalog.ByGraph},
		{name: "aws's data abroad", hub: "aws", edit: func(d *catalog.Dataset, p *catalog.Product) { movedAbroad(d, p) }, want: catalog.ByGraph},
		{
			name: "data abroad and a new dependency", hub: "cloudflare",
			edit: func(d *catalog.Dataset, p *catalog.Product) {
				movedAbroad(d, p)
				// The graph in memory no longer holds the hub's edges.
				p.Dependencies = append(slices.Clone(p.Dependencies), catalog.Dependency{Provider: "aws", Role: catalog.RoleStorage,
					DataAccess: catalog.AccessMetadata, Criticality: catalog.Optional, Sources: []string{d.Sources[0].Key}})
			},
			want: catalog.ByBulk,
		},
		{
			name: "a dependent's own evaluation not stored", hub: "cloudflare",
			edit:  func(d *catalog.Dataset, p *catalog.Product) { movedAbroad(d, p) },
			spoil: `UPDATE product_levels SET own = NULL WHERE product_id = (SELECT id FROM products WHERE slug = 'chatgpt')`,
			want:  catalog.ByBulk,
		},
		{
			name: "no graph loaded", hub: "cloudflare", noGraph: true,
			edit: func(d *catalog.Dataset, p *catalog.Product) { movedAbroad(d, p) },
			want: catalog.ByBulk,
		},
		{
			name: "a dependent's level of another rule version", hub: "cloudflare",
			edit:  func(d *catalog.Dataset, p *catalog.Product) { movedAbroad(d, p) },
			spoil: `UPDATE product_levels SET rule_version = 'older' WHERE product_id = (SELECT id FROM products WHERE slug = 'x')`,
			want:  catalog.ByBulk,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Seeded(t)
			before := allStored(t, ctx, s)
			if tc.spoil != "" {
				if _, err := s.DB().ExecContext(ctx, tc.spoil); err != nil {
					t.Fatal(err)
				}
			}
			d := mustSeed(t)
			i := slices.IndexFunc(d.Products, func(p catalog.Product) bool { return p.Slug == tc.hub })
			tc.edit(&d, &d.Products[i])
			svc := catalog.NewService(s)
			if !tc.noGraph {
				if _, err := svc.Graph(ctx); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := svc.Import(ctx, d)
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if rep.ReclassifiedBy != tc.want {
				t.Errorf("the write reclassified by %q (%d products), want %q", rep.ReclassifiedBy, rep.Reclassified, tc.want)
			}
			got := allStored(t, ctx, s)
			if err := catalog.NewService(s).RecomputeAll(ctx); err != nil {
				t.Fatal(err)
			}
			want := allStored(t, ctx, s)
			for k, w := range want {
				if !reflect.DeepEqual(got[k], w) {
					t.Errorf("%s/%s: stored %+v (passed %+v, own %+v), recomputed %+v (passed %+v, own %+v)",
						k[0], k[1], got[k], got[k].Passed, got[k].Own, w, w.Passed, w.Own)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d levels stored, %d recomputed", len(got), len(want))
			}
			moved := 0
			for k, w := range want {
				if k[0] != tc.hub && !reflect.DeepEqual(before[k], w) {
					moved++
				}
			}
			if moved == 0 {
				t.Error("the change moved no dependent's level; the test proves nothing")
			}
		})
	}
}

// TestStoredStates_BothPaths reads the stored states of every seed product
// through the write's two readers (gorm with a slug filter for a few
// products, pgx over every row for many) and checks that both give every
// complete current state once and leave out the others.
func TestStoredStates_BothPaths(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	slugs, err := s.Graph().AllSlugs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spoiled := map[string]string{
		"chatgpt": `UPDATE product_levels SET own = NULL WHERE perspective = 'de' AND product_id = (SELECT id FROM products WHERE slug = 'chatgpt')`,
		"x":       `UPDATE product_levels SET passed = NULL WHERE perspective = 'eu' AND product_id = (SELECT id FROM products WHERE slug = 'x')`,
		"aws":     `UPDATE product_levels SET rule_version = 'older' WHERE perspective = 'ch' AND product_id = (SELECT id FROM products WHERE slug = 'aws')`,
	}
	for _, q := range spoiled {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	want := map[[2]string]sovereignty.State{}
	for _, l := range allStored(t, ctx, s) {
		if l.RuleVersion == sovereignty.RuleVersion && l.Passed != nil && l.Own != nil {
			want[[2]string{l.Product, l.Perspective}] = sovereignty.State{Own: *l.Own, Passed: *l.Passed}
		}
	}
	if len(want) != len(slugs)*len(catalog.Perspectives())-len(spoiled) {
		t.Fatalf("%d complete states of %d products; the spoiling went wrong", len(want), len(slugs))
	}
	readers := map[string]func(fn func(int, string, sovereignty.State)) error{
		"gorm": func(fn func(int, string, sovereignty.State)) error {
			return s.Graph().StoredStates(ctx, slugs, sovereignty.RuleVersion, fn)
		},
		"pgx": func(fn func(int, string, sovereignty.State)) error {
			return store.ScanStates(ctx, s, slugs, sovereignty.RuleVersion, fn)
		},
	}
	for name, read := range readers {
		t.Run(name, func(t *testing.T) {
			got := map[[2]string]sovereignty.State{}
			err := read(func(i int, persp string, st sovereignty.State) {
				k := [2]string{slugs[i], persp}
				if _, dup := got[k]; dup {
					t.Errorf("%s/%s read twice", k[0], k[1])
				}
				got[k] = st
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("read %d states, want %d; they differ", len(got), len(want))
			}
		})
	}
}

// TestService_KeepsTheGraph: a write that leaves every edge and name as it
// was keeps the dependency graph in memory for the generation it makes
// (the next write or page does not reload it); one that changes an edge
// does not.
func TestService_KeepsTheGraph(t *testing.T) {
	cases := []struct {
		name string
		edit func(d *catalog.Dataset, p *catalog.Product)
		keep bool
	}{
		{"description", func(_ *catalog.Dataset, p *catalog.Product) { p.DescriptionEN += " Edited." }, true},
		{"data abroad", movedAbroad, true},
		{"name", func(_ *catalog.Dataset, p *catalog.Product) { p.Name += " Edited" }, false},
		{"role of a dependency", func(_ *catalog.Dataset, p *catalog.Product) {
			p.Dependencies = slices.Clone(p.Dependencies)
			p.Dependencies[0].Role = catalog.RoleDNS
		}, false},
		{"dependency dropped", func(_ *catalog.Dataset, p *catalog.Product) { p.Dependencies = p.Dependencies[1:] }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Seeded(t)
			svc := catalog.NewService(s)
			before, err := svc.Graph(ctx)
			if err != nil {
				t.Fatal(err)
			}
			d := mustSeed(t)
			i := slices.IndexFunc(d.Products, func(p catalog.Product) bool { return p.Slug == "mistral-le-chat" })
			if i < 0 {
				t.Fatal("mistral-le-chat is not in the seed")
			}
			tc.edit(&d, &d.Products[i])
			if rep, err := svc.Import(ctx, d); err != nil || rep.Updated == 0 {
				t.Fatalf("import: %+v, %v", rep, err)
			}
			after, err := svc.Graph(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if kept := after == before; kept != tc.keep {
				t.Errorf("graph kept: %v, want %v", kept, tc.keep)
			}
			links, err := after.Upstream("mistral-le-chat", 1)
			if err != nil || len(links) == 0 || links[0].Role != string(d.Products[i].Dependencies[0].Role) {
				t.Errorf("the graph's first dependency of mistral-le-chat: %+v (%v), want role %s", links, err, d.Products[i].Dependencies[0].Role)
			}
			if after.Name("mistral-le-chat") != d.Products[i].Name {
				t.Errorf("the graph names mistral-le-chat %q, want %q", after.Name("mistral-le-chat"), d.Products[i].Name)
			}
		})
	}
}

// TestSaveMovedLevels writes every stored level changed through a write's
// SaveMovedLevels, which skips the comparison with the stored levels, and
// checks that every one is stored and the change counted.
func TestSaveMovedLevels(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	var moved []catalog.ProductLevel
	want := allStored(t, ctx, s)
	for k, l := range want {
		l.Provisional = !l.Provisional
		p := *l.Passed
		p.Via[0] = -1
		l.Passed = &p
		want[k] = l
		moved = append(moved, l)
	}
	gen, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Import(ctx, mustSeed(t), func(ctx context.Context, g catalog.GraphStore, _ catalog.Changed) error {
		b, ok := g.(catalog.BulkGraphStore)
		if !ok {
			t.Fatalf("a write's GraphStore is %T, not a BulkGraphStore", g)
		}
		return b.SaveMovedLevels(ctx, moved)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := allStored(t, ctx, s); !reflect.DeepEqual(got, want) {
		t.Fatal("the stored levels are not the moved ones")
	}
	if after, err := s.Generation(ctx); err != nil || after != gen+1 {
		t.Fatalf("generation %d after the write (%v), want %d", after, err, gen+1)
	}
}
