package auth

import (
	"slices"
	"testing"
)

func TestCan(t *testing.T) {
	cases := []struct {
		name  string
		roles []Role
		perm  Permission
		want  bool
	}{
		{"anonymous creates nothing", nil, PermSubmissionCreate, false},
		{"vendor creates submissions", []Role{RoleVendor}, PermSubmissionCreate, true},
		{"vendor does not review", []Role{RoleVendor}, PermSubmissionReview, false},
		{"vendor does not approve", []Role{RoleVendor}, PermSubmissionApprove, false},
		{"vendor does not read audit", []Role{RoleVendor}, PermAuditRead, false},
		{"reviewer reviews", []Role{RoleReviewer}, PermSubmissionReview, true},
		{"reviewer approves", []Role{RoleReviewer}, PermSubmissionApprove, true},
		{"reviewer does not create", []Role{RoleReviewer}, PermSubmissionCreate, false},
		{"reviewer does not manage users", []Role{RoleReviewer}, PermUsersManage, false},
		{"admin manages users", []Role{RoleAdmin}, PermUsersManage, true},
		{"admin manages categories", []Role{RoleAdmin}, PermCategoriesManage, true},
		{"admin manages reference data", []Role{RoleAdmin}, PermReferenceManage, true},
		{"admin reads audit", []Role{RoleAdmin}, PermAuditRead, true},
		{"admin alone does not approve", []Role{RoleAdmin}, PermSubmissionApprove, false},
		{"admin and reviewer approves", []Role{RoleAdmin, RoleReviewer}, PermSubmissionApprove, true},
		{"unknown role grants nothing", []Role{"root"}, PermUsersManage, false},
		{"unknown permission is denied", []Role{RoleAdmin, RoleReviewer, RoleVendor}, "everything:do", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Can(tc.roles, tc.perm); got != tc.want {
				t.Errorf("Can(%v, %q) = %v, want %v", tc.roles, tc.perm, got, tc.want)
			}
		})
	}
}

func TestPermissionTable(t *testing.T) {
	t.Run("every granted permission is listed", func(t *testing.T) {
		for r, ps := range grants {
			if !r.Valid() {
				t.Errorf("table grants to unknown role %q", r)
			}
			for _, p := range ps {
				if !slices.Contains(Permissions(), p) {
					t.Errorf("role %q is granted unlisted permission %q", r, p)
				}
			}
		}
	})
	t.Run("every permission is granted to some role", func(t *testing.T) {
		for _, p := range Permissions() {
			if !Can(Roles(), p) {
				t.Errorf("permission %q is granted to no role", p)
			}
		}
	})
	t.Run("granted follows the table", func(t *testing.T) {
		got := Granted([]Role{RoleReviewer, RoleVendor})
		want := []Permission{PermSubmissionCreate, PermSubmissionReview, PermSubmissionApprove}
		if !slices.Equal(got, want) {
			t.Errorf("Granted = %v, want %v", got, want)
		}
	})
}

func TestParseRole(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		want    Role
		wantErr bool
	}{
		{"vendor", "vendor", RoleVendor, false},
		{"reviewer", "reviewer", RoleReviewer, false},
		{"admin", "admin", RoleAdmin, false},
		{"case matters", "Admin", "", true},
		{"empty", "", "", true},
		{"unknown", "superuser", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRole(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseRole(%q) = %q, %v; want %q, err %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}
