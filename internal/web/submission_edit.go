package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// editSubmission shows the product form of a saved draft (or of a
// submission whose changes were requested).
func (w *Web) editSubmission(c echo.Context) error {
	id, err := submissionID(c)
	if err != nil {
		return err
	}
	d, err := w.ed.View(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	if !d.MayEdit {
		return fmt.Errorf("%w: submission %d is %s and cannot be edited by you", workflow.ErrInvalidTransition, id, d.Submission.State)
	}
	return w.renderForm(c, http.StatusOK, editForm(d), nil)
}

// updateSubmission saves the product form over a draft, if the draft is
// still at the version the form was read at (and submits it when asked).
func (w *Web) updateSubmission(c echo.Context) error {
	id, err := submissionID(c)
	if err != nil {
		return err
	}
	d, err := w.ed.View(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	sub := d.Submission
	f := readForm(vals)
	f.SubmissionID, f.Kind, f.Target, f.Organization, f.Action = id, sub.Kind, sub.Target, sub.Organization, submissionURL(id)
	slug := sub.Target
	if sub.Kind == workflow.KindNew {
		// The workflow refuses a renamed slug at the field.
		slug = strings.TrimSpace(f.Value("slug"))
	}
	var known map[string]catalog.Source
	if d.Current != nil {
		known = d.Current.Sources
	}
	return w.saveForm(c, f, slug, sub.Organization, known)
}
