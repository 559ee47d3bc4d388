package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// ProductForm is the product form of a submission. It keeps the values as
// the user typed them, by form field name, so that nothing typed is lost
// when the form comes back with problems, a conflict or another empty row.
// The web layer turns the values into a catalog.Proposal and back.
type ProductForm struct {
	// Action is where the form posts: /submissions for the first save,
	// /submissions/{id} afterwards.
	Action string
	// Kind, Target and Organization say what is proposed: a change to the
	// published entry Target or a new product of Organization.
	Kind         workflow.Kind
	Target       string
	Organization string
	// SubmissionID is the saved draft (0 before the first save); Version
	// is the submission version the form was read at (optimistic lock).
	SubmissionID int64
	Version      int
	// Values are the fields by form name ("name", "license.value",
	// "offerings[0].operator", "source[1].url" …).
	Values map[string]string
	// Rows of each repeated group the form shows.
	Offerings, Dependencies, Adoptions, NewSources int
	// Cited are the catalogue's sources the entry cites, numbered from 1;
	// the new source rows are numbered after them. Facts cite both by
	// number.
	Cited      []CitedSource
	Categories []SelectOption
	// Errors are the messages shown next to each field, by form name.
	Errors map[string][]string
	// Problems are all messages for the summary at the top, in order.
	Problems []FormProblem
	// Conflict is set when someone else changed the submission since the
	// form was read; the form keeps the input and shows the current state.
	Conflict *FormConflict
}

// CitedSource is a source already in the catalogue, listed in the form's
// evidence list under its number.
type CitedSource struct {
	Number int
	Key    string
	Title  string
	URL    string
}

// SelectOption is one option of a select field.
type SelectOption struct {
	Value, Label string
}

// FormProblem is one entry of a form's problem summary; Field is the form
// name of the field that shows it, empty when no field does.
type FormProblem struct {
	Field   string
	Message string
}

// FormConflict describes the state of a submission that someone else
// changed while the form was open.
type FormConflict struct {
	// Message says what happened, translated.
	Message string
	State   workflow.State
	// UpdatedAt is when the submission was last changed.
	UpdatedAt time.Time
	// Changes compare the stored proposal with what the form holds now.
	Changes []ChangeRow
}

// Value returns the field's value as typed.
func (f ProductForm) Value(name string) string { return f.Values[name] }

// IsNew reports whether the form proposes a new product.
func (f ProductForm) IsNew() bool { return f.Kind == workflow.KindNew }

// SourceNumber is the evidence number of new source row i (counted from 0).
func (f ProductForm) SourceNumber(i int) int { return len(f.Cited) + i + 1 }

// fieldErrors returns the messages of the field name.
func (f ProductForm) fieldErrors(name string) []string { return f.Errors[name] }

// hasError reports whether the field name has a message.
func (f ProductForm) hasError(name string) bool { return len(f.Errors[name]) > 0 }

// describedBy lists the ids of the hint and the error of field name, for
// aria-describedby ("" when it has neither).
func (f ProductForm) describedBy(name string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, FieldID(name)+"-hint")
	}
	if f.hasError(name) {
		ids = append(ids, FieldID(name)+"-error")
	}
	return strings.Join(ids, " ")
}

// rows returns 0 … n-1, for ranging over a group's rows.
func rows(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// FieldID turns a form name into the element id of its field:
// "offerings[0].operator" becomes "f-offerings-0-operator".
func FieldID(name string) string {
	var b strings.Builder
	b.WriteString("f-")
	dash := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// row builds the form name of field in row i of group ("offerings", 2,
// "operator" gives "offerings[2].operator").
func row(group string, i int, field string) string {
	return group + "[" + strconv.Itoa(i) + "]." + field
}

// kindOptions lists the product kinds for a select.
func (p Page) kindOptions() []SelectOption {
	out := make([]SelectOption, len(catalog.Kinds))
	for i, k := range catalog.Kinds {
		out[i] = SelectOption{string(k), p.KindLabel(k)}
	}
	return out
}

// governanceOptions lists the governance models, unknown first.
func (p Page) governanceOptions() []SelectOption {
	out := []SelectOption{{"", p.T("value.unknown")}}
	for _, g := range catalog.Governances {
		out = append(out, SelectOption{string(g), p.governanceLabel(g)})
	}
	return out
}

// keyOptions lists the key management models, unknown first.
func (p Page) keyOptions() []SelectOption {
	out := []SelectOption{{"", p.T("value.unknown")}}
	for _, k := range catalog.KeyManagements {
		out = append(out, SelectOption{string(k), p.keysLabel(k)})
	}
	return out
}

// roleOptions lists the dependency roles after an empty choice (an empty
// row stays empty).
func (p Page) roleOptions() []SelectOption {
	out := []SelectOption{{"", p.T("submission.form.choose")}}
	for _, r := range catalog.Roles {
		out = append(out, SelectOption{string(r), p.roleLabel(r)})
	}
	return out
}

// accessOptions lists the data access levels after an empty choice.
func (p Page) accessOptions() []SelectOption {
	out := []SelectOption{{"", p.T("submission.form.choose")}}
	for _, a := range catalog.DataAccesses {
		out = append(out, SelectOption{string(a), p.accessLabel(a)})
	}
	return out
}

// criticalityOptions lists the criticalities after an empty choice.
func (p Page) criticalityOptions() []SelectOption {
	out := []SelectOption{{"", p.T("submission.form.choose")}}
	for _, c := range catalog.Criticalities {
		out = append(out, SelectOption{string(c), p.criticalityLabel(c)})
	}
	return out
}

// sourceKindOptions lists the source kinds, best evidence first.
func (p Page) sourceKindOptions() []SelectOption {
	out := make([]SelectOption, len(catalog.SourceKinds))
	for i, k := range catalog.SourceKinds {
		out[i] = SelectOption{string(k), p.sourceKindLabel(k)}
	}
	return out
}

// categoryOptions puts an empty choice before the categories, so a new
// product does not silently land in the first one.
func (p Page) categoryOptions(cats []SelectOption) []SelectOption {
	return append([]SelectOption{{"", p.T("submission.form.choose")}}, cats...)
}

// triOption is one answer of a yes/no/unknown fact.
type triOption struct {
	Value, Label, Suffix string
}

// triOptions are the answers of a yes/no/unknown fact; the first radio
// takes the field's own id, so error links land on it.
func (p Page) triOptions() []triOption {
	return []triOption{
		{string(catalog.Yes), p.T("value.yes"), ""},
		{string(catalog.No), p.T("value.no"), "-no"},
		{string(catalog.Unknown), p.T("value.unknown"), "-unknown"},
	}
}

// triChecked reports whether the radio for option is checked when the
// field holds value; a fact never answered reads as unknown.
func triChecked(value, option string) bool {
	return value == option || (value == "" && option == string(catalog.Unknown))
}

// legendClass sizes a fact's legend: large for the product's own facts,
// plain within an offering, whose own legend is the large one.
func legendClass(top bool) string {
	if top {
		return "kern-label kern-label--large"
	}
	return "kern-label"
}
