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
	DeleteStalePages(ctx context.Context, now time.Time) (int64, error)
}

// startJanitor deletes ended sessions and abandoned sign-ins at once and
// then every interval, in its own goroutine, until ctx ends. The returned
// function stops it and waits, so it never runs against a closed database.
func startJanitor(ctx context.Context, log *slog.Logger, st cleaner, every time.Duration) (stop func()) {
	return startPeriodic(ctx, every, func(ctx context.Context) { sweep(ctx, log, st, time.Now()) })
}

// sweep runs one round of deletions. A failure is logged and retried on
// the next round: stale rows cost only space.
func sweep(ctx context.Context, log *slog.Logger, st cleaner, now time.Time) {
	rounds := []struct {
		what string
		del  func() (int64, error)
	}{
		{"sessions", func() (int64, error) { return st.DeleteExpiredSessions(ctx, now) }},
		{"login_states", func() (int64, error) { return st.DeleteExpiredLoginStates(ctx, now.Add(-loginStateMaxAge)) }},
		// A stored page of an earlier day or generation is never sent
		// again (internal/pages); the store keeps it a day, for the
		// warmer to overwrite.
		{"pages", func() (int64, error) { return st.DeleteStalePages(ctx, now) }},
	}
	var deleted []any
	for _, r := range rounds {
		n, err := r.del()
		if err != nil {
			if ctx.Err() == nil { // at shutdown a cancelled query is no failure
				log.Warn("janitor: deleting "+r.what+" failed", "err", err)
			}
			continue
		}
		if n > 0 {
			deleted = append(deleted, r.what, n)
		}
	}
	if len(deleted) > 0 {
		log.Info("janitor: deleted expired sessions, abandoned sign-ins and stale pages", deleted...)
	}
}
