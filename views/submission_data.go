package views

import (
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// SubmissionView is a submission's page: where it stands, what it changes,
// the thread and what the viewer may do.
type SubmissionView struct {
	Submission workflow.Submission
	// Title names the proposed product.
	Title string
	// ProductName and OrganizationName name the published entry a change
	// replaces and the organisation (their slugs when unknown).
	ProductName, OrganizationName string
	// Names are display names of the users involved, by id.
	Names map[string]string
	// Changes compare the published entry (or nothing) with the proposal.
	Changes []ChangeRow
	// NewSources are the sources the proposal introduces.
	NewSources []SourceRef
	Comments   []CommentView
	// Actions are the workflow actions the viewer may take now.
	Actions    []workflow.Action
	MayEdit    bool
	MayComment bool
	// RequiredApprovals is how many distinct reviewers must approve.
	RequiredApprovals int
	// Overdue: the clarification deadline has passed.
	Overdue bool
	// Comment and CommentErrors keep a refused comment with its problem.
	Comment       string
	CommentErrors []string
	// Conflict explains that an action lost a race: the page shows the
	// current state instead.
	Conflict string
}

// CommentView is one message of a thread; the body is plain text, kept in
// paragraphs as typed.
type CommentView struct {
	Author     string
	At         time.Time
	Paragraphs []string
}

// ChangeRow is one difference between two versions of an entry.
type ChangeRow struct {
	// Path is workflow.Diff's field path, e.g. "offerings[ionos].governing_law".
	Path   string
	Op     workflow.Op
	Before ChangeValue
	After  ChangeValue
}

// ChangeValue is one side of a change.
type ChangeValue struct {
	Text string
	// HTML is a sanitized rendering of a Markdown description; when set it
	// is shown instead of Text.
	HTML string
	// URL links a source (an http(s) address, checked by the web layer).
	URL string
	// Unknown marks a fact no source establishes.
	Unknown bool
	// Code marks a whole entry shown as data.
	Code bool
}

// name returns the display name of user id, or a neutral word when the
// user is not known (any more).
func (v SubmissionView) name(p Page, id string) string {
	if n := v.Names[id]; n != "" {
		return n
	}
	return p.T("submission.someone")
}

// approverNames lists the approvers' names.
func (v SubmissionView) approverNames(p Page) string {
	var names []string
	for _, id := range v.Submission.Approvers() {
		names = append(names, v.name(p, id))
	}
	return strings.Join(names, ", ")
}

// FormatTime writes a moment in the page language: "27.11.2026, 14:05"
// or "27 Nov 2026, 14:05" (UTC).
func (p Page) FormatTime(t time.Time) string {
	if t.IsZero() {
		return p.T("value.unknown")
	}
	t = t.UTC()
	if p.Lang == "en" {
		return t.Format("2 Jan 2006, 15:04") + " UTC"
	}
	return t.Format("02.01.2006, 15:04") + " UTC"
}

// StateLabel translates a submission state.
func (p Page) StateLabel(s workflow.State) string {
	switch s {
	case workflow.StateDraft:
		return p.T("submission.state.draft")
	case workflow.StateSubmitted:
		return p.T("submission.state.submitted")
	case workflow.StateInReview:
		return p.T("submission.state.in_review")
	case workflow.StateChangesRequested:
		return p.T("submission.state.changes_requested")
	case workflow.StateApproved:
		return p.T("submission.state.approved")
	case workflow.StateRejected:
		return p.T("submission.state.rejected")
	case workflow.StateWithdrawn:
		return p.T("submission.state.withdrawn")
	}
	return string(s)
}

// stateClass colours a state badge; the text always says the state.
func stateClass(s workflow.State) string {
	switch s {
	case workflow.StateApproved:
		return "kern-badge kern-badge--success"
	case workflow.StateRejected, workflow.StateWithdrawn:
		return "kern-badge kern-badge--danger"
	case workflow.StateChangesRequested:
		return "kern-badge kern-badge--warning"
	}
	return "kern-badge kern-badge--info"
}

// SubmissionKindLabel translates a submission kind.
func (p Page) SubmissionKindLabel(k workflow.Kind) string {
	switch k {
	case workflow.KindNew:
		return p.T("submission.kind.new")
	case workflow.KindChange:
		return p.T("submission.kind.change")
	}
	return string(k)
}

// ActionLabel translates a workflow action as a button says it.
func (p Page) ActionLabel(a workflow.Action) string {
	switch a {
	case workflow.ActionSubmit:
		return p.T("submission.action.submit")
	case workflow.ActionStartReview:
		return p.T("submission.action.start_review")
	case workflow.ActionRequestChanges:
		return p.T("submission.action.request_changes")
	case workflow.ActionResubmit:
		return p.T("submission.action.resubmit")
	case workflow.ActionApprove:
		return p.T("submission.action.approve")
	case workflow.ActionReject:
		return p.T("submission.action.reject")
	case workflow.ActionWithdraw:
		return p.T("submission.action.withdraw")
	}
	return string(a)
}

// actionButtonClass makes the step forward the primary button and the
// ways out secondary.
func actionButtonClass(a workflow.Action) string {
	switch a {
	case workflow.ActionReject, workflow.ActionWithdraw, workflow.ActionRequestChanges:
		return "kern-btn kern-btn--secondary"
	}
	return "kern-btn kern-btn--primary"
}

// opLabel translates how a field changed.
func (p Page) opLabel(op workflow.Op) string {
	switch op {
	case workflow.OpAdded:
		return p.T("submission.change.added")
	case workflow.OpRemoved:
		return p.T("submission.change.removed")
	case workflow.OpChanged:
		return p.T("submission.change.changed")
	}
	return string(op)
}

// ChangeLabel turns a diff path or a form field name into words:
// "offerings[ionos].governing_law" becomes "Betrieb als Dienst (ionos) ›
// Anwendbares Recht". Unknown segments are shown as they are.
func (p Page) ChangeLabel(path string) string {
	var parts []string
	for _, seg := range strings.Split(path, ".") {
		name, key, _ := strings.Cut(seg, "[")
		label := p.fieldLabel(name)
		if key = strings.TrimSuffix(key, "]"); key != "" {
			label += " (" + key + ")"
		}
		parts = append(parts, label)
	}
	return strings.Join(parts, " › ")
}

// fieldLabel translates one segment of a diff path.
func (p Page) fieldLabel(name string) string {
	switch name {
	case "slug":
		return p.T("submission.field.slug")
	case "name":
		return p.T("submission.field.name")
	case "vendor":
		return p.T("submission.field.vendor")
	case "category":
		return p.T("product.category")
	case "kind":
		return p.T("product.kind")
	case "website":
		return p.T("product.website")
	case "description_de":
		return p.T("submission.field.description_de")
	case "description_en":
		return p.T("submission.field.description_en")
	case "vendor_hosted":
		return p.T("fact.vendor_hosted")
	case "self_hostable":
		return p.T("fact.self_hostable")
	case "license":
		return p.T("fact.license")
	case "governance":
		return p.T("fact.governance")
	case "phone_home":
		return p.T("fact.phone_home")
	case "source_repository":
		return p.T("fact.source_repository")
	case "offerings":
		return p.T("product.offerings_heading")
	case "data_locations":
		return p.T("offering.data_locations")
	case "support_locations":
		return p.T("offering.support_locations")
	case "key_management":
		return p.T("offering.key_management")
	case "governing_law":
		return p.T("offering.governing_law")
	case "subprocessor_list":
		return p.T("offering.subprocessors")
	case "certifications":
		return p.T("offering.certifications")
	case "dependencies":
		return p.T("product.dependencies_heading")
	case "role":
		return p.T("dependency.role")
	case "data_access":
		return p.T("dependency.data_access")
	case "criticality":
		return p.T("dependency.criticality")
	case "group":
		return p.T("dependency.group")
	case "alternatives":
		return p.T("product.alternatives_heading")
	case "adoptions":
		return p.T("product.adoptions_heading")
	case "country":
		return p.T("adoption.country")
	case "year":
		return p.T("adoption.year")
	case "replaces":
		return p.T("adoption.replaces")
	case "sources":
		return p.T("sources.label")
	case "on":
		return p.T("submission.form.provider")
	case "operator":
		return p.T("submission.form.operator")
	case "body":
		return p.T("submission.form.body")
	case "source":
		return p.T("submission.form.source")
	case "url":
		return p.T("submission.form.source_url")
	case "title":
		return p.T("submission.form.source_title")
	case "retrieved":
		return p.T("submission.form.source_retrieved")
	}
	return name
}

// levelKnownOrNone reports whether a submission's level (-1 for none) is
// an assessed level.
func levelKnownOrNone(level int) bool { return level >= 0 }

// InboxView is a reviewer's inbox.
type InboxView struct {
	Queue   []InboxItem
	Overdue []InboxItem
	// Due are published entries waiting for their periodic re-review, at
	// most a page of DueTotal.
	Due      []workflow.DueEntry
	DueTotal int
}

// InboxItem is a submission in a reviewer's lists.
type InboxItem struct {
	Submission workflow.Submission
	Title      string
	Author     string
	// Blocked: the viewer may not review it (their own proposal or their
	// organisation's); another reviewer must take it.
	Blocked bool
	// Approved: the viewer approved it already and it waits for another
	// reviewer.
	Approved bool
}

// HistoryView is the version history of a published entry and the
// difference between two of its versions.
type HistoryView struct {
	Slug     string
	Name     string
	Versions []HistoryVersion
	// From and To are the compared versions (0 when fewer than two exist).
	From, To int
	Changes  []ChangeRow
}

// HistoryVersion is one published version.
type HistoryVersion struct {
	Version      int
	PublishedAt  time.Time
	Approvals    int
	SubmissionID int64
}

// AccountView is the signed-in user's start page.
type AccountView struct {
	Name                    string
	Vendor, Reviewer, Admin bool
	Submissions             []AccountSubmission
	Organizations           []AccountOrganization
}

// AccountSubmission is one of the vendor's organisations' proposals.
type AccountSubmission struct {
	Submission workflow.Submission
	Title      string
}

// AccountOrganization is an organisation the vendor acts for, with its
// published products.
type AccountOrganization struct {
	Slug     string
	Name     string
	Products []catalog.ProductSummary
}
