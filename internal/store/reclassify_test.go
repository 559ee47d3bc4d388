package store_test

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// The two ways a write reclassifies, chosen by catalog.WithBulkShare: the
// affected products one by one, or every product in bulk.
var reclassifyPaths = []struct {
	name  string
	share float64
	bulk  bool
}{
	{"per-product", 2, false}, // more than the whole catalogue: never in bulk
	{"bulk", 0, true},         // always in bulk
}

// hubWrite is a change to one of the seed's hubs, made through one of the
// write paths, with everything it touches.
type hubWrite struct {
	name string
	hub  string // the product or organisation changed
	// write makes the change through a Service with the given bulk share
	// on s, the catalogue's Repository wrapped by wrap.
	write func(t *testing.T, ctx context.Context, s *store.Store, share float64, wrap func(catalog.Repository) catalog.Repository) error
	// fact reads the changed fact, to check that a failed write left it.
	fact func(t *testing.T, ctx context.Context, s *store.Store) any
}

// hubWrites are a change to the Cloudflare organisation through an import
// and a change to the Cloudflare product through a published submission.
// Both reach every product that depends on Cloudflare and change some of
// their levels.
var hubWrites = []hubWrite{
	{
		name: "import", hub: "cloudflare",
		write: func(t *testing.T, ctx context.Context, s *store.Store, share float64, wrap func(catalog.Repository) catalog.Repository) error {
			d := mustSeed(t)
			for i := range d.Organizations {
				if d.Organizations[i].Slug == "cloudflare" {
					d.Organizations[i].HQCountry = catalog.UnknownFact[catalog.Country]()
					d.Organizations[i].RegistrationCountry = catalog.UnknownFact[catalog.Country]()
				}
			}
			_, err := catalog.NewService(wrap(s), catalog.WithBulkShare(share)).Import(ctx, d)
			return err
		},
		fact: func(t *testing.T, ctx context.Context, s *store.Store) any {
			o, err := s.Organization(ctx, "cloudflare")
			if err != nil {
				t.Fatalf("organisation: %v", err)
			}
			return o.Organization.HQCountry
		},
	},
	{
		name: "publish", hub: "cloudflare",
		write: func(t *testing.T, ctx context.Context, s *store.Store, share float64, wrap func(catalog.Repository) catalog.Repository) error {
			edited := mustProduct(t, mustSeed(t), "cloudflare")
			edited.Offerings = slices.Clone(edited.Offerings)
			edited.Offerings[0].DataLocations = catalog.KnownFact([]catalog.DataLocation{{Country: "CN", Purpose: catalog.PurposePrimary}}, "cloudflare-10k-2021")
			sub := mustSubmission(t, s, edited, workflow.StateApproved)
			ev := workflow.Event{At: time.Now().UTC(), Actor: wfReviewer.ID, Action: "submission.publish", Subject: workflow.Subject(sub.ID)}
			svc := catalog.NewService(s, catalog.WithBulkShare(share))
			_, _, err := s.Publish(ctx, sub, ev, func(ctx context.Context, tx catalog.Repository) error {
				return svc.PublishProposal(ctx, wrap(tx), catalog.Proposal{Product: edited})
			})
			return err
		},
		fact: func(t *testing.T, ctx context.Context, s *store.Store) any {
			p, err := s.Product(ctx, "cloudflare")
			if err != nil {
				t.Fatalf("product: %v", err)
			}
			return p.Product.Offerings[0].DataLocations
		},
	},
}

// levelMap is every stored level, by perspective and product.
type levelMap map[string]map[string]catalog.ProductLevel

func mustLevels(t *testing.T, ctx context.Context, s *store.Store) levelMap {
	t.Helper()
	slugs, err := s.Graph().AllSlugs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := levelMap{}
	for _, p := range catalog.Perspectives() {
		if out[p.Name], err = s.Levels(ctx, slugs, p.Name); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// recomputedLevels recomputes every level from scratch and returns them
// all: what the stored levels must equal after a write.
func recomputedLevels(t *testing.T, ctx context.Context, s *store.Store) levelMap {
	t.Helper()
	if err := catalog.NewService(s).RecomputeAll(ctx); err != nil {
		t.Fatalf("recompute all: %v", err)
	}
	return mustLevels(t, ctx, s)
}

// bystander spoils the stored levels of a product that hub's change
// cannot affect and returns its slug and the spoiled levels: the bulk path
// recomputes (and so repairs) them, the per-product path leaves them.
func bystander(t *testing.T, ctx context.Context, s *store.Store, hub string) (string, levelMap) {
	t.Helper()
	affected, err := s.Graph().Affected(ctx, []string{hub}, []string{hub})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Graph().AllSlugs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(slug string) bool { return !slices.Contains(affected, slug) })
	if i < 0 || len(affected) < 5 {
		t.Fatalf("%s affects %d of %d products; want a hub with a product it does not affect", hub, len(affected), len(all))
	}
	slug := all[i]
	if _, err := s.DB().ExecContext(ctx, `UPDATE product_levels SET overall = 0, pessimistic = 0, provisional = true, rule_version = 'spoiled'
		WHERE product_id = (SELECT id FROM products WHERE slug = $1)`, slug); err != nil {
		t.Fatal(err)
	}
	spoiled := levelMap{}
	for _, p := range catalog.Perspectives() {
		ls, err := s.Levels(ctx, []string{slug}, p.Name)
		if err != nil || ls[slug].RuleVersion != "spoiled" {
			t.Fatalf("spoiled level of %s: %+v, %v", slug, ls, err)
		}
		spoiled[p.Name] = ls
	}
	return slug, spoiled
}

// TestService_WriteReclassifiesLikeRecomputeAll changes a hub through an
// import and through a published submission, on either path of the
// write's reclassification, and checks that the stored levels are those a
// full recomputation stores afterwards. A product the change cannot affect
// tells the paths apart: its spoiled level is repaired in bulk only.
func TestService_WriteReclassifiesLikeRecomputeAll(t *testing.T) {
	for _, w := range hubWrites {
		for _, path := range reclassifyPaths {
			t.Run(w.name+"/"+path.name, func(t *testing.T) {
				ctx := context.Background()
				s := storetest.Seeded(t)
				before := mustLevels(t, ctx, s)
				other, spoiled := bystander(t, ctx, s, w.hub)

				same := func(r catalog.Repository) catalog.Repository { return r }
				if err := w.write(t, ctx, s, path.share, same); err != nil {
					t.Fatalf("write: %v", err)
				}
				got := mustLevels(t, ctx, s)
				want := recomputedLevels(t, ctx, s)

				for p := range want {
					if !reflect.DeepEqual(want[p][other], before[p][other]) {
						t.Fatalf("the change affected %s, which it should not", other)
					}
					if !path.bulk {
						if !reflect.DeepEqual(got[p][other], spoiled[p][other]) {
							t.Errorf("%s/%s: the per-product path recomputed a product the change does not affect", other, p)
						}
						got[p][other] = want[p][other]
					}
				}
				if !reflect.DeepEqual(got, want) {
					for p := range want {
						for _, slug := range slices.Sorted(maps.Keys(want[p])) {
							if g := got[p][slug]; !reflect.DeepEqual(g, want[p][slug]) {
								t.Errorf("%s/%s: stored %+v, recomputed %+v", slug, p, g, want[p][slug])
							}
						}
					}
					t.Fatal("the write stored other levels than a full recomputation")
				}
				changed := 0
				for p := range want {
					for slug, l := range want[p] {
						if !reflect.DeepEqual(l, before[p][slug]) {
							changed++
						}
					}
				}
				if changed == 0 {
					t.Error("the change to the hub changed no level; the test proves nothing")
				}
			})
		}
	}
}

// failingRepo makes every import fail after its after hook or, when
// failSave is set, in the hook's first SaveLevels, after it saved (in bulk:
// one perspective's levels written, the others' computations cancelled).
type failingRepo struct {
	catalog.Repository
	failSave bool
}

var errInjected = errors.New("injected failure")

func (r failingRepo) Import(ctx context.Context, d catalog.Dataset, after catalog.AfterWrite) (catalog.ImportReport, error) {
	return r.Repository.Import(ctx, d, func(ctx context.Context, g catalog.GraphStore, ch catalog.Changed) error {
		if r.failSave {
			g = wrapFailingSave(g)
		}
		if err := after(ctx, g, ch); err != nil {
			return err
		}
		return errInjected
	})
}

// failingSave is a GraphStore whose SaveLevels fails after saving.
type failingSave struct {
	catalog.GraphStore
}

func (g failingSave) SaveLevels(ctx context.Context, levels []catalog.ProductLevel) error {
	if err := g.GraphStore.SaveLevels(ctx, levels); err != nil {
		return err
	}
	return errInjected
}

// failingBulk keeps the bulk capability of the GraphStore it wraps.
type failingBulk struct {
	failingSave
	bulk catalog.BulkGraphStore
}

func (g failingBulk) ProductCount(ctx context.Context) (int, error) { return g.bulk.ProductCount(ctx) }

func (g failingBulk) Bulk(ctx context.Context) (catalog.GraphStore, error) {
	all, err := g.bulk.Bulk(ctx)
	return failingSave{GraphStore: all}, err
}

func wrapFailingSave(g catalog.GraphStore) catalog.GraphStore {
	f := failingSave{GraphStore: g}
	if b, ok := g.(catalog.BulkGraphStore); ok {
		return failingBulk{failingSave: f, bulk: b}
	}
	return f
}

// TestService_FailedWriteLeavesLevels makes the writes of
// TestService_WriteReclassifiesLikeRecomputeAll fail after their levels
// were computed and (partly) saved, on either path, and checks that the
// stored levels, the changed fact and the generation are as before.
func TestService_FailedWriteLeavesLevels(t *testing.T) {
	for _, w := range hubWrites {
		for _, path := range reclassifyPaths {
			for _, failSave := range []bool{false, true} {
				name := w.name + "/" + path.name + "/after the hook"
				if failSave {
					name = w.name + "/" + path.name + "/in the save"
				}
				t.Run(name, func(t *testing.T) {
					ctx := context.Background()
					s := storetest.Seeded(t)
					levels, fact := mustLevels(t, ctx, s), w.fact(t, ctx, s)
					state, err := s.ClassificationState(ctx, len(catalog.Perspectives()))
					if err != nil {
						t.Fatal(err)
					}
					failing := func(r catalog.Repository) catalog.Repository { return failingRepo{Repository: r, failSave: failSave} }
					if err := w.write(t, ctx, s, path.share, failing); !errors.Is(err, errInjected) {
						t.Fatalf("write: %v, want the injected failure", err)
					}
					if got := mustLevels(t, ctx, s); !reflect.DeepEqual(got, levels) {
						t.Error("a failed write changed stored levels")
					}
					if got := w.fact(t, ctx, s); !reflect.DeepEqual(got, fact) {
						t.Errorf("a failed write changed %s: %+v → %+v", w.hub, fact, got)
					}
					if after, _ := s.ClassificationState(ctx, len(catalog.Perspectives())); after != state {
						t.Errorf("classification state %+v → %+v", state, after)
					}
				})
			}
		}
	}
}
