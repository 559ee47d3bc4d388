package sovereignty

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// certifiedCatalogue is variedCatalogue plus offerings whose certificates,
// licences and operators exercise the cheap paths of the rules: schemes in
// other spellings (hyphens, case, non-ASCII), Gaia-X and CADA levels,
// expired certificates, licence expressions, several offerings with
// distinct and repeated operators.
func certifiedCatalogue() Catalogue {
	cat := variedCatalogue()
	certs := [][]Certification{
		{{Scheme: "Gaia-X", Level: "Level 3"}},
		{{Scheme: "gaiax", Level: "l3"}, {Scheme: "ISO27001"}},
		{{Scheme: "GAIA X", Level: "3"}},
		{{Scheme: "CADA", Level: "ual4"}},
		{{Scheme: "cada", Level: "UAL2"}},
		{{Scheme: "secnum-cloud"}},
		{{Scheme: "SecNumCloud", ValidTo: asOf.AddDate(0, -1, 0)}},
		{{Scheme: "\u017fecnumcloud"}}, // long s: lower-case already, so not "secnumcloud"
		{{Scheme: "SEC\u212aUMCLOUD"}}, // Kelvin sign: lower-cases to k, not n
		{{Scheme: "C5"}, {Scheme: "SecNumCloud"}},
	}
	licences := []string{"MIT OR Apache-2.0", "(MIT AND LicenseRef-Proprietary)", "GPL-2.0-only WITH Classpath-exception-2.0",
		"OR", "mit", " MIT", "MIT\u00a0", "LicenseRef-Proprietary OR MPL-2.0", "AND", "Apache-2.0"}
	for i, cs := range certs {
		p := saas("cert-"+strings.Repeat("x", i+1), "mistral-ai", "FR", crit("aws"))
		p.Offerings[0].Certifications = cs
		p.License = cf(licences[i%len(licences)])
		if i%2 == 0 {
			second := offering("amazon", "US", KeysE2EE)
			second.Certifications = cs
			p.Offerings = append(p.Offerings, second, offering("mistral-ai", "DE", KeysHYOK))
		}
		if i%3 == 0 {
			p.Offerings[0].SubprocessorList = Fact[string]{}
			p.Offerings[0].SupportLocations = KnownFact([]string{"FR", "unknown"}, day)
		}
		cat.Products = append(cat.Products, p)
	}
	return cat
}

// TestLevelsOnlyEvaluationMatchesExplained: the engine evaluates every
// product without its explanation; the levels and flags it keeps must be
// exactly those of the explained evaluation that Result uses.
func TestLevelsOnlyEvaluationMatchesExplained(t *testing.T) {
	cat := certifiedCatalogue()
	for _, p := range Perspectives(DefaultReference()) {
		e := mustEngine(t, cat, p.Name)
		for i := range e.products {
			pr := &e.products[i]
			var lean ownEval
			e.cx.eval(pr, &lean)
			rich := e.cx.evaluate(pr)
			if lean.lv != rich.lv || lean.disclosed != rich.disclosed || lean.hidden != rich.hidden || lean.osi != rich.osi ||
				lean.vendorS1a != rich.vendorS1a || lean.anyIssue != rich.anyIssue {
				t.Errorf("%s/%s: levels only %+v, explained %+v", p.Name, pr.ID, lean, rich)
			}
			if lean.coverage.Known != rich.coverage.Known || lean.coverage.Total != rich.coverage.Total ||
				len(rich.coverage.Missing) != rich.coverage.Total-rich.coverage.Known || lean.coverage.Missing != nil {
				t.Errorf("%s/%s: coverage %+v, explained %+v", p.Name, pr.ID, lean.coverage, rich.coverage)
			}
			if rich.anyIssue != (len(rich.issues) > 0) {
				t.Errorf("%s/%s: anyIssue %v with issues %v", p.Name, pr.ID, rich.anyIssue, rich.issues)
			}
		}
	}
}

// TestCompiledSummariesMatchEngine: the summaries of every perspective,
// computed concurrently from one compiled catalogue, equal those of an
// engine per perspective.
func TestCompiledSummariesMatchEngine(t *testing.T) {
	for name, cat := range map[string]Catalogue{
		"varied":    certifiedCatalogue(),
		"generated": genCatalogue(3000, 18000, 5),
	} {
		t.Run(name, func(t *testing.T) {
			comp, err := Compile(cat)
			if err != nil {
				t.Fatal(err)
			}
			ps := Perspectives(DefaultReference())
			got := make([][]Summary, len(ps))
			errs := make([]error, len(ps))
			var wg sync.WaitGroup
			for i, p := range ps {
				wg.Go(func() { got[i], errs[i] = comp.Summaries(Options{Perspective: p.Name, AsOf: asOf}) })
			}
			wg.Wait()
			for i, p := range ps {
				if errs[i] != nil {
					t.Fatalf("%s: %v", p.Name, errs[i])
				}
				want := mustEngine(t, cat, p.Name).Summaries()
				if len(got[i]) != len(want) {
					t.Fatalf("%s: %d summaries, want %d", p.Name, len(got[i]), len(want))
				}
				for j := range want {
					if got[i][j] != want[j] {
						t.Errorf("%s: compiled %+v, engine %+v", p.Name, got[i][j], want[j])
					}
				}
			}
		})
	}
}

// zeroEvidence clears every Evidence reachable from v (sources and dates).
func zeroEvidence(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			zeroEvidence(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			zeroEvidence(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Evidence{}) {
			v.SetZero()
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				zeroEvidence(v.Field(i))
			}
		}
	}
}

// TestLevelsDoNotDependOnEvidence: the sources and dates of the facts
// explain a level but never set it. A full recomputation relies on this:
// the store loads the catalogue without its evidence (GraphStore.All).
func TestLevelsDoNotDependOnEvidence(t *testing.T) {
	cat := certifiedCatalogue()
	for i := range cat.Products {
		// Some facts older than the staleness limit, so that staleness
		// would show if it counted.
		if i%2 == 0 {
			cat.Products[i].License.Retrieved = asOf.AddDate(-3, 0, 0)
		}
	}
	bare := Catalogue{Organisations: slices.Clone(cat.Organisations), Products: slices.Clone(cat.Products)}
	for i := range bare.Organisations {
		bare.Organisations[i].Owners = slices.Clone(bare.Organisations[i].Owners)
	}
	for i := range bare.Products {
		p := &bare.Products[i]
		p.Dependencies = slices.Clone(p.Dependencies)
		p.Offerings = slices.Clone(p.Offerings)
		for j := range p.Offerings {
			p.Offerings[j].Certifications = slices.Clone(p.Offerings[j].Certifications)
		}
	}
	zeroEvidence(reflect.ValueOf(&bare))
	if bare.Products[0].License.Retrieved != (time.Time{}) || cat.Products[0].License.Retrieved == (time.Time{}) {
		t.Fatal("the evidence was not cleared on the copy only")
	}
	for _, p := range Perspectives(DefaultReference()) {
		want := mustEngine(t, cat, p.Name).Summaries()
		got := mustEngine(t, bare, p.Name).Summaries()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the levels changed without evidence", p.Name)
		}
	}
}

func TestCompiledRejectsWhatNewEngineRejects(t *testing.T) {
	cat := seedLike()
	comp, err := Compile(cat)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := comp.Summaries(Options{Perspective: "mars", AsOf: asOf}); err == nil {
		t.Error("unknown perspective accepted")
	}
	if _, err := comp.Summaries(Options{}); err == nil {
		t.Error("zero AsOf accepted")
	}
	cat.Products = append(cat.Products, cat.Products[0])
	if _, err := Compile(cat); err == nil {
		t.Error("duplicate product ID accepted")
	}
}

func TestIsOSIApprovedShortcut(t *testing.T) {
	cases := []string{"", " ", "OR", "or", "AND", "WITH", "MIT", "mit", " MIT", "MIT ", "MIT\t", "MIT\u00a0", "MIT\u0085",
		"(MIT)", "MIT)", "MIT OR", "OR MIT", "Apache-2.0", "LicenseRef-Proprietary", "GPL-2.0+", "MIT\x00", "MIT\x7f", "Zlib"}
	for id := range osiApproved {
		cases = append(cases, id, strings.ToLower(id), id+" ", "("+id+")")
	}
	for _, c := range cases {
		if got, want := IsOSIApproved(c), osiApprovedExpr(c); got != want {
			t.Errorf("IsOSIApproved(%q) = %v, general path %v", c, got, want)
		}
	}
}

func TestSchemeIs(t *testing.T) {
	schemes := []string{"SecNumCloud", "secnumcloud", "SECNUMCLOUD", "Secnum-Cloud", "-secnumcloud-", "SecNumCloud ", "secnumcloudx",
		"secnumclou", "", "\u017fecnumcloud", "SEC\u212aUMCLOUD", "SECNUMCLOU\u212a", "Gaia-X", "GAIA X", "gaia-x", "GaiaX", "CADA", "cada-", "Ca\u0301da"}
	for _, s := range schemes {
		for _, want := range []string{"secnumcloud", "gaiax", "gaia x", "cada", "secnumclouk"} {
			if got, ref := schemeIs(s, want), strings.ToLower(strings.ReplaceAll(s, "-", "")) == want; got != ref {
				t.Errorf("schemeIs(%q, %q) = %v, want %v", s, want, got, ref)
			}
		}
	}
}
