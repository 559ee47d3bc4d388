package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// showSubmission renders a submission's page; one the viewer may not see
// is a 404, like one that does not exist.
func (w *Web) showSubmission(c echo.Context) error {
	id, err := submissionID(c)
	if err != nil {
		return err
	}
	d, err := w.ed.View(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	p, v := w.submissionView(c, d)
	p.Flash = doneFlash(p, c.QueryParam("done"))
	return render(c, http.StatusOK, views.SubmissionPage(p, v))
}

// actOnSubmission takes one workflow action, read at the version the page
// showed. A submission someone else changed meanwhile comes back as its
// current page with a notice (409); a proposal that cannot be submitted
// comes back as its form with the problems at the fields (422).
func (w *Web) actOnSubmission(c echo.Context) error {
	id, err := submissionID(c)
	if err != nil {
		return err
	}
	version, err := formVersion(c)
	if err != nil {
		return err
	}
	action := workflow.Action(c.FormValue("action"))
	ctx, act := c.Request().Context(), actor(c)
	_, err = w.ed.Act(ctx, act, id, version, action)
	var ve *catalog.ValidationError
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, submissionURL(id)+"?done="+string(action))
	case errors.As(err, &ve):
		d, verr := w.ed.View(ctx, act, id)
		if verr != nil {
			return verr
		}
		if !d.MayEdit {
			return err
		}
		idx := storedIndex(d.Submission)
		problems := make([]fieldProblem, 0, len(ve.Problems))
		for _, pr := range ve.Problems {
			problems = append(problems, fieldProblem{Field: fieldFor(pr.Path, idx, d.Submission.Kind == workflow.KindNew), Key: pr.Key, Message: pr.Message})
		}
		return w.renderForm(c, http.StatusUnprocessableEntity, editForm(d), problems)
	case isConflict(err):
		d, verr := w.ed.View(ctx, act, id)
		if verr != nil {
			return verr
		}
		p, v := w.submissionView(c, d)
		v.Conflict = p.T("submission.conflict.action")
		return render(c, http.StatusConflict, views.SubmissionPage(p, v))
	}
	return err
}

// commentOnSubmission adds to the thread; an empty or overlong comment
// comes back on the page with its problem and the text kept.
func (w *Web) commentOnSubmission(c echo.Context) error {
	id, err := submissionID(c)
	if err != nil {
		return err
	}
	body := strings.ReplaceAll(c.FormValue("body"), "\r\n", "\n")
	ctx, act := c.Request().Context(), actor(c)
	_, err = w.ed.Comment(ctx, act, id, body)
	var ve *catalog.ValidationError
	if errors.As(err, &ve) {
		d, verr := w.ed.View(ctx, act, id)
		if verr != nil {
			return verr
		}
		p, v := w.submissionView(c, d)
		v.Comment = body
		for _, pr := range ve.Problems {
			v.CommentErrors = append(v.CommentErrors, problemText(p, pr.Key, pr.Message))
		}
		return render(c, http.StatusUnprocessableEntity, views.SubmissionPage(p, v))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, submissionURL(id)+"?done=comment#comments")
}

// submissionView prepares a submission's page.
func (w *Web) submissionView(c echo.Context, d workflow.Detail) (views.Page, views.SubmissionView) {
	sub := d.Submission
	p := w.page(c, "")
	p.Title = p.T("submission.title", "Count", sub.ID, "Name", submissionTitle(sub))
	sources := sourceMap(sub.Sources)
	if d.Current != nil {
		sources = mergeSources(d.Current.Sources, sources)
	}
	v := views.SubmissionView{
		Submission: sub, Title: submissionTitle(sub), Names: d.Names,
		Changes: changeRows(d.Changes, sources), Actions: d.Allowed,
		MayEdit: d.MayEdit, MayComment: d.MayComment,
		RequiredApprovals: max(d.Policy.RequiredApprovals, 1),
		Overdue:           sub.Overdue(time.Now()),
	}
	v.ProductName, v.OrganizationName = sub.Target, sub.Organization
	if d.Current != nil {
		v.ProductName, v.OrganizationName = d.Current.Product.Name, d.Current.Vendor.Name
	}
	keys := make([]string, len(sub.Sources))
	for i, s := range sub.Sources {
		keys[i] = s.Key
	}
	v.NewSources = p.Sources(keys, sources)
	for _, cm := range d.Comments {
		author := d.Names[cm.Author]
		if author == "" {
			author = p.T("submission.someone")
		}
		v.Comments = append(v.Comments, views.CommentView{Author: author, At: cm.CreatedAt, Paragraphs: paragraphs(cm.Body)})
	}
	return p, v
}

// paragraphs splits plain text at its line breaks, so a comment keeps the
// shape it was typed in without any markup.
func paragraphs(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
