package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/sovereignty-registry/registry/internal/auth/oidc"
)

// janitorInterval is how often ended sessions and abandoned sign-ins are
// deleted; nothing depends on them being gone sooner, since the store
// never hands out an expired one.
const janitorInterval = 10 * time.Minute

// loginStateMaxAge is how long a sign-in in progress is kept: the relying
// party refuses to finish an older one anyway.
const loginStateMaxAge = oidc.DefaultPendingTTL

// cleaner is what the janitor needs of the store.
type cleaner interface {
	DeleteExpiredSessions(ctx context.Context, cutoff time.Time) (int64, error)
	DeleteExpiredLoginStates(ctx context.Context, cutoff time.Time) (int64, error)
}

// startJanitor deletes ended sessions and abandoned sign-ins at once and
// then every interval, in its own goroutine, until ctx ends. The returned
// function stops it and waits, so it never runs against a closed database.
func startJanitor(ctx context.Context, log *slog.Logger, st cleaner, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			sweep(ctx, log, st, time.Now())
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

// sweep runs one round of deletions. A failure is logged and retried on
// the next round: stale rows cost only space.
func sweep(ctx context.Context, log *slog.Logger, st cleaner, now time.Time) {
	sessions, err := st.DeleteExpiredSessions(ctx, now)
	if err != nil {
		sessions = 0
		if ctx.Err() == nil { // at shutdown a cancelled query is no failure
			log.Warn("janitor: deleting expired sessions failed", "err", err)
		}
	}
	states, err := st.DeleteExpiredLoginStates(ctx, now.Add(-loginStateMaxAge))
	if err != nil {
		states = 0
		if ctx.Err() == nil {
			log.Warn("janitor: deleting abandoned sign-ins failed", "err", err)
		}
	}
	if sessions > 0 || states > 0 {
		log.Info("janitor: deleted expired sessions and abandoned sign-ins", "sessions", sessions, "login_states", states)
	}
}
