package store_test

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// pausingRepo pauses a write's bulk recomputation before it saves, until
// release is closed, after closing reached: the moment its levels are
// computed from what it read.
type pausingRepo struct {
	catalog.Repository
	reached, release chan struct{}
}

func (r pausingRepo) Import(ctx context.Context, d catalog.Dataset, after catalog.AfterWrite) (catalog.ImportReport, error) {
	return r.Repository.Import(ctx, d, func(ctx context.Context, g catalog.GraphStore, ch catalog.Changed) error {
		return after(ctx, pausingBulk{GraphStore: g, bulk: g.(catalog.BulkGraphStore), r: r}, ch)
	})
}

type pausingBulk struct {
	catalog.GraphStore
	bulk catalog.BulkGraphStore
	r    pausingRepo
}

func (g pausingBulk) ProductCount(ctx context.Context) (int, error) { return g.bulk.ProductCount(ctx) }

func (g pausingBulk) SaveMovedLevels(ctx context.Context, levels []catalog.ProductLevel) error {
	return g.bulk.SaveMovedLevels(ctx, levels)
}

func (g pausingBulk) Bulk(ctx context.Context) (catalog.GraphStore, error) {
	all, err := g.bulk.Bulk(ctx)
	return &pausingSave{GraphStore: all, r: g.r}, err
}

type pausingSave struct {
	catalog.GraphStore
	r    pausingRepo
	once sync.Once
}

func (g *pausingSave) SaveLevels(ctx context.Context, levels []catalog.ProductLevel) error {
	g.once.Do(func() {
		close(g.r.reached)
		<-g.r.release
	})
	return g.GraphStore.SaveLevels(ctx, levels)
}

// TestService_ConcurrentWritesKeepLevels runs a change to a hub, which
// recomputes every level in bulk, and meanwhile a change to a product the
// hub does not reach. Had the second committed while the first held
// levels computed from the old facts, the first would write the product's
// old level back; writes compute levels one at a time, so the stored
// levels end as a full recomputation gives them.
func TestService_ConcurrentWritesKeepLevels(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	affected, err := s.Graph().Affected(ctx, nil, []string{"cloudflare"})
	if err != nil {
		t.Fatal(err)
	}
	d := mustSeed(t)
	// The other write: every data location of a product cloudflare does
	// not reach moves to China, which lowers its level.
	other := slices.IndexFunc(d.Products, func(p catalog.Product) bool {
		return !slices.Contains(affected, p.Slug) && len(p.Offerings) > 0 && p.Offerings[0].DataLocations.Known
	})
	if other < 0 {
		t.Fatal("no product with known data locations outside cloudflare's reach")
	}
	edited := d.Products[other]
	edited.Offerings = slices.Clone(edited.Offerings)
	edited.Offerings[0].DataLocations = catalog.KnownFact([]catalog.DataLocation{{Country: "CN", Purpose: catalog.PurposePrimary}},
		edited.Offerings[0].DataLocations.Sources...)
	otherWrite := mustSeed(t)
	otherWrite.Products[other] = edited

	hubWrite := mustSeed(t)
	for i := range hubWrite.Organizations {
		if hubWrite.Organizations[i].Slug == "cloudflare" {
			hubWrite.Organizations[i].HQCountry = catalog.UnknownFact[catalog.Country]()
			hubWrite.Organizations[i].RegistrationCountry = catalog.UnknownFact[catalog.Country]()
		}
	}

	r := pausingRepo{Repository: s, reached: make(chan struct{}), release: make(chan struct{})}
	hubDone := make(chan error, 1)
	go func() {
		_, err := catalog.NewService(r, catalog.WithBulkShare(0)).Import(ctx, hubWrite)
		hubDone <- err
	}()
	select {
	case <-r.reached: // the hub's levels are computed, not saved
	case err := <-hubDone:
		t.Fatalf("the hub's write ended before saving its levels: %v", err)
	}
	otherDone := make(chan error, 1)
	go func() {
		_, err := catalog.NewService(s, catalog.WithBulkShare(2)).Import(ctx, otherWrite)
		otherDone <- err
	}()
	// Give the other write the time to commit, were it not made to wait;
	// it must not be able to (it waits for the hub's write either way).
	select {
	case err := <-otherDone:
		t.Errorf("the other write finished (%v) while the hub's write held its levels", err)
		close(r.release)
		<-hubDone
		return
	case <-time.After(300 * time.Millisecond):
	}
	close(r.release)
	if err := <-hubDone; err != nil {
		t.Fatalf("hub write: %v", err)
	}
	if err := <-otherDone; err != nil {
		t.Fatalf("other write: %v", err)
	}
	got := mustLevels(t, ctx, s)
	if want := recomputedLevels(t, ctx, s); !reflect.DeepEqual(got, want) {
		for p := range want {
			for slug, l := range want[p] {
				if got[p][slug] != l {
					t.Errorf("%s/%s: stored %+v, recomputed %+v", slug, p, got[p][slug], l)
				}
			}
		}
	}
}

// TestService_HeavyWorkWrapsBulkRecomputation wants the bulk path, and
// only it, run through the WithHeavyWork wrapper (the server lifts its
// memory limit there).
func TestService_HeavyWorkWrapsBulkRecomputation(t *testing.T) {
	for _, path := range reclassifyPaths {
		t.Run(path.name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Seeded(t)
			d := mustSeed(t)
			for i := range d.Organizations {
				if d.Organizations[i].Slug == "cloudflare" {
					d.Organizations[i].HQCountry = catalog.UnknownFact[catalog.Country]()
				}
			}
			calls := 0
			heavy := func(work func() error) error { calls++; return work() }
			svc := catalog.NewService(s, catalog.WithBulkShare(path.share), catalog.WithHeavyWork(heavy))
			if _, err := svc.Import(ctx, d); err != nil {
				t.Fatalf("import: %v", err)
			}
			if want := map[bool]int{true: 1, false: 0}[path.bulk]; calls != want {
				t.Errorf("the wrapper ran %d times, want %d", calls, want)
			}
		})
	}
}

// TestService_ConcurrentHubWritesOnSmallPool runs as many hub changes at
// once as the pool has connections: each write holds its connection, and
// all but one wait for the level lock, so the one holding it must not need
// another connection (it once loaded the dependency graph there, when none
// was loaded, and waited until its deadline). The stored levels end as a
// full recomputation gives them.
func TestService_ConcurrentHubWritesOnSmallPool(t *testing.T) {
	s := storetest.Seeded(t)
	s.DB().SetMaxOpenConns(2)
	svc := catalog.NewService(s)
	hubs := []string{"aws", "cloudflare"}
	errs := make([]error, len(hubs))
	var wg sync.WaitGroup
	for k, hub := range hubs {
		d := mustSeed(t)
		i := slices.IndexFunc(d.Products, func(p catalog.Product) bool { return p.Slug == hub })
		movedAbroad(&d, &d.Products[i])
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, errs[k] = svc.Import(ctx, d)
		})
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			t.Errorf("change to %s: %v", hubs[k], err)
		}
	}
	ctx := context.Background()
	if got, want := mustLevels(t, ctx, s), recomputedLevels(t, ctx, s); !reflect.DeepEqual(got, want) {
		t.Error("the writes stored other levels than a full recomputation")
	}
}
