package workflow_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// validProduct is a minimal product that passes catalog.ValidateProduct.
func validProduct() catalog.Product {
	return catalog.Product{
		Slug: "cloudbox", Name: "Cloudbox", Vendor: "acme", Category: "files",
		Kind: catalog.KindSoftware, Website: "https://cloudbox.example",
		DescriptionDE: "Dateiablage.", DescriptionEN: "File storage.",
		License:      catalog.KnownFact("AGPL-3.0-only", "cloudbox-license"),
		SelfHostable: catalog.KnownFact(catalog.Yes, "cloudbox-docs"),
	}
}

func submission(state workflow.State) workflow.Submission {
	return workflow.Submission{
		ID: 7, Kind: workflow.KindNew, Target: "cloudbox", Organization: "acme", Author: "u-vendor",
		Proposed: validProduct(), State: state, LevelBefore: -1, LevelAfter: 2,
		Proposers: []string{"u-vendor"}, Version: 3,
	}
}

var (
	vendor        = workflow.Actor{ID: "u-vendor", Roles: []string{workflow.RoleVendor}, Organizations: []string{"acme"}, SessionID: "sess-1"}
	colleague     = workflow.Actor{ID: "u-colleague", Roles: []string{workflow.RoleVendor}, Organizations: []string{"globex", "acme"}}
	otherVendor   = workflow.Actor{ID: "u-other", Roles: []string{workflow.RoleVendor}, Organizations: []string{"globex"}}
	reviewer      = workflow.Actor{ID: "u-rev1", Roles: []string{workflow.RoleReviewer}}
	reviewer2     = workflow.Actor{ID: "u-rev2", Roles: []string{workflow.RoleReviewer}}
	insider       = workflow.Actor{ID: "u-rev-acme", Roles: []string{workflow.RoleReviewer}, Organizations: []string{"acme"}}
	admin         = workflow.Actor{ID: "u-admin", Roles: []string{workflow.RoleAdmin}}
	anonymous     = workflow.Actor{}
	vendorAndRevu = workflow.Actor{ID: "u-both", Roles: []string{workflow.RoleVendor, workflow.RoleReviewer}, Organizations: []string{"acme"}}
)

func TestApply_EveryTransition(t *testing.T) {
	actors := map[string]workflow.Actor{workflow.RoleVendor: vendor, workflow.RoleReviewer: reviewer}
	for _, tr := range workflow.Transitions {
		t.Run(fmt.Sprintf("%s/%s", tr.From, tr.Action), func(t *testing.T) {
			s := submission(tr.From)
			got, ev, err := workflow.Apply(s, tr.Action, actors[tr.Role], now)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if got.State != tr.To {
				t.Errorf("state = %s, want %s", got.State, tr.To)
			}
			if got.Version != s.Version {
				t.Errorf("Apply changed the version: %d → %d (the store bumps it)", s.Version, got.Version)
			}
			if ev.Action != "submission."+string(tr.Action) || ev.Subject != "submission:7" || ev.Actor != actors[tr.Role].ID || !ev.At.Equal(now) {
				t.Errorf("event = %+v", ev)
			}
			var before, after map[string]any
			if json.Unmarshal(ev.Before, &before) != nil || json.Unmarshal(ev.After, &after) != nil {
				t.Fatalf("event snapshots are not JSON: %s / %s", ev.Before, ev.After)
			}
			if before["state"] != string(tr.From) || after["state"] != string(tr.To) {
				t.Errorf("snapshots: before %v, after %v", before, after)
			}
		})
	}
}

// TestApply_InvalidTransitions tries every action in every state that the
// table does not list.
func TestApply_InvalidTransitions(t *testing.T) {
	actions := []workflow.Action{workflow.ActionSubmit, workflow.ActionStartReview, workflow.ActionRequestChanges,
		workflow.ActionResubmit, workflow.ActionApprove, workflow.ActionReject, workflow.ActionWithdraw, "publish"}
	super := workflow.Actor{ID: "u-super", Roles: []string{workflow.RoleVendor, workflow.RoleReviewer, workflow.RoleAdmin}, Organizations: []string{"acme"}}
	for _, st := range workflow.States {
		for _, a := range actions {
			listed := slices.ContainsFunc(workflow.Transitions, func(tr workflow.Transition) bool { return tr.From == st && tr.Action == a })
			if listed {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s", st, a), func(t *testing.T) {
				s := submission(st)
				got, _, err := workflow.Apply(s, a, super, now)
				if !errors.Is(err, workflow.ErrInvalidTransition) {
					t.Fatalf("err = %v, want ErrInvalidTransition", err)
				}
				if got.State != st {
					t.Errorf("state moved to %s on error", got.State)
				}
			})
		}
	}
}

func TestApply_Rules(t *testing.T) {
	withAuthor := func(st workflow.State, author string) workflow.Submission {
		s := submission(st)
		s.Author, s.Proposers = author, []string{author}
		return s
	}
	noSource := submission(workflow.StateDraft)
	noSource.Proposed.License.Sources = nil
	badURL := submission(workflow.StateChangesRequested)
	badURL.Proposed.SourceRepository = catalog.KnownFact("javascript:alert(1)", "src")
	wrongVendor := submission(workflow.StateDraft)
	wrongVendor.Proposed.Vendor = "globex"
	wrongTarget := submission(workflow.StateDraft)
	wrongTarget.Target = "other"
	badKind := submission(workflow.StateDraft)
	badKind.Kind = "merge"
	// A reviewer (not of acme) proposed a level-raising change on acme's
	// behalf, authored by a vendor: the proposer may not approve it.
	raisedByReviewer := submission(workflow.StateInReview)
	raisedByReviewer.Kind, raisedByReviewer.BaseVersion, raisedByReviewer.LevelBefore, raisedByReviewer.LevelAfter = workflow.KindChange, 4, 1, 3
	raisedByReviewer.Proposers = []string{"u-vendor", "u-rev1"}
	loweredByReviewer := raisedByReviewer
	loweredByReviewer.LevelBefore, loweredByReviewer.LevelAfter = 3, 1
	approvedOnce := submission(workflow.StateInReview)
	approvedOnce.Approvals = []workflow.Approval{{Reviewer: "u-rev1", At: now}}

	tests := []struct {
		name   string
		s      workflow.Submission
		action workflow.Action
		actor  workflow.Actor
		policy workflow.Policy
		want   error // sentinel, or nil
		valid  bool  // want a *catalog.ValidationError
		state  workflow.State
	}{
		{name: "vendor submits own draft", s: submission(workflow.StateDraft), action: workflow.ActionSubmit, actor: vendor, state: workflow.StateSubmitted},
		{name: "colleague of the same organisation submits", s: submission(workflow.StateDraft), action: workflow.ActionSubmit, actor: colleague, state: workflow.StateSubmitted},
		{name: "vendor of another organisation cannot submit", s: submission(workflow.StateDraft), action: workflow.ActionSubmit, actor: otherVendor, want: workflow.ErrForbidden},
		{name: "vendor of another organisation cannot withdraw", s: submission(workflow.StateSubmitted), action: workflow.ActionWithdraw, actor: otherVendor, want: workflow.ErrForbidden},
		{name: "vendor of another organisation cannot resubmit", s: submission(workflow.StateChangesRequested), action: workflow.ActionResubmit, actor: otherVendor, want: workflow.ErrForbidden},
		{name: "anonymous cannot submit", s: submission(workflow.StateDraft), action: workflow.ActionSubmit, actor: anonymous, want: workflow.ErrForbidden},
		{name: "reviewer without vendor role cannot submit", s: submission(workflow.StateDraft), action: workflow.ActionSubmit, actor: reviewer, want: workflow.ErrForbidden},
		{name: "admin has no implicit vendor rights", s: submission(workflow.StateDraft), action: workflow.ActionSubmit, actor: admin, want: workflow.ErrForbidden},
		{name: "vendor cannot start review", s: submission(workflow.StateSubmitted), action: workflow.ActionStartReview, actor: vendor, want: workflow.ErrForbidden},
		{name: "vendor cannot approve", s: submission(workflow.StateInReview), action: workflow.ActionApprove, actor: vendor, want: workflow.ErrForbidden},
		{name: "admin cannot approve without reviewer role", s: submission(workflow.StateInReview), action: workflow.ActionApprove, actor: admin, want: workflow.ErrForbidden},
		{name: "reviewer approves", s: submission(workflow.StateInReview), action: workflow.ActionApprove, actor: reviewer, state: workflow.StateApproved},
		{name: "reviewer rejects", s: submission(workflow.StateInReview), action: workflow.ActionReject, actor: reviewer, state: workflow.StateRejected},
		{name: "reviewer rejects an unanswered request", s: submission(workflow.StateChangesRequested), action: workflow.ActionReject, actor: reviewer, state: workflow.StateRejected},
		{name: "four eyes: author cannot approve", s: withAuthor(workflow.StateInReview, "u-rev1"), action: workflow.ActionApprove, actor: reviewer, want: workflow.ErrForbidden},
		{name: "four eyes: author cannot reject", s: withAuthor(workflow.StateInReview, "u-rev1"), action: workflow.ActionReject, actor: reviewer, want: workflow.ErrForbidden},
		{name: "four eyes: author cannot start review", s: withAuthor(workflow.StateSubmitted, "u-rev1"), action: workflow.ActionStartReview, actor: reviewer, want: workflow.ErrForbidden},
		{name: "four eyes: other reviewer approves the reviewer's own proposal", s: withAuthor(workflow.StateInReview, "u-rev1"), action: workflow.ActionApprove, actor: reviewer2, state: workflow.StateApproved},
		{name: "four eyes: reviewer of the organisation cannot approve", s: submission(workflow.StateInReview), action: workflow.ActionApprove, actor: insider, want: workflow.ErrForbidden},
		{name: "four eyes: reviewer of the organisation cannot reject", s: submission(workflow.StateInReview), action: workflow.ActionReject, actor: insider, want: workflow.ErrForbidden},
		{name: "four eyes: reviewer of the organisation cannot request changes", s: submission(workflow.StateInReview), action: workflow.ActionRequestChanges, actor: insider, want: workflow.ErrForbidden},
		{name: "vendor who is also reviewer cannot review own organisation", s: submission(workflow.StateInReview), action: workflow.ActionApprove, actor: vendorAndRevu, want: workflow.ErrForbidden},
		{name: "vendor who is also reviewer may submit for own organisation", s: submission(workflow.StateDraft), action: workflow.ActionSubmit, actor: vendorAndRevu, state: workflow.StateSubmitted},
		{name: "level raise: proposer cannot approve", s: raisedByReviewer, action: workflow.ActionApprove, actor: reviewer, want: workflow.ErrForbidden},
		{name: "level raise: another reviewer approves", s: raisedByReviewer, action: workflow.ActionApprove, actor: reviewer2, state: workflow.StateApproved},
		{name: "level lowered: proposing reviewer may approve", s: loweredByReviewer, action: workflow.ActionApprove, actor: reviewer, state: workflow.StateApproved},
		{name: "two approvals: first approval keeps it in review", s: submission(workflow.StateInReview), action: workflow.ActionApprove, actor: reviewer, policy: workflow.Policy{RequiredApprovals: 2}, state: workflow.StateInReview},
		{name: "two approvals: same reviewer cannot approve twice", s: approvedOnce, action: workflow.ActionApprove, actor: reviewer, policy: workflow.Policy{RequiredApprovals: 2}, want: workflow.ErrForbidden},
		{name: "two approvals: second distinct reviewer approves", s: approvedOnce, action: workflow.ActionApprove, actor: reviewer2, policy: workflow.Policy{RequiredApprovals: 2}, state: workflow.StateApproved},
		{name: "evidence: fact without source cannot be submitted", s: noSource, action: workflow.ActionSubmit, actor: vendor, valid: true},
		{name: "evidence: bad URL cannot be resubmitted", s: badURL, action: workflow.ActionResubmit, actor: vendor, valid: true},
		{name: "proposal vendor must be the organisation", s: wrongVendor, action: workflow.ActionSubmit, actor: vendor, valid: true},
		{name: "proposal slug must be the target", s: wrongTarget, action: workflow.ActionSubmit, actor: vendor, valid: true},
		{name: "submission kind must be known", s: badKind, action: workflow.ActionSubmit, actor: vendor, valid: true},
		{name: "bad proposal may still be withdrawn", s: noSource, action: workflow.ActionWithdraw, actor: vendor, state: workflow.StateWithdrawn},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.policy
			if p == (workflow.Policy{}) {
				p = workflow.DefaultPolicy
			}
			got, _, err := p.Apply(tc.s, tc.action, tc.actor, now)
			var ve *catalog.ValidationError
			switch {
			case tc.valid:
				if !errors.As(err, &ve) || len(ve.Problems) == 0 {
					t.Fatalf("err = %v, want a validation error", err)
				}
			case tc.want != nil:
				if !errors.Is(err, tc.want) {
					t.Fatalf("err = %v, want %v", err, tc.want)
				}
			case err != nil:
				t.Fatalf("Apply: %v", err)
			default:
				if got.State != tc.state {
					t.Errorf("state = %s, want %s", got.State, tc.state)
				}
			}
			if err != nil && got.State != tc.s.State {
				t.Errorf("state moved to %s on error", got.State)
			}
		})
	}
}

func TestApply_ValidationNamesTheField(t *testing.T) {
	s := submission(workflow.StateDraft)
	s.Proposed.License.Sources = nil
	_, _, err := workflow.Apply(s, workflow.ActionSubmit, vendor, now)
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	if ve.Problems[0].Path != "product.license.sources" || ve.Problems[0].Key != "error.sources" {
		t.Errorf("problem = %+v", ve.Problems[0])
	}
}

func TestApply_ClarificationDeadline(t *testing.T) {
	p := workflow.Policy{ClarificationPeriod: 7 * 24 * time.Hour}
	s, _, err := p.Apply(submission(workflow.StateInReview), workflow.ActionRequestChanges, reviewer, now)
	if err != nil {
		t.Fatal(err)
	}
	if s.DueAt == nil || !s.DueAt.Equal(now.Add(7*24*time.Hour)) {
		t.Fatalf("due = %v", s.DueAt)
	}
	for _, tc := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"before the deadline", now.Add(24 * time.Hour), false},
		{"at the deadline", *s.DueAt, false},
		{"after the deadline", s.DueAt.Add(time.Second), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Overdue(tc.at); got != tc.want {
				t.Errorf("Overdue = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("default period is 14 days", func(t *testing.T) {
		d, _, _ := workflow.Policy{}.Apply(submission(workflow.StateInReview), workflow.ActionRequestChanges, reviewer, now)
		if !d.DueAt.Equal(now.Add(14 * 24 * time.Hour)) {
			t.Errorf("due = %v", d.DueAt)
		}
	})
	t.Run("resubmit clears the deadline", func(t *testing.T) {
		r, _, err := p.Apply(s, workflow.ActionResubmit, vendor, now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if r.DueAt != nil || r.Overdue(now.AddDate(1, 0, 0)) {
			t.Errorf("deadline kept after resubmit: %v", r.DueAt)
		}
	})
	t.Run("only requested changes can be overdue", func(t *testing.T) {
		x := submission(workflow.StateInReview)
		x.DueAt = &now
		if x.Overdue(now.AddDate(0, 1, 0)) {
			t.Error("a submission in review is overdue")
		}
	})
}

func TestApply_ResubmitClearsApprovalsAndRecordsProposer(t *testing.T) {
	p := workflow.Policy{RequiredApprovals: 2}
	s := submission(workflow.StateInReview)
	s, _, err := p.Apply(s, workflow.ActionApprove, reviewer, now)
	if err != nil || len(s.Approvals) != 1 {
		t.Fatalf("first approval: %v, %+v", err, s.Approvals)
	}
	s, _, err = p.Apply(s, workflow.ActionRequestChanges, reviewer2, now)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err = p.Apply(s, workflow.ActionResubmit, colleague, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Approvals) != 0 {
		t.Errorf("approvals survived resubmit: %+v", s.Approvals)
	}
	if !slices.Equal(s.Proposers, []string{"u-vendor", "u-colleague"}) {
		t.Errorf("proposers = %v", s.Proposers)
	}
}

func TestApply_DoesNotAliasInput(t *testing.T) {
	s := submission(workflow.StateInReview)
	s.Approvals = make([]workflow.Approval, 0, 4)
	p := workflow.Policy{RequiredApprovals: 2}
	a, _, _ := p.Apply(s, workflow.ActionApprove, reviewer, now)
	b, _, _ := p.Apply(s, workflow.ActionApprove, reviewer2, now)
	if a.Approvals[0].Reviewer != "u-rev1" || b.Approvals[0].Reviewer != "u-rev2" || len(s.Approvals) != 0 {
		t.Errorf("approvals share storage: %v %v %v", a.Approvals, b.Approvals, s.Approvals)
	}
}

func TestApply_EventCarriesSession(t *testing.T) {
	_, ev, err := workflow.Apply(submission(workflow.StateDraft), workflow.ActionSubmit, vendor, now)
	if err != nil {
		t.Fatal(err)
	}
	if ev.SessionID != "sess-1" || ev.Actor != "u-vendor" {
		t.Errorf("event = %+v", ev)
	}
}

func TestPolicy_Allowed(t *testing.T) {
	tests := []struct {
		name  string
		s     workflow.Submission
		actor workflow.Actor
		want  []workflow.Action
	}{
		{"vendor on draft", submission(workflow.StateDraft), vendor, []workflow.Action{workflow.ActionSubmit, workflow.ActionWithdraw}},
		{"other vendor on draft", submission(workflow.StateDraft), otherVendor, nil},
		{"reviewer in review", submission(workflow.StateInReview), reviewer, []workflow.Action{workflow.ActionRequestChanges, workflow.ActionApprove, workflow.ActionReject}},
		{"insider in review", submission(workflow.StateInReview), insider, nil},
		{"reviewer on approved", submission(workflow.StateApproved), reviewer, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := workflow.DefaultPolicy.Allowed(tc.s, tc.actor); !slices.Equal(got, tc.want) {
				t.Errorf("Allowed = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckVersion(t *testing.T) {
	s := submission(workflow.StateDraft)
	if err := workflow.CheckVersion(s, 3); err != nil {
		t.Errorf("same version: %v", err)
	}
	err := workflow.CheckVersion(s, 2)
	if !errors.Is(err, workflow.ErrConflict) || !errors.Is(err, catalog.ErrConflict) {
		t.Errorf("moved version: %v", err)
	}
}

func TestDueForReview(t *testing.T) {
	verified := time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		now  time.Time
		want bool
	}{
		{"eleven months later", verified.AddDate(0, 11, 0), false},
		{"one day short of a year", verified.AddDate(1, 0, -1), false},
		{"a year later", verified.AddDate(1, 0, 0), true},
		{"two years later", verified.AddDate(2, 0, 0), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := workflow.DueForReview(verified, tc.now); got != tc.want {
				t.Errorf("DueForReview = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSubmission_RaisesLevel(t *testing.T) {
	for _, tc := range []struct {
		before, after int
		want          bool
	}{{-1, 0, true}, {1, 2, true}, {2, 2, false}, {3, 1, false}} {
		s := workflow.Submission{LevelBefore: tc.before, LevelAfter: tc.after}
		if got := s.RaisesLevel(); got != tc.want {
			t.Errorf("%d→%d: RaisesLevel = %v, want %v", tc.before, tc.after, got, tc.want)
		}
	}
}
