package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// mustSignedIn records a user as a sign-in with these claims would.
func mustSignedIn(t *testing.T, s *store.Store, subject string, roles, orgs []string) int64 {
	t.Helper()
	id, err := s.UpsertUser(context.Background(), "https://idp.example", subject, "User "+subject, subject+"@example.org", roles, orgs)
	if err != nil {
		t.Fatalf("upsert user: %v", err)
	}
	return id
}

func mustUserOf(t *testing.T, s *store.Store, id int64) store.User {
	t.Helper()
	u, err := s.User(context.Background(), id)
	if err != nil {
		t.Fatalf("user %d: %v", id, err)
	}
	return u
}

// assignEvent is the event an admin's change records.
func assignEvent() workflow.Event {
	return workflow.Event{At: time.Now().UTC(), Actor: "42", SessionID: "sess-a", Action: "user.assign"}
}

func auditOf(t *testing.T, s *store.Store, subject string) []workflow.Event {
	t.Helper()
	evs, err := s.AuditEvents(context.Background(), store.AuditFilter{Subject: subject})
	if err != nil {
		t.Fatalf("audit events: %v", err)
	}
	return evs
}

func TestStore_SetAssignments(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	id := mustSignedIn(t, s, "vera", []string{"vendor"}, []string{"nextcloud"})
	subject := "user:" + strconv.FormatInt(id, 10)

	t.Run("effective roles are the union of claims and assignments", func(t *testing.T) {
		got, err := s.SetAssignments(ctx, id, []string{"reviewer", " vendor", "reviewer"}, []string{"cloudflare"}, 1, assignEvent())
		if err != nil {
			t.Fatalf("set assignments: %v", err)
		}
		if got.Version != 2 || !slices.Equal(got.AssignedRoles, []string{"reviewer", "vendor"}) {
			t.Errorf("returned %+v", got)
		}
		u := mustUserOf(t, s, id)
		if !slices.Equal(u.Roles, []string{"vendor", "reviewer"}) || !slices.Equal(u.Organizations, []string{"nextcloud", "cloudflare"}) {
			t.Errorf("effective roles %v, organisations %v", u.Roles, u.Organizations)
		}
	})

	t.Run("the audit event is written with before and after", func(t *testing.T) {
		evs := auditOf(t, s, subject)
		if len(evs) != 1 {
			t.Fatalf("audit events for %s: %d, want 1", subject, len(evs))
		}
		ev := evs[0]
		if ev.Action != "user.assign" || ev.Actor != "42" || ev.SessionID != "sess-a" {
			t.Errorf("event %+v", ev)
		}
		var before, after struct {
			Roles []string `json:"assigned_roles"`
			Orgs  []string `json:"assigned_organizations"`
		}
		if err := json.Unmarshal(ev.Before, &before); err != nil || len(before.Roles) != 0 || len(before.Orgs) != 0 {
			t.Errorf("before %s (%v)", ev.Before, err)
		}
		if err := json.Unmarshal(ev.After, &after); err != nil || !slices.Equal(after.Roles, []string{"reviewer", "vendor"}) || !slices.Equal(after.Orgs, []string{"cloudflare"}) {
			t.Errorf("after %s (%v)", ev.After, err)
		}
	})

	t.Run("a sign-in replaces the claims and keeps the assignments", func(t *testing.T) {
		mustSignedIn(t, s, "vera", nil, nil)
		u := mustUserOf(t, s, id)
		if !slices.Equal(u.Roles, []string{"reviewer", "vendor"}) || !slices.Equal(u.Organizations, []string{"cloudflare"}) {
			t.Errorf("after sign-in: roles %v, organisations %v", u.Roles, u.Organizations)
		}
		users, err := s.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(users, func(m store.ManagedUser) bool { return m.ID == id })
		if i < 0 || len(users[i].ClaimRoles) != 0 || !slices.Equal(users[i].AssignedRoles, []string{"reviewer", "vendor"}) || users[i].Version != 2 {
			t.Errorf("listed %+v", users)
		}
	})

	t.Run("a stale version is a conflict and changes nothing", func(t *testing.T) {
		before := mustUserOf(t, s, id)
		_, err := s.SetAssignments(ctx, id, []string{"admin"}, nil, 1, assignEvent())
		if !errors.Is(err, catalog.ErrConflict) {
			t.Fatalf("stale version: %v, want a conflict", err)
		}
		after := mustUserOf(t, s, id)
		if !slices.Equal(before.Roles, after.Roles) || !slices.Equal(before.Organizations, after.Organizations) {
			t.Errorf("changed: %v → %v", before.Roles, after.Roles)
		}
		if n := len(auditOf(t, s, subject)); n != 1 {
			t.Errorf("%d audit events, want still 1", n)
		}
	})

	t.Run("unknown roles and organisations are named", func(t *testing.T) {
		_, err := s.SetAssignments(ctx, id, []string{"superuser"}, []string{"nextcloud", "no-such-org"}, 2, assignEvent())
		var ve *catalog.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("got %v, want a validation error", err)
		}
		var paths []string
		for _, p := range ve.Problems {
			paths = append(paths, p.Path)
		}
		if !slices.Equal(paths, []string{"roles", "organizations"}) {
			t.Errorf("problems %+v", ve.Problems)
		}
	})

	t.Run("a failing audit event rolls the change back", func(t *testing.T) {
		ev := assignEvent()
		ev.Actor = "" // the log refuses an event without an actor
		if _, err := s.SetAssignments(ctx, id, []string{"admin"}, nil, 2, ev); err == nil {
			t.Fatal("no error for an event without actor")
		}
		if u := mustUserOf(t, s, id); slices.Contains(u.Roles, "admin") {
			t.Errorf("assignment kept without its audit event: %v", u.Roles)
		}
	})

	t.Run("unknown user", func(t *testing.T) {
		if _, err := s.SetAssignments(ctx, 99999, nil, nil, 1, assignEvent()); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("got %v, want not found", err)
		}
	})
}
