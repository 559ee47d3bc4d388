package store_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

var auditT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func mustAudit(t *testing.T, s *store.Store) []workflow.Event {
	t.Helper()
	evs := []workflow.Event{
		{At: auditT0, Actor: "1", SessionID: "s1", Action: "session.login", Subject: "user:1"},
		{At: auditT0.Add(time.Hour), Actor: "1", SessionID: "s1", Action: "submission.submit", Subject: "submission:5",
			Before: json.RawMessage(`{"state":"draft"}`), After: json.RawMessage(`{"state":"submitted"}`)},
		{At: auditT0.Add(2 * time.Hour), Actor: "2", SessionID: "s2", Action: "submission.approve", Subject: "submission:5",
			Before: json.RawMessage(`{"state":"in_review"}`), After: json.RawMessage(`{"state":"approved"}`)},
		{At: auditT0.Add(3 * time.Hour), Actor: "=cmd|' /C calc'!A0", Action: "user.rename", Subject: "user:3",
			After: json.RawMessage(`{"name":"<script>alert(1)</script>, \"quoted\""}`)},
	}
	for i := range evs {
		id, err := s.AppendAudit(context.Background(), evs[i])
		if err != nil {
			t.Fatalf("append: %v", err)
		}
		evs[i].ID = id
	}
	return evs
}

func TestAudit_Filter(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	evs := mustAudit(t, s)
	tests := []struct {
		name string
		f    store.AuditFilter
		want []int
	}{
		{"all", store.AuditFilter{}, []int{0, 1, 2, 3}},
		{"by actor", store.AuditFilter{Actor: "1"}, []int{0, 1}},
		{"by action", store.AuditFilter{Action: "submission.approve"}, []int{2}},
		{"by subject", store.AuditFilter{Subject: "submission:5"}, []int{1, 2}},
		{"from inclusive", store.AuditFilter{From: auditT0.Add(time.Hour)}, []int{1, 2, 3}},
		{"to exclusive", store.AuditFilter{To: auditT0.Add(2 * time.Hour)}, []int{0, 1}},
		{"window and actor", store.AuditFilter{Actor: "2", From: auditT0, To: auditT0.Add(3 * time.Hour)}, []int{2}},
		{"keyset page", store.AuditFilter{AfterID: evs[1].ID, Limit: 1}, []int{2}},
		{"nothing", store.AuditFilter{Actor: "nobody"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.AuditEvents(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d events, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				e := evs[w]
				if got[i].ID != e.ID || got[i].Action != e.Action || !got[i].At.Equal(e.At) || got[i].SessionID != e.SessionID {
					t.Errorf("event %d = %+v, want %+v", i, got[i], e)
				}
			}
		})
	}
	got, _ := s.AuditEvents(ctx, store.AuditFilter{Action: "submission.submit"})
	var after map[string]string
	if err := json.Unmarshal(got[0].After, &after); err != nil || after["state"] != "submitted" {
		t.Errorf("after = %s (%v)", got[0].After, err)
	}
	if got, _ := s.AuditEvents(ctx, store.AuditFilter{Action: "session.login"}); got[0].Before != nil {
		t.Errorf("empty before came back as %q", got[0].Before)
	}
}

func TestAudit_AppendOnly(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	mustAudit(t, s)
	for _, stmt := range []string{
		`UPDATE audit_events SET actor = 'someone else'`,
		`DELETE FROM audit_events WHERE actor = '1'`,
		`TRUNCATE audit_events`,
	} {
		t.Run(strings.Fields(stmt)[0], func(t *testing.T) {
			_, err := s.DB().ExecContext(ctx, stmt)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("%s: err = %v, want the trigger to refuse", stmt, err)
			}
			got, _ := s.AuditEvents(ctx, store.AuditFilter{})
			if len(got) != 4 || got[0].Actor != "1" {
				t.Errorf("log changed: %+v", got)
			}
		})
	}
	if _, err := s.AppendAudit(ctx, workflow.Event{Action: "x"}); err == nil {
		t.Error("event without actor accepted")
	}
}

func TestAudit_ExportCSV(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	evs := mustAudit(t, s)
	var buf bytes.Buffer
	if err := s.ExportAudit(ctx, store.AuditFilter{}, store.NewAuditCSVWriter(&buf)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v", err)
	}
	if len(recs) != 5 || strings.Join(recs[0], ",") != "id,at,actor,session_id,action,subject,before,after" {
		t.Fatalf("records = %q", recs)
	}
	if recs[2][1] != "2026-03-02T10:00:00Z" || recs[2][4] != "submission.submit" || recs[2][7] != `{"state": "submitted"}` {
		t.Errorf("row = %q", recs[2])
	}
	if recs[4][2] != "'"+evs[3].Actor {
		t.Errorf("formula not defused: %q", recs[4][2])
	}
	var v map[string]string
	if err := json.Unmarshal([]byte(recs[4][7]), &v); err != nil || v["name"] != `<script>alert(1)</script>, "quoted"` {
		t.Errorf("after cell = %q (%v)", recs[4][7], err)
	}

	t.Run("empty export has a header", func(t *testing.T) {
		var b bytes.Buffer
		if err := s.ExportAudit(ctx, store.AuditFilter{Actor: "nobody"}, store.NewAuditCSVWriter(&b)); err != nil {
			t.Fatal(err)
		}
		if b.String() != "id,at,actor,session_id,action,subject,before,after\n" {
			t.Errorf("empty export = %q", b.String())
		}
	})
}

func TestAudit_ExportJSONLines(t *testing.T) {
	ctx := context.Background()
	s := storetest.Migrated(t)
	evs := mustAudit(t, s)
	var buf bytes.Buffer
	if err := s.ExportAudit(ctx, store.AuditFilter{Subject: "submission:5"}, store.NewAuditJSONLinesWriter(&buf)); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	var lines []map[string]any
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	l := lines[1]
	if l["id"] != float64(evs[2].ID) || l["actor"] != "2" || l["action"] != "submission.approve" || l["at"] != "2026-03-02T11:00:00Z" || l["session_id"] != "s2" {
		t.Errorf("line = %v", l)
	}
	if after, ok := l["after"].(map[string]any); !ok || after["state"] != "approved" {
		t.Errorf("after is not embedded JSON: %v", l["after"])
	}
}
