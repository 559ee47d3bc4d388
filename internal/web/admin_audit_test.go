package web

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

func TestParseAuditFilter(t *testing.T) {
	day := func(s string) time.Time {
		d, _ := time.Parse("2006-01-02", s)
		return d
	}
	tests := []struct {
		name     string
		query    string
		want     AuditFilter
		problems []string
	}{
		{"empty", "", AuditFilter{Limit: auditPageSize}, nil},
		{"fields trimmed", "actor=+7+&action=policy.set&subject=user:3", AuditFilter{Actor: "7", Action: "policy.set", Subject: "user:3", Limit: auditPageSize}, nil},
		{"to is inclusive", "from=2026-03-01&to=2026-03-01", AuditFilter{From: day("2026-03-01"), To: day("2026-03-02"), Limit: auditPageSize}, nil},
		{"paging", "limit=25&before=99", AuditFilter{Limit: 25, Before: 99}, nil},
		{"bad dates", "from=2026-13-01&to=yesterday", AuditFilter{Limit: auditPageSize}, []string{"from", "to"}},
		{"end before start", "from=2026-03-02&to=2026-03-01", AuditFilter{}, []string{"to"}},
		{"bad limit", "limit=0", AuditFilter{}, []string{"limit"}},
		{"limit too large", "limit=100000", AuditFilter{}, []string{"limit"}},
		{"bad before", "before=-3", AuditFilter{}, []string{"before"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, got, problems := parseAuditFilter(q)
			var paths []string
			for _, p := range problems {
				paths = append(paths, p.Path)
			}
			if !slices.Equal(paths, tt.problems) {
				t.Errorf("problems at %v, want %v", paths, tt.problems)
			}
			if tt.problems == nil && got != tt.want {
				t.Errorf("filter %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAuditURL(t *testing.T) {
	form := views.AdminAuditFilter{Action: "policy.set", From: "2026-03-01", Limit: "50"}
	tests := []struct {
		name  string
		extra []string
		want  string
	}{
		{"default limit left out", nil, "/admin/audit?action=policy.set&from=2026-03-01"},
		{"extra value", []string{"before", "12"}, "/admin/audit?action=policy.set&before=12&from=2026-03-01"},
		{"empty value drops", []string{"action", ""}, "/admin/audit?from=2026-03-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auditURL(adminAuditPath, form, tt.extra...); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if got := auditURL(adminAuditPath, views.AdminAuditFilter{}); got != adminAuditPath {
		t.Errorf("no filter: %s", got)
	}
}

func TestAdminFieldErrors_JoinsMessagesOfOneField(t *testing.T) {
	got := adminFieldErrors([]catalog.Problem{{Path: "slug", Key: "a"}, {Path: "slug", Key: "b"}, {Path: "name_de", Key: "a"}},
		func(p catalog.Problem) string { return "msg-" + p.Key })
	if got["slug"] != "msg-a msg-b" || got["name_de"] != "msg-a" {
		t.Errorf("got %v", got)
	}
}
