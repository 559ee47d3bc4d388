package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

func categoryEvent(action string) workflow.Event {
	return workflow.Event{At: time.Now().UTC(), Actor: "42", SessionID: "sess-a", Action: action}
}

func managedCategory(t *testing.T, s *store.Store, slug string) (store.ManagedCategory, bool) {
	t.Helper()
	cats, err := s.ManagedCategories(context.Background())
	if err != nil {
		t.Fatalf("categories: %v", err)
	}
	i := slices.IndexFunc(cats, func(c store.ManagedCategory) bool { return c.Slug == slug })
	if i < 0 {
		return store.ManagedCategory{}, false
	}
	return cats[i], true
}

func problemPaths(err error) []string {
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Path)
	}
	return out
}

func TestStore_CreateCategory(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	// No generation cache: every read sees the database's counter.
	svc := catalog.NewService(s, catalog.WithGenerationTTL(0))
	if _, err := svc.Categories(ctx); err != nil { // fills the cache
		t.Fatal(err)
	}
	gen, _ := s.Generation(ctx)

	t.Run("valid", func(t *testing.T) {
		got, err := s.CreateCategory(ctx, catalog.Category{Slug: "quokka-care", NameDE: " Identitätsverwaltung ", NameEN: "Identity management"}, categoryEvent("category.create"))
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if got.Version != 1 || got.NameDE != "Identitätsverwaltung" || got.Products != 0 {
			t.Errorf("created %+v", got)
		}
		if g, _ := s.Generation(ctx); g <= gen {
			t.Errorf("generation %d, want more than %d", g, gen)
		}
		cats, err := svc.Categories(ctx)
		if err != nil || !slices.ContainsFunc(cats, func(c catalog.CategoryCount) bool { return c.Slug == "quokka-care" }) {
			t.Errorf("the service's cached categories lack the new one (%v)", err)
		}
		evs := auditOf(t, s, "category:quokka-care")
		if len(evs) != 1 || evs[0].Action != "category.create" || evs[0].Before != nil || len(evs[0].After) == 0 {
			t.Errorf("audit %+v", evs)
		}
	})

	t.Run("slug taken", func(t *testing.T) {
		_, err := s.CreateCategory(ctx, catalog.Category{Slug: "office-suite", NameDE: "x", NameEN: "x"}, categoryEvent("category.create"))
		if !slices.Equal(problemPaths(err), []string{"slug"}) {
			t.Errorf("got %v, want a problem at slug", err)
		}
	})

	t.Run("invalid fields are all named", func(t *testing.T) {
		long := strings.Repeat("x", 200)
		_, err := s.CreateCategory(ctx, catalog.Category{Slug: "Not A Slug", NameDE: " ", NameEN: long}, categoryEvent("category.create"))
		if got := problemPaths(err); !slices.Equal(got, []string{"slug", "name_de", "name_en"}) {
			t.Errorf("problems at %v (%v)", got, err)
		}
	})
}

func TestStore_UpdateCategory(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	svc := catalog.NewService(s, catalog.WithGenerationTTL(0))
	before, ok := managedCategory(t, s, "office-suite")
	if !ok || before.Version != 1 || before.Products == 0 {
		t.Fatalf("seeded office-suite: %+v", before)
	}

	t.Run("rename", func(t *testing.T) {
		got, err := s.UpdateCategory(ctx, catalog.Category{Slug: "office-suite", NameDE: "Quokkabüro", NameEN: "Quokka office"}, 1, categoryEvent("category.update"))
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		if got.Version != 2 || got.NameEN != "Quokka office" || got.Products != before.Products {
			t.Errorf("updated %+v", got)
		}
		cats, _ := svc.Categories(ctx)
		i := slices.IndexFunc(cats, func(c catalog.CategoryCount) bool { return c.Slug == "office-suite" })
		if i < 0 || cats[i].NameDE != "Quokkabüro" {
			t.Errorf("the service still shows the old name: %+v", cats)
		}
		// The products' search text carries the category's names.
		res, err := svc.Search(ctx, catalog.Query{Text: "Quokkabüro"})
		if err != nil || res.Total != before.Products {
			t.Errorf("search for the new name: %d results, want %d (%v)", res.Total, before.Products, err)
		}
		evs := auditOf(t, s, "category:office-suite")
		if len(evs) != 1 || len(evs[0].Before) == 0 || len(evs[0].After) == 0 {
			t.Errorf("audit %+v", evs)
		}
	})

	t.Run("a stale version is a conflict and changes nothing", func(t *testing.T) {
		_, err := s.UpdateCategory(ctx, catalog.Category{Slug: "office-suite", NameDE: "Alt", NameEN: "Old"}, 1, categoryEvent("category.update"))
		if !errors.Is(err, catalog.ErrConflict) {
			t.Fatalf("got %v, want a conflict", err)
		}
		if c, _ := managedCategory(t, s, "office-suite"); c.NameDE != "Quokkabüro" || c.Version != 2 {
			t.Errorf("changed: %+v", c)
		}
		if n := len(auditOf(t, s, "category:office-suite")); n != 1 {
			t.Errorf("%d audit events, want still 1", n)
		}
	})

	t.Run("a failing audit event rolls the change back", func(t *testing.T) {
		ev := categoryEvent("category.update")
		ev.Actor = ""
		if _, err := s.UpdateCategory(ctx, catalog.Category{Slug: "office-suite", NameDE: "Neu", NameEN: "New"}, 2, ev); err == nil {
			t.Fatal("no error for an event without actor")
		}
		if c, _ := managedCategory(t, s, "office-suite"); c.NameDE != "Quokkabüro" || c.Version != 2 {
			t.Errorf("changed without its audit event: %+v", c)
		}
	})

	t.Run("unknown category", func(t *testing.T) {
		_, err := s.UpdateCategory(ctx, catalog.Category{Slug: "no-such", NameDE: "a", NameEN: "b"}, 1, categoryEvent("category.update"))
		if !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("got %v, want not found", err)
		}
	})

	t.Run("empty names", func(t *testing.T) {
		_, err := s.UpdateCategory(ctx, catalog.Category{Slug: "office-suite"}, 2, categoryEvent("category.update"))
		if got := problemPaths(err); !slices.Equal(got, []string{"name_de", "name_en"}) {
			t.Errorf("problems at %v (%v)", got, err)
		}
	})
}

func TestStore_RecentAuditEvents(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	evs := mustAudit(t, s)
	page, err := s.RecentAuditEvents(ctx, store.AuditFilter{Limit: 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].ID != evs[3].ID || page[1].ID != evs[2].ID {
		t.Fatalf("first page %+v", page)
	}
	older, err := s.RecentAuditEvents(ctx, store.AuditFilter{Limit: 2}, page[1].ID)
	if err != nil || len(older) != 2 || older[0].ID != evs[1].ID || older[1].ID != evs[0].ID {
		t.Fatalf("older page %+v (%v)", older, err)
	}
	filtered, err := s.RecentAuditEvents(ctx, store.AuditFilter{Subject: "submission:5"}, evs[2].ID)
	if err != nil || len(filtered) != 1 || filtered[0].ID != evs[1].ID {
		t.Errorf("filtered page %+v (%v)", filtered, err)
	}
}
