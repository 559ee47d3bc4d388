package catalog

import (
	"context"
	"strconv"
	"time"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// ProductLevel is the stored, compact classification of one product under
// one perspective: what listings, facets and badges show. The explanation
// behind it is recomputed on demand (Service.Explain).
type ProductLevel struct {
	Product     string // slug
	Perspective string
	Overall     int
	Pessimistic int
	Provisional bool
	// Objectives are SOV-1 … SOV-6; -1 where nothing is answered.
	Objectives  [6]int
	RuleVersion string
	// Passed is what the product passes on to its dependents under the
	// perspective (see sovereignty.Passed); nil when the stored level was
	// written before it was kept. A product page explains its product
	// from its direct providers' Passed instead of its whole closure.
	Passed *sovereignty.Passed
	// Own is the product's own evaluation under the perspective (see
	// sovereignty.Own); nil when the stored level was written before it
	// was kept, or when the level was read for display.
	Own *sovereignty.Own
}

// LevelCount is how many products of a category have a given overall level
// (-1: not classified yet).
type LevelCount struct {
	Category string
	Level    int
	Count    int
}

// Explanation is a product's explained classification with every source
// its facts cite, including those of providers and owners up the graph.
type Explanation struct {
	sovereignty.Result
	// Sources are the sources the result cites, by key.
	Sources map[string]Source
	// Products is how many products' records the rules read: the upstream
	// closure, or, explained from stored states, the product, its direct
	// providers and the products its paths pass through.
	Products int
}

// explanation builds an Explanation of r, read from sub, with the sources
// r cites.
func explanation(r sovereignty.Result, sub Subgraph) Explanation {
	ex := Explanation{Result: r, Sources: map[string]Source{}, Products: len(sub.Products)}
	cite := func(keys []string) {
		for _, k := range keys {
			if src, ok := sub.Sources[k]; ok {
				ex.Sources[k] = src
			}
		}
	}
	add := func(facts []sovereignty.FactRef) {
		for _, f := range facts {
			cite(f.Sources)
		}
	}
	crit := func(crs []sovereignty.CriterionResult) {
		for _, c := range crs {
			add(c.Facts)
			if c.Path != nil {
				for _, st := range c.Path.Steps {
					cite(st.Sources)
				}
			}
		}
	}
	crit(r.Criteria)
	crit(r.Binding)
	add(r.Stale)
	if r.SelfHosted != nil {
		crit(r.SelfHosted.Criteria)
		crit(r.SelfHosted.Binding)
	}
	return ex
}

// DefaultPerspective is the perspective used when a request names none.
const DefaultPerspective = "eu"

// Subgraph is a self-contained part of the catalogue: products, the
// organisations their rules consult and the sources they cite.
type Subgraph struct {
	Organizations []Organization
	Products      []Product
	Sources       map[string]Source
}

// GraphStore is what classification needs of the storage. Inside an import
// it runs in the import's transaction, so levels are written atomically with
// the change that caused them.
type GraphStore interface {
	// Affected returns the slugs of the given products, of the products whose
	// vendor's or operator's control chain contains one of orgs, and of all
	// their transitive dependents.
	Affected(ctx context.Context, products, orgs []string) ([]string, error)
	// Upstream loads the given products and everything they transitively
	// depend on, with the organisations (and their owners, transitively)
	// and the sources.
	Upstream(ctx context.Context, slugs []string) (Subgraph, error)
	// AllSlugs lists every product.
	AllSlugs(ctx context.Context) ([]string, error)
	// All loads the whole catalogue for a full recomputation: every product
	// as Upstream loads it and the organisations the rules consult
	// (possibly more), but without what the levels do not depend on: the
	// descriptions and the evidence (no fact cites a source, Sources is
	// empty). The rules read evidence only to explain a level.
	All(ctx context.Context) (Subgraph, error)
	// Organizations loads the named organisations and, transitively, their
	// owners, with the sources they cite.
	Organizations(ctx context.Context, slugs []string) ([]Organization, map[string]Source, error)
	// SaveLevels upserts levels and marks the catalogue changed.
	SaveLevels(ctx context.Context, levels []ProductLevel) error
	// StoredLevels returns the stored levels of the given products under
	// every perspective, as the transaction sees them; products without a
	// level (or unknown ones) have no entry.
	StoredLevels(ctx context.Context, slugs []string) ([]ProductLevel, error)
	// StoredStates reads the stored states (own evaluation and passed
	// state) of the products slugs under every perspective and calls fn
	// with each, and the product's position in slugs. Levels of another
	// rule version than ruleVersion, or without either part, are left out.
	StoredStates(ctx context.Context, slugs []string, ruleVersion string, fn func(i int, perspective string, st sovereignty.State)) error
	// Generation returns the catalogue's generation as the transaction
	// sees it: a write counts its change when it saves levels.
	Generation(ctx context.Context) (int64, error)
}

// Changed names what an import wrote.
type Changed struct {
	Products      []string
	Organizations []string
	Sources       []string
}

// Any reports whether anything was written.
func (c Changed) Any() bool { return len(c.Products)+len(c.Organizations)+len(c.Sources) > 0 }

// GraphEdge is one dependency of the in-memory graph used for outage impact.
type GraphEdge struct {
	Consumer, Provider int32 // indexes into the node list
	Role               Role
	Criticality        Criticality
	DataAccess         DataAccess
	Group              string
}

// GraphNode is one product of the in-memory graph.
type GraphNode struct {
	Slug, Name string
}

// toSovereignty converts catalogue entries into the rules engine's input.
// Facts keep their source keys and the latest retrieval date of those
// sources, so the engine can flag stale facts.
func toSovereignty(g Subgraph) sovereignty.Catalogue {
	c := converter{sources: g.Sources}
	cat := sovereignty.Catalogue{
		Organisations: make([]sovereignty.Organisation, 0, len(g.Organizations)),
		Products:      make([]sovereignty.Product, 0, len(g.Products)),
	}
	for _, o := range g.Organizations {
		cat.Organisations = append(cat.Organisations, c.organization(o))
	}
	for _, p := range g.Products {
		cat.Products = append(cat.Products, c.product(p))
	}
	return cat
}

type converter struct {
	sources map[string]Source
}

func (c converter) evidence(keys []string) sovereignty.Evidence {
	var latest time.Time
	for _, k := range keys {
		if s, ok := c.sources[k]; ok && s.Retrieved.After(latest) {
			latest = s.Retrieved
		}
	}
	return sovereignty.Evidence{Sources: keys, Retrieved: latest}
}

func fact[T, U any](c converter, f Fact[T], conv func(T) U) sovereignty.Fact[U] {
	if !f.Known {
		return sovereignty.Fact[U]{}
	}
	return sovereignty.Fact[U]{Value: conv(f.Value), Known: true, Evidence: c.evidence(f.Sources)}
}

func countryString(c Country) string { return string(c) }

func countryStrings(cs []Country) []string {
	out := make([]string, len(cs))
	for i, x := range cs {
		out[i] = string(x)
	}
	return out
}

func triBool(f Fact[Tri]) Fact[Tri] {
	if f.Known && f.Value == Unknown {
		return UnknownFact[Tri]()
	}
	return f
}

func (c converter) organization(o Organization) sovereignty.Organisation {
	out := sovereignty.Organisation{
		ID:                  o.Slug,
		Name:                o.Name,
		RegistrationCountry: fact(c, o.RegistrationCountry, countryString),
		HQCountry:           fact(c, o.HQCountry, countryString),
		PresenceCountries:   fact(c, o.PresenceCountries, countryStrings),
	}
	for _, w := range o.Owners {
		own := sovereignty.Ownership{
			Holder:        w.Holder,
			Control:       sovereignty.ParseTri(string(w.Control)),
			Veto:          sovereignty.ParseTri(string(w.Veto)),
			BoardMajority: sovereignty.ParseTri(string(w.BoardMajority)),
			Evidence:      c.evidence(w.Sources),
		}
		if w.CapitalPct != nil {
			own.Capital = sovereignty.Pct(*w.CapitalPct)
		}
		if w.VotingPct != nil {
			own.Voting = sovereignty.Pct(*w.VotingPct)
		}
		out.Owners = append(out.Owners, own)
	}
	return out
}

func (c converter) product(p Product) sovereignty.Product {
	yes := func(t Tri) bool { return t == Yes }
	out := sovereignty.Product{
		ID:           p.Slug,
		Name:         p.Name,
		Kind:         sovereignty.Kind(p.Kind),
		Vendor:       p.Vendor,
		License:      fact(c, p.License, func(s string) string { return s }),
		Governance:   fact(c, p.Governance, func(g Governance) sovereignty.Governance { return sovereignty.Governance(g) }),
		SelfHostable: fact(c, triBool(p.SelfHostable), yes),
		VendorHosted: fact(c, triBool(p.VendorHosted), yes),
		PhoneHome:    fact(c, triBool(p.PhoneHome), yes),
	}
	// Sized up front: a full recomputation converts a million dependencies.
	if len(p.Offerings) > 0 {
		out.Offerings = make([]sovereignty.Offering, 0, len(p.Offerings))
	}
	if len(p.Dependencies) > 0 {
		out.Dependencies = make([]sovereignty.Dependency, 0, len(p.Dependencies))
	}
	for i, o := range p.Offerings {
		off := sovereignty.Offering{
			ID:       p.Slug + "#" + strconv.Itoa(i),
			Operator: o.Operator,
			DataLocations: fact(c, o.DataLocations, func(ls []DataLocation) []sovereignty.DataLocation {
				out := make([]sovereignty.DataLocation, len(ls))
				for i, l := range ls {
					out[i] = sovereignty.DataLocation{Country: string(l.Country), Purpose: sovereignty.Purpose(l.Purpose)}
				}
				return out
			}),
			SupportLocations: fact(c, o.SupportLocations, countryStrings),
			KeyManagement:    fact(c, o.KeyManagement, func(k KeyManagement) sovereignty.KeyManagement { return sovereignty.KeyManagement(k) }),
			GoverningLaw:     fact(c, o.GoverningLaw, countryString),
			SubprocessorList: fact(c, o.SubprocessorList, func(s string) string { return s }),
		}
		if len(o.Certifications) > 0 {
			off.Certifications = make([]sovereignty.Certification, 0, len(o.Certifications))
		}
		for _, cert := range o.Certifications {
			off.Certifications = append(off.Certifications, sovereignty.Certification{Scheme: cert.Scheme, Evidence: c.evidence(cert.Sources)})
		}
		out.Offerings = append(out.Offerings, off)
	}
	for _, d := range p.Dependencies {
		out.Dependencies = append(out.Dependencies, sovereignty.Dependency{
			Provider: d.Provider, Role: string(d.Role), DataAccess: sovereignty.DataAccess(d.DataAccess),
			Criticality: sovereignty.Criticality(d.Criticality), Group: d.Group, Evidence: c.evidence(d.Sources),
		})
	}
	return out
}

// levelOf turns an engine summary into a stored level.
func levelOf(s sovereignty.Summary) ProductLevel {
	l := ProductLevel{
		Product: s.ProductID, Perspective: s.Perspective, Overall: int(s.Overall), Pessimistic: int(s.Pessimistic),
		Provisional: s.Provisional, RuleVersion: s.RuleVersion, Passed: &s.Passed, Own: &s.Own,
	}
	for i, o := range s.Objectives {
		l.Objectives[i] = -1
		if o.Answered {
			l.Objectives[i] = int(o.Level)
		}
	}
	return l
}
