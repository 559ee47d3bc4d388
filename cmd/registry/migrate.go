package main

import (
	"context"

	"github.com/sovereignty-registry/registry/internal/store"
)

// migrate runs `registry migrate up|down|status`.
func migrate(ctx context.Context, e env, args []string) error {
	if len(args) != 1 {
		return usageError{"migrate needs one of: up, down, status"}
	}
	action := args[0]
	if action != "up" && action != "down" && action != "status" {
		return usageError{"migrate needs one of: up, down, status (not " + action + ")"}
	}
	db, err := openDatabase(ctx, e)
	if err != nil {
		return err
	}
	defer db.close(e)
	m, err := store.NewMigrator(db.store.DB())
	if err != nil {
		return err
	}
	switch action {
	case "up":
		return m.Up(ctx)
	case "down":
		return m.Down(ctx)
	default:
		return m.Status(ctx, e.stdout)
	}
}
