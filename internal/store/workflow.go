package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

type submissionRow struct {
	ID           int64
	Kind         string
	TargetSlug   string
	Organization string
	Author       string
	Proposed     []byte `gorm:"type:jsonb"`
	Sources      []byte `gorm:"type:jsonb"`
	BaseVersion  int
	State        string
	LevelBefore  int
	LevelAfter   int
	Proposers    pq.StringArray `gorm:"type:text[]"`
	Approvals    []byte         `gorm:"type:jsonb"`
	DueAt        *time.Time
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SubmittedAt  *time.Time
	DecidedAt    *time.Time
}

func (submissionRow) TableName() string { return "submissions" }

func toSubmissionRow(s workflow.Submission) (submissionRow, error) {
	proposed, err := json.Marshal(s.Proposed)
	if err != nil {
		return submissionRow{}, err
	}
	approvals, err := json.Marshal(nonNilSlice(s.Approvals))
	if err != nil {
		return submissionRow{}, err
	}
	sources, err := json.Marshal(nonNilSlice(s.Sources))
	if err != nil {
		return submissionRow{}, err
	}
	return submissionRow{
		ID: s.ID, Kind: string(s.Kind), TargetSlug: s.Target, Organization: s.Organization, Author: s.Author,
		Proposed: proposed, Sources: sources, BaseVersion: s.BaseVersion, State: string(s.State),
		LevelBefore: s.LevelBefore, LevelAfter: s.LevelAfter, Proposers: pq.StringArray(nonNil(s.Proposers)),
		Approvals: approvals, DueAt: s.DueAt, Version: s.Version,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, SubmittedAt: s.SubmittedAt, DecidedAt: s.DecidedAt,
	}, nil
}

func (r submissionRow) domain() (workflow.Submission, error) {
	s := workflow.Submission{
		ID: r.ID, Kind: workflow.Kind(r.Kind), Target: r.TargetSlug, Organization: r.Organization, Author: r.Author,
		BaseVersion: r.BaseVersion, State: workflow.State(r.State), LevelBefore: r.LevelBefore, LevelAfter: r.LevelAfter,
		Proposers: []string(r.Proposers), DueAt: r.DueAt, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, SubmittedAt: r.SubmittedAt, DecidedAt: r.DecidedAt,
	}
	if err := json.Unmarshal(r.Proposed, &s.Proposed); err != nil {
		return workflow.Submission{}, fmt.Errorf("submission %d: proposed product: %w", r.ID, err)
	}
	if len(r.Sources) > 0 {
		if err := json.Unmarshal(r.Sources, &s.Sources); err != nil {
			return workflow.Submission{}, fmt.Errorf("submission %d: sources: %w", r.ID, err)
		}
	}
	if len(s.Sources) == 0 {
		s.Sources = nil
	}
	if err := json.Unmarshal(r.Approvals, &s.Approvals); err != nil {
		return workflow.Submission{}, fmt.Errorf("submission %d: approvals: %w", r.ID, err)
	}
	if len(s.Approvals) == 0 {
		s.Approvals = nil
	}
	return s, nil
}

// CreateSubmission stores a new submission (normally a draft) at version 1
// and returns it with its id. events, if any, are appended to the audit log
// in the same transaction.
func (s *Store) CreateSubmission(ctx context.Context, sub workflow.Submission, events ...workflow.Event) (workflow.Submission, error) {
	now := time.Now().UTC()
	sub.ID, sub.Version = 0, 1
	if sub.CreatedAt.IsZero() {
		sub.CreatedAt = now
	}
	if sub.UpdatedAt.IsZero() {
		sub.UpdatedAt = sub.CreatedAt
	}
	row, err := toSubmissionRow(sub)
	if err != nil {
		return workflow.Submission{}, fmt.Errorf("create submission: %w", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("id").Create(&row).Error; err != nil {
			return err
		}
		for _, ev := range events {
			if ev.Subject == "" {
				ev.Subject = workflow.Subject(row.ID)
			}
			if err := appendAudit(tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return workflow.Submission{}, translate(err, "create submission")
	}
	sub.ID = row.ID
	return sub, nil
}

// Submission returns one submission; catalog.ErrNotFound when there is
// none.
func (s *Store) Submission(ctx context.Context, id int64) (workflow.Submission, error) {
	var r submissionRow
	if err := s.db.WithContext(ctx).Take(&r, id).Error; err != nil {
		return workflow.Submission{}, translate(err, "submission")
	}
	return r.domain()
}

// UpdateSubmission writes sub if the stored submission is still at
// expectedVersion, bumping the version (optimistic locking). When another
// write came first it returns catalog.ErrConflict and changes nothing.
// events are appended to the audit log in the same transaction, so a step
// and its record are written together or not at all.
func (s *Store) UpdateSubmission(ctx context.Context, sub workflow.Submission, expectedVersion int, events ...workflow.Event) (workflow.Submission, error) {
	var out workflow.Submission
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		out, err = updateSubmission(tx, sub, expectedVersion)
		if err != nil {
			return err
		}
		for _, ev := range events {
			if err := appendAudit(tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return workflow.Submission{}, translate(err, "update submission")
	}
	return out, nil
}

func updateSubmission(tx *gorm.DB, sub workflow.Submission, expected int) (workflow.Submission, error) {
	if sub.UpdatedAt.IsZero() {
		sub.UpdatedAt = time.Now().UTC()
	}
	sub.Version = expected + 1
	row, err := toSubmissionRow(sub)
	if err != nil {
		return workflow.Submission{}, err
	}
	res := tx.Model(&submissionRow{}).Where("id = ? AND version = ?", sub.ID, expected).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return workflow.Submission{}, res.Error
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := tx.Model(&submissionRow{}).Where("id = ?", sub.ID).Count(&n).Error; err != nil {
			return workflow.Submission{}, err
		}
		if n == 0 {
			return workflow.Submission{}, catalog.ErrNotFound
		}
		return workflow.Submission{}, fmt.Errorf("%w: submission %d is no longer at version %d", catalog.ErrConflict, sub.ID, expected)
	}
	return sub, nil
}

// ListSubmissions returns the submissions matching f, oldest change first
// (the queue order).
func (s *Store) ListSubmissions(ctx context.Context, f workflow.Filter) ([]workflow.Submission, error) {
	q := s.db.WithContext(ctx).Model(&submissionRow{})
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		q = q.Where("state = ANY(?)", pq.StringArray(states))
	}
	if len(f.Organizations) > 0 {
		q = q.Where("organization = ANY(?)", pq.StringArray(f.Organizations))
	}
	if f.Author != "" {
		q = q.Where("author = ?", f.Author)
	}
	if f.Target != "" {
		q = q.Where("target_slug = ?", f.Target)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var rows []submissionRow
	order := "updated_at, id"
	if f.NewestFirst {
		order = "updated_at DESC, id DESC"
	}
	if err := q.Order(order).Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "list submissions")
	}
	out := make([]workflow.Submission, 0, len(rows))
	for _, r := range rows {
		sub, err := r.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// ErrNotApproved: Publish was called with a submission that is not
// approved.
var ErrNotApproved = errors.New("submission is not approved")

// Publish records an approved submission in one transaction: it writes sub
// (optimistic lock on sub.Version, the version it was read at), checks that
// the product's newest published version is still sub.BaseVersion, keeps
// the proposal as the next product version, appends ev to the audit log and
// runs apply on a store bound to the transaction (the caller imports the
// product into the catalogue there). Any error, including apply's, rolls
// everything back; a lost race is catalog.ErrConflict. It returns the
// stored submission and the new product version number. The transaction
// is pinned to one connection, which the store given to apply hands on,
// so that its import may recompute the whole catalogue in bulk.
func (s *Store) Publish(ctx context.Context, sub workflow.Submission, ev workflow.Event, apply func(ctx context.Context, tx catalog.Repository) error) (workflow.Submission, int, error) {
	if sub.State != workflow.StateApproved {
		return workflow.Submission{}, 0, fmt.Errorf("publish submission %d: %w (%s)", sub.ID, ErrNotApproved, sub.State)
	}
	var (
		out     workflow.Submission
		version int
	)
	err := s.pinnedTx(ctx, func(tx *gorm.DB, conn *sql.Conn) error {
		var err error
		if out, err = updateSubmission(tx, sub, sub.Version); err != nil {
			return err
		}
		// Lock the product's history so two publications of the same
		// product serialise; the primary key catches the rest.
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtext('product_versions:' || ?))`, sub.Target).Error; err != nil {
			return err
		}
		var current int
		if err := tx.Raw(`SELECT coalesce(max(version), 0) FROM product_versions WHERE product_slug = ?`, sub.Target).Scan(&current).Error; err != nil {
			return err
		}
		if current != sub.BaseVersion {
			return fmt.Errorf("%w: %s is at version %d, the change was made against version %d", catalog.ErrConflict, sub.Target, current, sub.BaseVersion)
		}
		version = current + 1
		product, err := json.Marshal(sub.Proposed)
		if err != nil {
			return err
		}
		at := ev.At
		if at.IsZero() {
			at = time.Now().UTC()
		}
		if err := tx.Exec(`INSERT INTO product_versions (product_slug, version, product, published_at, approved_by, submission_id)
			VALUES (?, ?, ?, ?, ?, ?)`, sub.Target, version, product, at, pq.StringArray(nonNil(sub.Approvers())), sub.ID).Error; err != nil {
			return err
		}
		if err := appendAudit(tx, ev); err != nil {
			return err
		}
		if apply != nil {
			if err := apply(ctx, &Store{db: tx, sql: s.sql, log: s.log, conn: conn}); err != nil {
				return err
			}
		}
		// Publishing is a review: the entry counts as verified now.
		return tx.Exec(`INSERT INTO product_verifications (product_slug, verified_at, verified_by)
			SELECT slug, ?, ? FROM products WHERE slug = ?
			ON CONFLICT (product_slug) DO UPDATE SET verified_at = excluded.verified_at, verified_by = excluded.verified_by`,
			at, strings.Join(sub.Approvers(), ","), sub.Target).Error
	})
	if err != nil {
		return workflow.Submission{}, 0, translate(err, fmt.Sprintf("publish submission %d", sub.ID))
	}
	return out, version, nil
}

type productVersionRow struct {
	ProductSlug  string
	Version      int
	Product      []byte
	PublishedAt  time.Time
	ApprovedBy   pq.StringArray `gorm:"type:text[]"`
	SubmissionID *int64
}

// ProductVersions returns every published version of a product, oldest
// first; an empty list when it was never published through the workflow.
func (s *Store) ProductVersions(ctx context.Context, slug string) ([]workflow.ProductVersion, error) {
	var rows []productVersionRow
	err := s.db.WithContext(ctx).Raw(`SELECT product_slug, version, product, published_at, approved_by, submission_id
		FROM product_versions WHERE product_slug = ? ORDER BY version`, slug).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "product versions")
	}
	out := make([]workflow.ProductVersion, 0, len(rows))
	for _, r := range rows {
		v := workflow.ProductVersion{Slug: r.ProductSlug, Version: r.Version, PublishedAt: r.PublishedAt, ApprovedBy: []string(r.ApprovedBy)}
		if r.SubmissionID != nil {
			v.SubmissionID = *r.SubmissionID
		}
		if err := json.Unmarshal(r.Product, &v.Product); err != nil {
			return nil, fmt.Errorf("product %s version %d: %w", slug, r.Version, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// AddComment appends a comment to a submission's thread and returns it
// with its id and time.
func (s *Store) AddComment(ctx context.Context, c workflow.Comment, events ...workflow.Event) (workflow.Comment, error) {
	if strings.TrimSpace(c.Body) == "" {
		return workflow.Comment{}, &catalog.ValidationError{Problems: []catalog.Problem{{Path: "body", Key: "error.required", Message: "a comment needs text"}}}
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().UTC()
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Raw(`INSERT INTO submission_comments (submission_id, author, body, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`, c.SubmissionID, c.Author, c.Body, c.CreatedAt).Scan(&c.ID).Error; err != nil {
			return err
		}
		for _, ev := range events {
			if err := appendAudit(tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return workflow.Comment{}, translate(err, "add comment")
	}
	return c, nil
}

// Comments returns a submission's thread, oldest first.
func (s *Store) Comments(ctx context.Context, submissionID int64) ([]workflow.Comment, error) {
	var out []workflow.Comment
	err := s.db.WithContext(ctx).Raw(`SELECT id, submission_id, author, body, created_at
		FROM submission_comments WHERE submission_id = ? ORDER BY id`, submissionID).Scan(&out).Error
	return out, translate(err, "comments")
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
