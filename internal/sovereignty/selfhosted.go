package sovereignty

import (
	"cmp"
	"fmt"
)

// Profile is the self-hosted profile of a self-hostable product
// (methodology P5/P6): the level a customer can achieve by running the
// software on its own, ideal home host. Hosting, legal and data criteria
// then come from the host (assumed RSL-4); what remains is the software
// itself (licence and governance S6.a, origin S5.c) and the servers a
// self-hosted installation still has to call ("phone home").
type Profile struct {
	Achievable  Level
	Pessimistic Level
	Provisional bool
	// GeoNeutral is the clearly labelled variant rule in which OSI-licensed
	// software counts as S5.c = 4 wherever it is developed (the "OSS is
	// geography-neutral" argument); the CSF-faithful level is Achievable.
	GeoNeutral Level
	Criteria   []CriterionResult
	Binding    []CriterionResult
}

// profile builds the self-hosted profile, or nil if the product is not
// known to be self-hostable; gaps as for path.
func (e *Engine) profile(v int32, ev *ownEval, gaps *[]string) *Profile {
	pr := &e.products[v]
	if !pr.SelfHostable.Known || !pr.SelfHostable.Value {
		return nil
	}
	vc := e.chain(pr.Vendor)
	var crs []CriterionResult
	add := func(c Criterion, obj, csf string, name Text, l [2]Level, why Text, facts []FactRef, path *Path) {
		if why.IsZero() {
			why = unansweredText(l)
		}
		cr := CriterionResult{Criterion: c, Objective: obj, CSFRef: csf, Name: name.EN, NameText: name, Level: l[opt],
			Answered: l[opt] != levelNone, Applicable: l[pess] != levelNone, Pessimistic: l[pess],
			Reason: why.EN, ReasonText: why, Facts: facts, Path: path, Inherited: path != nil}
		if !cr.Answered {
			cr.Level = cr.Pessimistic
		}
		if cr.Applicable {
			crs = append(crs, cr)
		}
	}

	// S5.c software origin (CSF SOV-5 Q4, registry mapping): a vendor
	// controlled from home → 4; foreign but OSI-licensed (disclosed) → 2;
	// foreign and closed → 0.
	var s5c [2]Level
	for m := opt; m <= pess; m++ {
		switch {
		case vc.s1a[m] >= RSL3:
			s5c[m] = RSL4
		case ev.osi[m]:
			s5c[m] = RSL2
		default:
			s5c[m] = RSL0
		}
	}
	if !vc.answered && !pr.License.Known {
		s5c[opt] = levelNone
	}
	why := tx("Hersteller wird aus dem Heimatraum kontrolliert", "vendor controlled from home")
	switch s5c[opt] {
	case RSL2:
		why = txf("ausländischer Hersteller, Open Source (%s)", "foreign vendor, open source (%s)", vc.why[0])
	case RSL0:
		why = txf("ausländischer Hersteller, geschlossener Quellcode (%s)", "foreign vendor, closed source (%s)", vc.why[0])
	case levelNone:
		why = unansweredText(s5c)
	}
	add(S5c, "SOV-5", "SOV-5 Q4", tx("Herkunft der Software", "Software origin"), s5c, why, vc.Facts, nil)
	add(S6a, "SOV-6", "SOV-6 Q3", criteria[cS6a].NameText, ev.lv[cS6a], ev.why[cS6a], ev.facts[cS6a], nil)

	// Phone-home edges: the roles a self-hosted installation still calls.
	ph := [3][2]Level{{levelNone, levelNone}, {levelNone, levelNone}, {levelNone, levelNone}}
	var phPath [3]*Path
	noPH := tx("kein Server, den die Software zwingend kontaktieren muss", "no mandatory phone-home server")
	phWhy := [3]Text{noPH, noPH, noPH}
	recorded := false
	for j, d := range pr.Dependencies {
		if !phoneHomeRoles[d.Role] {
			continue
		}
		recorded = true
		w := e.deps[v][j].prov
		pv := unknownProvider
		if w >= 0 && !e.removed[w] {
			pv = e.eff[w].v
		}
		step := func(s int) *Path {
			from := txf("%s (selbst betrieben)", "%s (self-hosted)", e.name(v))
			p := &Path{From: from.EN, FromText: from, Criterion: criteria[slotCrit[s]].ID, Level: pv[s][opt]}
			if w >= 0 {
				p.Steps = []PathStep{{ProductID: d.Provider, Name: e.name(w), Role: d.Role, DataAccess: d.DataAccess, Criticality: d.Criticality, Group: d.Group, Sources: d.Sources}}
				if sub := e.path(w, s, pv[s][opt], p.Criterion, gaps); sub != nil {
					p.Steps = append(p.Steps, sub.Steps...)
					p.setOrigin(sub.OriginText)
				}
			}
			return p
		}
		for m := opt; m <= pess; m++ {
			var cut Level = levelNone
			switch d.Criticality.code() {
			case critCritical:
				cut = pv[sS1b][m]
			case critDegrading:
				cut = inc(pv[sS1b][m])
			}
			if cut < ph[0][m] {
				ph[0][m] = cut
				if m == opt {
					phPath[0], phWhy[0] = step(sS1b), txf("Server %s (%s), den die Software zwingend kontaktieren muss",
						"phone-home server %s (%s)", d.Provider, RoleLabel(d.Role))
				}
			}
			if d.DataAccess.readable() {
				for k, s := range []int{sS2b, sS3b} {
					if pv[s][m] < ph[k+1][m] {
						ph[k+1][m] = pv[s][m]
						if m == opt {
							phPath[k+1], phWhy[k+1] = step(s), txf("Server %s (%s), den die Software zwingend kontaktieren muss, kann technische Daten lesen",
								"phone-home server %s (%s) can read technical data", d.Provider, RoleLabel(d.Role))
						}
					}
				}
			}
		}
	}
	// A phone-home requirement without a recorded edge is an edge to the
	// vendor itself: a mandatory licence server of a foreign controller is
	// critical and sees technical data.
	vendorPH := func(m int) {
		ph[0][m] = minL(ph[0][m], vc.s1b[m])
		ph[1][m] = minL(ph[1][m], vc.s2b[m])
		if m == pess {
			ph[2][m] = minL(ph[2][m], RSL0)
		}
	}
	switch {
	case pr.PhoneHome.Known && pr.PhoneHome.Value && !recorded:
		vendorPH(opt)
		vendorPH(pess)
		phWhy = [3]Text{
			txf("Pflichtverbindung zum Hersteller %s (%s)", "phone-home to the vendor %s (%s)", pr.Vendor,
				cmp.Or(vc.why[1], tx("kein Regime, das eine Abschaltung erzwingen kann", "no regime that can force suspension"))),
			txf("Pflichtverbindung zum Hersteller %s (%s)", "phone-home to the vendor %s (%s)", pr.Vendor,
				cmp.Or(vc.why[2], tx("kein ausländisches Regime, das die Herausgabe von Daten erzwingt", "no foreign disclosure regime"))),
			tx("Standort der Daten, die an den Hersteller gehen, unbekannt", "phone-home data location unknown"),
		}
	case !pr.PhoneHome.Known && !recorded:
		vendorPH(pess)
	}
	phFacts := []FactRef{{Subject: pr.ID, Name: "phone_home", Value: orUnknown(pr.PhoneHome.Known, fmt.Sprint(pr.PhoneHome.Value)), Sources: pr.PhoneHome.Sources, Retrieved: pr.PhoneHome.Retrieved}}
	for k, c := range []critIdx{cS1b, cS2b, cS3b} {
		l := ph[k]
		if l[opt] == levelNone && l[pess] == levelNone {
			l = [2]Level{RSL4, RSL4}
		}
		add(criteria[c].ID, criteria[c].Objective, criteria[c].CSFRef, join(criteria[c].NameText, tx(" (Pflichtverbindungen)", " (phone-home)")), l, phWhy[k], phFacts, phPath[k])
	}

	pf := &Profile{Achievable: levelNone, Pessimistic: levelNone}
	for _, cr := range crs {
		if cr.Answered {
			pf.Achievable = minL(pf.Achievable, cr.Level)
		}
		pf.Pessimistic = minL(pf.Pessimistic, cr.Pessimistic)
	}
	if pf.Achievable == levelNone {
		pf.Achievable = pf.Pessimistic
	}
	pf.Pessimistic = minL(pf.Pessimistic, pf.Achievable)
	pf.Provisional = pf.Pessimistic < pf.Achievable || !pr.PhoneHome.Known || !pr.License.Known
	pf.GeoNeutral = levelNone
	for _, cr := range crs {
		l := cr.Level
		if cr.Criterion == S5c && ev.osi[opt] {
			l = RSL4
		}
		if cr.Answered {
			pf.GeoNeutral = minL(pf.GeoNeutral, l)
		}
	}
	if pf.GeoNeutral == levelNone {
		pf.GeoNeutral = pf.Achievable
	}
	for _, cr := range crs {
		if cr.Answered && cr.Level == pf.Achievable {
			pf.Binding = append(pf.Binding, cr)
		}
	}
	pf.Criteria = crs
	return pf
}
