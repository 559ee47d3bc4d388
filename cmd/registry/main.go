// Command registry serves the Sovereignty Registry and runs its maintenance
// tasks. It is the only place where the program is wired together.
//
//	registry [serve]              serve the pages and the API (default)
//	registry migrate up|down|status
//	registry seed                 load the shipped catalogue (idempotent)
//	registry reclassify           recompute every stored sovereignty level
//	registry help                 list commands and environment variables
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
