package views

import (
	"strconv"
	"strings"
	"time"
)

// AdminErrors maps a form field's name to its translated message; a field
// without an entry is fine.
type AdminErrors map[string]string

// AdminOption is a value offered in a form with its label.
type AdminOption struct {
	Value, Label string
}

// AdminHomeProps says which admin pages the signed-in user may open.
type AdminHomeProps struct {
	Users, Categories, Policy, Audit bool
}

// AdminUserRow is one user on the users page, with the values of its
// assignment form (kept as typed when they were refused).
type AdminUserRow struct {
	ID                 int64
	Name, Email        string
	Issuer             string
	ClaimRoles         []string
	ClaimOrganizations []string
	// AssignedRoles are the checked role boxes.
	AssignedRoles []string
	// Organizations is the text of the organisations field (slugs).
	Organizations string
	Version       int
	Errors        AdminErrors
	// Conflict says the user changed while the form was open; the row
	// then shows the current values.
	Conflict bool
}

// AdminUsersProps is the users page.
type AdminUsersProps struct {
	Rows []AdminUserRow
	// Roles are the roles an admin can assign, labelled.
	Roles []AdminOption
	// Organizations are suggested for the organisations field.
	Organizations []AdminOption
}

// AdminCategoryRow is one category on the categories page, or the form
// that adds one (Version 0).
type AdminCategoryRow struct {
	Slug, NameDE, NameEN string
	Products             int
	Version              int
	Errors               AdminErrors
	Conflict             bool
}

// AdminCategoriesProps is the categories page.
type AdminCategoriesProps struct {
	Rows []AdminCategoryRow
	New  AdminCategoryRow
}

// AdminPolicyProps is the approval policy form.
type AdminPolicyProps struct {
	// RequiredApprovals and ClarificationDays are the fields' text.
	RequiredApprovals, ClarificationDays string
	Version                              int
	MaxApprovals, MaxDays                int
	Errors                               AdminErrors
	Conflict                             bool
}

// AdminAuditFilter holds the audit filter's fields as typed.
type AdminAuditFilter struct {
	Actor, Action, Subject, From, To, Limit string
}

// AdminAuditRow is one audit event as the table shows it.
type AdminAuditRow struct {
	ID        int64
	At        time.Time
	Actor     string
	ActorName string
	Session   string
	Action    string
	Subject   string
	// Before and After are compact JSON, empty for none.
	Before, After string
	// ActorURL, ActionURL and SubjectURL filter the log by the value.
	ActorURL, ActionURL, SubjectURL string
}

// AdminAuditProps is the audit log page.
type AdminAuditProps struct {
	Filter AdminAuditFilter
	Errors AdminErrors
	// Actors are the users to filter by.
	Actors []AdminOption
	Rows   []AdminAuditRow
	// OlderURL continues with older events, NewestURL returns to the
	// newest; empty when there is nothing to go to.
	OlderURL, NewestURL string
	// CSVURL and JSONLinesURL export every event the filter selects;
	// empty when the filter is invalid.
	CSVURL, JSONLinesURL string
}

// errClass returns the KERN classes of a form element: base, plus its
// error modifier when field name has a message.
func (e AdminErrors) errClass(base, name string) string {
	if e[name] != "" {
		return base + " " + base + "--error"
	}
	return base
}

// describedBy joins the ids of a field's hint and, when it has one, its
// error message, for aria-describedby.
func (e AdminErrors) describedBy(name, hintID, errorID string) string {
	var ids []string
	if hintID != "" {
		ids = append(ids, hintID)
	}
	if e[name] != "" {
		ids = append(ids, errorID)
	}
	return strings.Join(ids, " ")
}

// adminUserFormID is the id of a user row's form, which the row's fields name
// in their form attribute (a form cannot wrap a table row).
func adminUserFormID(id int64) string { return "user-" + strconv.FormatInt(id, 10) }

// adminCategoryFormID is the id of a category row's form.
func adminCategoryFormID(slug string) string { return "category-" + slug }

// adminChecked reports whether v is in list.
func adminChecked(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// adminList lists values, or a dash for none.
func adminList(values []string) string {
	if len(values) == 0 {
		return "–"
	}
	return strings.Join(values, ", ")
}

// adminTime formats an event's time in UTC, to the second.
func adminTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") + " UTC" }

// adminSession shortens a session id (a hash) for the table; the full
// value is in the title.
func adminSession(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}

// adminUsersInvalid reports whether a row's input was refused.
func adminUsersInvalid(rows []AdminUserRow) bool {
	for _, r := range rows {
		if len(r.Errors) > 0 {
			return true
		}
	}
	return false
}

// adminUsersConflict reports whether a row changed while its form was open.
func adminUsersConflict(rows []AdminUserRow) bool {
	for _, r := range rows {
		if r.Conflict {
			return true
		}
	}
	return false
}

// adminCategoriesInvalid reports whether a category form's input was
// refused.
func adminCategoriesInvalid(props AdminCategoriesProps) bool {
	if len(props.New.Errors) > 0 {
		return true
	}
	for _, r := range props.Rows {
		if len(r.Errors) > 0 {
			return true
		}
	}
	return false
}

// adminCategoriesConflict reports whether a category changed while its
// form was open.
func adminCategoriesConflict(rows []AdminCategoryRow) bool {
	for _, r := range rows {
		if r.Conflict {
			return true
		}
	}
	return false
}

// adminHintID is id when the field has a hint, else empty.
func adminHintID(hint, id string) string {
	if hint == "" {
		return ""
	}
	return id
}

// adminApprovalOption reports whether v is one of the approval counts the
// select offers; a refused value gets an option of its own, so it is kept.
func adminApprovalOption(v string, maxApprovals int) bool {
	n, err := strconv.Atoi(v)
	return err == nil && strconv.Itoa(n) == v && n >= 1 && n <= maxApprovals
}

// adminAuditLimits are the page sizes the audit filter offers.
func adminAuditLimits() []int { return []int{25, 50, 100, 200} }

// adminLimitOffered reports whether v is one of adminAuditLimits; another
// value gets an option of its own, so it is kept.
func adminLimitOffered(v string) bool {
	for _, n := range adminAuditLimits() {
		if strconv.Itoa(n) == v {
			return true
		}
	}
	return false
}
