package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

var (
	wfVendor    = workflow.Actor{ID: "1", Roles: []string{workflow.RoleVendor}, SessionID: "s-vendor"}
	wfReviewer  = workflow.Actor{ID: "2", Roles: []string{workflow.RoleReviewer}, SessionID: "s-rev1"}
	wfReviewer2 = workflow.Actor{ID: "3", Roles: []string{workflow.RoleReviewer}, SessionID: "s-rev2"}
)

// mustSubmission stores a change to the seeded product slug, authored by
// wfVendor, and moves it to state through the workflow.
func mustSubmission(t *testing.T, s *store.Store, p catalog.Product, state workflow.State) workflow.Submission {
	t.Helper()
	ctx := context.Background()
	sub, err := s.CreateSubmission(ctx, workflow.Submission{
		Kind: workflow.KindChange, Target: p.Slug, Organization: p.Vendor, Author: wfVendor.ID,
		Proposed: p, State: workflow.StateDraft, LevelBefore: 2, LevelAfter: 2,
	})
	if err != nil {
		t.Fatalf("create submission: %v", err)
	}
	path := map[workflow.State][]struct {
		a     workflow.Action
		actor workflow.Actor
	}{
		workflow.StateDraft:            nil,
		workflow.StateSubmitted:        {{workflow.ActionSubmit, wfVendor}},
		workflow.StateInReview:         {{workflow.ActionSubmit, wfVendor}, {workflow.ActionStartReview, wfReviewer}},
		workflow.StateApproved:         {{workflow.ActionSubmit, wfVendor}, {workflow.ActionStartReview, wfReviewer}, {workflow.ActionApprove, wfReviewer}},
		workflow.StateRejected:         {{workflow.ActionSubmit, wfVendor}, {workflow.ActionStartReview, wfReviewer}, {workflow.ActionReject, wfReviewer}},
		workflow.StateWithdrawn:        {{workflow.ActionWithdraw, wfVendor}},
		workflow.StateChangesRequested: {{workflow.ActionSubmit, wfVendor}, {workflow.ActionStartReview, wfReviewer}, {workflow.ActionRequestChanges, wfReviewer}},
	}[state]
	for _, step := range path {
		if step.actor.ID == wfVendor.ID {
			step.actor.Organizations = []string{p.Vendor} // the vendor of this product
		}
		next, ev, err := workflow.Apply(sub, step.a, step.actor, time.Now().UTC())
		if err != nil {
			t.Fatalf("%s: %v", step.a, err)
		}
		if sub, err = s.UpdateSubmission(ctx, next, sub.Version, ev); err != nil {
			t.Fatalf("update after %s: %v", step.a, err)
		}
	}
	return sub
}

func mustProduct(t *testing.T, d catalog.Dataset, slug string) catalog.Product {
	t.Helper()
	for _, p := range d.Products {
		if p.Slug == slug {
			return p
		}
	}
	t.Fatalf("no product %s in the seed", slug)
	return catalog.Product{}
}

func TestStore_SubmissionRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	p := mustProduct(t, mustSeed(t), "nextcloud")
	sub := mustSubmission(t, s, p, workflow.StateChangesRequested)
	got, err := s.Submission(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 4 || got.State != workflow.StateChangesRequested || got.DueAt == nil || got.SubmittedAt == nil {
		t.Errorf("submission = %+v", got)
	}
	if d := workflow.Diff(p, got.Proposed); len(d) != 0 {
		t.Errorf("proposed product changed on the way through the database: %+v", d)
	}
	if _, err := s.Submission(ctx, 424242); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("unknown submission: %v", err)
	}
	events, err := s.AuditEvents(ctx, store.AuditFilter{Subject: workflow.Subject(sub.ID)})
	if err != nil || len(events) != 3 {
		t.Fatalf("audit: %d events, %v; want 3", len(events), err)
	}
	if events[2].Action != "submission.request_changes" || events[2].SessionID != "s-rev1" {
		t.Errorf("last event = %+v", events[2])
	}
}

func TestStore_OptimisticLocking(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	sub := mustSubmission(t, s, mustProduct(t, mustSeed(t), "nextcloud"), workflow.StateInReview)

	// Two reviewers act on the same version at once: one approves, the
	// other requests changes. Exactly one wins; the loser writes nothing,
	// neither the submission nor its audit event.
	actions := []struct {
		a     workflow.Action
		actor workflow.Actor
	}{{workflow.ActionApprove, wfReviewer}, {workflow.ActionRequestChanges, wfReviewer2}}
	var wg sync.WaitGroup
	errs := make([]error, len(actions))
	start := make(chan struct{})
	for i, act := range actions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next, ev, err := workflow.Apply(sub, act.a, act.actor, time.Now().UTC())
			if err != nil {
				errs[i] = err
				return
			}
			<-start
			_, errs[i] = s.UpdateSubmission(ctx, next, sub.Version, ev)
		}()
	}
	close(start)
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if won >= 0 {
				t.Fatal("both updates succeeded")
			}
			won = i
		case !errors.Is(err, catalog.ErrConflict):
			t.Fatalf("loser: err = %v, want catalog.ErrConflict", err)
		}
	}
	if won < 0 {
		t.Fatalf("no update succeeded: %v", errs)
	}
	got, _ := s.Submission(ctx, sub.ID)
	want := map[int]workflow.State{0: workflow.StateApproved, 1: workflow.StateChangesRequested}[won]
	if got.State != want || got.Version != sub.Version+1 {
		t.Errorf("stored: state %s version %d; want %s version %d", got.State, got.Version, want, sub.Version+1)
	}
	events, _ := s.AuditEvents(ctx, store.AuditFilter{Subject: workflow.Subject(sub.ID), Action: "submission." + string(actions[1-won].a)})
	if len(events) != 0 {
		t.Errorf("the losing action left audit events: %+v", events)
	}

	t.Run("stale version after the race", func(t *testing.T) {
		next, _, _ := workflow.Apply(got, workflow.ActionReject, wfReviewer2, time.Now())
		if _, err := s.UpdateSubmission(ctx, next, sub.Version); !errors.Is(err, catalog.ErrConflict) {
			t.Errorf("err = %v, want conflict", err)
		}
	})
	t.Run("unknown submission", func(t *testing.T) {
		ghost := got
		ghost.ID = 999999
		if _, err := s.UpdateSubmission(ctx, ghost, got.Version); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("err = %v, want not found", err)
		}
	})
}

func TestStore_ListSubmissions(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	d := mustSeed(t)
	nc := mustProduct(t, d, "nextcloud")
	draft := mustSubmission(t, s, nc, workflow.StateDraft)
	submitted := mustSubmission(t, s, nc, workflow.StateSubmitted)
	inReview := mustSubmission(t, s, nc, workflow.StateInReview)
	other := d.Products[0]
	for _, p := range d.Products {
		if p.Vendor != nc.Vendor {
			other = p
			break
		}
	}
	foreign := mustSubmission(t, s, other, workflow.StateSubmitted)

	ids := func(list []workflow.Submission) []int64 {
		var out []int64
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	tests := []struct {
		name string
		f    workflow.Filter
		want []int64
	}{
		{"reviewer inbox", workflow.ReviewQueue, []int64{submitted.ID, inReview.ID, foreign.ID}},
		{"vendor dashboard", workflow.Filter{Organizations: []string{nc.Vendor}}, []int64{draft.ID, submitted.ID, inReview.ID}},
		{"drafts of the organisation", workflow.Filter{Organizations: []string{nc.Vendor}, States: []workflow.State{workflow.StateDraft}}, []int64{draft.ID}},
		{"by target", workflow.Filter{Target: other.Slug}, []int64{foreign.ID}},
		{"limit", workflow.Filter{Limit: 1}, []int64{draft.ID}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListSubmissions(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if g := ids(got); len(g) != len(tc.want) || (len(g) > 0 && !equalIDs(g, tc.want)) {
				t.Errorf("ids = %v, want %v", g, tc.want)
			}
		})
	}
}

func equalIDs(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestStore_Publish(t *testing.T) {
	ctx := context.Background()
	d := mustSeed(t)
	edited := mustProduct(t, d, "nextcloud")
	edited.DescriptionEN = "Published through the workflow."
	importEdited := func(ctx context.Context, tx catalog.Repository) error {
		for i := range d.Products {
			if d.Products[i].Slug == edited.Slug {
				d.Products[i] = edited
			}
		}
		_, err := catalog.NewService(tx).Import(ctx, d)
		return err
	}

	t.Run("commits everything", func(t *testing.T) {
		s := storetest.Seeded(t)
		sub := mustSubmission(t, s, edited, workflow.StateApproved)
		ev := workflow.Event{At: time.Now().UTC(), Actor: wfReviewer.ID, Action: "submission.publish", Subject: workflow.Subject(sub.ID)}
		got, version, err := s.Publish(ctx, sub, ev, importEdited)
		if err != nil {
			t.Fatalf("publish: %v", err)
		}
		if version != 1 || got.Version != sub.Version+1 {
			t.Errorf("version %d, submission version %d", version, got.Version)
		}
		p, err := s.Product(ctx, "nextcloud")
		if err != nil || p.Product.DescriptionEN != edited.DescriptionEN {
			t.Errorf("catalogue not updated: %q, %v", p.Product.DescriptionEN, err)
		}
		versions, err := s.ProductVersions(ctx, "nextcloud")
		if err != nil || len(versions) != 1 || versions[0].Product.DescriptionEN != edited.DescriptionEN ||
			len(versions[0].ApprovedBy) != 1 || versions[0].ApprovedBy[0] != wfReviewer.ID || versions[0].SubmissionID != sub.ID {
			t.Errorf("versions = %+v, %v", versions, err)
		}
		if evs, _ := s.AuditEvents(ctx, store.AuditFilter{Action: "submission.publish"}); len(evs) != 1 {
			t.Errorf("publish events: %d", len(evs))
		}
		// A second change still based on version 0 lost the race.
		stale := mustSubmission(t, s, edited, workflow.StateApproved)
		if _, _, err := s.Publish(ctx, stale, ev, nil); !errors.Is(err, catalog.ErrConflict) {
			t.Errorf("stale base version: %v", err)
		}
	})

	t.Run("rolls back completely when apply fails", func(t *testing.T) {
		s := storetest.Seeded(t)
		sub := mustSubmission(t, s, edited, workflow.StateApproved)
		auditBefore, _ := s.AuditEvents(ctx, store.AuditFilter{})
		ev := workflow.Event{Actor: wfReviewer.ID, Action: "submission.publish", Subject: workflow.Subject(sub.ID)}
		boom := errors.New("classification failed")
		_, _, err := s.Publish(ctx, sub, ev, func(ctx context.Context, tx catalog.Repository) error {
			if err := importEdited(ctx, tx); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want apply's error", err)
		}
		got, _ := s.Submission(ctx, sub.ID)
		if got.Version != sub.Version || got.State != sub.State {
			t.Errorf("submission changed: %+v", got)
		}
		if p, _ := s.Product(ctx, "nextcloud"); p.Product.DescriptionEN == edited.DescriptionEN {
			t.Error("catalogue import survived the rollback")
		}
		if v, _ := s.ProductVersions(ctx, "nextcloud"); len(v) != 0 {
			t.Errorf("product version survived the rollback: %+v", v)
		}
		if after, _ := s.AuditEvents(ctx, store.AuditFilter{}); len(after) != len(auditBefore) {
			t.Errorf("audit events %d → %d", len(auditBefore), len(after))
		}
	})

	t.Run("refuses a submission that is not approved", func(t *testing.T) {
		s := storetest.Seeded(t)
		sub := mustSubmission(t, s, edited, workflow.StateInReview)
		if _, _, err := s.Publish(ctx, sub, workflow.Event{Actor: "2", Action: "x"}, nil); !errors.Is(err, store.ErrNotApproved) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("lost race on the submission", func(t *testing.T) {
		s := storetest.Seeded(t)
		sub := mustSubmission(t, s, edited, workflow.StateApproved)
		stale := sub
		stale.Version--
		if _, _, err := s.Publish(ctx, stale, workflow.Event{Actor: "2", Action: "x"}, nil); !errors.Is(err, catalog.ErrConflict) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestStore_Comments(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	sub := mustSubmission(t, s, mustProduct(t, mustSeed(t), "nextcloud"), workflow.StateInReview)
	for _, body := range []string{"Please add a source for the data location.", "Added the DPA."} {
		if _, err := s.AddComment(ctx, workflow.Comment{SubmissionID: sub.ID, Author: "2", Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	var ve *catalog.ValidationError
	if _, err := s.AddComment(ctx, workflow.Comment{SubmissionID: sub.ID, Author: "2", Body: "  "}); !errors.As(err, &ve) {
		t.Errorf("empty comment: %v", err)
	}
	if _, err := s.AddComment(ctx, workflow.Comment{SubmissionID: 99999, Author: "2", Body: "x"}); !errors.As(err, &ve) {
		t.Errorf("comment on unknown submission: %v", err)
	}
	got, err := s.Comments(ctx, sub.ID)
	if err != nil || len(got) != 2 || got[1].Body != "Added the DPA." {
		t.Errorf("comments = %+v, %v", got, err)
	}
}
