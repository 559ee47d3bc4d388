package api

import (
	"time"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// explanationDTO says why a product has its level, computed on request from
// the current facts (sovereignty.Result): the binding constraints (the
// criteria at the overall level: what to fix first), every criterion, how
// many core facts are known, which facts are due for re-verification, the
// reservations and input issues, and the self-hosted profile. Every text is
// in German and English; every fact names the keys of its sources.
type explanationDTO struct {
	Perspective  string           `json:"perspective"`
	RuleVersion  string           `json:"rule_version"`
	AsOf         string           `json:"as_of"` // the day stale facts are judged against
	Overall      int              `json:"overall"`
	Pessimistic  int              `json:"pessimistic"`
	Provisional  bool             `json:"provisional"`
	Binding      []criterionDTO   `json:"binding"`
	Criteria     []criterionDTO   `json:"criteria"`
	Coverage     coverageDTO      `json:"coverage"`
	Stale        []factRefDTO     `json:"stale"`
	Reservations []reservationDTO `json:"reservations"`
	Issues       []issueDTO       `json:"issues"`
	SelfHosted   *selfHostedDTO   `json:"self_hosted"`
}

// criterionDTO is one criterion's result. Level is null when every fact it
// needs is unknown (Pessimistic then counts) or it does not apply.
type criterionDTO struct {
	ID          string            `json:"id"`
	Objective   string            `json:"objective"`
	CSFRef      string            `json:"csf_ref"`
	Name        textDTO           `json:"name"`
	Level       *int              `json:"level"`
	Pessimistic int               `json:"pessimistic"`
	Applicable  bool              `json:"applicable"`
	Inherited   bool              `json:"inherited"`
	Reason      textDTO           `json:"reason"`
	Own         *ownEvaluationDTO `json:"own"`
	Path        *pathDTO          `json:"path"`
	Facts       []factRefDTO      `json:"facts"`
}

// ownEvaluationDTO is an inherited criterion's level from the product's
// own facts, before its dependencies lowered it.
type ownEvaluationDTO struct {
	Level  int     `json:"level"`
	Reason textDTO `json:"reason"`
}

// pathDTO is the chain of dependencies an inherited level comes through,
// ending at the origin, the fact that set it; Text renders the whole chain.
type pathDTO struct {
	From      textDTO       `json:"from"`
	Criterion string        `json:"criterion"`
	Level     int           `json:"level"`
	Steps     []pathStepDTO `json:"steps"`
	Origin    textDTO       `json:"origin"`
	Text      textDTO       `json:"text"`
}

// pathStepDTO is one hop: the provider reached and the edge that led to
// it, with the edge's sources.
type pathStepDTO struct {
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	Role        string   `json:"role"`
	DataAccess  string   `json:"data_access"`
	Criticality string   `json:"criticality"`
	Group       *string  `json:"group"`
	Sources     []string `json:"sources"`
	Links       selfLink `json:"links"`
}

// factRefDTO is a fact the rules used: its subject (a product or
// organisation slug), name, value as the rules read it, and evidence.
type factRefDTO struct {
	Subject   string   `json:"subject"`
	Name      string   `json:"name"`
	Value     string   `json:"value"`
	Sources   []string `json:"sources"`
	Retrieved *string  `json:"retrieved"` // a date; null when no source is dated
	Stale     bool     `json:"stale"`
}

type coverageDTO struct {
	Known   int      `json:"known"`
	Total   int      `json:"total"`
	Missing []string `json:"missing"`
}

// reservationDTO is a concern that does not set a level.
type reservationDTO struct {
	Code     string  `json:"code"`
	Provider *string `json:"provider"`
	Role     *string `json:"role"`
	Message  textDTO `json:"message"`
}

// issueDTO is a problem with the input that left a criterion unanswered.
type issueDTO struct {
	Code    string  `json:"code"`
	Subject string  `json:"subject"`
	Message textDTO `json:"message"`
}

// selfHostedDTO is the level achievable when the software is run on one's
// own infrastructure; GeoNeutral is the variant rule in which OSI-licensed
// software counts as sovereign wherever it is developed.
type selfHostedDTO struct {
	Achievable  int            `json:"achievable"`
	Pessimistic int            `json:"pessimistic"`
	Provisional bool           `json:"provisional"`
	GeoNeutral  int            `json:"geo_neutral"`
	Binding     []criterionDTO `json:"binding"`
	Criteria    []criterionDTO `json:"criteria"`
}

func (a *API) toExplanation(r sovereignty.Result) explanationDTO {
	out := explanationDTO{
		Perspective: r.Perspective, RuleVersion: r.RuleVersion, AsOf: r.AsOf.UTC().Format(time.DateOnly),
		Overall: int(r.Overall), Pessimistic: int(r.Pessimistic), Provisional: r.Provisional,
		Binding: a.toCriteria(r.Binding), Criteria: a.toCriteria(r.Criteria),
		Coverage:     coverageDTO{Known: r.Coverage.Known, Total: r.Coverage.Total, Missing: strs(r.Coverage.Missing)},
		Stale:        toFactRefs(r.Stale),
		Reservations: make([]reservationDTO, len(r.Reservations)),
		Issues:       make([]issueDTO, len(r.Issues)),
	}
	for i, rs := range r.Reservations {
		out.Reservations[i] = reservationDTO{Code: rs.Code, Provider: nullable(rs.ProviderID), Role: nullable(rs.Role),
			Message: textOr(rs.MessageText, rs.Message)}
	}
	for i, is := range r.Issues {
		out.Issues[i] = issueDTO{Code: is.Code, Subject: is.Subject, Message: textOr(is.MessageText, is.Message)}
	}
	if p := r.SelfHosted; p != nil {
		out.SelfHosted = &selfHostedDTO{Achievable: int(p.Achievable), Pessimistic: int(p.Pessimistic),
			Provisional: p.Provisional, GeoNeutral: int(p.GeoNeutral),
			Binding: a.toCriteria(p.Binding), Criteria: a.toCriteria(p.Criteria)}
	}
	return out
}

func (a *API) toCriteria(crs []sovereignty.CriterionResult) []criterionDTO {
	out := make([]criterionDTO, len(crs))
	for i, cr := range crs {
		out[i] = criterionDTO{
			ID: string(cr.Criterion), Objective: cr.Objective, CSFRef: cr.CSFRef, Name: textOr(cr.NameText, cr.Name),
			Pessimistic: int(cr.Pessimistic), Applicable: cr.Applicable, Inherited: cr.Inherited,
			Reason: textOr(cr.ReasonText, cr.Reason), Facts: toFactRefs(cr.Facts),
		}
		if cr.Answered && cr.Applicable {
			l := int(cr.Level)
			out[i].Level = &l
		}
		if cr.Inherited {
			out[i].Own = &ownEvaluationDTO{Level: int(cr.OwnLevel), Reason: textOr(cr.OwnReasonText, cr.OwnReason)}
		}
		if cr.Path != nil {
			out[i].Path = a.toPath(cr.Path)
		}
	}
	return out
}

func (a *API) toPath(p *sovereignty.Path) *pathDTO {
	out := &pathDTO{
		From: textOr(p.FromText, p.From), Criterion: string(p.Criterion), Level: int(p.Level),
		Steps:  make([]pathStepDTO, len(p.Steps)),
		Origin: textOr(p.OriginText, p.Origin),
		Text:   textDTO{DE: p.Text("de"), EN: p.Text("en")},
	}
	for i, s := range p.Steps {
		out.Steps[i] = pathStepDTO{Slug: s.ProductID, Name: s.Name, Role: s.Role, DataAccess: string(s.DataAccess),
			Criticality: string(s.Criticality), Group: nullable(s.Group), Sources: strs(s.Sources),
			Links: selfLink{a.link("/products/" + s.ProductID)}}
	}
	return out
}

func toFactRefs(fs []sovereignty.FactRef) []factRefDTO {
	out := make([]factRefDTO, len(fs))
	for i, f := range fs {
		out[i] = factRefDTO{Subject: f.Subject, Name: f.Name, Value: f.Value, Sources: strs(f.Sources), Stale: f.Stale}
		if !f.Retrieved.IsZero() {
			d := f.Retrieved.UTC().Format(time.DateOnly)
			out[i].Retrieved = &d
		}
	}
	return out
}

// textOr maps a bilingual text, falling back to the English-only legacy
// field for either half the rules left empty, so no text is ever blank
// where the rules gave one.
func textOr(t sovereignty.Text, en string) textDTO {
	if t.IsZero() {
		return textDTO{DE: en, EN: en}
	}
	return textDTO{DE: t.In("de"), EN: t.In("en")}
}
