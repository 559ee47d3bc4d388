package workflow

import (
	"slices"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Kind says whether a submission proposes a new product or a change to a
// published one.
type Kind string

// Submission kinds.
const (
	KindNew    Kind = "new"
	KindChange Kind = "change"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindNew || k == KindChange }

// State is where a submission stands in the editorial process.
type State string

// Submission states. Approved, rejected and withdrawn are final.
const (
	StateDraft            State = "draft"
	StateSubmitted        State = "submitted"
	StateInReview         State = "in_review"
	StateChangesRequested State = "changes_requested"
	StateApproved         State = "approved" // published
	StateRejected         State = "rejected"
	StateWithdrawn        State = "withdrawn"
)

// States lists every state in process order.
var States = []State{StateDraft, StateSubmitted, StateInReview, StateChangesRequested, StateApproved, StateRejected, StateWithdrawn}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Final reports whether no further action is possible.
func (s State) Final() bool {
	return s == StateApproved || s == StateRejected || s == StateWithdrawn
}

// Approval is one reviewer's approval of a submission.
type Approval struct {
	Reviewer string
	At       time.Time
}

// Submission is a vendor's (or reviewer's) proposal: a whole product record,
// either new or replacing a published entry.
type Submission struct {
	ID           int64
	Kind         Kind
	Target       string // product slug; for KindNew the slug of the new product
	Organization string // organisation slug the proposal is made for (the product's vendor)
	Author       string // user id of the author
	Proposed     catalog.Product
	// Sources are the sources the proposal introduces; the facts of
	// Proposed cite them, or sources already in the catalogue, by key.
	Sources []catalog.Source
	// BaseVersion is the newest published version of the product when the
	// change was made (0 for new products and for entries never published
	// through the workflow, such as seeded ones); publishing checks it is
	// still the newest, so that no change silently overwrites another.
	BaseVersion int
	State       State
	// LevelBefore and LevelAfter are the overall sovereignty levels of the
	// published entry and of the proposal, computed by the caller
	// (classification). LevelBefore is -1 for a new product.
	LevelBefore int
	LevelAfter  int
	// Proposers are the users who submitted or resubmitted the proposal
	// (the author first); none of them may approve a change that raises
	// the level.
	Proposers []string
	// Approvals are the distinct approvals given in the current review
	// round; a resubmission clears them.
	Approvals []Approval
	// DueAt is the clarification deadline while changes are requested.
	DueAt       *time.Time
	Version     int // optimistic lock; the store bumps it on every write
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt *time.Time
	DecidedAt   *time.Time
}

// RaisesLevel reports whether publishing the proposal would raise the
// product's level (every level counts as a raise for a new product).
func (s Submission) RaisesLevel() bool { return s.LevelAfter > s.LevelBefore }

// Overdue reports whether the clarification deadline has passed at now.
func (s Submission) Overdue(now time.Time) bool {
	return s.State == StateChangesRequested && s.DueAt != nil && now.After(*s.DueAt)
}

// Approvers returns the user ids of the distinct approvers.
func (s Submission) Approvers() []string {
	out := make([]string, 0, len(s.Approvals))
	for _, a := range s.Approvals {
		if !slices.Contains(out, a.Reviewer) {
			out = append(out, a.Reviewer)
		}
	}
	return out
}

// DueForReview reports whether an entry last verified at verified must be
// reviewed again at now (12 months later, counted by calendar).
func DueForReview(verified, now time.Time) bool {
	return !verified.AddDate(1, 0, 0).After(now)
}

// Comment is one message in a submission's thread.
type Comment struct {
	ID           int64
	SubmissionID int64
	Author       string
	Body         string
	CreatedAt    time.Time
}

// ProductVersion is one published version of a product, kept for the
// history page; Diff compares any two.
type ProductVersion struct {
	Slug         string
	Version      int
	Product      catalog.Product
	PublishedAt  time.Time
	ApprovedBy   []string
	SubmissionID int64
}

// Filter selects submissions for a list: every set field narrows it.
type Filter struct {
	States        []State
	Organizations []string
	Author        string
	Target        string
	Limit         int // default 100
	// NewestFirst lists the most recently changed first; the default is
	// the queue order, the longest-waiting first.
	NewestFirst bool
}

// ReviewQueue is the filter of the reviewers' inbox: everything waiting for
// a reviewer.
var ReviewQueue = Filter{States: []State{StateSubmitted, StateInReview}}

// DueEntry is a published entry waiting for its periodic re-review.
type DueEntry struct {
	Slug string
	Name string
	// VerifiedAt is when a reviewer last confirmed or published the entry,
	// or else when its newest source was retrieved; nil when it cites none.
	VerifiedAt *time.Time
}
