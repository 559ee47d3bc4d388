package workflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Action is a step a user takes on a submission.
type Action string

// Actions.
const (
	ActionSubmit         Action = "submit"
	ActionStartReview    Action = "start_review"
	ActionRequestChanges Action = "request_changes"
	ActionResubmit       Action = "resubmit"
	ActionApprove        Action = "approve"
	ActionReject         Action = "reject"
	ActionWithdraw       Action = "withdraw"
)

// Role names as plain strings; internal/auth defines the same names.
const (
	RoleVendor   = "vendor"
	RoleReviewer = "reviewer"
	RoleAdmin    = "admin"
)

// Transition is one allowed step: in state From, a user holding Role may
// take Action, and the submission moves to To.
type Transition struct {
	From   State
	Action Action
	To     State
	Role   string
}

// Transitions is the whole process, in one place. Vendor rows apply only to
// the vendor's own organisations; reviewer rows are subject to the
// four-eyes rules (see Apply). An approval moves to approved only when
// enough distinct reviewers have approved; until then it stays in review.
var Transitions = []Transition{
	{StateDraft, ActionSubmit, StateSubmitted, RoleVendor},
	{StateDraft, ActionWithdraw, StateWithdrawn, RoleVendor},
	{StateSubmitted, ActionStartReview, StateInReview, RoleReviewer},
	{StateSubmitted, ActionWithdraw, StateWithdrawn, RoleVendor},
	{StateInReview, ActionRequestChanges, StateChangesRequested, RoleReviewer},
	{StateInReview, ActionApprove, StateApproved, RoleReviewer},
	{StateInReview, ActionReject, StateRejected, RoleReviewer},
	{StateInReview, ActionWithdraw, StateWithdrawn, RoleVendor},
	{StateChangesRequested, ActionResubmit, StateSubmitted, RoleVendor},
	{StateChangesRequested, ActionWithdraw, StateWithdrawn, RoleVendor},
	{StateChangesRequested, ActionReject, StateRejected, RoleReviewer},
}

// Actor is the user taking an action, with the roles and organisation
// memberships the caller established (from the session or API token).
type Actor struct {
	ID            string
	Roles         []string
	Organizations []string
	SessionID     string // recorded in the audit event; empty for API tokens
}

// Has reports whether the actor holds role.
func (a Actor) Has(role string) bool { return slices.Contains(a.Roles, role) }

// MemberOf reports whether the actor belongs to organisation org.
func (a Actor) MemberOf(org string) bool { return slices.Contains(a.Organizations, org) }

// Policy holds the settings admins configure.
type Policy struct {
	// RequiredApprovals is how many distinct reviewers must approve; 0
	// means 1.
	RequiredApprovals int
	// ClarificationPeriod is the time a vendor has to answer a request
	// for changes; 0 means 14 days.
	ClarificationPeriod time.Duration
}

// DefaultPolicy needs one approval and gives two weeks for clarification.
var DefaultPolicy = Policy{RequiredApprovals: 1, ClarificationPeriod: 14 * 24 * time.Hour}

func (p Policy) approvals() int { return max(p.RequiredApprovals, 1) }

func (p Policy) clarification() time.Duration {
	if p.ClarificationPeriod <= 0 {
		return DefaultPolicy.ClarificationPeriod
	}
	return p.ClarificationPeriod
}

// Apply takes action under the default policy; see Policy.Apply.
func Apply(s Submission, action Action, actor Actor, now time.Time) (Submission, Event, error) {
	return DefaultPolicy.Apply(s, action, actor, now)
}

// Allowed lists the actions actor may take on s now, for showing buttons.
func (p Policy) Allowed(s Submission, actor Actor) []Action {
	var out []Action
	for _, t := range Transitions {
		if t.From != s.State || slices.Contains(out, t.Action) {
			continue
		}
		_, _, err := p.Apply(s, t.Action, actor, time.Time{})
		var invalid *catalog.ValidationError
		if err == nil || errors.As(err, &invalid) { // a bad proposal shows its problems on submit

			out = append(out, t.Action)
		}
	}
	return out
}

// Apply checks that actor may take action on s and returns the submission
// after it and the audit event describing it. It does not bump s.Version:
// the store does that when it writes with the version s was read at.
//
// Rules, each with its own error:
//   - the action must be allowed in s.State (ErrInvalidTransition) to a
//     role the actor holds (ErrForbidden);
//   - vendors act only for their own organisations (ErrForbidden);
//   - reviewers never act on what they authored or what is proposed for an
//     organisation they belong to (four eyes, ErrForbidden);
//   - a change that raises the level cannot be approved by anyone who
//     proposed it (ErrForbidden);
//   - an approval counts once per reviewer (ErrForbidden on a repeat), and
//     the submission is approved when Policy.RequiredApprovals distinct
//     reviewers approved;
//   - submit and resubmit validate the proposal (*catalog.ValidationError):
//     catalog.ValidateProduct, which refuses a known fact without a source,
//     plus the submission's own consistency.
func (p Policy) Apply(s Submission, action Action, actor Actor, now time.Time) (Submission, Event, error) {
	fail := func(err error) (Submission, Event, error) { return s, Event{}, err }
	var candidates []Transition
	for _, t := range Transitions {
		if t.From == s.State && t.Action == action {
			candidates = append(candidates, t)
		}
	}
	if len(candidates) == 0 {
		return fail(fmt.Errorf("%w: cannot %s a submission that is %s", ErrInvalidTransition, action, s.State))
	}
	var tr Transition
	for _, t := range candidates {
		if actor.Has(t.Role) {
			tr = t
			break
		}
	}
	if tr.Role == "" {
		return fail(fmt.Errorf("%w: %s needs the role %s", ErrForbidden, action, candidates[0].Role))
	}
	if err := p.check(s, tr, actor); err != nil {
		return fail(err)
	}

	next := s
	next.Proposers = slices.Clone(s.Proposers)
	next.Approvals = slices.Clone(s.Approvals)
	next.State = tr.To
	next.UpdatedAt = now
	switch action {
	case ActionSubmit, ActionResubmit:
		if err := Validate(s); err != nil {
			return fail(err)
		}
		if !slices.Contains(next.Proposers, actor.ID) {
			next.Proposers = append(next.Proposers, actor.ID)
		}
		next.Approvals = nil
		next.DueAt = nil
		next.SubmittedAt = &now
	case ActionRequestChanges:
		due := now.Add(p.clarification())
		next.DueAt = &due
	case ActionApprove:
		next.Approvals = append(next.Approvals, Approval{Reviewer: actor.ID, At: now})
		if len(next.Approvers()) < p.approvals() {
			next.State = StateInReview // waits for the next reviewer
		} else {
			next.DecidedAt = &now
		}
	case ActionReject:
		next.DecidedAt = &now
	case ActionWithdraw:
		next.DueAt = nil
	}
	return next, newEvent(s, next, action, actor, now), nil
}

// check applies the per-object rules for the chosen transition.
func (p Policy) check(s Submission, t Transition, actor Actor) error {
	switch t.Role {
	case RoleVendor:
		if !actor.MemberOf(s.Organization) {
			return fmt.Errorf("%w: %s acts only for its own organisations, not %s", ErrForbidden, actor.ID, s.Organization)
		}
	case RoleReviewer:
		if actor.ID == s.Author {
			return fmt.Errorf("%w: four eyes: a reviewer cannot %s their own submission", ErrForbidden, t.Action)
		}
		if actor.MemberOf(s.Organization) {
			return fmt.Errorf("%w: four eyes: a reviewer cannot %s a submission for their own organisation %s", ErrForbidden, t.Action, s.Organization)
		}
		if t.Action != ActionApprove {
			return nil
		}
		if s.RaisesLevel() && slices.Contains(s.Proposers, actor.ID) {
			return fmt.Errorf("%w: four eyes: a change raising the level from %d to %d needs a reviewer other than its proposer", ErrForbidden, s.LevelBefore, s.LevelAfter)
		}
		if slices.Contains(s.Approvers(), actor.ID) {
			return fmt.Errorf("%w: %s has already approved; another reviewer must approve", ErrForbidden, actor.ID)
		}
	}
	return nil
}

// Validate checks a proposal before it is submitted: the product on its own
// (catalog.ValidateProduct, including the evidence rule) and that it fits
// the submission (slug, vendor).
func Validate(s Submission) error {
	var problems []catalog.Problem
	if err := catalog.ValidateProduct(s.Proposed); err != nil {
		ve, ok := err.(*catalog.ValidationError)
		if !ok {
			return err
		}
		for _, pr := range ve.Problems {
			pr.Path = joinPath("product", pr.Path)
			problems = append(problems, pr)
		}
	}
	if !s.Kind.Valid() {
		problems = append(problems, catalog.Problem{Path: "kind", Key: "error.enum", Message: fmt.Sprintf("unknown submission kind %q", s.Kind)})
	}
	if s.Proposed.Slug != s.Target {
		problems = append(problems, catalog.Problem{Path: "product.slug", Key: "error.target", Message: fmt.Sprintf("the proposal is for %q but changes %q", s.Proposed.Slug, s.Target)})
	}
	if s.Proposed.Vendor != s.Organization {
		problems = append(problems, catalog.Problem{Path: "product.vendor", Key: "error.organization", Message: fmt.Sprintf("the vendor %q is not the submitting organisation %q", s.Proposed.Vendor, s.Organization)})
	}
	if len(problems) > 0 {
		return &catalog.ValidationError{Problems: problems}
	}
	return nil
}

func joinPath(prefix, path string) string {
	if path == "" {
		return prefix
	}
	return prefix + "." + path
}

// Event is one audit record: who did what to which subject, when, from
// which session, with the state before and after as JSON.
type Event struct {
	ID        int64 // assigned by the store
	At        time.Time
	Actor     string // user id
	SessionID string
	Action    string // e.g. "submission.approve", "session.login"
	Subject   string // e.g. "submission:42", "product:nextcloud"
	Before    json.RawMessage
	After     json.RawMessage
}

// Subject returns the audit subject naming submission id.
func Subject(id int64) string { return fmt.Sprintf("submission:%d", id) }

// newEvent records a transition. The snapshots leave out the proposed
// product, which the diff and the product versions keep.
func newEvent(before, after Submission, action Action, actor Actor, now time.Time) Event {
	return Event{
		At: now, Actor: actor.ID, SessionID: actor.SessionID,
		Action: "submission." + string(action), Subject: Subject(before.ID),
		Before: snapshot(before), After: snapshot(after),
	}
}

type stateSnapshot struct {
	State     State      `json:"state"`
	Approvers []string   `json:"approvers,omitempty"`
	DueAt     *time.Time `json:"due_at,omitempty"`
	Version   int        `json:"version"`
}

func snapshot(s Submission) json.RawMessage {
	b, err := json.Marshal(stateSnapshot{State: s.State, Approvers: s.Approvers(), DueAt: s.DueAt, Version: s.Version})
	if err != nil {
		panic(fmt.Sprintf("workflow: snapshot: %v", err)) // plain values always marshal
	}
	return b
}
