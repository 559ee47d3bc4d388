package sovereignty

import (
	"fmt"
	"strings"
	"time"
)

// CriterionResult is the level of one criterion for one product, after
// inheritance, with the reason and the facts behind it.
type CriterionResult struct {
	Criterion   Criterion
	Objective   string
	CSFRef      string
	Name        string
	Level       Level  // the shown level; meaningful when Answered
	Answered    bool   // false: every fact it needs is unknown
	Applicable  bool   // false: the criterion does not apply (e.g. governing law of downloaded software)
	Pessimistic Level  // with unknowns at the ladder's worst rung
	Inherited   bool   // the level is set by a dependency, see Path
	Reason      string // English; equals ReasonText.EN
	// OwnLevel and OwnReason are the product's own evaluation before
	// inheritance, for inherited criteria (both legal and availability axes).
	OwnLevel  Level
	OwnReason string // English; equals OwnReasonText.EN
	Facts     []FactRef
	Path      *Path // set when Inherited

	// NameText, ReasonText and OwnReasonText are Name, Reason and
	// OwnReason in German and English.
	NameText      Text
	ReasonText    Text
	OwnReasonText Text
}

// PathStep is one hop of an inheritance path: the provider reached and the
// edge that led to it.
type PathStep struct {
	ProductID   string
	Name        string
	Role        string
	DataAccess  DataAccess
	Criticality Criticality
	Group       string
	Sources     []string
}

// Path explains an inherited level: from the product through its
// dependencies to the product whose own facts set the level.
type Path struct {
	From      string // product name
	Criterion Criterion
	Level     Level
	Steps     []PathStep
	Origin    string // the reason at the end of the path, e.g. "Cloudflare (US) ← US CLOUD Act, …"; equals OriginText.EN

	// FromText and OriginText are From and Origin in German and English
	// (From differs only for a self-hosted profile).
	FromText   Text
	OriginText Text
}

// setOrigin sets the origin in both forms.
func (p *Path) setOrigin(t Text) { p.Origin, p.OriginText = t.EN, t }

// Text renders the path in German or English (see Text.In), with the
// roles and criticalities named in words, e.g. "Le Chat · S2.b RSL-1 ←
// Cloudflare (TLS-terminierendes CDN bzw. Proxy, kritisch) ← Cloudflare,
// Inc. (US) ← US CLOUD Act, 18 U.S.C. § 2713".
func (p *Path) Text(lang string) string {
	pick := func(t Text) string { return t.In(lang) }
	from := pick(p.FromText)
	if from == "" {
		from = p.From
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s · %s %s", from, p.Criterion, p.Level)
	for _, s := range p.Steps {
		fmt.Fprintf(&b, " ← %s (%s, %s", s.Name, pick(RoleLabel(s.Role)), pick(s.Criticality.Label()))
		if s.Group != "" {
			fmt.Fprintf(&b, ", %s %s", pick(tx("Ausfallgruppe", "failover group")), s.Group)
		}
		b.WriteString(")")
	}
	origin := pick(p.OriginText)
	if origin == "" {
		origin = p.Origin
	}
	if origin != "" {
		b.WriteString(" ← " + origin)
	}
	return b.String()
}

// String renders the path as in the methodology, e.g.
// "Le Chat · S2.b RSL-1 ← Cloudflare (cdn_proxy_tls, critical) ← Cloudflare (US) ← US CLOUD Act".
func (p *Path) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s · %s %s", p.From, p.Criterion, p.Level)
	for _, s := range p.Steps {
		fmt.Fprintf(&b, " ← %s (%s, %s", s.Name, s.Role, s.Criticality)
		if s.Group != "" {
			fmt.Fprintf(&b, ", failover %s", s.Group)
		}
		b.WriteString(")")
	}
	if p.Origin != "" {
		b.WriteString(" ← " + p.Origin)
	}
	return b.String()
}

// Reservation is a noted concern that does not set a level: an optional
// feature served from abroad, metadata visible to a foreign provider, a data
// access class nobody recorded.
type Reservation struct {
	Code       string // optional_foreign, metadata_foreign, access_unknown, undisclosed_dependencies
	ProviderID string
	Role       string
	Message    string // English; equals MessageText.EN
	// MessageText is the message in German and English.
	MessageText Text
}

func newReservation(code, provider, role string, msg Text) Reservation {
	return Reservation{Code: code, ProviderID: provider, Role: role, Message: msg.EN, MessageText: msg}
}

// Result is the full, explained classification of one product.
type Result struct {
	Summary
	Name         string
	AsOf         time.Time
	Criteria     []CriterionResult
	Binding      []CriterionResult // the criteria at the overall level: what to fix first
	Coverage     Coverage
	Stale        []FactRef // facts older than 12 months: to re-verify
	Issues       []Issue
	Reservations []Reservation
	SelfHosted   *Profile // set for self-hostable products
}

func (e *Engine) name(v int32) string {
	if n := e.products[v].Name; n != "" {
		return n
	}
	return e.products[v].ID
}

// Result explains the classification of a product. It re-runs the product's
// own rules to collect reasons and facts (cheap) and rebuilds inheritance
// paths from the stored argmin pointers.
func (e *Engine) Result(id string) (Result, error) {
	return e.result(id, nil)
}

// result is Result; with gaps non-nil it collects the products a frozen
// engine lacks for complete paths (see ResultGaps).
func (e *Engine) result(id string, gaps *[]string) (Result, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	v, ok := e.idx[id]
	if !ok || e.removed[v] {
		return Result{}, fmt.Errorf("%w: %q", ErrUnknownProduct, id)
	}
	if e.isFrozen(v) {
		return Result{}, fmt.Errorf("%w: %q", ErrFrozenProduct, id)
	}
	pr := &e.products[v]
	ev := e.cx.evaluate(pr)
	lv := e.effective(v)
	r := Result{Summary: e.sum[v], Name: e.name(v), AsOf: e.asOf, Coverage: ev.coverage, Issues: ev.issues}
	f := &e.eff[v]
	for c := critIdx(0); c < nCrit; c++ {
		info := criteria[c]
		cr := CriterionResult{
			Criterion: info.ID, Objective: info.Objective, CSFRef: info.CSFRef, Name: info.Name, NameText: info.NameText,
			Level: lv[c][opt], Answered: lv[c][opt] != levelNone, Applicable: lv[c][pess] != levelNone,
			Pessimistic: lv[c][pess], ReasonText: ev.why[c], Facts: ev.facts[c],
		}
		if !cr.Answered {
			cr.Level = cr.Pessimistic
		}
		if !cr.Applicable {
			cr.Level, cr.Pessimistic = RSL4, RSL4
		}
		switch c {
		case cS1b, cS2b, cS3b:
			s := map[critIdx]int{cS1b: sS1b, cS2b: sS2b, cS3b: sS3b}[c]
			if f.via[s] >= 0 {
				cr.Inherited = true
				cr.Path = e.path(v, s, lv[c][opt], info.ID, gaps)
			}
		case cS5a:
			cr.ReasonText = s5aReason(lv[c][opt])
			s := sSoft
			if f.v[sCrit][opt] <= RSL1 {
				s = sCrit
			}
			if f.via[s] >= 0 && lv[c][opt] < RSL4 {
				cr.Inherited = true
				cr.Path = e.path(v, s, lv[c][opt], info.ID, gaps)
			}
		}
		if cr.Inherited {
			cr.OwnLevel, cr.OwnReasonText = ev.lv[c][opt], cr.ReasonText
			if cr.OwnLevel == levelNone {
				cr.OwnLevel = RSL4
			}
			if len(cr.Path.Steps) > 0 {
				cr.ReasonText = inheritedText(cr.Path)
			}
		}
		cr.Reason, cr.OwnReason = cr.ReasonText.EN, cr.OwnReasonText.EN
		for i := range cr.Facts {
			cr.Facts[i].Stale = isStale(cr.Facts[i].Retrieved, e.asOf)
		}
		r.Criteria = append(r.Criteria, cr)
		if cr.Answered && cr.Applicable && cr.Level == r.Overall {
			r.Binding = append(r.Binding, cr)
		}
	}
	if len(r.Binding) == 0 {
		// Nothing answered: the pessimistic criteria bind.
		for _, cr := range r.Criteria {
			if cr.Applicable && cr.Pessimistic == r.Overall {
				r.Binding = append(r.Binding, cr)
			}
		}
	}
	seen := map[string]bool{}
	for _, cr := range r.Criteria {
		for _, fr := range cr.Facts {
			k := fr.Subject + "\x00" + fr.Name
			if fr.Stale && !seen[k] {
				seen[k] = true
				r.Stale = append(r.Stale, fr)
			}
		}
	}
	r.Reservations, r.Issues = e.reservations(v, r.Issues)
	r.SelfHosted = e.profile(v, ev, gaps)
	return r, nil
}

// inheritedText explains an inherited level by its first hop and origin.
func inheritedText(p *Path) Text {
	st := p.Steps[0]
	t := txf("geerbt von %s (%s)", "inherited from %s (%s)", st.Name, RoleLabel(st.Role))
	if p.OriginText.IsZero() {
		return t
	}
	return join(t, same(": "), p.OriginText)
}

func s5aReason(l Level) Text {
	switch l {
	case RSL1:
		return tx("ein ausländisch kontrollierter Anbieter auf einem kritischen Pfad ohne heimische Alternative; Abhängigkeiten nicht offengelegt",
			"a foreign-controlled provider on a critical path, no home alternative, dependencies undisclosed")
	case RSL2:
		return tx("ein ausländisch kontrollierter Anbieter auf einem kritischen Pfad ohne heimische Alternative (offengelegt) oder nicht offengelegte ausländische Anbieter",
			"a foreign-controlled provider on a critical path without home alternative (disclosed), or foreign providers undisclosed")
	case RSL3:
		return tx("ausländisch kontrollierte Anbieter nur abseits des kritischen Pfads, offengelegt",
			"foreign-controlled providers only off the critical path, disclosed")
	case RSL4:
		return tx("kein ausländisch kontrollierter Anbieter", "no foreign-controlled provider")
	}
	return tx("Unterauftragsverarbeiter unbekannt: „kein ausländischer Anbieter“ lässt sich nicht bestätigen",
		"sub-processors unknown: \"no foreign provider\" cannot be confirmed")
}

// path follows the argmin pointers of slot s from v to the product whose
// own facts set the level. It is cycle-safe by construction (pointers are
// only set on strict decrease) and guarded by a visited set regardless.
// Where a frozen product's pointer leads out of the catalogue, the path
// stops there and the missing product is added to gaps (when non-nil).
func (e *Engine) path(v int32, s int, l Level, crit Criterion, gaps *[]string) *Path {
	p := &Path{From: e.name(v), FromText: same(e.name(v)), Criterion: crit, Level: l}
	seen := map[int32]bool{v: true}
	for {
		j := e.eff[v].via[s]
		if j < 0 {
			break
		}
		d := e.products[v].Dependencies[j]
		w := e.deps[v][j].prov
		if w < 0 {
			e.gap(gaps, v, j)
			break
		}
		if seen[w] {
			break
		}
		seen[w] = true
		p.Steps = append(p.Steps, PathStep{ProductID: e.products[w].ID, Name: e.name(w), Role: d.Role,
			DataAccess: d.DataAccess, Criticality: d.Criticality, Group: d.Group, Sources: d.Sources})
		// The helper axes switch slots at a hop: a provider contributes its
		// own decision authority (S1.a) or what it inherits.
		if s == sCrit || s == sSoft {
			pf := &e.eff[w]
			if s == sSoft && pf.v[sSoft][opt] == l {
				v = w
				continue
			}
			if e.own[w].lv[cS1a][opt] <= pf.v[sCrit][opt] {
				var cc Text
				for _, id := range e.ownOrgs(w) {
					if ch := e.chain(id); ch.s1a[opt] <= RSL1 {
						cc = ch.why[0]
						break
					}
				}
				p.setOrigin(txf("%s · S1.a %s (%s)", "%s · S1.a %s (%s)", e.name(w), e.own[w].lv[cS1a][opt].String(), cc))
				return p
			}
			s = sCrit
		}
		v = w
	}
	if s == sCrit || s == sSoft {
		return p
	}
	ev := e.cx.evaluate(&e.products[v])
	o := ev.why[slotCrit[s]]
	if s == sS3b {
		o = join(same(e.name(v)+": "), o)
	}
	p.setOrigin(o)
	return p
}

func (e *Engine) ownOrgs(v int32) []string {
	pr := &e.products[v]
	if len(pr.Offerings) == 0 {
		return []string{pr.Vendor}
	}
	var out []string
	for _, o := range pr.Offerings {
		out = append(out, o.Operator)
	}
	return out
}

// reservations lists the concerns that do not set a level (methodology P1
// metadata note, P3 optional edges, P8) and the dangling edges.
func (e *Engine) reservations(v int32, issues []Issue) ([]Reservation, []Issue) {
	var out []Reservation
	pr := &e.products[v]
	if e.own[v].hidden {
		out = append(out, newReservation("undisclosed_dependencies", "", "",
			tx("keine veröffentlichte Liste der Unterauftragsverarbeiter: nicht offengelegte Abhängigkeiten werden im pessimistischen Ergebnis auf der schlechtesten Stufe angenommen",
				"no published sub-processor list: undisclosed dependencies are assumed at the worst level in the pessimistic result")))
	}
	for j, d := range pr.Dependencies {
		w := e.deps[v][j].prov
		if w < 0 || e.removed[w] {
			issues = append(issues, newIssue("unknown_dependency", pr.ID,
				txf("Abhängigkeit von %s; dieser Anbieter steht nicht im Katalog und wird im pessimistischen Ergebnis auf der schlechtesten Stufe gewertet",
					"dependency on %s, which is not in the catalogue; counted at the worst level in the pessimistic result", d.Provider)))
			continue
		}
		ps1a := e.own[w].lv[cS1a][opt]
		name := e.name(w)
		switch {
		case d.Criticality == Optional && (ps1a <= RSL1 || e.eff[w].v[sS2b][opt] <= RSL1):
			out = append(out, newReservation("optional_foreign", d.Provider, d.Role,
				txf("optionale Funktion (%s) nutzt %s, einen ausländisch kontrollierten oder ausländischem Recht ausgesetzten Anbieter",
					"optional feature (%s) uses %s, which is foreign-controlled or exposed to foreign law", RoleLabel(d.Role), name)))
		case !d.DataAccess.readable() && e.eff[w].v[sS2b][opt] <= RSL1:
			out = append(out, newReservation("metadata_foreign", d.Provider, d.Role,
				txf("%s (%s) kann keine Inhalte lesen, sieht aber Metadaten wie Verkehrsmuster",
					"%s (%s) cannot read content but sees metadata such as traffic patterns", name, RoleLabel(d.Role))))
		}
		if d.DataAccess != AccessNone && d.DataAccess != AccessMetadataTechnical && d.DataAccess != AccessEncryptedCustomer && d.DataAccess != AccessPlaintext {
			out = append(out, newReservation("access_unknown", d.Provider, d.Role,
				txf("Datenzugriff von %s (%s) unbekannt: gilt als Zugriff auf Inhalte",
					"data access of %s (%s) unknown: treated as able to read content", name, RoleLabel(d.Role))))
		}
	}
	return out, issues
}
