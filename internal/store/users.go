package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// ManagedUser is a user as the admin pages see it. The embedded User holds
// the effective roles and organisations: the union of what the provider's
// claims brought at the last sign-in (overwritten then) and what admins
// assigned in the registry (kept across sign-ins).
type ManagedUser struct {
	User
	ClaimRoles            []string
	ClaimOrganizations    []string
	AssignedRoles         []string
	AssignedOrganizations []string
	// Version guards the assignments against lost updates.
	Version int
}

// managedUserRow extends the sign-in's row with the admin's columns.
type managedUserRow struct {
	Claims                userRow        `gorm:"embedded"`
	AssignedRoles         pq.StringArray `gorm:"type:text[]"`
	AssignedOrganizations pq.StringArray `gorm:"type:text[]"`
	Version               int
}

const managedUserColumns = `id, issuer, subject, name, email, roles, organizations,
	assigned_roles, assigned_organizations, version, created_at, updated_at`

func (r managedUserRow) domain() ManagedUser {
	c := r.Claims
	claimRoles, claimOrgs := nonNil(c.Roles), nonNil(c.Organizations)
	assignedRoles, assignedOrgs := nonNil(r.AssignedRoles), nonNil(r.AssignedOrganizations)
	return ManagedUser{
		User: User{ID: c.ID, Issuer: c.Issuer, Subject: c.Subject, Name: c.Name, Email: c.Email,
			Roles: union(claimRoles, assignedRoles), Organizations: union(claimOrgs, assignedOrgs),
			CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt},
		ClaimRoles: claimRoles, ClaimOrganizations: claimOrgs,
		AssignedRoles: assignedRoles, AssignedOrganizations: assignedOrgs,
		Version: r.Version,
	}
}

// union returns a's values, then those of b not in a, without repeats.
func union(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	for _, v := range slices.Concat(a, b) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// managedUser reads one user; lock is "" or a locking clause.
func (s *Store) managedUser(db *gorm.DB, id int64, lock string) (ManagedUser, error) {
	var r managedUserRow
	q := db.Raw(`SELECT `+managedUserColumns+` FROM users WHERE id = ?`+lock, id).Scan(&r)
	if q.Error != nil {
		return ManagedUser{}, translate(q.Error, "user")
	}
	if q.RowsAffected == 0 {
		return ManagedUser{}, fmt.Errorf("user %d: %w", id, catalog.ErrNotFound)
	}
	return r.domain(), nil
}

// ListUsers returns every user known from a sign-in, by name, with the
// roles and organisations from their claims, those assigned by admins and
// the effective union.
func (s *Store) ListUsers(ctx context.Context) ([]ManagedUser, error) {
	var rows []managedUserRow
	err := s.db.WithContext(ctx).Raw(`SELECT ` + managedUserColumns + ` FROM users
		ORDER BY lower(CASE WHEN name <> '' THEN name ELSE email END), id`).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "list users")
	}
	out := make([]ManagedUser, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// SetAssignments replaces the roles and organisation memberships admins
// assigned to user id, if the user is still at expectedVersion, and
// records ev (its Subject, Before and After filled in here when empty) in
// the same transaction. Roles must be known (auth.ParseRole) and
// organisations must exist (by slug): a *catalog.ValidationError names
// "roles" or "organizations" otherwise. A stale version is
// catalog.ErrConflict and changes nothing.
func (s *Store) SetAssignments(ctx context.Context, id int64, roles, orgs []string, expectedVersion int, ev workflow.Event) (ManagedUser, error) {
	roles, orgs = cleanList(roles), cleanList(orgs)
	var problems []catalog.Problem
	for _, r := range roles {
		if _, err := auth.ParseRole(r); err != nil {
			problems = append(problems, catalog.Problem{Path: "roles", Key: "error.role", Message: fmt.Sprintf("%q is not a role", r)})
		}
	}
	var out ManagedUser
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := s.managedUser(tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		var known []string
		if err := tx.Raw(`SELECT slug FROM organizations WHERE slug = ANY(?)`, pq.StringArray(nonNil(orgs))).Scan(&known).Error; err != nil {
			return err
		}
		for _, o := range orgs {
			if !slices.Contains(known, o) {
				problems = append(problems, catalog.Problem{Path: "organizations", Key: "error.organization",
					Message: fmt.Sprintf("there is no organisation %q", o)})
			}
		}
		if len(problems) > 0 {
			return &catalog.ValidationError{Problems: problems}
		}
		if cur.Version != expectedVersion {
			return fmt.Errorf("%w: user %d is at version %d, the change was based on %d", catalog.ErrConflict, id, cur.Version, expectedVersion)
		}
		var r managedUserRow
		err = tx.Raw(`UPDATE users SET assigned_roles = ?, assigned_organizations = ?, version = version + 1, updated_at = now()
			WHERE id = ? RETURNING `+managedUserColumns, pq.StringArray(roles), pq.StringArray(orgs), id).Scan(&r).Error
		if err != nil {
			return err
		}
		out = r.domain()
		if ev.Subject == "" {
			ev.Subject = "user:" + strconv.FormatInt(id, 10)
		}
		if ev.Before == nil {
			ev.Before = assignmentsJSON(cur)
		}
		if ev.After == nil {
			ev.After = assignmentsJSON(out)
		}
		return appendAudit(tx, ev)
	})
	if err != nil {
		return ManagedUser{}, translate(err, fmt.Sprintf("set assignments of user %d", id))
	}
	return out, nil
}

// assignmentsJSON is the audit snapshot of a user's assignments.
func assignmentsJSON(u ManagedUser) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"assigned_roles": u.AssignedRoles, "assigned_organizations": u.AssignedOrganizations, "version": u.Version,
	}) // a map of strings and ints always marshals
	return b
}

// cleanList trims the values, drops empty ones and repeats, and sorts
// them, so the same choice is stored the same way.
func cleanList(in []string) []string {
	out := []string{}
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}
