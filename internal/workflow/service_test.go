package workflow_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/testdb"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// The service tests run on a real, seeded PostgreSQL: publishing writes
// the catalogue and its levels in the workflow's transaction.
func TestMain(m *testing.M) { testdb.Main(m) }

var (
	ncVendor  = workflow.Actor{ID: "101", Roles: []string{workflow.RoleVendor}, Organizations: []string{"nextcloud"}, SessionID: "s1"}
	msVendor  = workflow.Actor{ID: "102", Roles: []string{workflow.RoleVendor}, Organizations: []string{"microsoft"}, SessionID: "s2"}
	rev1      = workflow.Actor{ID: "201", Roles: []string{workflow.RoleReviewer}, SessionID: "s3"}
	rev2      = workflow.Actor{ID: "202", Roles: []string{workflow.RoleReviewer}, SessionID: "s4"}
	siteAdmin = workflow.Actor{ID: "301", Roles: []string{workflow.RoleAdmin}, SessionID: "s5"}
)

type fixture struct {
	st  *store.Store
	cat *catalog.Service
	svc *workflow.Service
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	st := storetest.Seeded(t)
	cat := catalog.NewService(st)
	return fixture{st: st, cat: cat, svc: workflow.NewService(st, cat)}
}

// published returns the catalogue's current record of slug.
func (f fixture) published(t *testing.T, slug string) catalog.Product {
	t.Helper()
	d, err := f.cat.Product(context.Background(), slug)
	if err != nil {
		t.Fatalf("product %s: %v", slug, err)
	}
	return d.Product
}

// step takes action and fails the test when it is refused.
func (f fixture) step(t *testing.T, a workflow.Actor, sub workflow.Submission, action workflow.Action) workflow.Submission {
	t.Helper()
	next, err := f.svc.Act(context.Background(), a, sub.ID, sub.Version, action)
	if err != nil {
		t.Fatalf("%s by %s on submission %d (%s): %v", action, a.ID, sub.ID, sub.State, err)
	}
	return next
}

// draftChange starts a change to nextcloud whose English description is desc.
func (f fixture) draftChange(t *testing.T, desc string) workflow.Submission {
	t.Helper()
	p := f.published(t, "nextcloud")
	p.DescriptionEN = desc
	sub, err := f.svc.Create(context.Background(), ncVendor, workflow.KindChange, catalog.Proposal{Product: p})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return sub
}

func TestService_ProposeReviewPublish(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sub := f.draftChange(t, "Self-hosted collaboration, as reviewed.")
	if sub.State != workflow.StateDraft || sub.BaseVersion != 1 {
		t.Fatalf("draft: state %s, base version %d (want the baseline, 1)", sub.State, sub.BaseVersion)
	}
	sub = f.step(t, ncVendor, sub, workflow.ActionSubmit)
	sub = f.step(t, rev1, sub, workflow.ActionStartReview)
	sub = f.step(t, rev1, sub, workflow.ActionApprove)
	if sub.State != workflow.StateApproved {
		t.Fatalf("after approval: %s", sub.State)
	}
	if got := f.published(t, "nextcloud").DescriptionEN; got != "Self-hosted collaboration, as reviewed." {
		t.Errorf("catalogue not updated: %q", got)
	}
	versions, err := f.svc.History(ctx, "nextcloud")
	if err != nil || len(versions) != 2 || versions[1].SubmissionID != sub.ID || !slices.Equal(versions[1].ApprovedBy, []string{rev1.ID}) {
		t.Fatalf("history: %+v, %v", versions, err)
	}
	if changes := workflow.Diff(versions[0].Product, versions[1].Product); len(changes) != 1 || changes[0].Path != "description_en" {
		t.Errorf("diff between the versions: %+v", changes)
	}
	events, err := f.st.AuditEvents(ctx, store.AuditFilter{Subject: workflow.Subject(sub.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range events {
		actions = append(actions, ev.Action)
	}
	want := []string{"submission.create", "submission.submit", "submission.start_review", "submission.approve"}
	if !slices.Equal(actions, want) {
		t.Errorf("audit: %v, want %v", actions, want)
	}
	// Publishing verified the entry: it is not due for review a year minus a day later.
	in, err := f.svc.WithClock(func() time.Time { return time.Now().AddDate(1, 0, -1) }).Inbox(ctx, rev1)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range in.Due {
		if d.Slug == "nextcloud" {
			t.Error("nextcloud is due for review right after publication")
		}
	}
}

func TestService_Rules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.published(t, "nextcloud")

	t.Run("a ncVendor proposes only for its own organisations", func(t *testing.T) {
		if _, err := f.svc.Create(ctx, msVendor, workflow.KindChange, catalog.Proposal{Product: p}); !errors.Is(err, workflow.ErrForbidden) {
			t.Errorf("create for another organisation: %v, want ErrForbidden", err)
		}
		if versions, err := f.svc.History(ctx, p.Slug); err != nil || len(versions) != 0 {
			t.Errorf("a refused proposal wrote %d versions (%v)", len(versions), err)
		}
	})
	t.Run("a proposal is invisible to other organisations", func(t *testing.T) {
		sub := f.draftChange(t, "x")
		if _, err := f.svc.View(ctx, msVendor, sub.ID); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("view by msVendor: %v, want ErrNotFound", err)
		}
		if _, err := f.svc.Act(ctx, msVendor, sub.ID, sub.Version, workflow.ActionSubmit); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("submit by msVendor: %v, want ErrNotFound", err)
		}
	})
	t.Run("a new product may not take an existing slug", func(t *testing.T) {
		_, err := f.svc.Create(ctx, ncVendor, workflow.KindNew, catalog.Proposal{Product: p})
		if !hasProblem(err, "product.slug") {
			t.Errorf("new product with a taken slug: %v", err)
		}
	})
	t.Run("admins alone do not review", func(t *testing.T) {
		sub := f.step(t, ncVendor, f.draftChange(t, "y"), workflow.ActionSubmit)
		if _, err := f.svc.Act(ctx, siteAdmin, sub.ID, sub.Version, workflow.ActionStartReview); !errors.Is(err, workflow.ErrForbidden) {
			t.Errorf("admin starts review: %v, want ErrForbidden", err)
		}
	})
	t.Run("only admins set the policy", func(t *testing.T) {
		if err := f.svc.SetPolicy(ctx, rev1, workflow.Policy{RequiredApprovals: 2, ClarificationPeriod: 72 * time.Hour}, 0); !errors.Is(err, workflow.ErrForbidden) {
			t.Errorf("reviewer sets policy: %v", err)
		}
		if err := f.svc.SetPolicy(ctx, siteAdmin, workflow.Policy{RequiredApprovals: 9, ClarificationPeriod: time.Hour}, 0); !hasProblem(err, "required_approvals") || !hasProblem(err, "clarification_days") {
			t.Errorf("out-of-range policy: %v", err)
		}
	})
}

func TestService_SubmitChecksEvidenceAndReferences(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.published(t, "nextcloud")
	p.License = catalog.KnownFact("AGPL-3.0-or-later") // a known fact without a source
	p.Dependencies = append(p.Dependencies, catalog.Dependency{Provider: "no-such-product", Role: catalog.RoleComputeHosting,
		DataAccess: catalog.AccessNone, Criticality: catalog.Critical, Sources: []string{"src-new"}})
	sources := []catalog.Source{{Key: "src-new", URL: "javascript:alert(1)", Title: "x", Kind: catalog.SourcePress, Retrieved: time.Now()}}
	sub, err := f.svc.Create(ctx, ncVendor, workflow.KindChange, catalog.Proposal{Product: p, Sources: sources})
	if err != nil {
		t.Fatalf("a draft may be incomplete: %v", err)
	}
	_, err = f.svc.Act(ctx, ncVendor, sub.ID, sub.Version, workflow.ActionSubmit)
	for _, path := range []string{"product.license", "product.dependencies[" + strconv.Itoa(len(p.Dependencies)-1) + "].on", "sources[0].url"} {
		if !hasProblem(err, path) {
			t.Errorf("submit: no problem at %s in %v", path, err)
		}
	}
	again, err := f.st.Submission(ctx, sub.ID)
	if err != nil || again.State != workflow.StateDraft || again.Version != sub.Version {
		t.Errorf("a refused submission changed: %s v%d (%v)", again.State, again.Version, err)
	}
}

func TestService_FourEyes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.svc.SetPolicy(ctx, siteAdmin, workflow.Policy{RequiredApprovals: 2, ClarificationPeriod: 14 * 24 * time.Hour}, 0); err != nil {
		t.Fatalf("set policy: %v", err)
	}
	sub := f.step(t, ncVendor, f.draftChange(t, "Two approvals."), workflow.ActionSubmit)
	sub = f.step(t, rev1, sub, workflow.ActionStartReview)
	sub = f.step(t, rev1, sub, workflow.ActionApprove)
	if sub.State != workflow.StateInReview {
		t.Fatalf("one of two approvals published it: %s", sub.State)
	}
	if _, err := f.svc.Act(ctx, rev1, sub.ID, sub.Version, workflow.ActionApprove); !errors.Is(err, workflow.ErrForbidden) {
		t.Errorf("second approval by the same reviewer: %v", err)
	}
	sub = f.step(t, rev2, sub, workflow.ActionApprove)
	if sub.State != workflow.StateApproved || f.published(t, "nextcloud").DescriptionEN != "Two approvals." {
		t.Errorf("after two approvals: %s", sub.State)
	}
}

func TestService_ConcurrentApprovals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sub := f.step(t, ncVendor, f.draftChange(t, "Raced."), workflow.ActionSubmit)
	sub = f.step(t, rev1, sub, workflow.ActionStartReview)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, r := range []workflow.Actor{rev1, rev2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.Act(ctx, r, sub.ID, sub.Version, workflow.ActionApprove)
		}()
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, catalog.ErrConflict):
			conflicts++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || conflicts != 1 {
		t.Fatalf("%d succeeded, %d conflicts; want one each", ok, conflicts)
	}
	versions, err := f.svc.History(ctx, "nextcloud")
	if err != nil || len(versions) != 2 {
		t.Errorf("published %d versions (%v), want the baseline and one", len(versions), err)
	}
}

func TestService_StaleChangeIsNotPublished(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := f.step(t, ncVendor, f.draftChange(t, "First."), workflow.ActionSubmit)
	second := f.step(t, ncVendor, f.draftChange(t, "Second."), workflow.ActionSubmit)
	first = f.step(t, rev1, first, workflow.ActionStartReview)
	second = f.step(t, rev1, second, workflow.ActionStartReview)
	f.step(t, rev1, first, workflow.ActionApprove)
	// The second change was made against the version the first replaced.
	if _, err := f.svc.Act(ctx, rev1, second.ID, second.Version, workflow.ActionApprove); !errors.Is(err, catalog.ErrConflict) {
		t.Fatalf("approving a change to an outdated version: %v, want ErrConflict", err)
	}
	if got := f.published(t, "nextcloud").DescriptionEN; got != "First." {
		t.Errorf("catalogue: %q, want the first change only", got)
	}
	again, err := f.st.Submission(ctx, second.ID)
	if err != nil || again.State != workflow.StateInReview || again.Version != second.Version || len(again.Approvals) != 0 {
		t.Errorf("the refused approval left traces: %s v%d approvals %v (%v)", again.State, again.Version, again.Approvals, err)
	}
}

func TestService_LevelPreview(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.published(t, "nextcloud")
	before, err := f.cat.Level(ctx, "nextcloud", "")
	if err != nil {
		t.Fatal(err)
	}
	// Putting the product behind a US CDN for every request caps it.
	cf := f.published(t, "cloudflare")
	src := catalog.Source{Key: "src-test-cdn", URL: "https://example.org/cdn", Title: "CDN", Kind: catalog.SourceVendorLegal, Retrieved: time.Now().UTC().Truncate(24 * time.Hour)}
	p.Dependencies = append(p.Dependencies, catalog.Dependency{Provider: cf.Slug, Role: catalog.RoleCDNProxyTLS,
		DataAccess: catalog.AccessPlaintext, Criticality: catalog.Critical, Sources: []string{src.Key}})
	sub, err := f.svc.Create(ctx, ncVendor, workflow.KindChange, catalog.Proposal{Product: p, Sources: []catalog.Source{src}})
	if err != nil {
		t.Fatal(err)
	}
	if sub.LevelBefore != before.Overall || sub.LevelAfter < 0 || sub.LevelAfter >= sub.LevelBefore {
		t.Errorf("levels %d → %d; want a drop from %d", sub.LevelBefore, sub.LevelAfter, before.Overall)
	}
	if sub.RaisesLevel() {
		t.Error("a drop counts as a raise")
	}
}

func TestService_ReReviewAndVerify(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	later := f.svc.WithClock(func() time.Time { return time.Now().AddDate(2, 0, 0) })
	in, err := later.Inbox(ctx, rev1)
	if err != nil {
		t.Fatal(err)
	}
	if in.DueTotal == 0 || !slices.ContainsFunc(in.Due, func(d workflow.DueEntry) bool { return d.Slug == "nextcloud" }) {
		t.Fatalf("two years on, nextcloud is not due for review (%d due)", in.DueTotal)
	}
	if err := later.Verify(ctx, ncVendor, "nextcloud"); !errors.Is(err, workflow.ErrForbidden) {
		t.Errorf("a ncVendor verifies: %v", err)
	}
	if err := later.Verify(ctx, rev1, "nextcloud"); err != nil {
		t.Fatal(err)
	}
	in, err = later.Inbox(ctx, rev1)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(in.Due, func(d workflow.DueEntry) bool { return d.Slug == "nextcloud" }) {
		t.Error("verified entry still due")
	}
	if err := later.Verify(ctx, rev1, "no-such-product"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("verify unknown product: %v", err)
	}
}

func TestService_Comments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sub := f.step(t, ncVendor, f.draftChange(t, "z"), workflow.ActionSubmit)
	if _, err := f.svc.Comment(ctx, rev1, sub.ID, "Please cite the hosting contract."); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Comment(ctx, ncVendor, sub.ID, "   "); !hasProblem(err, "body") {
		t.Errorf("empty comment: %v", err)
	}
	if _, err := f.svc.Comment(ctx, msVendor, sub.ID, "hi"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("outsider comments: %v", err)
	}
	d, err := f.svc.View(ctx, ncVendor, sub.ID)
	if err != nil || len(d.Comments) != 1 || d.Comments[0].Author != rev1.ID {
		t.Errorf("thread: %+v (%v)", d.Comments, err)
	}
}

func hasProblem(err error, path string) bool {
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	return slices.ContainsFunc(ve.Problems, func(p catalog.Problem) bool { return p.Path == path || strings.HasPrefix(p.Path, path+".") })
}

func TestService_NewProductNeverOverwrites(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.published(t, "nextcloud")
	p.Slug, p.Name = "nextcloud-hub-test", "Nextcloud Hub (test)"
	p.Alternatives, p.Adoptions = nil, nil
	propose := func() workflow.Submission {
		sub, err := f.svc.Create(ctx, ncVendor, workflow.KindNew, catalog.Proposal{Product: p})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		sub = f.step(t, ncVendor, sub, workflow.ActionSubmit)
		return f.step(t, rev1, sub, workflow.ActionStartReview)
	}
	first, second := propose(), propose()
	f.step(t, rev1, first, workflow.ActionApprove)
	if _, err := f.svc.Act(ctx, rev1, second.ID, second.Version, workflow.ActionApprove); !errors.Is(err, catalog.ErrConflict) {
		t.Fatalf("second new product with the same slug: %v, want ErrConflict", err)
	}
	if versions, err := f.svc.History(ctx, p.Slug); err != nil || len(versions) != 1 || versions[0].SubmissionID != first.ID {
		t.Errorf("history: %+v (%v)", versions, err)
	}
}

func TestService_EditRebasesOnThePublishedEntry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	stale := f.step(t, ncVendor, f.draftChange(t, "Stale."), workflow.ActionSubmit)
	stale = f.step(t, rev1, stale, workflow.ActionStartReview)
	other := f.step(t, ncVendor, f.draftChange(t, "Published first."), workflow.ActionSubmit)
	other = f.step(t, rev1, other, workflow.ActionStartReview)
	f.step(t, rev1, other, workflow.ActionApprove)
	// The reviewer asks for changes; the vendor edits against today's entry.
	stale = f.step(t, rev1, stale, workflow.ActionRequestChanges)
	edited, err := f.svc.Edit(ctx, ncVendor, stale.ID, stale.Version, catalog.Proposal{Product: f.published(t, "nextcloud")})
	if err != nil {
		t.Fatal(err)
	}
	if edited.BaseVersion != 2 {
		t.Errorf("base version after edit: %d, want 2 (the newest)", edited.BaseVersion)
	}
	edited = f.step(t, ncVendor, edited, workflow.ActionResubmit)
	edited = f.step(t, rev2, edited, workflow.ActionStartReview)
	f.step(t, rev2, edited, workflow.ActionApprove)
}
