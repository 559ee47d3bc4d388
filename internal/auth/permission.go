package auth

import "slices"

// Permission names one kind of action; routes require a permission and the
// table below decides which roles grant it.
type Permission string

// The permissions of the registry, named resource:action as they appear at the
// routes.
const (
	// PermSubmissionCreate allows drafting and proposing entries and changes
	// (for one's own organisations, see MayEditOrganization).
	PermSubmissionCreate Permission = "submission:create"
	// PermSubmissionReview allows seeing the review queue, commenting and
	// requesting changes (subject to MayReview per proposal).
	PermSubmissionReview Permission = "submission:review"
	// PermSubmissionApprove allows approving or rejecting a proposal (subject
	// to MayReview and the four-eyes rule of the workflow).
	PermSubmissionApprove Permission = "submission:approve"
	// PermUsersManage allows managing users, their roles and organisation
	// memberships.
	PermUsersManage Permission = "users:manage"
	// PermCategoriesManage allows managing the category tree.
	PermCategoriesManage Permission = "categories:manage"
	// PermReferenceManage allows managing reference data (jurisdictions,
	// licences and similar lists).
	PermReferenceManage Permission = "reference:manage"
	// PermAuditRead allows reading and exporting the audit log.
	PermAuditRead Permission = "audit:read"
	// PermPolicyManage allows setting the approval policy (how many
	// approvals, how long a clarification may take).
	PermPolicyManage Permission = "policy:manage"
)

// grants is THE permission table: the one place that says which role may do
// what. Change who may do what here (and at the route), nowhere else.
var grants = map[Role][]Permission{
	RoleVendor: {
		PermSubmissionCreate,
	},
	RoleReviewer: {
		PermSubmissionReview,
		PermSubmissionApprove,
	},
	RoleAdmin: {
		PermUsersManage,
		PermCategoriesManage,
		PermReferenceManage,
		PermAuditRead,
		PermPolicyManage,
	},
}

// Permissions lists every permission in a stable order.
func Permissions() []Permission {
	return []Permission{
		PermSubmissionCreate, PermSubmissionReview, PermSubmissionApprove,
		PermUsersManage, PermCategoriesManage, PermReferenceManage, PermAuditRead, PermPolicyManage,
	}
}

// Can reports whether any of roles grants permission p. Unknown roles grant
// nothing.
func Can(roles []Role, p Permission) bool {
	for _, r := range roles {
		if slices.Contains(grants[r], p) {
			return true
		}
	}
	return false
}

// Granted returns the permissions that roles grant together, in the order of
// Permissions.
func Granted(roles []Role) []Permission {
	var out []Permission
	for _, p := range Permissions() {
		if Can(roles, p) {
			out = append(out, p)
		}
	}
	return out
}
