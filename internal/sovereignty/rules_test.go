package sovereignty

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLevelLabelsAndParse(t *testing.T) {
	if RSL4.Label("de") != "Souverän" || RSL0.Label("en") != "Not sovereign" || RSL1.Label("de") != "Nur formal EU-Recht" {
		t.Fatal("labels do not match the methodology")
	}
	for in, want := range map[string]Level{"RSL-3": RSL3, "rsl0": RSL0, "4": RSL4} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseLevel("RSL-5"); err == nil {
		t.Error("RSL-5 accepted")
	}
}

func TestIsOSIApproved(t *testing.T) {
	cases := map[string]bool{
		"MIT": true, "Apache-2.0": true, "AGPL-3.0-only": true, "EUPL-1.2": true, "PostgreSQL": true,
		"MIT OR Apache-2.0": true, "GPL-2.0-only WITH Classpath-exception-2.0": true,
		"(MIT AND LicenseRef-Proprietary)": false, "LicenseRef-Proprietary": false, "BUSL-1.1": false,
		"SSPL-1.0": false, "": false, "LicenseRef-Proprietary OR MPL-2.0": true,
	}
	for expr, want := range cases {
		if got := IsOSIApproved(expr); got != want {
			t.Errorf("IsOSIApproved(%q) = %v, want %v", expr, got, want)
		}
	}
}

func TestPerspectives(t *testing.T) {
	ref := DefaultReference()
	if _, err := PerspectiveByName(ref, "mars"); !errors.Is(err, ErrUnknownPerspective) {
		t.Fatalf("unknown perspective: err = %v", err)
	}
	if _, err := NewEngine(Catalogue{}, Options{Perspective: "mars", AsOf: asOf}); !errors.Is(err, ErrUnknownPerspective) {
		t.Fatalf("NewEngine with unknown perspective: err = %v", err)
	}
	if _, err := NewEngine(Catalogue{}, Options{}); err == nil {
		t.Fatal("zero AsOf accepted")
	}
	tests := []struct {
		persp, country string
		home, known    bool
	}{
		{"eu", "DE", true, true}, {"eu", "NO", true, true}, {"eu", "CH", false, true}, {"eu", "EU", true, true},
		{"eu", "unknown", false, false}, {"eu", "el", true, true},
		{"de", "DE", true, true}, {"de", "FR", false, true}, {"de", "EU", false, true},
		{"ch", "CH", true, true}, {"ch", "DE", false, true}, {"eu-ch", "CH", true, true}, {"eu-ch", "EU", true, true},
	}
	for _, tc := range tests {
		p, err := PerspectiveByName(ref, tc.persp)
		if err != nil {
			t.Fatal(err)
		}
		if h, k := p.IsHome(tc.country); h != tc.home || k != tc.known {
			t.Errorf("%s.IsHome(%s) = %v,%v want %v,%v", tc.persp, tc.country, h, k, tc.home, tc.known)
		}
	}
}

func TestReferenceData(t *testing.T) {
	ref := DefaultReference()
	if len(ref.EUMembers) != 27 || len(ref.EEAOnly) != 3 {
		t.Fatalf("EU %d EEA-only %d", len(ref.EUMembers), len(ref.EEAOnly))
	}
	for _, r := range ref.Regimes {
		if r.StatusAsOf.IsZero() || r.Status == "" || r.Jurisdiction == "" || r.Verification == "" {
			t.Errorf("regime %s lacks status or jurisdiction", r.ID)
		}
		if r.Verification != "U" && len(r.Sources) == 0 {
			t.Errorf("regime %s is marked %s without a source", r.ID, r.Verification)
		}
	}
	if a, ok := ref.AdequacyFor("us"); !ok || !strings.Contains(a.Scope, "Data Privacy Framework") {
		t.Errorf("US adequacy = %+v %v", a, ok)
	}
}

// TestOwnCriteria is the table of the product's own rules (methodology
// §8.3), one named case per rung that the facts can reach.
func TestOwnCriteria(t *testing.T) {
	base := func(mut func(*Catalogue)) Catalogue {
		c := Catalogue{
			Organisations: []Organisation{org("op", "DE"), org("us-parent", "US"), org("fr-parent", "FR"), org("cn-inv", "CN")},
			Products:      []Product{saas("p", "op", "DE")},
		}
		if mut != nil {
			mut(&c)
		}
		return c
	}
	of := func(c *Catalogue) *Offering { return &c.Products[0].Offerings[0] }
	type want struct {
		c        Criterion
		level    Level
		answered bool
		pess     Level
	}
	tests := []struct {
		name  string
		persp string
		mut   func(*Catalogue)
		want  []want
	}{
		{"all home", "", nil, []want{{S1a, RSL4, true, RSL4}, {S1b, RSL4, true, RSL4}, {S2a, RSL4, true, RSL4}, {S2b, RSL4, true, RSL4}, {S3a, RSL4, true, RSL4}, {S3b, RSL4, true, RSL4}, {S4b, RSL3, true, RSL3}, {S5b, RSL3, true, RSL3}, {S6a, RSL2, true, RSL2}, {S1c, RSL4, true, RSL4}}},
		{"S1.a foreign parent with control", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("us-parent", 60, TriUnknown))
		}, []want{{S1a, RSL1, true, RSL1}, {S1b, RSL0, true, RSL0}, {S2b, RSL1, true, RSL1}}},
		{"S1.a home parent, foreign 30 % minority breaches 24 %", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("fr-parent", 70, TriYes), holder("us-parent", 30, TriNo))
		}, []want{{S1a, RSL3, true, RSL3}, {S2b, RSL4, true, RSL4}}},
		{"S1.a foreign minorities 20 % + 20 % breach the 39 % total", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("us-parent", 20, TriNo), holder("cn-inv", 20, TriNo))
		}, []want{{S1a, RSL3, true, RSL3}}},
		{"S1.a foreign 24 % exactly is allowed", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("us-parent", 24, TriNo))
		}, []want{{S1a, RSL4, true, RSL4}}},
		{"S1.a foreign veto is control", "", func(c *Catalogue) {
			w := holder("us-parent", 10, TriNo)
			w.Control, w.Veto = TriUnknown, TriYes
			c.Organisations[0] = owned(c.Organisations[0], w)
		}, []want{{S1a, RSL1, true, RSL1}}},
		{"S1.a foreign board majority is control", "", func(c *Catalogue) {
			w := holder("us-parent", 10, TriNo)
			w.Control, w.BoardMajority = TriUnknown, TriYes
			c.Organisations[0] = owned(c.Organisations[0], w)
		}, []want{{S1a, RSL1, true, RSL1}}},
		{"S1.a indirect control through a home holding", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("fr-parent", 100, TriYes))
			c.Organisations[2] = owned(c.Organisations[2], holder("us-parent", 100, TriYes))
		}, []want{{S1a, RSL1, true, RSL1}, {S2b, RSL1, true, RSL1}}},
		{"S1.a indirect minority is diluted (30 % of 60 % = 18 %)", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("fr-parent", 60, TriYes))
			c.Organisations[2] = owned(c.Organisations[2], holder("us-parent", 30, TriNo))
		}, []want{{S1a, RSL4, true, RSL4}}},
		{"S1.a ownership cycle terminates", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("fr-parent", 60, TriYes))
			c.Organisations[2] = owned(c.Organisations[2], holder("op", 60, TriYes))
		}, []want{{S1a, RSL4, true, RSL4}}},
		{"S1.a contradictory shares above 100 % leave it unanswered", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("fr-parent", 70, TriYes), holder("us-parent", 60, TriNo))
		}, []want{{S1a, RSL1, false, RSL1}}},
		{"S1.a unknown controller country", "", func(c *Catalogue) {
			c.Organisations = append(c.Organisations, org("family", "unknown"))
			c.Organisations[0] = owned(c.Organisations[0], Ownership{Holder: "family", Control: TriYes})
		}, []want{{S1a, RSL4, true, RSL1}, {S1b, RSL4, true, RSL0}}},
		{"S1.a under the German perspective a French parent is foreign", "de", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("fr-parent", 100, TriYes))
		}, []want{{S1a, RSL1, true, RSL1}, {S2b, RSL4, true, RSL4}}},
		{"S2.a foreign governing law", "", func(c *Catalogue) { of(c).GoverningLaw = cf("US") }, []want{{S2a, RSL1, true, RSL1}}},
		{"S2.a unknown governing law", "", func(c *Catalogue) { of(c).GoverningLaw = Fact[string]{} }, []want{{S2a, RSL1, false, RSL1}}},
		{"S2.b presence in the US brings the CLOUD Act", "", func(c *Catalogue) {
			c.Organisations[0].PresenceCountries = KnownFact([]string{"DE", "US"}, day, "x")
		}, []want{{S2b, RSL1, true, RSL1}, {S1b, RSL4, true, RSL4}}},
		{"S2.b SecNumCloud certified immunity", "", func(c *Catalogue) {
			c.Organisations[0].PresenceCountries = KnownFact([]string{"DE", "US"}, day, "x")
			of(c).Certifications = []Certification{{Scheme: "SecNumCloud", ValidTo: asOf.AddDate(1, 0, 0)}}
		}, []want{{S2b, RSL4, true, RSL4}, {S4b, RSL4, true, RSL4}, {S5b, RSL4, true, RSL4}}},
		{"S2.b expired certificate does not count", "", func(c *Catalogue) {
			c.Organisations[0].PresenceCountries = KnownFact([]string{"DE", "US"}, day, "x")
			of(c).Certifications = []Certification{{Scheme: "SecNumCloud", ValidTo: asOf.AddDate(0, -1, 0)}}
		}, []want{{S2b, RSL1, true, RSL1}}},
		{"S2.b UK IPA for a British controller", "", func(c *Catalogue) {
			c.Organisations = append(c.Organisations, org("uk", "GB"))
			c.Organisations[0] = owned(c.Organisations[0], holder("uk", 100, TriYes))
		}, []want{{S2b, RSL1, true, RSL1}, {S1b, RSL4, true, RSL4}}},
		{"S2.b unknown presence is pessimistic only", "", func(c *Catalogue) { c.Organisations[0].PresenceCountries = Fact[[]string]{} },
			[]want{{S2b, RSL4, true, RSL1}}},
		{"S3.a provider keys", "", func(c *Catalogue) { of(c).KeyManagement = KnownFact(KeysProvider, day) }, []want{{S3a, RSL0, true, RSL0}}},
		{"S3.a BYOK", "", func(c *Catalogue) { of(c).KeyManagement = KnownFact(KeysBYOK, day) }, []want{{S3a, RSL2, true, RSL2}}},
		{"S3.a HYOK", "", func(c *Catalogue) { of(c).KeyManagement = KnownFact(KeysHYOK, day) }, []want{{S3a, RSL3, true, RSL3}}},
		{"S3.a unknown", "", func(c *Catalogue) { of(c).KeyManagement = Fact[KeyManagement]{} }, []want{{S3a, RSL0, false, RSL0}}},
		{"S3.b foreign backup: home by default with exceptions", "", func(c *Catalogue) {
			of(c).DataLocations.Value = []DataLocation{{"DE", PurposePrimary}, {"US", PurposeBackup}}
		}, []want{{S3b, RSL1, true, RSL1}}},
		{"S3.b mainly home", "", func(c *Catalogue) {
			of(c).DataLocations.Value = []DataLocation{{"DE", PurposePrimary}, {"FR", PurposePrimary}, {"US", PurposePrimary}}
		}, []want{{S3b, RSL1, true, RSL1}}},
		{"S3.b partly home", "", func(c *Catalogue) {
			of(c).DataLocations.Value = []DataLocation{{"DE", PurposePrimary}, {"US", PurposePrimary}}
		}, []want{{S3b, RSL0, true, RSL0}}},
		{"S3.b EU pseudo-country is home for eu", "", func(c *Catalogue) {
			of(c).DataLocations.Value = []DataLocation{{"EU", PurposePrimary}}
		}, []want{{S3b, RSL4, true, RSL4}}},
		{"S3.b EU pseudo-country is not Germany", "de", func(c *Catalogue) {
			of(c).DataLocations.Value = []DataLocation{{"EU", PurposePrimary}}
		}, []want{{S3b, RSL0, true, RSL0}}},
		{"S3.b an unknown backup location", "", func(c *Catalogue) {
			of(c).DataLocations.Value = []DataLocation{{"DE", PurposePrimary}, {"unknown", PurposeBackup}}
		}, []want{{S3b, RSL4, true, RSL1}}},
		{"S3.b Swiss perspective", "ch", func(c *Catalogue) {
			of(c).DataLocations.Value = []DataLocation{{"CH", PurposePrimary}}
		}, []want{{S3b, RSL4, true, RSL4}}},
		{"S4.b global support", "", func(c *Catalogue) { of(c).SupportLocations.Value = []string{"US", "IN"} }, []want{{S4b, RSL1, true, RSL1}}},
		{"S4.b mostly foreign", "", func(c *Catalogue) { of(c).SupportLocations.Value = []string{"US", "IN", "DE"} }, []want{{S4b, RSL2, true, RSL2}}},
		{"S4.b home with escalation", "", func(c *Catalogue) { of(c).SupportLocations.Value = []string{"DE", "FR", "US"} }, []want{{S4b, RSL3, true, RSL3}}},
		{"S5.b no published list", "", func(c *Catalogue) { of(c).SubprocessorList = KnownFact("", day) }, []want{{S5b, RSL1, true, RSL1}}},
		{"S5.b unknown list", "", func(c *Catalogue) { of(c).SubprocessorList = Fact[string]{} }, []want{{S5b, RSL1, false, RSL1}, {S5a, RSL1, false, RSL1}}},
		{"S6.a OSI single vendor", "", func(c *Catalogue) { c.Products[0].License = cf("AGPL-3.0-only") }, []want{{S6a, RSL3, true, RSL3}}},
		{"S6.a OSI foundation", "", func(c *Catalogue) {
			c.Products[0].License = cf("Apache-2.0")
			c.Products[0].Governance = KnownFact(GovFoundation, day)
		}, []want{{S6a, RSL4, true, RSL4}}},
		{"S6.a explicit OSI flag overrides the list", "", func(c *Catalogue) {
			c.Products[0].License = cf("LicenseRef-Custom")
			c.Products[0].OSIApproved = TriYes
		}, []want{{S6a, RSL3, true, RSL3}}},
		{"S6.a unknown licence", "", func(c *Catalogue) { c.Products[0].License = Fact[string]{} }, []want{{S6a, RSL2, false, RSL2}}},
		{"S1.c foreign vendor, OSS foundation", "", func(c *Catalogue) {
			c.Products[0].Vendor = "us-parent"
			c.Products[0].License = cf("Apache-2.0")
			c.Products[0].Governance = KnownFact(GovFoundation, day)
		}, []want{{S1c, RSL3, true, RSL3}}},
		{"S1.c foreign proprietary vendor", "", func(c *Catalogue) { c.Products[0].Vendor = "us-parent" }, []want{{S1c, RSL2, true, RSL2}}},
		{"S1.b Chinese controller is not a suspension regime but S2.b is hit", "", func(c *Catalogue) {
			c.Organisations[0] = owned(c.Organisations[0], holder("cn-inv", 51, TriUnknown))
		}, []want{{S1b, RSL4, true, RSL4}, {S2b, RSL1, true, RSL1}, {S1a, RSL1, true, RSL1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEngine(t, base(tc.mut), tc.persp)
			r := mustResult(t, e, "p")
			for _, w := range tc.want {
				cr := critLevel(r, w.c)
				if cr.Level != w.level || cr.Answered != w.answered || cr.Pessimistic != w.pess {
					t.Errorf("%s = %s answered=%v pess=%s (%s), want %s answered=%v pess=%s",
						w.c, cr.Level, cr.Answered, cr.Pessimistic, cr.Reason, w.level, w.answered, w.pess)
				}
			}
		})
	}
}

func TestAggregationWeakestLink(t *testing.T) {
	cat := Catalogue{Organisations: []Organisation{org("op", "DE")}, Products: []Product{saas("p", "op", "DE")}}
	cat.Products[0].Offerings[0].KeyManagement = KnownFact(KeysBYOK, day, "dpa")
	e := mustEngine(t, cat, "")
	r := mustResult(t, e, "p")
	// S6.a (proprietary) = 2 and S3.a (BYOK) = 2 are the minimum: overall
	// 2, never an average of the 3s and 4s.
	if r.Overall != RSL2 || r.Provisional || r.Pessimistic != RSL2 {
		t.Fatalf("overall %s provisional %v pessimistic %s", r.Overall, r.Provisional, r.Pessimistic)
	}
	got := map[Criterion]bool{}
	for _, b := range r.Binding {
		got[b.Criterion] = true
		if len(b.Facts) == 0 || len(b.Facts[0].Sources) == 0 {
			t.Errorf("binding %s without facts or sources", b.Criterion)
		}
	}
	if !got[S3a] || !got[S6a] || len(got) != 2 {
		t.Errorf("binding = %v", got)
	}
	if r.Objectives[2].Level != RSL2 || r.Objectives[3].Level != RSL3 || r.RuleVersion != RuleVersion || r.Perspective != "eu" {
		t.Errorf("objectives %+v", r.Objectives)
	}
}

func TestCoverageProvisionalStale(t *testing.T) {
	cat := Catalogue{Organisations: []Organisation{org("op", "DE")}, Products: []Product{saas("p", "op", "DE")}}
	of := &cat.Products[0].Offerings[0]
	of.KeyManagement = Fact[KeyManagement]{}
	of.GoverningLaw = KnownFact("DE", asOf.AddDate(-2, 0, 0), "old-terms")
	e := mustEngine(t, cat, "")
	r := mustResult(t, e, "p")
	if r.Coverage.Complete() || r.Coverage.Known != r.Coverage.Total-1 || !strings.Contains(strings.Join(r.Coverage.Missing, ","), "key_management") {
		t.Errorf("coverage %+v", r.Coverage)
	}
	if !r.Provisional || r.Pessimistic != RSL0 || r.Overall != RSL2 {
		t.Errorf("provisional %v overall %s pessimistic %s", r.Provisional, r.Overall, r.Pessimistic)
	}
	if len(r.Stale) != 1 || r.Stale[0].Sources[0] != "old-terms" {
		t.Errorf("stale = %+v", r.Stale)
	}
	// The same facts judged a year earlier are fresh: staleness depends on
	// AsOf, never on the clock.
	e2, _ := NewEngine(cat, Options{AsOf: asOf.AddDate(-1, 0, 0)})
	if r2, _ := e2.Result("p"); len(r2.Stale) != 0 {
		t.Errorf("stale a year earlier: %+v", r2.Stale)
	}
}

func TestContradictoryOwnershipIsReported(t *testing.T) {
	cat := Catalogue{Organisations: []Organisation{owned(org("op", "DE"), holder("a", 80, TriYes), holder("b", 40, TriNo)), org("a", "DE"), org("b", "DE")},
		Products: []Product{saas("p", "op", "DE")}}
	e := mustEngine(t, cat, "")
	r := mustResult(t, e, "p")
	found := false
	for _, is := range r.Issues {
		found = found || is.Code == "ownership_over_100"
	}
	if !found || !r.Provisional || critLevel(r, S1a).Answered {
		t.Fatalf("issues %+v provisional %v S1.a %+v", r.Issues, r.Provisional, critLevel(r, S1a))
	}
	bad := Ownership{Holder: "a", Voting: Pct(70), Control: TriNo}
	if is := ownershipIssues(&Organisation{ID: "x", Owners: []Ownership{bad, {Holder: "b", Capital: Pct(120)}}}); len(is) != 3 {
		t.Errorf("issues = %+v", is)
	}
}

func TestUnknownEverythingIsPessimistic(t *testing.T) {
	cat := Catalogue{Products: []Product{{ID: "ghost", Offerings: []Offering{{Operator: "nobody"}}}}}
	e := mustEngine(t, cat, "")
	r := mustResult(t, e, "ghost")
	if r.Overall != RSL0 || !r.Provisional || r.Coverage.Known != 0 {
		t.Fatalf("ghost: overall %s provisional %v coverage %+v", r.Overall, r.Provisional, r.Coverage)
	}
	if _, err := e.Result("nope"); !errors.Is(err, ErrUnknownProduct) {
		t.Fatalf("err = %v", err)
	}
}

func TestCriteriaTable(t *testing.T) {
	seen := map[Criterion]bool{}
	for _, c := range Criteria() {
		if seen[c.ID] || c.Objective == "" || c.CSFRef == "" {
			t.Errorf("bad criterion %+v", c)
		}
		seen[c.ID] = true
	}
	_ = time.Now // the rules never call it; see TestCoverageProvisionalStale
}
