package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// policyKey is the settings row of the approval policy.
const policyKey = "workflow.policy"

type policySetting struct {
	RequiredApprovals  int `json:"required_approvals"`
	ClarificationHours int `json:"clarification_hours"`
}

type settingRow struct {
	Key       string
	Value     []byte `gorm:"type:jsonb"`
	Version   int
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "settings" }

// Policy returns the approval policy admins set and the version it is at
// (0 while the default applies).
func (s *Store) Policy(ctx context.Context) (workflow.Policy, int, error) {
	var row settingRow
	err := s.db.WithContext(ctx).Take(&row, "key = ?", policyKey).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return workflow.DefaultPolicy, 0, nil
	}
	if err != nil {
		return workflow.Policy{}, 0, translate(err, "policy")
	}
	var ps policySetting
	if err := json.Unmarshal(row.Value, &ps); err != nil {
		return workflow.Policy{}, 0, fmt.Errorf("policy: %w", err)
	}
	return workflow.Policy{RequiredApprovals: ps.RequiredApprovals, ClarificationPeriod: time.Duration(ps.ClarificationHours) * time.Hour}, row.Version, nil
}

// SetPolicy stores p if the stored policy is still at expectedVersion (0:
// never set), with ev in the audit log; catalog.ErrConflict otherwise.
func (s *Store) SetPolicy(ctx context.Context, p workflow.Policy, expectedVersion int, ev workflow.Event) error {
	value, err := json.Marshal(policySetting{RequiredApprovals: p.RequiredApprovals, ClarificationHours: int(p.ClarificationPeriod / time.Hour)})
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var res *gorm.DB
		if expectedVersion == 0 {
			res = tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, policyKey, value)
		} else {
			res = tx.Exec(`UPDATE settings SET value = ?, version = version + 1, updated_at = now() WHERE key = ? AND version = ?`, value, policyKey, expectedVersion)
		}
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: the policy was changed meanwhile", catalog.ErrConflict)
		}
		return appendAudit(tx, ev)
	})
	return translate(err, "set policy")
}

// Verify records that a reviewer confirmed the entry slug at at, with ev in
// the audit log; catalog.ErrNotFound when there is no such product.
func (s *Store) Verify(ctx context.Context, slug, by string, at time.Time, ev workflow.Event) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return verify(tx, slug, by, at, ev)
	})
	return translate(err, "verify "+slug)
}

func verify(tx *gorm.DB, slug, by string, at time.Time, ev workflow.Event) error {
	res := tx.Exec(`INSERT INTO product_verifications (product_slug, verified_at, verified_by)
		SELECT slug, ?, ? FROM products WHERE slug = ?
		ON CONFLICT (product_slug) DO UPDATE SET verified_at = excluded.verified_at, verified_by = excluded.verified_by`, at, by, slug)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return gorm.ErrRecordNotFound
	}
	return appendAudit(tx, ev)
}

// DueForReview lists up to limit entries last verified before cutoff (or
// never), the longest-waiting first, and how many there are in all.
func (s *Store) DueForReview(ctx context.Context, cutoff time.Time, limit int) ([]workflow.DueEntry, int, error) {
	var rows []struct {
		Slug       string
		Name       string
		VerifiedAt *time.Time
		Total      int
	}
	err := s.db.WithContext(ctx).Raw(`WITH verified AS (
			SELECT p.slug, p.name, coalesce(v.verified_at,
				(SELECT max(src.retrieved)::timestamptz FROM evidence e JOIN sources src ON src.id = e.source_id
				 WHERE e.product_root = p.id)) AS verified_at
			FROM products p LEFT JOIN product_verifications v ON v.product_slug = p.slug)
		SELECT slug, name, verified_at, count(*) OVER () AS total FROM verified
		WHERE verified_at IS NULL OR verified_at < ?
		ORDER BY verified_at NULLS FIRST, slug LIMIT ?`, cutoff, limit).Scan(&rows).Error
	if err != nil {
		return nil, 0, translate(err, "entries due for review")
	}
	out := make([]workflow.DueEntry, len(rows))
	total := 0
	for i, r := range rows {
		out[i] = workflow.DueEntry{Slug: r.Slug, Name: r.Name, VerifiedAt: r.VerifiedAt}
		total = r.Total
	}
	return out, total, nil
}

// EnsureBaseline keeps the entry as it stands, before its first change
// through the workflow, as version 1 of its history (seeded and imported
// entries have none), and returns the newest version number.
func (s *Store) EnsureBaseline(ctx context.Context, p catalog.Product, at time.Time) (int, error) {
	product, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	var version int
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtext('product_versions:' || ?))`, p.Slug).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT coalesce(max(version), 0) FROM product_versions WHERE product_slug = ?`, p.Slug).Scan(&version).Error; err != nil {
			return err
		}
		if version > 0 {
			return nil
		}
		version = 1
		return tx.Exec(`INSERT INTO product_versions (product_slug, version, product, published_at, approved_by)
			VALUES (?, 1, ?, ?, '{}')`, p.Slug, product, at).Error
	})
	return version, translate(err, "baseline of "+p.Slug)
}

// UserNames returns the display names of the users with the given ids
// (as the workflow records them: decimal strings); unknown ids are absent.
func (s *Store) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	var rows []struct {
		ID   string
		Name string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT id::text AS id, CASE WHEN name <> '' THEN name ELSE email END AS name
		FROM users WHERE id::text = ANY(?)`, pq.StringArray(nonNil(ids))).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "user names")
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
