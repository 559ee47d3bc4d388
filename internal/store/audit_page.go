package store

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/sovereignty-registry/registry/internal/workflow"
)

// RecentAuditEvents returns up to f.Limit (default 200) events matching f,
// the newest first, and only those older than beforeID when it is
// positive: the pages of the admins' view of the log, where "older"
// continues from the last event shown.
func (s *Store) RecentAuditEvents(ctx context.Context, f AuditFilter, beforeID int64) ([]workflow.Event, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	q := f.query(s.db.WithContext(ctx))
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	// Reorder replaces the filter's oldest-first order.
	q = q.Order(clause.OrderByColumn{Column: clause.Column{Name: "id"}, Desc: true, Reorder: true})
	var rows []auditRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, translate(err, "recent audit events")
	}
	out := make([]workflow.Event, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
