package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/seed"
)

// seedCmd runs `registry seed`: migrate, then load the shipped catalogue.
func seedCmd(ctx context.Context, e env) error {
	db, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer db.close(e)
	rep, err := loadSeed(ctx, catalog.NewService(db.store))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "seed: %d created, %d updated, %d unchanged\n", rep.Created, rep.Updated, rep.Unchanged)
	return nil
}

func loadSeed(ctx context.Context, svc *catalog.Service) (catalog.ImportReport, error) {
	d, err := seed.Load(seed.Files())
	if err != nil {
		return catalog.ImportReport{}, err
	}
	return svc.Import(ctx, d)
}

// reclassifyCmd runs `registry reclassify`: recompute every stored level,
// e.g. after a change to the reference data.
func reclassifyCmd(ctx context.Context, e env) error {
	db, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer db.close(e)
	start := time.Now()
	if err := catalog.NewService(db.store).RecomputeAll(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reclassify: every level recomputed in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
