package store

import (
	"context"
	"slices"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// subject identifies what an evidence row is attached to; exactly one
// field is non-zero.
type subject struct {
	organization, ownership, product, offering, certification, dependency, adoption int64
}

type factKey struct {
	subject
	fact string
}

// evidenceSet holds the sources cited for a group of subjects.
type evidenceSet struct {
	byFact  map[factKey][]string
	sources map[string]catalog.Source
}

// of returns the source keys cited for one fact of one subject.
func (e evidenceSet) of(s subject, fact string) []string {
	return e.byFact[factKey{s, fact}]
}

// evidenceOf loads the evidence whose root column ("product_root" or
// "org_root") meets cond (with "?" placeholders for args), with its
// sources: everything one product or organisation cites, in one indexed
// query.
func (s *Store) evidenceOf(ctx context.Context, root, cond string, args ...any) (evidenceSet, error) {
	type row struct {
		Fact            string
		OrganizationID  *int64
		OwnershipID     *int64
		ProductID       *int64
		OfferingID      *int64
		CertificationID *int64
		DependencyID    *int64
		AdoptionID      *int64
		Key             string
		URL             string
		Title           string
		Kind            string
		Retrieved       time.Time
	}
	var rows []row
	err := s.db.WithContext(ctx).Raw(`SELECT e.fact, e.organization_id, e.ownership_id, e.product_id, e.offering_id,
		e.certification_id, e.dependency_id, e.adoption_id, s.key, s.url, s.title, s.kind, s.retrieved
		FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.`+root+` `+cond+` ORDER BY s.key`, args...).Scan(&rows).Error
	if err != nil {
		return evidenceSet{}, translate(err, "evidence")
	}
	set := evidenceSet{byFact: map[factKey][]string{}, sources: map[string]catalog.Source{}}
	for _, r := range rows {
		sub := subject{
			organization: val(r.OrganizationID), ownership: val(r.OwnershipID), product: val(r.ProductID),
			offering: val(r.OfferingID), certification: val(r.CertificationID), dependency: val(r.DependencyID),
			adoption: val(r.AdoptionID),
		}
		k := factKey{sub, r.Fact}
		if !slices.Contains(set.byFact[k], r.Key) {
			set.byFact[k] = append(set.byFact[k], r.Key)
		}
		set.sources[r.Key] = catalog.Source{Key: r.Key, URL: r.URL, Title: r.Title, Kind: catalog.SourceKind(r.Kind), Retrieved: r.Retrieved}
	}
	return set, nil
}

func val(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func triFact(v string, sources []string) catalog.Fact[catalog.Tri] {
	return enumFact(catalog.Tri(v), v != string(catalog.Unknown), sources)
}

func enumFact[T any](v T, known bool, sources []string) catalog.Fact[T] {
	if !known {
		return catalog.Fact[T]{Sources: sources}
	}
	return catalog.KnownFact(v, sources...)
}

func strFact(v *string, sources []string) catalog.Fact[string] {
	if v == nil {
		return catalog.Fact[string]{Sources: sources}
	}
	return catalog.KnownFact(*v, sources...)
}

func countryFact(v string, sources []string) catalog.Fact[catalog.Country] {
	return enumFact(catalog.Country(v), v != string(catalog.UnknownCountry), sources)
}
