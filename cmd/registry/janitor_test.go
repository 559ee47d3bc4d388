package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeCleaner records the cut-offs it is called with.
type fakeCleaner struct {
	mu       sync.Mutex
	sessions []time.Time
	states   []time.Time
	pages    []time.Time
	fail     error
}

func (f *fakeCleaner) DeleteExpiredSessions(_ context.Context, cutoff time.Time) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions = append(f.sessions, cutoff)
	return 2, f.fail
}

func (f *fakeCleaner) DeleteExpiredLoginStates(_ context.Context, cutoff time.Time) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states = append(f.states, cutoff)
	return 1, f.fail
}

func (f *fakeCleaner) DeleteStalePages(_ context.Context, now time.Time) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pages = append(f.pages, now)
	return 3, f.fail
}

func (f *fakeCleaner) rounds() (int, []time.Time, []time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sessions), append([]time.Time(nil), f.sessions...), append([]time.Time(nil), f.states...)
}

func TestJanitor(t *testing.T) {
	t.Run("sweeps at start and every interval until stopped", func(t *testing.T) {
		f := &fakeCleaner{}
		logs := &syncBuffer{}
		stop := startJanitor(context.Background(), slog.New(slog.NewTextHandler(logs, nil)), f, 5*time.Millisecond)
		deadline := time.Now().Add(5 * time.Second)
		for n, _, _ := f.rounds(); n < 3; n, _, _ = f.rounds() {
			if time.Now().After(deadline) {
				t.Fatalf("%d rounds in 5s, want 3", n)
			}
			time.Sleep(time.Millisecond)
		}
		stop()
		n, sessions, states := f.rounds()
		time.Sleep(30 * time.Millisecond)
		if later, _, _ := f.rounds(); later != n {
			t.Errorf("janitor ran %d more rounds after stop", later-n)
		}
		// Sessions are cut at the present, sign-ins ten minutes before it.
		for i := range sessions {
			if age := sessions[i].Sub(states[i]); age != 10*time.Minute {
				t.Errorf("round %d: login states cut %v before sessions, want 10m", i, age)
			}
			if d := time.Since(sessions[i]); d < 0 || d > time.Minute {
				t.Errorf("round %d: session cut-off %v is not the present", i, sessions[i])
			}
		}
		f.mu.Lock()
		pageRounds := len(f.pages)
		f.mu.Unlock()
		if pageRounds < n {
			t.Errorf("stale pages deleted in %d of %d rounds", pageRounds, n)
		}
		if !strings.Contains(logs.String(), "sessions=2") || !strings.Contains(logs.String(), "login_states=1") || !strings.Contains(logs.String(), "pages=3") {
			t.Errorf("deletions not logged:\n%s", logs.String())
		}
	})
	t.Run("stops when the context ends", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		stop := startJanitor(ctx, slog.New(slog.DiscardHandler), &fakeCleaner{}, time.Hour)
		cancel()
		done := make(chan struct{})
		go func() { stop(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("janitor did not stop after its context ended")
		}
	})
	t.Run("logs failures and carries on", func(t *testing.T) {
		f := &fakeCleaner{fail: errors.New("database gone")}
		logs := &syncBuffer{}
		sweep(context.Background(), slog.New(slog.NewTextHandler(logs, nil)), f, time.Now())
		if n, _, states := f.rounds(); n != 1 || len(states) != 1 {
			t.Errorf("a failed session deletion skipped the sign-ins (%d, %d calls)", n, len(states))
		}
		if got := strings.Count(logs.String(), "database gone"); got != 3 {
			t.Errorf("%d failures logged, want 3:\n%s", got, logs.String())
		}
	})
}
