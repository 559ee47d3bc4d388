package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Store is the storage the editorial service needs; internal/store
// implements it on PostgreSQL. Every write takes the audit events that
// describe it and stores them in the same transaction.
type Store interface {
	CreateSubmission(ctx context.Context, sub Submission, events ...Event) (Submission, error)
	Submission(ctx context.Context, id int64) (Submission, error)
	// UpdateSubmission writes sub if it is still at expectedVersion;
	// catalog.ErrConflict otherwise.
	UpdateSubmission(ctx context.Context, sub Submission, expectedVersion int, events ...Event) (Submission, error)
	ListSubmissions(ctx context.Context, f Filter) ([]Submission, error)
	// Publish stores an approved submission, the next product version and
	// ev, and runs apply on a repository bound to the same transaction.
	Publish(ctx context.Context, sub Submission, ev Event, apply func(ctx context.Context, tx catalog.Repository) error) (Submission, int, error)
	ProductVersions(ctx context.Context, slug string) ([]ProductVersion, error)
	// EnsureBaseline records p as version 1 when its history is empty and
	// returns the newest version.
	EnsureBaseline(ctx context.Context, p catalog.Product, at time.Time) (int, error)
	AddComment(ctx context.Context, c Comment, events ...Event) (Comment, error)
	Comments(ctx context.Context, submissionID int64) ([]Comment, error)
	Policy(ctx context.Context) (Policy, int, error)
	SetPolicy(ctx context.Context, p Policy, expectedVersion int, ev Event) error
	Verify(ctx context.Context, slug, by string, at time.Time, ev Event) error
	DueForReview(ctx context.Context, cutoff time.Time, limit int) ([]DueEntry, int, error)
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
}

// Catalog is what the editorial service needs of the catalogue
// (*catalog.Service).
type Catalog interface {
	Product(ctx context.Context, slug string) (catalog.ProductDetail, error)
	Level(ctx context.Context, slug, perspective string) (catalog.ProductLevel, error)
	CheckProposal(ctx context.Context, p catalog.Proposal) error
	PreviewLevel(ctx context.Context, p catalog.Proposal, perspective string) (catalog.ProductLevel, error)
	PublishProposal(ctx context.Context, repo catalog.Repository, p catalog.Proposal) error
	// Refresh is called after a publication committed.
	Refresh()
}

// Service runs the editorial process: vendors draft and propose, reviewers
// review and approve, admins set the policy. Every rule is checked here or
// in Policy.Apply, whichever surface (forms or API) the request came from.
type Service struct {
	store Store
	cat   Catalog
	now   func() time.Time
}

// NewService returns the editorial service.
func NewService(st Store, cat Catalog) *Service {
	return &Service{store: st, cat: cat, now: func() time.Time { return time.Now().UTC() }}
}

// WithClock returns a copy of s that reads the time from now (tests of
// deadlines and re-review).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// MaxCommentLength bounds a comment, so a thread stays readable.
const MaxCommentLength = 10000

// ReviewInterval is how long a verification holds: an entry not verified
// again within it is due for review.
const ReviewInterval = 12 // months

// Create starts a draft for the actor's organisation: a new product, or a
// change to the published entry p.Product.Slug. Completeness is checked on
// submission, so a draft may be saved half-done.
func (s *Service) Create(ctx context.Context, actor Actor, kind Kind, p catalog.Proposal) (Submission, error) {
	if !actor.Has(RoleVendor) {
		return Submission{}, fmt.Errorf("%w: drafting needs the role %s", ErrForbidden, RoleVendor)
	}
	now := s.now()
	sub := Submission{Kind: kind, Target: p.Product.Slug, Organization: p.Product.Vendor, Author: actor.ID,
		Proposed: p.Product, Sources: p.Sources, State: StateDraft, LevelBefore: -1, LevelAfter: -1,
		CreatedAt: now, UpdatedAt: now}
	switch kind {
	case KindNew:
		if err := draftable(p.Product); err != nil {
			return Submission{}, err
		}
		if _, err := s.cat.Product(ctx, p.Product.Slug); err == nil {
			return Submission{}, problem("product.slug", "error.slug_taken", "a product %q exists already: propose a change to it instead", p.Product.Slug)
		} else if !errors.Is(err, catalog.ErrNotFound) {
			return Submission{}, err
		}
	case KindChange:
		current, err := s.cat.Product(ctx, p.Product.Slug)
		if err != nil {
			return Submission{}, err
		}
		if !actor.MemberOf(current.Product.Vendor) {
			return Submission{}, fmt.Errorf("%w: %s acts only for its own organisations, not %s", ErrForbidden, actor.ID, current.Product.Vendor)
		}
		if p.Product.Vendor != current.Product.Vendor {
			return Submission{}, problem("product.vendor", "error.vendor_change", "the vendor of %s is %s; a change cannot move it", current.Product.Slug, current.Product.Vendor)
		}
		if sub.BaseVersion, err = s.store.EnsureBaseline(ctx, current.Product, now); err != nil {
			return Submission{}, err
		}
	default:
		return Submission{}, problem("kind", "error.enum", "unknown submission kind %q", kind)
	}
	if !actor.MemberOf(sub.Organization) {
		return Submission{}, fmt.Errorf("%w: %s acts only for its own organisations, not %s", ErrForbidden, actor.ID, sub.Organization)
	}
	s.refreshLevels(ctx, &sub)
	ev := Event{At: now, Actor: actor.ID, SessionID: actor.SessionID, Action: "submission.create",
		After: mustJSON(map[string]any{"kind": kind, "target": sub.Target, "organization": sub.Organization})}
	return s.store.CreateSubmission(ctx, sub, ev)
}

// Edit replaces the proposal of a draft, or of a submission whose changes
// were requested, if it is still at version (optimistic locking).
func (s *Service) Edit(ctx context.Context, actor Actor, id int64, version int, p catalog.Proposal) (Submission, error) {
	sub, err := s.store.Submission(ctx, id)
	if err != nil {
		return Submission{}, err
	}
	if !s.visible(sub, actor) {
		return Submission{}, fmt.Errorf("submission %d: %w", id, catalog.ErrNotFound)
	}
	if !actor.Has(RoleVendor) || !actor.MemberOf(sub.Organization) {
		return Submission{}, fmt.Errorf("%w: only the organisation's vendors edit its proposals", ErrForbidden)
	}
	if sub.State != StateDraft && sub.State != StateChangesRequested {
		return Submission{}, fmt.Errorf("%w: a submission that is %s cannot be edited", ErrInvalidTransition, sub.State)
	}
	if err := CheckVersion(sub, version); err != nil {
		return Submission{}, err
	}
	if p.Product.Slug != sub.Target {
		return Submission{}, problem("product.slug", "error.target", "the proposal is for %q, not %q", sub.Target, p.Product.Slug)
	}
	if p.Product.Vendor != sub.Organization {
		return Submission{}, problem("product.vendor", "error.vendor_change", "the vendor of this proposal is %s", sub.Organization)
	}
	if err := draftable(p.Product); err != nil {
		return Submission{}, err
	}
	next := sub
	next.Proposed, next.Sources, next.UpdatedAt = p.Product, p.Sources, s.now()
	if sub.Kind == KindChange {
		// The edited proposal is judged against the entry as published now
		// (the page's diff shows exactly that), so it is based on it.
		current, err := s.cat.Product(ctx, sub.Target)
		if err != nil {
			return Submission{}, err
		}
		if next.BaseVersion, err = s.store.EnsureBaseline(ctx, current.Product, next.UpdatedAt); err != nil {
			return Submission{}, err
		}
	}
	s.refreshLevels(ctx, &next)
	ev := Event{At: next.UpdatedAt, Actor: actor.ID, SessionID: actor.SessionID, Action: "submission.edit",
		Subject: Subject(id), Before: snapshot(sub), After: mustJSON(map[string]any{"changes": Diff(sub.Proposed, next.Proposed)})}
	return s.store.UpdateSubmission(ctx, next, version, ev)
}

// Act takes a workflow action (submit, start review, request changes,
// approve, reject, withdraw) on submission id, read at version. An approval
// that completes the review publishes the entry in the same transaction.
func (s *Service) Act(ctx context.Context, actor Actor, id int64, version int, action Action) (Submission, error) {
	sub, err := s.store.Submission(ctx, id)
	if err != nil {
		return Submission{}, err
	}
	if !s.visible(sub, actor) {
		return Submission{}, fmt.Errorf("submission %d: %w", id, catalog.ErrNotFound)
	}
	if err := CheckVersion(sub, version); err != nil {
		return Submission{}, err
	}
	policy, _, err := s.store.Policy(ctx)
	if err != nil {
		return Submission{}, err
	}
	proposal := catalog.Proposal{Product: sub.Proposed, Sources: sub.Sources}
	switch action {
	case ActionSubmit, ActionResubmit:
		// The catalogue's references are checked with the proposal's own
		// rules, so the vendor sees every problem at once.
		if err := s.complete(ctx, sub, proposal); err != nil {
			if _, _, ruleErr := policy.Apply(sub, action, actor, s.now()); ruleErr != nil && !isValidation(ruleErr) {
				return Submission{}, ruleErr
			}
			return Submission{}, err
		}
		s.refreshLevels(ctx, &sub)
	case ActionApprove:
		// Whether the change raises the level is judged on today's catalogue.
		s.refreshLevels(ctx, &sub)
	}
	next, ev, err := policy.Apply(sub, action, actor, s.now())
	if err != nil {
		return Submission{}, err
	}
	if next.State != StateApproved {
		return s.store.UpdateSubmission(ctx, next, version, ev)
	}
	out, _, err := s.store.Publish(ctx, next, ev, func(ctx context.Context, tx catalog.Repository) error {
		if sub.Kind == KindNew {
			// The slug may have been taken meanwhile (by an import or another
			// proposal); a new product never overwrites an entry.
			missing, err := tx.Missing(ctx, catalog.References{Products: []string{sub.Target}})
			if err != nil {
				return err
			}
			if len(missing.Products) == 0 {
				return fmt.Errorf("%w: a product %q was published meanwhile", catalog.ErrConflict, sub.Target)
			}
		}
		return s.cat.PublishProposal(ctx, tx, proposal)
	})
	if err == nil {
		// Committed: from now on this instance's pages show the entry.
		s.cat.Refresh()
	}
	return out, err
}

// complete checks a proposal before it is submitted: Validate's rules and
// the catalogue's references, reported together.
func (s *Service) complete(ctx context.Context, sub Submission, p catalog.Proposal) error {
	var problems []catalog.Problem
	collect := func(err error) error {
		var ve *catalog.ValidationError
		if errors.As(err, &ve) {
			for _, pr := range ve.Problems {
				if !slices.Contains(problems, pr) {
					problems = append(problems, pr)
				}
			}
			return nil
		}
		return err
	}
	if err := collect(Validate(sub)); err != nil {
		return err
	}
	if err := collect(s.cat.CheckProposal(ctx, p)); err != nil {
		return err
	}
	if len(problems) > 0 {
		return &catalog.ValidationError{Problems: problems}
	}
	return nil
}

// Comment adds a message to a submission's thread. The organisation's
// vendors and the reviewers who may review it take part.
func (s *Service) Comment(ctx context.Context, actor Actor, id int64, body string) (Comment, error) {
	sub, err := s.store.Submission(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	if !s.visible(sub, actor) {
		return Comment{}, fmt.Errorf("submission %d: %w", id, catalog.ErrNotFound)
	}
	vendor := actor.Has(RoleVendor) && actor.MemberOf(sub.Organization)
	reviewer := actor.Has(RoleReviewer) && actor.ID != sub.Author && !actor.MemberOf(sub.Organization)
	if !vendor && !reviewer {
		return Comment{}, fmt.Errorf("%w: %s takes no part in submission %d", ErrForbidden, actor.ID, id)
	}
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return Comment{}, problem("body", "error.required", "a comment needs text")
	case len([]rune(body)) > MaxCommentLength:
		return Comment{}, problem("body", "error.too_long", "a comment has at most %d characters", MaxCommentLength)
	}
	now := s.now()
	c := Comment{SubmissionID: id, Author: actor.ID, Body: body, CreatedAt: now}
	ev := Event{At: now, Actor: actor.ID, SessionID: actor.SessionID, Action: "submission.comment", Subject: Subject(id),
		After: mustJSON(map[string]string{"body": body})}
	return s.store.AddComment(ctx, c, ev)
}

// Detail is a submission as its page shows it.
type Detail struct {
	Submission Submission
	// Current is the published entry a change proposes to replace (nil
	// for a new product).
	Current *catalog.ProductDetail
	// Changes compare Current (or nothing) with the proposal, field by
	// field, evidence included.
	Changes  []FieldChange
	Comments []Comment
	// Allowed are the actions the viewer may take now.
	Allowed []Action
	// MayEdit: the viewer may change the proposal (draft or changes requested).
	MayEdit bool
	// MayComment: the viewer takes part in the thread.
	MayComment bool
	Policy     Policy
	// Names are display names of the users involved, by id.
	Names map[string]string
}

// View returns submission id for actor; catalog.ErrNotFound when the actor
// may not see it (vendors see their organisations' proposals only).
func (s *Service) View(ctx context.Context, actor Actor, id int64) (Detail, error) {
	sub, err := s.store.Submission(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	if !s.visible(sub, actor) {
		return Detail{}, fmt.Errorf("submission %d: %w", id, catalog.ErrNotFound)
	}
	policy, _, err := s.store.Policy(ctx)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Submission: sub, Policy: policy, Allowed: policy.Allowed(sub, actor)}
	var before catalog.Product
	if sub.Kind == KindChange {
		current, err := s.cat.Product(ctx, sub.Target)
		switch {
		case err == nil:
			d.Current, before = &current, current.Product
		case !errors.Is(err, catalog.ErrNotFound):
			return Detail{}, err
		}
	}
	d.Changes = Diff(before, sub.Proposed)
	if d.Comments, err = s.store.Comments(ctx, id); err != nil {
		return Detail{}, err
	}
	vendor := actor.Has(RoleVendor) && actor.MemberOf(sub.Organization)
	d.MayEdit = vendor && (sub.State == StateDraft || sub.State == StateChangesRequested)
	d.MayComment = vendor || (actor.Has(RoleReviewer) && actor.ID != sub.Author && !actor.MemberOf(sub.Organization))
	ids := append([]string{sub.Author}, sub.Proposers...)
	ids = append(ids, sub.Approvers()...)
	for _, c := range d.Comments {
		ids = append(ids, c.Author)
	}
	if d.Names, err = s.store.UserNames(ctx, ids); err != nil {
		return Detail{}, err
	}
	return d, nil
}

// Inbox is a reviewer's work: proposals waiting for review, requests for
// changes whose deadline passed, and entries due for re-review.
type Inbox struct {
	Queue    []Submission
	Overdue  []Submission
	Due      []DueEntry
	DueTotal int
	Names    map[string]string
}

// MaxDueShown bounds the re-review list of the inbox.
const MaxDueShown = 50

// Inbox returns the reviewer's queue. Proposals the reviewer may not act on
// (their own, their organisation's) stay in the list, so the queue is the
// same for every reviewer; the page marks them.
func (s *Service) Inbox(ctx context.Context, actor Actor) (Inbox, error) {
	if !actor.Has(RoleReviewer) {
		return Inbox{}, fmt.Errorf("%w: the inbox is for reviewers", ErrForbidden)
	}
	var in Inbox
	var err error
	if in.Queue, err = s.store.ListSubmissions(ctx, ReviewQueue); err != nil {
		return Inbox{}, err
	}
	waiting, err := s.store.ListSubmissions(ctx, Filter{States: []State{StateChangesRequested}})
	if err != nil {
		return Inbox{}, err
	}
	now := s.now()
	for _, sub := range waiting {
		if sub.Overdue(now) {
			in.Overdue = append(in.Overdue, sub)
		}
	}
	if in.Due, in.DueTotal, err = s.store.DueForReview(ctx, now.AddDate(0, -ReviewInterval, 0), MaxDueShown); err != nil {
		return Inbox{}, err
	}
	var ids []string
	for _, sub := range append(slices.Clone(in.Queue), in.Overdue...) {
		ids = append(ids, sub.Author)
	}
	if in.Names, err = s.store.UserNames(ctx, ids); err != nil {
		return Inbox{}, err
	}
	return in, nil
}

// Dashboard returns the proposals of the vendor's organisations, the most
// recently changed first.
func (s *Service) Dashboard(ctx context.Context, actor Actor) ([]Submission, error) {
	if !actor.Has(RoleVendor) {
		return nil, fmt.Errorf("%w: the dashboard is for vendors", ErrForbidden)
	}
	if len(actor.Organizations) == 0 {
		return nil, nil
	}
	return s.store.ListSubmissions(ctx, Filter{Organizations: actor.Organizations, Limit: 500, NewestFirst: true})
}

// History returns every published version of an entry, oldest first.
func (s *Service) History(ctx context.Context, slug string) ([]ProductVersion, error) {
	return s.store.ProductVersions(ctx, slug)
}

// Verify records that a reviewer checked a published entry and found it
// current: it leaves the re-review list for another twelve months.
func (s *Service) Verify(ctx context.Context, actor Actor, slug string) error {
	if !actor.Has(RoleReviewer) {
		return fmt.Errorf("%w: verifying needs the role %s", ErrForbidden, RoleReviewer)
	}
	p, err := s.cat.Product(ctx, slug)
	if err != nil {
		return err
	}
	if actor.MemberOf(p.Product.Vendor) {
		return fmt.Errorf("%w: four eyes: a reviewer cannot verify an entry of their own organisation", ErrForbidden)
	}
	now := s.now()
	ev := Event{At: now, Actor: actor.ID, SessionID: actor.SessionID, Action: "product.verify", Subject: "product:" + slug}
	return s.store.Verify(ctx, slug, actor.ID, now, ev)
}

// Policy returns the approval policy and its version (for optimistic
// locking of the settings form).
func (s *Service) Policy(ctx context.Context) (Policy, int, error) {
	return s.store.Policy(ctx)
}

// Limits of the policy admins may set.
const (
	MaxRequiredApprovals   = 3
	MaxClarificationPeriod = 90 * 24 * time.Hour
)

// SetPolicy changes the approval policy (admins only), if it is still at
// version.
func (s *Service) SetPolicy(ctx context.Context, actor Actor, p Policy, version int) error {
	if !actor.Has(RoleAdmin) {
		return fmt.Errorf("%w: the policy is set by admins", ErrForbidden)
	}
	var problems []catalog.Problem
	if p.RequiredApprovals < 1 || p.RequiredApprovals > MaxRequiredApprovals {
		problems = append(problems, catalog.Problem{Path: "required_approvals", Key: "error.range",
			Message: fmt.Sprintf("between 1 and %d approvals", MaxRequiredApprovals)})
	}
	if p.ClarificationPeriod < 24*time.Hour || p.ClarificationPeriod > MaxClarificationPeriod {
		problems = append(problems, catalog.Problem{Path: "clarification_days", Key: "error.range",
			Message: fmt.Sprintf("between 1 and %d days", int(MaxClarificationPeriod.Hours()/24))})
	}
	if len(problems) > 0 {
		return &catalog.ValidationError{Problems: problems}
	}
	before, _, err := s.store.Policy(ctx)
	if err != nil {
		return err
	}
	ev := Event{At: s.now(), Actor: actor.ID, SessionID: actor.SessionID, Action: "policy.set", Subject: "settings:policy",
		Before: policyJSON(before), After: policyJSON(p)}
	return s.store.SetPolicy(ctx, p, version, ev)
}

func policyJSON(p Policy) json.RawMessage {
	return mustJSON(map[string]any{"required_approvals": p.approvals(), "clarification_days": int(p.clarification().Hours() / 24)})
}

// visible reports whether actor may see sub: reviewers and admins see every
// proposal, vendors those of their organisations.
func (s *Service) visible(sub Submission, actor Actor) bool {
	return actor.Has(RoleReviewer) || actor.Has(RoleAdmin) || (actor.Has(RoleVendor) && actor.MemberOf(sub.Organization))
}

// refreshLevels computes the overall level (default perspective) of the
// published entry and of the proposal. A proposal too incomplete to
// classify keeps -1; submission checks it properly.
func (s *Service) refreshLevels(ctx context.Context, sub *Submission) {
	sub.LevelBefore, sub.LevelAfter = -1, -1
	if sub.Kind == KindChange {
		if l, err := s.cat.Level(ctx, sub.Target, ""); err == nil {
			sub.LevelBefore = l.Overall
		}
	}
	if l, err := s.cat.PreviewLevel(ctx, catalog.Proposal{Product: sub.Proposed, Sources: sub.Sources}, ""); err == nil {
		sub.LevelAfter = l.Overall
	}
}

// draftable checks the little a draft needs: a slug and a vendor to file
// it under.
func draftable(p catalog.Product) error {
	var problems []catalog.Problem
	if !catalog.ValidSlug(p.Slug) {
		problems = append(problems, catalog.Problem{Path: "product.slug", Key: "error.slug", Message: fmt.Sprintf("%q is not a valid slug", p.Slug)})
	}
	if !catalog.ValidSlug(p.Vendor) {
		problems = append(problems, catalog.Problem{Path: "product.vendor", Key: "error.slug", Message: fmt.Sprintf("%q is not a valid organisation slug", p.Vendor)})
	}
	if len(problems) > 0 {
		return &catalog.ValidationError{Problems: problems}
	}
	return nil
}

func problem(path, key, format string, args ...any) error {
	return &catalog.ValidationError{Problems: []catalog.Problem{{Path: path, Key: key, Message: fmt.Sprintf(format, args...)}}}
}

func isValidation(err error) bool {
	var ve *catalog.ValidationError
	return errors.As(err, &ve)
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("workflow: marshal: %v", err)) // plain values always marshal
	}
	return b
}
