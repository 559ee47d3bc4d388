package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sovereignty-registry/registry/internal/auth"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/web"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// storeAdmin adapts the store's users, categories and audit log to what
// the admin pages need (the web layer does not import the store). It
// checks the actor's permission once more, as routes are not the only
// way in, and builds the audit event of every change; the store fills in
// its before and after in the transaction of the change.
type storeAdmin struct {
	st  *store.Store
	now func() time.Time
}

var _ web.Admin = storeAdmin{}

func newStoreAdmin(st *store.Store) storeAdmin {
	return storeAdmin{st: st, now: func() time.Time { return time.Now().UTC() }}
}

// permit reports workflow.ErrForbidden unless a's roles grant p.
func permit(a workflow.Actor, p auth.Permission) error {
	if !auth.Can(auth.RolesOf(a.Roles), p) {
		return fmt.Errorf("%w: needs permission %s", workflow.ErrForbidden, p)
	}
	return nil
}

func (s storeAdmin) event(a workflow.Actor, action string) workflow.Event {
	return workflow.Event{At: s.now(), Actor: a.ID, SessionID: a.SessionID, Action: action}
}

func (s storeAdmin) Users(ctx context.Context) ([]web.ManagedUser, error) {
	users, err := s.st.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]web.ManagedUser, len(users))
	for i, u := range users {
		out[i] = web.ManagedUser{ID: u.ID, Name: u.Name, Email: u.Email, Issuer: u.Issuer,
			ClaimRoles: u.ClaimRoles, ClaimOrganizations: u.ClaimOrganizations,
			AssignedRoles: u.AssignedRoles, AssignedOrganizations: u.AssignedOrganizations, Version: u.Version}
	}
	return out, nil
}

func (s storeAdmin) SetAssignments(ctx context.Context, a workflow.Actor, id int64, roles, orgs []string, version int) error {
	if err := permit(a, auth.PermUsersManage); err != nil {
		return err
	}
	_, err := s.st.SetAssignments(ctx, id, roles, orgs, version, s.event(a, "user.assign"))
	return err
}

func (s storeAdmin) Categories(ctx context.Context) ([]web.ManagedCategory, error) {
	cats, err := s.st.ManagedCategories(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]web.ManagedCategory, len(cats))
	for i, c := range cats {
		out[i] = web.ManagedCategory{Category: c.Category, Products: c.Products, Version: c.Version}
	}
	return out, nil
}

func (s storeAdmin) CreateCategory(ctx context.Context, a workflow.Actor, c catalog.Category) error {
	if err := permit(a, auth.PermCategoriesManage); err != nil {
		return err
	}
	_, err := s.st.CreateCategory(ctx, c, s.event(a, "category.create"))
	return err
}

func (s storeAdmin) UpdateCategory(ctx context.Context, a workflow.Actor, c catalog.Category, version int) error {
	if err := permit(a, auth.PermCategoriesManage); err != nil {
		return err
	}
	_, err := s.st.UpdateCategory(ctx, c, version, s.event(a, "category.update"))
	return err
}

func auditFilter(f web.AuditFilter) store.AuditFilter {
	return store.AuditFilter{Actor: f.Actor, Action: f.Action, Subject: f.Subject, From: f.From, To: f.To, Limit: f.Limit}
}

func (s storeAdmin) AuditEvents(ctx context.Context, f web.AuditFilter) ([]workflow.Event, error) {
	return s.st.RecentAuditEvents(ctx, auditFilter(f), f.Before)
}

func (s storeAdmin) ExportAudit(ctx context.Context, f web.AuditFilter, format web.AuditFormat, out io.Writer) error {
	var w store.AuditWriter
	switch format {
	case web.AuditCSV:
		w = store.NewAuditCSVWriter(out)
	case web.AuditJSONLines:
		w = store.NewAuditJSONLinesWriter(out)
	default:
		return fmt.Errorf("audit export: unknown format %q", format)
	}
	filter := auditFilter(f)
	filter.Limit = 0 // an export holds every matching event
	return s.st.ExportAudit(ctx, filter, w)
}

func (s storeAdmin) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	return s.st.UserNames(ctx, ids)
}
