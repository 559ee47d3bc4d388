package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// Audit page sizes: the default and the largest a link may ask for.
const (
	auditPageSize    = 50
	auditMaxPageSize = 200
	auditMaxText     = 200
	auditDateLayout  = "2006-01-02"
)

// showAudit shows the audit log, newest first, filtered by the form's
// fields. An invalid filter (a malformed date) shows the form with the
// message next to the field and no events, as a 400.
func (w *Web) showAudit(c echo.Context) error {
	if err := w.adminAvailable(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	form, filter, problems := parseAuditFilter(c.QueryParams())
	if slices.ContainsFunc(problems, func(pr catalog.Problem) bool { return pr.Path == "before" }) {
		return echo.NewHTTPError(http.StatusBadRequest, "before is not an event id") // only a hand-made link has it wrong
	}
	users, err := w.admin.Users(ctx)
	if err != nil {
		return err
	}
	p := w.page(c, "")
	p.Title = p.T("admin.audit.title")
	props := views.AdminAuditProps{Filter: form, Actors: auditActors(users, form.Actor)}
	if len(problems) > 0 {
		p.Title = p.T("admin.error_title", "Name", p.Title)
		props.Errors = adminFieldErrors(problems, func(pr catalog.Problem) string { return adminProblemMessage(p, pr) })
		return render(c, http.StatusBadRequest, views.AdminAudit(p, props))
	}
	// One event more than shown says whether there are older ones.
	page := filter
	page.Limit++
	events, err := w.admin.AuditEvents(ctx, page)
	if err != nil {
		return err
	}
	more := len(events) > filter.Limit
	events = events[:min(len(events), filter.Limit)]
	var ids []string
	for _, ev := range events {
		if !slices.Contains(ids, ev.Actor) {
			ids = append(ids, ev.Actor)
		}
	}
	names, err := w.admin.UserNames(ctx, ids)
	if err != nil {
		return err
	}
	for _, ev := range events {
		props.Rows = append(props.Rows, auditRow(ev, names, form))
	}
	if more {
		props.OlderURL = auditURL(adminAuditPath, form, "before", strconv.FormatInt(events[len(events)-1].ID, 10))
	}
	if filter.Before > 0 {
		props.NewestURL = auditURL(adminAuditPath, form)
	}
	props.CSVURL = auditURL(adminAuditPath+"/export", form, "format", string(AuditCSV), "limit", "")
	props.JSONLinesURL = auditURL(adminAuditPath+"/export", form, "format", string(AuditJSONLines), "limit", "")
	return render(c, http.StatusOK, views.AdminAudit(p, props))
}

// exportAudit streams every event the filter selects as CSV or JSON Lines,
// as a download. Nothing is held in memory; an error after the first
// bytes can only cut the download short, so it is logged here.
func (w *Web) exportAudit(c echo.Context) error {
	if err := w.adminAvailable(); err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("limit") // an export holds every matching event
	q.Del("before")
	_, filter, problems := parseAuditFilter(q)
	if len(problems) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "invalid audit filter")
	}
	filter.Limit = 0
	format := AuditFormat(c.QueryParam("format"))
	var ctype string
	switch format {
	case AuditCSV:
		ctype = "text/csv; charset=utf-8"
	case AuditJSONLines:
		ctype = "application/jsonl; charset=utf-8"
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "format must be csv or jsonl")
	}
	name := fmt.Sprintf("audit-%s.%s", time.Now().UTC().Format("20060102-150405"), format)
	out := &auditDownload{c: c, ctype: ctype, name: name}
	if err := w.admin.ExportAudit(c.Request().Context(), filter, format, out); err != nil {
		if c.Response().Committed {
			w.log.Error("audit export cut short", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
		}
		return err
	}
	out.start() // an export without rows still answers 200
	return nil
}

// auditDownload writes a download: its headers go out with the first bytes,
// so an error before them still gets a proper error page.
type auditDownload struct {
	c           echo.Context
	ctype, name string
	started     bool
}

func (a *auditDownload) start() {
	if a.started {
		return
	}
	a.started = true
	h := a.c.Response().Header()
	h.Set(echo.HeaderContentType, a.ctype)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+a.name+`"`)
	h.Set("Cache-Control", "no-store")
	a.c.Response().WriteHeader(http.StatusOK)
}

func (a *auditDownload) Write(b []byte) (int, error) {
	a.start()
	return a.c.Response().Write(b)
}

// parseAuditFilter reads the filter from a query: the form's values as
// typed, the filter they select and the problems of invalid values. The
// "to" date is inclusive on the form and exclusive in the filter.
func parseAuditFilter(q url.Values) (views.AdminAuditFilter, AuditFilter, []catalog.Problem) {
	form := views.AdminAuditFilter{
		Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Subject: strings.TrimSpace(q.Get("subject")), From: strings.TrimSpace(q.Get("from")),
		To: strings.TrimSpace(q.Get("to")), Limit: strings.TrimSpace(q.Get("limit")),
	}
	f := AuditFilter{Actor: form.Actor, Action: form.Action, Subject: form.Subject, Limit: auditPageSize}
	var problems []catalog.Problem
	for _, t := range []struct{ path, v string }{{"actor", form.Actor}, {"action", form.Action}, {"subject", form.Subject}} {
		if utf8.RuneCountInString(t.v) > auditMaxText {
			problems = append(problems, catalog.Problem{Path: t.path, Key: "error.too_long", Message: "too long"})
		}
	}
	date := func(path, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		d, err := time.Parse(auditDateLayout, v)
		if err != nil {
			problems = append(problems, catalog.Problem{Path: path, Key: "error.date", Message: "not a date (YYYY-MM-DD)"})
		}
		return d
	}
	f.From = date("from", form.From)
	if to := date("to", form.To); !to.IsZero() {
		f.To = to.Add(24 * time.Hour)
		if !f.From.IsZero() && !f.From.Before(f.To) {
			problems = append(problems, catalog.Problem{Path: "to", Key: "error.date_order", Message: "before the start"})
		}
	}
	if form.Limit != "" {
		n, err := strconv.Atoi(form.Limit)
		if err != nil || n < 1 || n > auditMaxPageSize {
			problems = append(problems, catalog.Problem{Path: "limit", Key: "error.limit", Message: "not a page size"})
		} else {
			f.Limit = n
		}
	} else {
		form.Limit = strconv.Itoa(auditPageSize)
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			problems = append(problems, catalog.Problem{Path: "before", Key: "error.number", Message: "not an event id"})
		}
		f.Before = n
	}
	return form, f, problems
}

// auditURL links to path with the form's filter, then the pairs of
// extra values (an empty value drops the parameter).
func auditURL(path string, form views.AdminAuditFilter, extra ...string) string {
	q := url.Values{}
	for _, kv := range [][2]string{{"actor", form.Actor}, {"action", form.Action}, {"subject", form.Subject},
		{"from", form.From}, {"to", form.To}, {"limit", form.Limit}} {
		if kv[1] != "" {
			q.Set(kv[0], kv[1])
		}
	}
	if form.Limit == strconv.Itoa(auditPageSize) {
		q.Del("limit") // the default keeps links short
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			q.Del(extra[i])
		} else {
			q.Set(extra[i], extra[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// auditRow is one event for the table, with links that narrow the filter
// to its actor, action or subject.
func auditRow(ev workflow.Event, names map[string]string, form views.AdminAuditFilter) views.AdminAuditRow {
	name := names[ev.Actor]
	if name == "" {
		name = ev.Actor
	}
	return views.AdminAuditRow{
		ID: ev.ID, At: ev.At, Actor: ev.Actor, ActorName: name, Session: ev.SessionID,
		Action: ev.Action, Subject: ev.Subject, Before: auditJSON(ev.Before), After: auditJSON(ev.After),
		ActorURL:   auditURL(adminAuditPath, form, "actor", ev.Actor),
		ActionURL:  auditURL(adminAuditPath, form, "action", ev.Action),
		SubjectURL: auditURL(adminAuditPath, form, "subject", ev.Subject),
	}
}

// auditActors are the users to filter by, and the filter's actor when it
// is none of them (a deleted user, a program).
func auditActors(users []ManagedUser, current string) []views.AdminOption {
	var out []views.AdminOption
	found := current == ""
	for _, u := range users {
		id := strconv.FormatInt(u.ID, 10)
		label := u.Name
		if label == "" {
			label = u.Email
		}
		if u.Email != "" && u.Email != label {
			label += " (" + u.Email + ")"
		}
		out = append(out, views.AdminOption{Value: id, Label: label})
		found = found || id == current
	}
	if !found {
		out = append(out, views.AdminOption{Value: current, Label: current})
	}
	return out
}

// auditJSON is b without insignificant white space; b itself when it is
// not JSON (it always is, coming from a jsonb column).
func auditJSON(b json.RawMessage) string {
	if len(b) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return string(b)
	}
	return buf.String()
}
