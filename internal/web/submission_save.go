package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// saveForm handles a posted product form for the product slug of vendor:
// another blank row, or save (create or edit) and, when asked, submit.
// known are the catalogue's sources the evidence list may cite. Nothing
// typed is lost: every refusal comes back as the form with its input and
// the problems next to the fields.
func (w *Web) saveForm(c echo.Context, f views.ProductForm, slug, vendor string, known map[string]catalog.Source) error {
	keys := make([]string, len(f.Cited))
	for i, s := range f.Cited {
		keys[i] = s.Key
	}
	f.Cited = citedSources(keys, known)
	if group := c.FormValue("add"); group != "" {
		return w.renderForm(c, http.StatusOK, addRow(f, group, today()), nil)
	}
	prop, idx, problems := proposalOf(f, slug, vendor)
	if len(problems) > 0 {
		return w.renderForm(c, http.StatusUnprocessableEntity, f, problems)
	}
	ctx, act := c.Request().Context(), actor(c)
	var saved workflow.Submission
	var err error
	if f.SubmissionID == 0 {
		saved, err = w.ed.Create(ctx, act, f.Kind, prop)
	} else {
		saved, err = w.ed.Edit(ctx, act, f.SubmissionID, f.Version, prop)
	}
	if err != nil {
		return w.formError(c, f, idx, prop, err)
	}
	// From here on the form belongs to the saved submission.
	f.SubmissionID, f.Version, f.Action = saved.ID, saved.Version, submissionURL(saved.ID)
	done := "save"
	if c.FormValue("op") == "submit" {
		action := workflow.ActionSubmit
		if saved.State == workflow.StateChangesRequested {
			action = workflow.ActionResubmit
		}
		if _, err := w.ed.Act(ctx, act, saved.ID, saved.Version, action); err != nil {
			// The draft is saved; what keeps it from review is shown at the fields.
			return w.formError(c, f, idx, prop, err)
		}
		done = "submit"
	}
	return c.Redirect(http.StatusSeeOther, submissionURL(saved.ID)+"?done="+done)
}

// formError answers a refused save or submission: problems at their
// fields (422), or, when someone else changed the submission meanwhile,
// the form with the input kept and the current state beside it (409).
// Other errors (forbidden, not found) go to the error page.
func (w *Web) formError(c echo.Context, f views.ProductForm, idx formIndex, prop catalog.Proposal, err error) error {
	var ve *catalog.ValidationError
	switch {
	case errors.As(err, &ve):
		problems := make([]fieldProblem, 0, len(ve.Problems))
		for _, pr := range ve.Problems {
			problems = append(problems, fieldProblem{Field: fieldFor(pr.Path, idx, f.IsNew()), Key: pr.Key, Message: pr.Message})
		}
		return w.renderForm(c, http.StatusUnprocessableEntity, f, problems)
	case isConflict(err):
		p := w.page(c, "")
		conflict := &views.FormConflict{Message: p.T("submission.conflict.form")}
		if f.SubmissionID != 0 {
			d, verr := w.ed.View(c.Request().Context(), actor(c), f.SubmissionID)
			if verr != nil {
				return verr
			}
			cur := d.Submission
			conflict.State, conflict.UpdatedAt = cur.State, cur.UpdatedAt
			sources := mergeSources(sourceMap(cur.Sources), sourceMap(prop.Sources))
			if d.Current != nil {
				sources = mergeSources(d.Current.Sources, sources)
			}
			conflict.Changes = changeRows(workflow.Diff(cur.Proposed, prop.Product), sources)
			if !d.MayEdit {
				conflict.Message = p.T("submission.conflict.not_editable")
			}
			// Saving again now overwrites the current version knowingly.
			f.Version = cur.Version
		}
		f.Conflict = conflict
		return w.renderForm(c, http.StatusConflict, f, nil)
	}
	return err
}

// renderForm shows the product form with problems translated, at their
// fields and in the summary.
func (w *Web) renderForm(c echo.Context, status int, f views.ProductForm, problems []fieldProblem) error {
	p := w.page(c, "")
	switch {
	case f.SubmissionID != 0:
		p.Title = p.T("submission.form.title_edit", "Count", f.SubmissionID, "Name", f.Value("name"))
	case f.IsNew():
		p.Title = p.T("submission.form.title_new")
	default:
		p.Title = p.T("submission.form.title_change", "Name", f.Value("name"))
	}
	fields := formNames(f)
	f.Errors = map[string][]string{}
	for _, pr := range problems {
		msg := problemText(p, pr.Key, pr.Message)
		field := pr.Field
		if !slices.Contains(fields, field) || (field == "slug" && !f.IsNew()) {
			field = ""
		}
		if field != "" {
			f.Errors[field] = append(f.Errors[field], msg)
			msg = fieldLabel(p, field) + ": " + msg
		}
		f.Problems = append(f.Problems, views.FormProblem{Field: field, Message: msg})
	}
	cats, err := w.cat.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	for _, cat := range cats {
		f.Categories = append(f.Categories, views.SelectOption{Value: cat.Slug, Label: cat.Name(p.Lang)})
	}
	return render(c, status, views.SubmissionFormPage(p, f))
}

// editForm is the form of a saved submission, as stored: its new sources
// as editable rows after the catalogue's sources it and the published
// entry cite, plus the blank rows every form offers.
func editForm(d workflow.Detail) views.ProductForm {
	sub := d.Submission
	own := map[string]bool{}
	for _, s := range sub.Sources {
		own[s.Key] = true
	}
	var keys []string
	var known map[string]catalog.Source
	add := func(list []string) {
		for _, k := range list {
			if !own[k] && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	add(citedKeys(sub.Proposed))
	if d.Current != nil {
		add(citedKeys(d.Current.Product))
		known = d.Current.Sources
	}
	f := formOf(sub.Proposed, citedSources(keys, known), sub.Sources)
	f.Kind, f.Target, f.Organization = sub.Kind, sub.Target, sub.Organization
	f.SubmissionID, f.Version, f.Action = sub.ID, sub.Version, submissionURL(sub.ID)
	return withBlankRows(f, today())
}

// storedIndex maps a stored proposal's entries to the rows of editForm,
// which lists them in order.
func storedIndex(sub workflow.Submission) formIndex {
	seq := func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	return formIndex{
		offerings: seq(len(sub.Proposed.Offerings)), dependencies: seq(len(sub.Proposed.Dependencies)),
		adoptions: seq(len(sub.Proposed.Adoptions)), sources: seq(len(sub.Sources)),
	}
}

// formVersion reads the version a form was read at.
func formVersion(c echo.Context) (int, error) {
	v, err := strconv.Atoi(c.FormValue("version"))
	if err != nil || v < 0 {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "version missing")
	}
	return v, nil
}

// today is the current day, for dating new evidence.
func today() time.Time { return time.Now().UTC() }
