package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// TestStore_DeleteExpiredSessions: the periodic clean-up removes exactly
// the sessions that can no longer be used, and keeps a live one intact.
func TestStore_DeleteExpiredSessions(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	user := mustUser(t, s, "sub-1")
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	ss := s.Sessions(c.Now)
	create := func(o store.SessionOptions) string {
		t.Helper()
		cookie, _, err := ss.Create(ctx, user, o)
		if err != nil {
			t.Fatal(err)
		}
		return cookie
	}
	live := create(store.SessionOptions{IDToken: "id-token-of-live", Absolute: 8 * time.Hour, Idle: 30 * time.Minute})
	create(store.SessionOptions{Absolute: 8 * time.Hour, Idle: time.Minute}) // idle too long
	create(store.SessionOptions{Absolute: 5 * time.Minute, Idle: time.Hour}) // past its absolute expiry
	revoked := create(store.SessionOptions{Absolute: 8 * time.Hour, Idle: 30 * time.Minute})
	if err := ss.Revoke(ctx, revoked); err != nil {
		t.Fatal(err)
	}

	c.Advance(10 * time.Minute)
	n, err := s.DeleteExpiredSessions(ctx, c.Now())
	if err != nil || n != 3 {
		t.Fatalf("deleted %d, %v; want the idle, the ended and the revoked session", n, err)
	}
	got, err := ss.Get(ctx, live)
	if err != nil {
		t.Fatalf("live session deleted: %v", err)
	}
	if got.IDToken != "id-token-of-live" {
		t.Errorf("live session's ID token = %q", got.IDToken)
	}
	var left int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&left); err != nil || left != 1 {
		t.Errorf("%d sessions left (%v), want 1", left, err)
	}
	if n, err := s.DeleteExpiredSessions(ctx, c.Now()); err != nil || n != 0 {
		t.Errorf("second run deleted %d, %v; want nothing", n, err)
	}
}

// TestStore_DeleteExpiredLoginStates: sign-ins abandoned longer than the
// cut-off go, a fresh one can still be completed.
func TestStore_DeleteExpiredLoginStates(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	for _, state := range []string{"abandoned", "fresh"} {
		if err := s.SaveLoginState(ctx, state, store.LoginState{Nonce: "n", Verifier: "v", Next: "/"}); err != nil {
			t.Fatal(err)
		}
	}
	// Age one attempt by eleven minutes, in the database's own clock.
	h := sha256.Sum256([]byte("abandoned"))
	if _, err := s.DB().ExecContext(ctx, `UPDATE login_states SET created_at = created_at - interval '11 minutes'
		WHERE state_hash = decode($1, 'hex')`, hex.EncodeToString(h[:])); err != nil {
		t.Fatal(err)
	}

	n, err := s.DeleteExpiredLoginStates(ctx, time.Now().Add(-10*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("deleted %d, %v; want the abandoned attempt", n, err)
	}
	if _, err := s.TakeLoginState(ctx, "abandoned"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("abandoned attempt: %v, want ErrNotFound", err)
	}
	if _, err := s.TakeLoginState(ctx, "fresh"); err != nil {
		t.Errorf("fresh attempt: %v", err)
	}
}
