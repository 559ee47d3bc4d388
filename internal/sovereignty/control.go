package sovereignty

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SecNumCloud 3.2 §19.6.b thresholds: foreign entities may hold at most 24 %
// individually and 39 % collectively of capital and voting rights, directly
// or indirectly. (Not "at least 24 % EU-owned", a common misreading.)
const (
	maxForeignSingle = 24.0
	maxForeignTotal  = 39.0
	// pctTolerance absorbs rounding in published shareholder tables.
	pctTolerance = 0.01
)

// FactRef names one fact that a rule used, with its sources, so that every
// level can be traced back to evidence.
type FactRef struct {
	Subject   string // product or organisation ID
	Name      string // e.g. "hq_country", "owner:alphabet", "data_locations"
	Value     string
	Sources   []string
	Retrieved time.Time
	Stale     bool // older than 12 months at the result's AsOf date
}

// Issue is a problem with the input that the rules refused to paper over,
// e.g. shareholdings adding up to more than 100 %. A criterion touched by
// an issue is left unanswered (and so pessimistic), never silently wrong.
type Issue struct {
	Code    string // ownership_over_100, ownership_out_of_range, ownership_contradiction, unknown_organisation, unknown_dependency
	Subject string
	Message string // English; equals MessageText.EN
	// MessageText is the message in German and English.
	MessageText Text
}

// newIssue builds an issue with its message in both languages.
func newIssue(code, subject string, msg Text) Issue {
	return Issue{Code: code, Subject: subject, Message: msg.EN, MessageText: msg}
}

// Controller is one member of a control set C(o): the organisation itself or
// an entity that controls it, directly or indirectly.
type Controller struct {
	OrgID   string
	Name    string
	Country string // the first foreign (or unknown) country, else the registration country
	Home    bool
	Known   bool
	Depth   int     // 0 = the organisation itself
	Share   float64 // its indirect stake in the organisation, 0–1 (1 where not recorded)
}

// ControlChain is the result of walking ownership edges up from one
// organisation. It is computed twice: optimistically (unknown control and
// unknown countries resolved in the organisation's favour) and
// pessimistically; the two agree when the facts are complete.
type ControlChain struct {
	OrgID       string
	Controllers []Controller // pessimistic walk: the superset
	// ForeignSingle and ForeignTotal are the largest single and the summed
	// foreign holdings in percent (pessimistic walk), for SecNumCloud 19.6.b.
	ForeignSingle float64
	ForeignTotal  float64
	Issues        []Issue
	Facts         []FactRef

	answered  bool     // the organisation's own country is known
	s1a, s1b  [2]Level // [optimistic, pessimistic]
	s2b       [2]Level
	consulted []string
	why       [3]Text // origin texts for S1.a, S1.b, S2.b
}

const (
	opt  = 0
	pess = 1
)

type orgCountries struct {
	countries []string // known registration/HQ countries
	unknown   bool     // some country unknown
}

func countriesOf(o *Organisation) orgCountries {
	var oc orgCountries
	if o == nil {
		oc.unknown = true
		return oc
	}
	for _, f := range []Fact[string]{o.RegistrationCountry, o.HQCountry} {
		c, ok := normCountry(f.Value)
		if !f.Known || !ok {
			oc.unknown = true
			continue
		}
		if !slices.Contains(oc.countries, c) {
			oc.countries = append(oc.countries, c)
		}
	}
	return oc
}

// homeStatus: foreign if any known country is foreign; unknown if some
// country is unknown and none is foreign; home otherwise.
func homeStatus(p *Perspective, oc orgCountries) (home, known bool) {
	for _, c := range oc.countries {
		if h, _ := p.IsHome(c); !h {
			return false, true
		}
	}
	if oc.unknown {
		return false, false
	}
	return true, true
}

// controls decides whether an ownership edge confers control (methodology
// §8.3: >50 % of votes, a veto, the board majority, or decisive influence
// as judged by the curator). Voting rights are used where recorded, capital
// as a proxy otherwise. Returns yes, no or unknown.
func controls(o Ownership) Tri {
	votes := o.Voting
	if !votes.Known {
		votes = o.Capital
	}
	if o.Control == TriYes || o.Veto == TriYes || o.BoardMajority == TriYes || (votes.Known && votes.Value > 50) {
		return TriYes
	}
	if o.Control == TriNo || (votes.Known && o.Veto == TriNo && o.BoardMajority == TriNo) {
		return TriNo
	}
	return TriUnknown
}

func stakeOf(o Ownership) Percent {
	switch {
	case o.Capital.Known && o.Voting.Known:
		return Pct(max(o.Capital.Value, o.Voting.Value))
	case o.Capital.Known:
		return o.Capital
	}
	return o.Voting
}

// ownershipIssues checks the holders of one organisation for figures that
// cannot all be true.
func ownershipIssues(o *Organisation) []Issue {
	var out []Issue
	var capSum, voteSum float64
	for _, w := range o.Owners {
		for _, p := range []Percent{w.Capital, w.Voting} {
			if p.Known && (p.Value < 0 || p.Value > 100+pctTolerance) {
				out = append(out, newIssue("ownership_out_of_range", o.ID, txf("%s hält laut Erfassung %s an %s (außerhalb von 0–100 %%)",
					"%s holds %s of %s", w.Holder, pct2(p.Value), o.ID)))
			}
		}
		if w.Capital.Known {
			capSum += w.Capital.Value
		}
		if w.Voting.Known {
			voteSum += w.Voting.Value
		}
		if w.Control == TriNo && w.Voting.Known && w.Voting.Value > 50 {
			out = append(out, newIssue("ownership_contradiction", o.ID, txf("%s ist ohne Kontrolle erfasst, hält aber %s der Stimmrechte an %s",
				"%s is recorded without control but with %s of the votes of %s", w.Holder, pct2(w.Voting.Value), o.ID)))
		}
		if w.Holder == o.ID {
			out = append(out, newIssue("ownership_contradiction", o.ID, txf("%s ist als Inhaber eigener Anteile an sich selbst erfasst", "%s is recorded as holding itself", o.ID)))
		}
	}
	if capSum > 100+pctTolerance {
		out = append(out, newIssue("ownership_over_100", o.ID, txf("die erfassten Kapitalanteile an %s ergeben zusammen %s",
			"recorded capital shares of %s add up to %s", o.ID, pct2(capSum))))
	}
	if voteSum > 100+pctTolerance {
		out = append(out, newIssue("ownership_over_100", o.ID, txf("die erfassten Stimmrechtsanteile an %s ergeben zusammen %s",
			"recorded voting shares of %s add up to %s", o.ID, pct2(voteSum))))
	}
	return out
}

// walkControl computes the control chain of org: criteria S1.a (decision
// authority), S1.b's vendor part (suspension regimes) and S2.b's own part
// (disclosure regimes on the controllers, and on the organisation's own
// presence countries). The walk keeps a visited set, so ownership cycles
// (A holds B holds A) terminate.
func walkControl(orgs map[string]*Organisation, p *Perspective, ref *Reference, orgID string) *ControlChain {
	cc := &ControlChain{OrgID: orgID}
	root := orgs[orgID]
	if root == nil {
		cc.Issues = append(cc.Issues, newIssue("unknown_organisation", orgID, txf("Organisation %s ist nicht im Katalog", "organisation %s is not in the catalogue", orgID)))
	}
	cc.answered = root != nil && len(countriesOf(root).countries) > 0

	for mode := opt; mode <= pess; mode++ {
		type mem struct {
			id    string
			share float64
			depth int
		}
		members := []mem{{orgID, 1, 0}}
		seen := map[string]bool{orgID: true}
		foreign := map[string]float64{}
		foreignUnknownStake := false
		for i := 0; i < len(members); i++ {
			m := members[i]
			o := orgs[m.id]
			if mode == pess {
				cc.consulted = append(cc.consulted, m.id)
			}
			if o == nil {
				continue
			}
			if mode == pess {
				cc.Issues = append(cc.Issues, ownershipIssues(o)...)
			}
			for _, w := range o.Owners {
				if mode == pess {
					cc.consulted = append(cc.consulted, w.Holder)
					cc.Facts = append(cc.Facts, FactRef{Subject: o.ID, Name: "owner:" + w.Holder,
						Value: ownershipText(w), Sources: w.Sources, Retrieved: w.Retrieved})
				}
				c := controls(w)
				st := stakeOf(w)
				hs, hk := homeStatus(p, countriesOf(orgs[w.Holder]))
				isForeign := !hs && (hk || mode == pess)
				if isForeign && w.Holder != o.ID {
					if st.Known {
						foreign[w.Holder] += st.Value * m.share
					} else if mode == pess {
						foreignUnknownStake = true
					}
				}
				if (c == TriYes || (c == TriUnknown && mode == pess)) && !seen[w.Holder] {
					seen[w.Holder] = true
					share := m.share
					if st.Known {
						share *= st.Value / 100
					}
					members = append(members, mem{w.Holder, share, m.depth + 1})
				}
			}
		}
		var single, total float64
		for _, v := range foreign {
			single = max(single, v)
			total += v
		}
		if foreignUnknownStake {
			single, total = 100, 100
		}
		// Evaluate the three criteria over the member set.
		s1a, s1b, s2b := RSL4, RSL4, RSL4
		why := [3]Text{}
		for _, m := range members {
			o := orgs[m.id]
			oc := countriesOf(o)
			home, known := homeStatus(p, oc)
			foreignNow := !home && (known || mode == pess)
			if mode == pess {
				cc.Controllers = append(cc.Controllers, Controller{OrgID: m.id, Name: orgName(o, m.id),
					Country: pickCountry(p, oc), Home: home, Known: known, Depth: m.depth, Share: m.share})
				if o != nil {
					cc.Facts = append(cc.Facts, countryFacts(o)...)
				}
			}
			if foreignNow && s1a > RSL1 {
				s1a = RSL1
				switch {
				case !known && m.depth == 0:
					why[0] = txf("%s: Land unbekannt, in der pessimistischen Stufe als ausländisch gewertet",
						"%s: country unknown, counted as foreign in the pessimistic level", orgLabel(o, m.id, oc))
				case !known:
					why[0] = txf("kontrolliert von %s: Land unbekannt, in der pessimistischen Stufe als ausländisch gewertet",
						"controlled by %s: country unknown, counted as foreign in the pessimistic level", orgLabel(o, m.id, oc))
				case m.depth == 0:
					why[0] = txf("%s ist ein ausländisches Unternehmen", "%s is foreign", orgLabel(o, m.id, oc))
				default:
					why[0] = txf("kontrolliert von %s", "controlled by %s", orgLabel(o, m.id, oc))
				}
			}
			// Regimes reach the controllers through their own countries.
			for _, r := range regimeHits(p, ref, oc.countries) {
				if r.compels(CompelsSuspension) && s1b > RSL0 {
					s1b = RSL0
					why[1] = join(orgLabel(o, m.id, oc), same(" ← "), r.suspensionText())
				}
				if (r.compels(CompelsContent) || r.compels(CompelsMetadata)) && s2b > RSL1 {
					s2b = RSL1
					why[2] = join(orgLabel(o, m.id, oc), same(" ← "), r.Label())
				}
			}
			if oc.unknown && mode == pess {
				if s1b > RSL0 {
					why[1] = txf("%s: Land unbekannt, in der pessimistischen Stufe als abschaltbar gewertet",
						"%s: country unknown, counted as open to forced suspension in the pessimistic level", orgLabel(o, m.id, oc))
				}
				if s2b > RSL1 {
					why[2] = txf("%s: Land unbekannt, in der pessimistischen Stufe als ausländischem Recht ausgesetzt gewertet",
						"%s: country unknown, counted as exposed to foreign law in the pessimistic level", orgLabel(o, m.id, oc))
				}
				s1b, s2b = RSL0, minL(s2b, RSL1)
			}
		}
		// The operator's own presence countries are a nexus too (e.g. a
		// US branch brings the CLOUD Act).
		if root != nil {
			pc := root.PresenceCountries
			if pc.Known {
				var cs []string
				for _, c := range pc.Value {
					if n, ok := normCountry(c); ok {
						cs = append(cs, n)
					}
				}
				for _, r := range regimeHits(p, ref, cs) {
					if (r.compels(CompelsContent) || r.compels(CompelsMetadata)) && s2b > RSL1 {
						s2b = RSL1
						why[2] = join(txf("%s (Niederlassung in %s) ← ", "%s (presence in %s) ← ", orgName(root, orgID), r.Jurisdiction), r.Label())
					}
				}
				if mode == pess {
					cc.Facts = append(cc.Facts, FactRef{Subject: orgID, Name: "presence_countries", Value: strings.Join(pc.Value, ", "), Sources: pc.Sources, Retrieved: pc.Retrieved})
				}
			} else if mode == pess {
				if s2b > RSL1 {
					why[2] = txf("Niederlassungen von %s unbekannt: in der pessimistischen Stufe als ausländischem Recht ausgesetzt gewertet",
						"presence countries of %s unknown: counted as exposed to foreign law in the pessimistic level", orgName(root, orgID))
				}
				s2b = minL(s2b, RSL1)
			}
		}
		if s1a == RSL4 && (single > maxForeignSingle+pctTolerance || total > maxForeignTotal+pctTolerance) {
			s1a = RSL3
			why[0] = txf("ausländische Beteiligungen von %s (größte einzelne) bzw. %s (insgesamt) überschreiten die SecNumCloud-Grenzen von 24 %% bzw. 39 %%",
				"foreign holdings %s single / %s total exceed SecNumCloud 24/39 %%", pct1(single), pct1(total))
		}
		if mode == pess {
			cc.ForeignSingle, cc.ForeignTotal = single, total
		}
		cc.s1a[mode], cc.s1b[mode], cc.s2b[mode] = s1a, s1b, s2b
		if mode == opt {
			cc.why = why
		} else {
			for k := range why {
				if cc.why[k].IsZero() {
					cc.why[k] = why[k]
				}
			}
		}
	}
	if !cc.answered {
		cc.s1a[opt], cc.s1b[opt], cc.s2b[opt] = levelNone, levelNone, levelNone
	}
	if len(cc.Issues) > 0 {
		// Contradictory figures: the thresholds cannot be evaluated, so the
		// decision-authority criterion is left unanswered (pessimistic) and
		// the issue is reported, rather than a level computed from a sum
		// that cannot be true.
		cc.s1a[opt] = levelNone
		if root == nil {
			cc.why[0] = txf("Organisation %s ist nicht im Katalog: Entscheidungsgewalt bleibt unbeantwortet (in der pessimistischen Stufe %s)",
				"organisation %s is not in the catalogue: decision authority left unanswered (pessimistic level %s)", orgID, cc.s1a[pess].String())
		} else {
			cc.why[0] = txf("widersprüchliche Beteiligungsangaben zu %s: Entscheidungsgewalt bleibt unbeantwortet (in der pessimistischen Stufe %s)",
				"contradictory ownership figures for %s: decision authority left unanswered (pessimistic level %s)", orgName(root, orgID), cc.s1a[pess].String())
		}
	}
	return cc
}

func regimeHits(p *Perspective, ref *Reference, countries []string) []*Regime {
	var out []*Regime
	for _, c := range countries {
		if h, _ := p.IsHome(c); h || c == "EU" {
			continue
		}
		out = append(out, ref.regimesFor(c)...)
	}
	return out
}

func pickCountry(p *Perspective, oc orgCountries) string {
	for _, c := range oc.countries {
		if h, _ := p.IsHome(c); !h {
			return c
		}
	}
	if oc.unknown {
		return "unknown"
	}
	if len(oc.countries) > 0 {
		return oc.countries[0]
	}
	return "unknown"
}

func orgName(o *Organisation, id string) string {
	if o != nil && o.Name != "" {
		return o.Name
	}
	return id
}

func orgLabel(o *Organisation, id string, oc orgCountries) Text {
	cs := strings.Join(oc.countries, "/")
	if !oc.unknown {
		return same(orgName(o, id) + " (" + cs + ")")
	}
	if cs != "" {
		cs += "/"
	}
	return txf("%s (%sunbekannt)", "%s (%sunknown)", orgName(o, id), cs)
}

// pct1 and pct2 render a percentage with one or two decimals, with the
// decimal separator of each language ("30,0 %" / "30.0 %").
func pct1(v float64) Text { return pctText(v, 1) }
func pct2(v float64) Text { return pctText(v, 2) }

func pctText(v float64, prec int) Text {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	return Text{DE: strings.Replace(s, ".", ",", 1) + " %", EN: s + " %"}
}

func countryFacts(o *Organisation) []FactRef {
	var out []FactRef
	for _, f := range []struct {
		n string
		v Fact[string]
	}{{"registration_country", o.RegistrationCountry}, {"hq_country", o.HQCountry}} {
		v := f.v.Value
		if !f.v.Known {
			v = "unknown"
		}
		out = append(out, FactRef{Subject: o.ID, Name: f.n, Value: v, Sources: f.v.Sources, Retrieved: f.v.Retrieved})
	}
	return out
}

func ownershipText(w Ownership) string {
	var b strings.Builder
	if w.Capital.Known {
		fmt.Fprintf(&b, "capital %.2f %%; ", w.Capital.Value)
	}
	if w.Voting.Known {
		fmt.Fprintf(&b, "voting %.2f %%; ", w.Voting.Value)
	}
	fmt.Fprintf(&b, "control %s; veto %s; board majority %s", w.Control, w.Veto, w.BoardMajority)
	return b.String()
}
