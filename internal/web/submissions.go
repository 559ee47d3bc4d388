package web

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// Editorial is the editorial workflow as the pages use it
// (*workflow.Service implements it).
type Editorial interface {
	Create(ctx context.Context, a workflow.Actor, kind workflow.Kind, p catalog.Proposal) (workflow.Submission, error)
	Edit(ctx context.Context, a workflow.Actor, id int64, version int, p catalog.Proposal) (workflow.Submission, error)
	Act(ctx context.Context, a workflow.Actor, id int64, version int, action workflow.Action) (workflow.Submission, error)
	Comment(ctx context.Context, a workflow.Actor, id int64, body string) (workflow.Comment, error)
	View(ctx context.Context, a workflow.Actor, id int64) (workflow.Detail, error)
	Inbox(ctx context.Context, a workflow.Actor) (workflow.Inbox, error)
	Dashboard(ctx context.Context, a workflow.Actor) ([]workflow.Submission, error)
	History(ctx context.Context, slug string) ([]workflow.ProductVersion, error)
	Verify(ctx context.Context, a workflow.Actor, slug string) error
	Policy(ctx context.Context) (workflow.Policy, int, error)
	SetPolicy(ctx context.Context, a workflow.Actor, p workflow.Policy, version int) error
}

// The editorial handlers live in submission_*.go, inbox.go, history.go
// and account_page.go; this file holds what they share.

// submissionID reads the :id of a submission route; anything but a
// positive number names no submission.
func submissionID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// submissionURL is the page of submission id.
func submissionURL(id int64) string { return "/submissions/" + strconv.FormatInt(id, 10) }

// submissionTitle names what a submission proposes: the product's name,
// or its slug while it has none.
func submissionTitle(s workflow.Submission) string {
	if n := strings.TrimSpace(s.Proposed.Name); n != "" {
		return n
	}
	return s.Target
}

// isConflict reports whether err means the submission changed meanwhile
// (a lost optimistic lock) or no longer allows what was asked.
func isConflict(err error) bool {
	return errors.Is(err, catalog.ErrConflict) || errors.Is(err, workflow.ErrInvalidTransition)
}

// doneFlash is the notice after a successful step (?done=…); the keys are
// written out so the catalogue test sees them.
func doneFlash(p views.Page, done string) string {
	switch done {
	case "save":
		return p.T("submission.done.save")
	case "submit", "resubmit":
		return p.T("submission.done.submit")
	case "start_review":
		return p.T("submission.done.start_review")
	case "request_changes":
		return p.T("submission.done.request_changes")
	case "approve":
		return p.T("submission.done.approve")
	case "reject":
		return p.T("submission.done.reject")
	case "withdraw":
		return p.T("submission.done.withdraw")
	case "comment":
		return p.T("submission.done.comment")
	case "verify":
		return p.T("inbox.done_verify")
	}
	return ""
}

// problemText translates a problem's key; a key without a translation
// shows the domain's English message.
func problemText(p views.Page, key, fallback string) string {
	switch key {
	case "error.required":
		return p.T("editorial.problem.required")
	case "error.slug":
		return p.T("editorial.problem.slug")
	case "error.slug_taken":
		return p.T("editorial.problem.slug_taken")
	case "error.url":
		return p.T("editorial.problem.url")
	case "error.enum":
		return p.T("editorial.problem.enum")
	case "error.value":
		return p.T("editorial.problem.value")
	case "error.sources":
		return p.T("editorial.problem.sources")
	case "error.source_unknown":
		return p.T("editorial.problem.source_unknown")
	case "error.self":
		return p.T("editorial.problem.self")
	case "error.duplicate":
		return p.T("editorial.problem.duplicate")
	case "error.country":
		return p.T("editorial.problem.country")
	case "error.year":
		return p.T("editorial.problem.year")
	case "error.org_unknown":
		return p.T("editorial.problem.org_unknown")
	case "error.category_unknown":
		return p.T("editorial.problem.category_unknown")
	case "error.product_unknown":
		return p.T("editorial.problem.product_unknown")
	case "error.target", "error.organization", "error.vendor_change":
		return p.T("editorial.problem.target")
	case "error.too_long":
		return p.T("editorial.problem.too_long")
	case "error.too_many":
		return p.T("editorial.problem.too_many")
	case "form.source_number":
		return p.T("editorial.problem.source_number")
	case "form.source_blank":
		return p.T("editorial.problem.source_blank")
	case "form.value_and_unknown":
		return p.T("editorial.problem.value_and_unknown")
	case "form.date":
		return p.T("editorial.problem.date")
	case "form.year":
		return p.T("editorial.problem.year")
	case "form.country":
		return p.T("editorial.problem.country")
	case "form.locations":
		return p.T("editorial.problem.locations")
	}
	return fallback
}

// rowNumber matches a row index in a form name, to show it counted from 1.
var rowNumber = regexp.MustCompile(`\[(\d+)\]`)

// fieldLabel names a form field for the problem summary: "offerings[0].
// governing_law.sources" reads "Betrieb als Dienst (1) › Anwendbares Recht
// › Quellen".
func fieldLabel(p views.Page, field string) string {
	field = strings.TrimSuffix(field, ".value")
	field = rowNumber.ReplaceAllStringFunc(field, func(m string) string {
		n, _ := strconv.Atoi(strings.Trim(m, "[]"))
		return "[" + strconv.Itoa(n+1) + "]"
	})
	return p.ChangeLabel(field)
}
