package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

const policyDay = 24 * time.Hour

// showPolicy shows the approval policy form with the current values.
func (w *Web) showPolicy(c echo.Context) error {
	if w.ed == nil {
		return echo.ErrNotFound
	}
	return w.renderPolicy(c, http.StatusOK, nil)
}

// updatePolicy sets the approval policy through the editorial service,
// which checks the limits and the version and records the change. Refused
// input comes back with the messages next to its fields (422); a policy
// changed meanwhile comes back with its current values (409).
func (w *Web) updatePolicy(c echo.Context) error {
	if w.ed == nil {
		return echo.ErrNotFound
	}
	version, err := adminFormVersion(c)
	if err != nil {
		return err
	}
	approvalsText := strings.TrimSpace(c.FormValue("required_approvals"))
	daysText := strings.TrimSpace(c.FormValue("clarification_days"))
	keep := func(props *views.AdminPolicyProps) {
		props.RequiredApprovals, props.ClarificationDays, props.Version = approvalsText, daysText, version
	}
	p := w.page(c, "")
	// Numbers are checked here; their limits are the service's.
	var problems []catalog.Problem
	approvals, err := strconv.Atoi(approvalsText)
	if err != nil {
		problems = append(problems, catalog.Problem{Path: "required_approvals", Key: "error.number"})
	}
	days, err := strconv.Atoi(daysText)
	if err != nil {
		problems = append(problems, catalog.Problem{Path: "clarification_days", Key: "error.number"})
	}
	if len(problems) == 0 {
		err = w.ed.SetPolicy(c.Request().Context(), actor(c), workflow.Policy{RequiredApprovals: approvals, ClarificationPeriod: time.Duration(days) * policyDay}, version)
		switch {
		case err == nil:
			return c.Redirect(http.StatusSeeOther, adminPolicyPath+"?saved=1")
		case errors.Is(err, catalog.ErrConflict):
			return w.renderPolicy(c, http.StatusConflict, func(props *views.AdminPolicyProps) { props.Conflict = true })
		case server.Problems(err) == nil:
			return err
		}
		problems = server.Problems(err)
	}
	errs := adminFieldErrors(problems, func(pr catalog.Problem) string { return adminPolicyMessage(p, pr) })
	return w.renderPolicy(c, http.StatusUnprocessableEntity, func(props *views.AdminPolicyProps) {
		keep(props)
		props.Errors = errs
	})
}

// renderPolicy shows the form with the stored policy; adjust, when set,
// replaces what the form shows (the refused input, the conflict note).
func (w *Web) renderPolicy(c echo.Context, status int, adjust func(*views.AdminPolicyProps)) error {
	policy, version, err := w.ed.Policy(c.Request().Context())
	if err != nil {
		return err
	}
	approvals := max(policy.RequiredApprovals, 1)
	period := policy.ClarificationPeriod
	if period <= 0 {
		period = workflow.DefaultPolicy.ClarificationPeriod
	}
	props := views.AdminPolicyProps{
		RequiredApprovals: strconv.Itoa(approvals), ClarificationDays: strconv.Itoa(int(period / policyDay)), Version: version,
		MaxApprovals: workflow.MaxRequiredApprovals, MaxDays: int(workflow.MaxClarificationPeriod / policyDay),
	}
	if adjust != nil {
		adjust(&props)
	}
	p := w.page(c, "")
	p.Title = p.T("admin.policy.title")
	if status != http.StatusOK {
		p.Title = p.T("admin.error_title", "Name", p.Title)
	}
	adminSaved(c, &p)
	return render(c, status, views.AdminPolicy(p, props))
}

// adminPolicyMessage translates a problem of the policy form; the limits are
// the service's.
func adminPolicyMessage(p views.Page, pr catalog.Problem) string {
	switch {
	case pr.Key == "error.number":
		return p.T("admin.error.number")
	case pr.Path == "required_approvals":
		return p.T("admin.policy.error_approvals", "Total", workflow.MaxRequiredApprovals)
	case pr.Path == "clarification_days":
		return p.T("admin.policy.error_days", "Total", int(workflow.MaxClarificationPeriod/policyDay))
	}
	return adminProblemMessage(p, pr)
}
