package store

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/workflow"
)

// AppendAudit adds one event to the append-only audit log (the database
// refuses to update or delete it) and returns its id.
func (s *Store) AppendAudit(ctx context.Context, ev workflow.Event) (int64, error) {
	var id int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		id, err = insertAudit(tx, ev)
		return err
	})
	return id, translate(err, "append audit event")
}

func appendAudit(tx *gorm.DB, ev workflow.Event) error {
	_, err := insertAudit(tx, ev)
	return err
}

func insertAudit(tx *gorm.DB, ev workflow.Event) (int64, error) {
	if ev.At.IsZero() {
		ev.At = time.Now().UTC()
	}
	if ev.Actor == "" || ev.Action == "" {
		return 0, fmt.Errorf("audit event needs an actor and an action: %+v", ev)
	}
	var id int64
	err := tx.Raw(`INSERT INTO audit_events (at, actor, session_id, action, subject, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		ev.At, ev.Actor, ev.SessionID, ev.Action, ev.Subject, jsonOrNil(ev.Before), jsonOrNil(ev.After)).Scan(&id).Error
	return id, err
}

// jsonOrNil passes JSON as text for a jsonb parameter, or NULL.
func jsonOrNil(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// AuditFilter selects audit events; empty fields select all. From is
// inclusive, To exclusive. AfterID pages through the log (keyset).
type AuditFilter struct {
	Actor   string
	Action  string
	Subject string
	From    time.Time
	To      time.Time
	AfterID int64
	Limit   int // AuditEvents: default 200; exports are unlimited unless set
}

func (f AuditFilter) query(db *gorm.DB) *gorm.DB {
	q := db.Table("audit_events").Select("id, at, actor, session_id, action, subject, before::text AS before, after::text AS after")
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Subject != "" {
		q = q.Where("subject = ?", f.Subject)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To)
	}
	if f.AfterID > 0 {
		q = q.Where("id > ?", f.AfterID)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	return q.Order("id")
}

type auditRow struct {
	ID        int64
	At        time.Time
	Actor     string
	SessionID string
	Action    string
	Subject   string
	Before    *string
	After     *string
}

func (r auditRow) domain() workflow.Event {
	ev := workflow.Event{ID: r.ID, At: r.At, Actor: r.Actor, SessionID: r.SessionID, Action: r.Action, Subject: r.Subject}
	if r.Before != nil {
		ev.Before = json.RawMessage(*r.Before)
	}
	if r.After != nil {
		ev.After = json.RawMessage(*r.After)
	}
	return ev
}

// AuditEvents returns the events matching f in the order they were
// recorded.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) ([]workflow.Event, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	var rows []auditRow
	if err := f.query(s.db.WithContext(ctx)).Scan(&rows).Error; err != nil {
		return nil, translate(err, "audit events")
	}
	out := make([]workflow.Event, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// AuditWriter writes audit events in one export format.
type AuditWriter interface {
	Write(workflow.Event) error
	// Close flushes buffered output; it does not close the underlying
	// writer.
	Close() error
}

// ExportAudit streams the events matching f to ew row by row, without
// holding the log in memory, then closes ew.
func (s *Store) ExportAudit(ctx context.Context, f AuditFilter, ew AuditWriter) error {
	rows, err := f.query(s.db.WithContext(ctx)).Rows()
	if err != nil {
		return translate(err, "export audit")
	}
	defer rows.Close()
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.ID, &r.At, &r.Actor, &r.SessionID, &r.Action, &r.Subject, &r.Before, &r.After); err != nil {
			return translate(err, "export audit")
		}
		if err := ew.Write(r.domain()); err != nil {
			return fmt.Errorf("export audit: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return translate(err, "export audit")
	}
	return ew.Close()
}

// AuditCSVHeader is the first line of a CSV export.
var AuditCSVHeader = []string{"id", "at", "actor", "session_id", "action", "subject", "before", "after"}

type auditCSV struct {
	w      *csv.Writer
	header bool
}

// NewAuditCSVWriter writes RFC 4180 CSV with a header line; times are
// RFC 3339 in UTC, before and after the JSON text. Cells starting with a
// formula character are prefixed with a quote so that spreadsheets do not
// evaluate what a user wrote.
func NewAuditCSVWriter(w io.Writer) AuditWriter { return &auditCSV{w: csv.NewWriter(w)} }

func (a *auditCSV) Write(ev workflow.Event) error {
	if !a.header {
		a.header = true
		if err := a.w.Write(AuditCSVHeader); err != nil {
			return err
		}
	}
	return a.w.Write([]string{
		strconv.FormatInt(ev.ID, 10), ev.At.UTC().Format(time.RFC3339Nano), cell(ev.Actor), cell(ev.SessionID),
		cell(ev.Action), cell(ev.Subject), string(ev.Before), string(ev.After),
	})
}

func (a *auditCSV) Close() error {
	if !a.header { // an empty export still names its columns
		a.header = true
		if err := a.w.Write(AuditCSVHeader); err != nil {
			return err
		}
	}
	a.w.Flush()
	return a.w.Error()
}

// cell defuses spreadsheet formulas (CSV injection).
func cell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

type auditJSONL struct{ enc *json.Encoder }

// auditLine is the JSON Lines record of one event.
type auditLine struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	Actor     string          `json:"actor"`
	SessionID string          `json:"session_id,omitempty"`
	Action    string          `json:"action"`
	Subject   string          `json:"subject,omitempty"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
}

// NewAuditJSONLinesWriter writes one JSON object per line.
func NewAuditJSONLinesWriter(w io.Writer) AuditWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &auditJSONL{enc: enc}
}

func (a *auditJSONL) Write(ev workflow.Event) error {
	return a.enc.Encode(auditLine{ID: ev.ID, At: ev.At.UTC(), Actor: ev.Actor, SessionID: ev.SessionID,
		Action: ev.Action, Subject: ev.Subject, Before: ev.Before, After: ev.After})
}

func (a *auditJSONL) Close() error { return nil }
