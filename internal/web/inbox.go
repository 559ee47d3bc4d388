package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// showInbox renders a reviewer's inbox. The queue is the same for every
// reviewer; what this reviewer may not take (their own proposals, their
// organisation's) is marked, so nobody waits on it in vain.
func (w *Web) showInbox(c echo.Context) error {
	act := actor(c)
	in, err := w.ed.Inbox(c.Request().Context(), act)
	if err != nil {
		return err
	}
	p := w.page(c, "")
	p.Title = p.T("inbox.title")
	p.Flash = doneFlash(p, c.QueryParam("done"))
	item := func(s workflow.Submission) views.InboxItem {
		author := in.Names[s.Author]
		if author == "" {
			author = p.T("submission.someone")
		}
		return views.InboxItem{
			Submission: s, Title: submissionTitle(s), Author: author,
			Blocked:  s.Author == act.ID || act.MemberOf(s.Organization),
			Approved: slices.Contains(s.Approvers(), act.ID),
		}
	}
	v := views.InboxView{Due: in.Due, DueTotal: in.DueTotal}
	for _, s := range in.Queue {
		v.Queue = append(v.Queue, item(s))
	}
	for _, s := range in.Overdue {
		v.Overdue = append(v.Overdue, item(s))
	}
	return render(c, http.StatusOK, views.InboxPage(p, v))
}

// verifyProduct records that a reviewer confirmed a published entry as
// current; it leaves the re-review list.
func (w *Web) verifyProduct(c echo.Context) error {
	if err := w.ed.Verify(c.Request().Context(), actor(c), c.Param("slug")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/review?done=verify")
}
