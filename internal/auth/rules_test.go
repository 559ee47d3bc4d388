package auth

import "testing"

var (
	vendor      = User{ID: 1, Issuer: "https://idp", Subject: "v", Roles: []Role{RoleVendor}, Organizations: []string{"nextcloud"}}
	reviewer    = User{ID: 2, Issuer: "https://idp", Subject: "r", Roles: []Role{RoleReviewer}}
	reviewerOrg = User{ID: 3, Issuer: "https://idp", Subject: "ro", Roles: []Role{RoleReviewer, RoleVendor}, Organizations: []string{"nextcloud"}}
	admin       = User{ID: 4, Issuer: "https://idp", Subject: "a", Roles: []Role{RoleAdmin}, Organizations: []string{"nextcloud"}}
)

func TestMayEditOrganization(t *testing.T) {
	cases := []struct {
		name string
		user User
		org  string
		want bool
	}{
		{"vendor edits own organisation", vendor, "nextcloud", true},
		{"vendor does not edit another organisation", vendor, "ionos", false},
		{"vendor does not edit the empty slug", vendor, "", false},
		{"reviewer without membership does not edit", reviewer, "nextcloud", false},
		{"admin member without vendor role does not edit", admin, "nextcloud", false},
		{"anonymous does not edit", User{}, "nextcloud", false},
		{"member without vendor role does not edit", User{ID: 9, Organizations: []string{"nextcloud"}}, "nextcloud", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MayEditOrganization(tc.user, tc.org); got != tc.want {
				t.Errorf("MayEditOrganization = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMayReview(t *testing.T) {
	cases := []struct {
		name        string
		user        User
		authorID    int64
		org         string
		wantReview  bool
		wantApprove bool
	}{
		{"reviewer reviews another's proposal", reviewer, 1, "nextcloud", true, true},
		{"reviewer never reviews own proposal", reviewer, 2, "ionos", false, false},
		{"reviewer never reviews for own organisation", reviewerOrg, 1, "nextcloud", false, false},
		{"member reviewer reviews other organisations", reviewerOrg, 1, "ionos", true, true},
		{"vendor does not review", vendor, 2, "ionos", false, false},
		{"admin without reviewer role does not review", admin, 1, "ionos", false, false},
		{"unsaved reviewer fails closed", User{Roles: []Role{RoleReviewer}}, 1, "ionos", false, false},
		{"unknown author fails closed", reviewer, 0, "ionos", false, false},
		{"anonymous does not review", User{}, 1, "ionos", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MayReview(tc.user, tc.authorID, tc.org); got != tc.wantReview {
				t.Errorf("MayReview = %v, want %v", got, tc.wantReview)
			}
			if got := MayApprove(tc.user, tc.authorID, tc.org); got != tc.wantApprove {
				t.Errorf("MayApprove = %v, want %v", got, tc.wantApprove)
			}
		})
	}
}
