package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// TestLoginState_UsedOnce: a sign-in in progress can be completed once.
func TestLoginState_UsedOnce(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	want := store.LoginState{Nonce: "n", Verifier: "v", Next: "/products"}
	if err := s.SaveLoginState(ctx, "state-1", want); err != nil {
		t.Fatalf("save: %v", err)
	}
	got, err := s.TakeLoginState(ctx, "state-1")
	if err != nil || got.Nonce != want.Nonce || got.Verifier != want.Verifier || got.Next != want.Next || got.CreatedAt.IsZero() {
		t.Fatalf("take: %+v, %v", got, err)
	}
	if _, err := s.TakeLoginState(ctx, "state-1"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("second take: %v, want ErrNotFound", err)
	}
	if _, err := s.TakeLoginState(ctx, "never-saved"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("unknown state: %v, want ErrNotFound", err)
	}
}
