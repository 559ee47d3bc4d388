package main

import (
	"context"
	"time"
)

// startPeriodic runs fn at once and then every interval, in its own
// goroutine, until ctx ends. The returned function stops it and waits, so
// that fn never runs against a closed database. The background jobs of
// serve (janitor, page warmer) run on it.
func startPeriodic(ctx context.Context, every time.Duration, fn func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			fn(ctx)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
