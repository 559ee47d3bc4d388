// Package migrations embeds the registry's SQL migrations (goose format).
// Migrations are append-only: never edit a file that has been released, add
// a new one instead.
package migrations

import "embed"

// FS holds every *.sql migration, in goose's numbered order.
//
//go:embed *.sql
var FS embed.FS
