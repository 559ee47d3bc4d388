package catalog

import "time"

// Fact is a classification-relevant value with the sources that support it.
// A fact is either known (Known is true and at least one source backs it) or
// explicitly unknown; there is no third, blank state.
type Fact[T any] struct {
	Value   T
	Known   bool
	Sources []string // source keys, see Source.Key
}

// KnownFact returns a known fact backed by the given source keys.
func KnownFact[T any](v T, sources ...string) Fact[T] {
	return Fact[T]{Value: v, Known: true, Sources: sources}
}

// UnknownFact returns an explicitly unknown fact.
func UnknownFact[T any]() Fact[T] { return Fact[T]{} }

// SourceKind says what kind of document a source is; the order of the
// constants is the order of precedence used when facts conflict.
type SourceKind string

// Source kinds, best evidence first.
const (
	SourceRegulatorRegister SourceKind = "regulator_register"
	SourceStatute           SourceKind = "statute"
	SourceCompanyRegister   SourceKind = "company_register"
	SourceVendorLegal       SourceKind = "vendor_legal"
	SourceRepository        SourceKind = "source_repository"
	SourceVendorMarketing   SourceKind = "vendor_marketing"
	SourcePress             SourceKind = "press"
	SourceCommunity         SourceKind = "community"
)

// SourceKinds lists every source kind in order of precedence.
var SourceKinds = []SourceKind{
	SourceRegulatorRegister, SourceStatute, SourceCompanyRegister, SourceVendorLegal,
	SourceRepository, SourceVendorMarketing, SourcePress, SourceCommunity,
}

// Valid reports whether k is a known source kind.
func (k SourceKind) Valid() bool { return contains(SourceKinds, k) }

// Source is one piece of evidence: a document at a URL, read on a given day.
type Source struct {
	Key       string // stable identifier, unique across the catalogue
	URL       string
	Title     string
	Kind      SourceKind
	Retrieved time.Time
}

// Stale reports whether the source was retrieved more than a year before asOf
// and so is due for re-verification.
func (s Source) Stale(asOf time.Time) bool {
	return s.Retrieved.Before(asOf.AddDate(-1, 0, 0))
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
