package auth

// MayEditOrganization reports whether u may draft and propose entries and
// changes for the organisation orgSlug: a vendor, and only for the
// organisations it is a member of.
func MayEditOrganization(u User, orgSlug string) bool {
	return u.Can(PermSubmissionCreate) && u.MemberOf(orgSlug)
}

// MayReview reports whether u may review (comment on, request changes to,
// approve or reject) a proposal authored by the user with ID authorID for the
// organisation orgSlug.
//
// A reviewer never reviews what they authored themselves, nor proposals for an
// organisation they are a member of. It fails closed: a user or author not
// yet saved (ID 0) cannot be proven to differ, so the answer is false.
func MayReview(u User, authorID int64, orgSlug string) bool {
	if !u.Can(PermSubmissionReview) {
		return false
	}
	if u.ID == 0 || authorID == 0 || u.ID == authorID {
		return false
	}
	return !u.MemberOf(orgSlug)
}

// MayApprove reports whether u may approve or reject the proposal described as
// for MayReview: every rule of MayReview plus PermSubmissionApprove. The
// four-eyes rule across several approvals belongs to the workflow.
func MayApprove(u User, authorID int64, orgSlug string) bool {
	return u.Can(PermSubmissionApprove) && MayReview(u, authorID, orgSlug)
}
