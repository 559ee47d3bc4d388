package sovereignty

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Coverage counts the core facts (methodology §8.2) that are known.
type Coverage struct {
	Known   int
	Total   int
	Missing []string // names of the unknown core facts, e.g. "offering[0].key_management"
}

// Complete reports whether every core fact is known.
func (c Coverage) Complete() bool { return c.Known == c.Total }

// ownEval is the product's own evaluation, before inheritance. Levels are
// pairs [optimistic, pessimistic]; levelNone in the optimistic slot means
// unanswered, in both slots "not applicable".
//
// The levels are computed for every product and perspective of a full
// recomputation; the explanation (why, facts, issues, the names of the
// missing facts) only for Result. Building the explanation is most of the
// rules' cost (formatted texts, fact lists), so it is done only when
// explain is set; the levels never depend on it.
type ownEval struct {
	explain   bool
	lv        [nCrit][2]Level
	why       [nCrit]Text
	facts     [nCrit][]FactRef
	issues    []Issue
	anyIssue  bool // some issue applies (issues lists them when explain is set)
	coverage  Coverage
	disclosed [2]bool // a sub-processor list is published: S5.a
	hidden    bool    // P8: undisclosed dependencies (pessimistic synthetic edge)
	osi       [2]bool
	vendorS1a [2]Level
}

// core counts one core fact (methodology §8.2); the name of a missing one,
// the concatenation of name, is kept only for an explanation.
func (ev *ownEval) core(ok bool, name ...string) {
	cov := &ev.coverage
	cov.Total++
	if ok {
		cov.Known++
	} else if ev.explain {
		cov.Missing = append(cov.Missing, strings.Join(name, ""))
	}
}

func na() [2]Level { return [2]Level{levelNone, levelNone} }

func unknownAt(worst Level) [2]Level { return [2]Level{levelNone, worst} }

func known(l Level) [2]Level { return [2]Level{l, l} }

// evalContext is what the rules need from the engine: the catalogue's
// organisations (through the cached control chains), the perspective, the
// reference data and the date.
type evalContext struct {
	p     *Perspective
	ref   *Reference
	chain func(orgID string) *ControlChain
	e     *Engine
}

// evaluate evaluates a product's own facts with their explanation.
func (cx *evalContext) evaluate(pr *Product) *ownEval {
	ev := &ownEval{explain: true}
	cx.eval(pr, ev)
	return ev
}

// eval evaluates a product's own facts into ev, with the explanation if
// ev.explain is set. ev must be zero apart from explain.
func (cx *evalContext) eval(pr *Product, ev *ownEval) {
	for i := range ev.lv {
		ev.lv[i] = na()
	}

	// Responsible organisations: the operators of the offerings, or the
	// vendor of software that is only downloaded. (A local buffer: one
	// allocation less per product and perspective.)
	var buf [4]string
	orgs := buf[:0]
	if len(pr.Offerings) > 0 {
		for _, of := range pr.Offerings {
			if !slices.Contains(orgs, of.Operator) {
				orgs = append(orgs, of.Operator)
			}
		}
	} else {
		orgs = append(orgs, pr.Vendor)
	}
	for _, id := range orgs {
		cc := cx.chain(id)
		ev.anyIssue = ev.anyIssue || len(cc.Issues) > 0
		if ev.explain {
			ev.issues = append(ev.issues, cc.Issues...)
		}
		ev.core(cc.answered && cc.s1a[opt] == cc.s1a[pess] && cc.s1b[opt] == cc.s1b[pess], "control_chain:", id)
		if o := cx.e.orgs[id]; o != nil {
			ev.core(o.PresenceCountries.Known, "presence_countries:", id)
		} else {
			ev.core(false, "presence_countries:", id)
		}
		mergeMin(&ev.lv[cS1a], cc.s1a, &ev.why[cS1a], cc.why[0])
		mergeMin(&ev.lv[cS1b], cc.s1b, &ev.why[cS1b], cc.why[1])
		if len(pr.Offerings) > 0 {
			// Software that is only downloaded holds no customer data, so its
			// vendor's exposure matters only through phone-home edges.
			mergeMin(&ev.lv[cS2b], cc.s2b, &ev.why[cS2b], cc.why[2])
		}
		if ev.explain {
			ev.facts[cS1a] = append(ev.facts[cS1a], cc.Facts...)
			ev.facts[cS1b] = append(ev.facts[cS1b], cc.Facts...)
			ev.facts[cS2b] = append(ev.facts[cS2b], cc.Facts...)
		}
	}
	if ev.why[cS1b].IsZero() && ev.lv[cS1b][opt] == RSL4 {
		ev.why[cS1b] = tx("kein Kontrollierender unter einem Regime, das eine Abschaltung erzwingen kann",
			"no controller under a regime that can force suspension")
	}
	if ev.why[cS2b].IsZero() && ev.lv[cS2b][opt] == RSL4 {
		ev.why[cS2b] = tx("weder ein Kontrollierender noch eine Niederlassung unter einem ausländischen Regime, das die Herausgabe von Daten erzwingt",
			"no controller or presence under a foreign disclosure regime")
	}
	if ev.why[cS1a].IsZero() && ev.lv[cS1a][opt] == RSL4 {
		ev.why[cS1a] = tx("alle Kontrollierenden sind heimisch; ausländische Beteiligungen innerhalb von 24 % (einzeln) bzw. 39 % (insgesamt)",
			"every controller is at home; foreign holdings within 24 % single / 39 % total")
	}

	cx.licence(pr, ev)

	for i := range pr.Offerings {
		cx.offering(pr, i, ev)
	}
	if !ev.explain {
		return
	}
	// Every criterion gets a reason, also when it is unanswered or does not
	// apply, so that no explanation is ever blank.
	for c := range ev.why {
		if ev.why[c].IsZero() {
			ev.why[c] = unansweredText(ev.lv[c])
		}
	}
}

// mergeMin folds one more evaluation into a criterion (weakest link),
// keeping the reason of whichever is lower.
func mergeMin(dst *[2]Level, v [2]Level, why *Text, w Text) {
	if v[opt] < dst[opt] || why.IsZero() {
		if !w.IsZero() {
			*why = w
		}
	}
	dst[opt] = minL(dst[opt], v[opt])
	dst[pess] = minL(dst[pess], v[pess])
}

// licence evaluates the criteria that come from the software itself: S1.c
// roadmap control and S6.a open source.
func (cx *evalContext) licence(pr *Product, ev *ownEval) {
	lf := &pr.License
	ev.core(lf.Known, "license")
	ev.core(pr.Governance.Known && pr.Governance.Value != GovUnknown, "governance")
	ev.core(pr.SelfHostable.Known, "self_hostable")
	if !pr.SelfHostable.Known || pr.SelfHostable.Value {
		ev.core(pr.PhoneHome.Known, "phone_home")
	}
	lic := "unknown"
	if lf.Known {
		lic = lf.Value
	}
	gov := string(GovUnknown)
	if pr.Governance.Known {
		gov = string(pr.Governance.Value)
	}
	var facts []FactRef
	if ev.explain {
		ref := func(name, v string, e Evidence) FactRef {
			return FactRef{Subject: pr.ID, Name: name, Value: v, Sources: e.Sources, Retrieved: e.Retrieved}
		}
		facts = []FactRef{ref("license", lic, lf.Evidence), ref("governance", gov, pr.Governance.Evidence)}
	}

	switch {
	case pr.OSIApproved != TriUnknown:
		ev.osi = [2]bool{pr.OSIApproved == TriYes, pr.OSIApproved == TriYes}
	case lf.Known:
		o := IsOSIApproved(lf.Value)
		ev.osi = [2]bool{o, o}
	default:
		ev.osi = [2]bool{true, false}
	}
	independent := [2]bool{true, false}
	if pr.Governance.Known && pr.Governance.Value != GovUnknown {
		ind := pr.Governance.Value == GovFoundation || pr.Governance.Value == GovCommunity
		independent = [2]bool{ind, ind}
	}

	// S6.a open source (CSF SOV-6 Q3): closed or source-available → 2; OSI
	// with single-vendor governance → 3; OSI with independent governance → 4.
	var s6 [2]Level
	for m := opt; m <= pess; m++ {
		switch {
		case !ev.osi[m]:
			s6[m] = RSL2
		case !independent[m]:
			s6[m] = RSL3
		default:
			s6[m] = RSL4
		}
	}
	if !lf.Known && pr.OSIApproved == TriUnknown {
		s6[opt] = levelNone
	}
	ev.lv[cS6a] = s6
	if ev.explain {
		ev.facts[cS6a] = facts
		ev.why[cS6a] = s6Text(s6, ev.osi, lic, gov)
	}

	// S1.c roadmap control (CSF SOV-1 Q3, registry mapping): a vendor
	// controlled from home → 4; an OSI project under a foundation or
	// community → 3; otherwise → 2.
	vc := cx.chain(pr.Vendor)
	ev.vendorS1a = vc.s1a
	var s1c [2]Level
	for m := opt; m <= pess; m++ {
		switch {
		case vc.s1a[m] >= RSL3:
			s1c[m] = RSL4
		case ev.osi[m] && independent[m]:
			s1c[m] = RSL3
		default:
			s1c[m] = RSL2
		}
	}
	if !vc.answered && !lf.Known {
		s1c[opt] = levelNone
	}
	ev.lv[cS1c] = s1c
	if !ev.explain {
		return
	}
	ev.facts[cS1c] = append(facts, vc.Facts...)
	switch s1c[opt] {
	case RSL4:
		ev.why[cS1c] = txf("Hersteller %s wird aus dem Heimatraum kontrolliert", "vendor %s is controlled from home", pr.Vendor)
	case RSL3:
		ev.why[cS1c] = join(tx("OSI-Projekt ", "OSI project "), govPhrase(gov), tx(", Hersteller im Ausland", ", vendor abroad"))
	case RSL2:
		ev.why[cS1c] = tx("proprietäre Roadmap eines ausländischen Herstellers", "proprietary roadmap of a foreign vendor")
		if !vc.why[0].IsZero() {
			ev.why[cS1c] = txf("%s (%s)", "%s (%s)", ev.why[cS1c], vc.why[0])
		}
	}
}

// s6Text explains the S6.a level s6 of a licence.
func s6Text(s6 [2]Level, osi [2]bool, lic, gov string) Text {
	switch {
	case s6[opt] == levelNone:
		return tx("Lizenz unbekannt", "licence unknown")
	case !osi[opt]:
		return txf("Lizenz %s ist nicht OSI-anerkannt", "licence %s is not OSI-approved", lic)
	case s6[opt] == RSL3:
		return txf("OSI-Lizenz %s unter Einzelhersteller-Governance", "OSI licence %s with single-vendor governance", lic)
	default:
		return join(txf("OSI-Lizenz %s ", "OSI licence %s ", lic), govPhrase(gov))
	}
}

func (cx *evalContext) certified(of *Offering, schemes ...string) (string, bool) {
	for i := range of.Certifications {
		c := &of.Certifications[i]
		if !c.ValidTo.IsZero() && c.ValidTo.Before(cx.e.asOf) {
			continue
		}
		lvl := func() string { return strings.ToUpper(strings.TrimPrefix(strings.ToUpper(c.Level), "LEVEL")) }
		for _, want := range schemes {
			switch want {
			case "secnumcloud":
				if schemeIs(c.Scheme, "secnumcloud") {
					return c.Scheme, true
				}
			case "gaiax-l3":
				if schemeIs(c.Scheme, "gaiax") || schemeIs(c.Scheme, "gaia x") {
					if l := lvl(); l == "L3" || l == "3" {
						return c.Scheme + " " + c.Level, true
					}
				}
			case "cada-ual34":
				if schemeIs(c.Scheme, "cada") {
					if l := lvl(); l == "UAL3" || l == "UAL4" {
						return c.Scheme + " " + c.Level, true
					}
				}
			}
		}
	}
	return "", false
}

// schemeIs reports whether a certification scheme, lower-cased and without
// hyphens, is want (lower-case ASCII): "SecNumCloud" and "secnum-cloud" are
// "secnumcloud". The rules ask this of every certificate several times per
// perspective, so an ASCII scheme is compared in place, without the copies
// of strings.ToLower and strings.ReplaceAll, which give the same answer.
func schemeIs(scheme, want string) bool {
	if !isASCII(scheme) {
		return strings.ToLower(strings.ReplaceAll(scheme, "-", "")) == want
	}
	j := 0
	for i := 0; i < len(scheme); i++ {
		b := scheme[i]
		if b == '-' {
			continue
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if j == len(want) || want[j] != b {
			return false
		}
		j++
	}
	return j == len(want)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// offering evaluates the criteria of one offering and folds them into the
// product (minimum over offerings: the registry cannot know which offering
// a customer uses, so the weakest one sets the product's level).
func (cx *evalContext) offering(pr *Product, i int, ev *ownEval) {
	of := &pr.Offerings[i]
	var pfx string
	if ev.explain {
		pfx = fmt.Sprintf("offering[%d].", i)
	}
	// fact records a fact of the explanation; the callers check ev.explain
	// first, so that the values are not formatted for nothing.
	fact := func(c critIdx, name, v string, e Evidence) {
		ev.facts[c] = append(ev.facts[c], FactRef{Subject: pr.ID, Name: pfx + name, Value: v, Sources: e.Sources, Retrieved: e.Retrieved})
	}

	// S2.a governing law (CSF SOV-2 Q1): home law → 4, otherwise → 1.
	gl := &of.GoverningLaw
	glc, glok := normCountry(gl.Value)
	ev.core(gl.Known && glok, pfx, "governing_law")
	var s2a [2]Level
	var why Text
	if gl.Known && glok {
		if h, _ := cx.p.IsHome(glc); h {
			s2a = known(RSL4)
			if ev.explain {
				why = txf("Vertrag nach dem Recht von %s", "contract under %s law", glc)
			}
		} else {
			s2a = known(RSL1)
			if ev.explain {
				why = txf("Vertrag nach ausländischem Recht (%s)", "contract under foreign law (%s)", glc)
			}
		}
	} else {
		s2a, why = unknownAt(RSL1), tx("anwendbares Recht unbekannt", "governing law unknown")
	}
	mergeMin(&ev.lv[cS2a], s2a, &ev.why[cS2a], why)
	if ev.explain {
		fact(cS2a, "governing_law", orUnknown(gl.Known, gl.Value), gl.Evidence)
	}

	// S2.b certified immunity: a valid SecNumCloud qualification, Gaia-X
	// Label Level 3 or CADA UAL 3–4 overrides the regime test of the
	// operator (methodology §8.3).
	if name, ok := cx.certified(of, "secnumcloud", "gaiax-l3", "cada-ual34"); ok {
		ev.lv[cS2b] = known(RSL4)
		if ev.explain {
			ev.why[cS2b] = txf("bescheinigte Immunität gegenüber extraterritorialem Recht (%s)", "certified immunity from extraterritorial law (%s)", name)
		}
	}

	// S3.a key control (CSF SOV-3 Q1).
	km := &of.KeyManagement
	ev.core(km.Known && km.Value != KeysUnknown, pfx, "key_management")
	var s3a [2]Level
	switch {
	case !km.Known:
		s3a = unknownAt(RSL0)
	case km.Value == KeysProvider:
		s3a = known(RSL0)
	case km.Value == KeysBYOK:
		s3a = known(RSL2)
	case km.Value == KeysHYOK:
		s3a = known(RSL3)
	case km.Value == KeysE2EE:
		s3a = known(RSL4)
	default:
		s3a = unknownAt(RSL0)
	}
	why = Text{}
	if ev.explain {
		why = join(tx("Schlüsselverwaltung: ", "key management: "), keysLabel(km.Known, km.Value))
	}
	mergeMin(&ev.lv[cS3a], s3a, &ev.why[cS3a], why)
	if ev.explain {
		fact(cS3a, "key_management", orUnknown(km.Known, string(km.Value)), km.Evidence)
	}

	// S3.b data location (CSF SOV-3 Q4).
	dl := &of.DataLocations
	s3b, why := cx.dataLocation(dl)
	ev.core(s3b[opt] == s3b[pess] && s3b[opt] != levelNone, pfx, "data_locations")
	mergeMin(&ev.lv[cS3b], s3b, &ev.why[cS3b], why)
	if ev.explain {
		var locs []string
		for _, l := range dl.Value {
			locs = append(locs, l.Country+" ("+string(l.Purpose)+")")
		}
		fact(cS3b, "data_locations", orUnknown(dl.Known, strings.Join(locs, ", ")), dl.Evidence)
	}

	// S4.b support location (CSF SOV-4 Q4).
	sl := &of.SupportLocations
	s4b, why := cx.support(of, sl)
	ev.core(s4b[opt] == s4b[pess] && s4b[opt] != levelNone, pfx, "support_locations")
	mergeMin(&ev.lv[cS4b], s4b, &ev.why[cS4b], why)
	if ev.explain {
		fact(cS4b, "support_locations", orUnknown(sl.Known, strings.Join(sl.Value, ", ")), sl.Evidence)
	}

	// S5.b supply-chain transparency (CSF SOV-5 Q7, registry mapping): no
	// published list → 1; a published list → 3, since GDPR Art. 28 requires
	// it to be complete; with a qualification that audits subcontractors
	// (SecNumCloud, Gaia-X L3) → 4.
	sp := &of.SubprocessorList
	ev.core(sp.Known, pfx, "subprocessor_list")
	var s5b [2]Level
	var disc [2]bool
	switch {
	case !sp.Known:
		s5b, why, disc = unknownAt(RSL1), tx("Liste der Unterauftragsverarbeiter unbekannt", "sub-processor list unknown"), [2]bool{true, false}
		ev.hidden = true
	case strings.TrimSpace(sp.Value) == "":
		s5b, why = known(RSL1), tx("keine veröffentlichte Liste der Unterauftragsverarbeiter", "no published sub-processor list")
		ev.hidden = true
	default:
		s5b, why, disc = known(RSL3), tx("Liste der Unterauftragsverarbeiter veröffentlicht", "sub-processor list published"), [2]bool{true, true}
		if name, ok := cx.certified(of, "secnumcloud", "gaiax-l3"); ok {
			s5b = known(RSL4)
			if ev.explain {
				why = txf("Liste der Unterauftragsverarbeiter veröffentlicht und Unterauftragnehmer geprüft (%s)",
					"sub-processor list published and subcontractors audited (%s)", name)
			}
		}
	}
	if i == 0 {
		ev.disclosed = disc
	} else {
		ev.disclosed[opt] = ev.disclosed[opt] && disc[opt]
		ev.disclosed[pess] = ev.disclosed[pess] && disc[pess]
	}
	mergeMin(&ev.lv[cS5b], s5b, &ev.why[cS5b], why)
	if ev.explain {
		fact(cS5b, "subprocessor_list", orUnknown(sp.Known, sp.Value), sp.Evidence)
	}
}

func orUnknown(ok bool, v string) string {
	if !ok {
		return "unknown"
	}
	return v
}

// dataLocation maps the data locations to CSF SOV-3 Q4: all locations
// (backup, support, fallback and AI inference included) at home → 4; all
// primary locations at home but an exception elsewhere ("EU by default with
// controlled exceptions") → 1; most primary locations at home ("mainly EU")
// → 1; otherwise ("partly EU", third countries, unknown) → 0.
func (cx *evalContext) dataLocation(dl *Fact[[]DataLocation]) ([2]Level, Text) {
	if !dl.Known || len(dl.Value) == 0 {
		return unknownAt(RSL0), tx("Datenstandorte unbekannt", "data locations unknown")
	}
	var out [2]Level
	var why Text
	for m := opt; m <= pess; m++ {
		var prim, primHome, all, allHome int
		hasPrimary := false
		for _, l := range dl.Value {
			if l.Purpose == PurposePrimary {
				hasPrimary = true
			}
		}
		for _, l := range dl.Value {
			h, k := cx.p.IsHome(l.Country)
			home := h || (!k && m == opt)
			all++
			if home {
				allHome++
			}
			if l.Purpose == PurposePrimary || !hasPrimary {
				prim++
				if home {
					primHome++
				}
			}
		}
		switch {
		case allHome == all:
			out[m] = RSL4
			if m == opt {
				why = tx("alle Datenstandorte im Heimatraum, keine ausländische Ausweichlösung", "all data locations at home, no foreign fallback")
			}
		case primHome == prim:
			out[m] = RSL1
			if m == opt {
				why = tx("standardmäßig im Heimatraum, aber mit ausländischen Backup-, Support-, Ausweich- oder Inferenzstandorten",
					"at home by default, with foreign backup, support, fallback or inference locations")
			}
		case 2*primHome > prim:
			out[m] = RSL1
			if m == opt {
				why = tx("überwiegend im Heimatraum", "mainly at home")
			}
		default:
			out[m] = RSL0
			if m == opt {
				why = tx("nur teilweise oder gar nicht im Heimatraum", "partly or not at home")
			}
		}
	}
	return out, why
}

// support maps support locations to CSF SOV-4 Q4: no home location → 1;
// mostly foreign → 2; at home with foreign escalation → 3; all at home → 3,
// or 4 with a SecNumCloud qualification (vetted staff, supervised remote
// access, SecNumCloud 9.7.d / 19.2.e) standing in for "clearances".
func (cx *evalContext) support(of *Offering, sl *Fact[[]string]) ([2]Level, Text) {
	if !sl.Known || len(sl.Value) == 0 {
		return unknownAt(RSL1), tx("Supportstandorte unbekannt", "support locations unknown")
	}
	var out [2]Level
	var why Text
	for m := opt; m <= pess; m++ {
		n, home := 0, 0
		for _, c := range sl.Value {
			h, k := cx.p.IsHome(c)
			n++
			if h || (!k && m == opt) {
				home++
			}
		}
		switch {
		case home == n:
			out[m] = RSL3
			if _, ok := cx.certified(of, "secnumcloud"); ok {
				out[m] = RSL4
			}
			if m == opt {
				why = tx("Support nur aus dem Heimatraum", "support from home only")
			}
		case 2*home > n:
			out[m] = RSL3
			if m == opt {
				why = tx("Support im Heimatraum mit Eskalation ins Ausland", "support at home with foreign escalation")
			}
		case home > 0:
			out[m] = RSL2
			if m == opt {
				why = tx("Support überwiegend aus dem Ausland", "support mostly from abroad")
			}
		default:
			out[m] = RSL1
			if m == opt {
				why = tx("Support nur aus dem Ausland", "support from abroad only")
			}
		}
	}
	return out, why
}
