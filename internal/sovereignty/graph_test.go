package sovereignty

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestInheritance is the table of the propagation rules P1–P4.
func TestInheritance(t *testing.T) {
	orgs := []Organisation{org("eu", "DE"), org("eu2", "FR"), org("us", "US")}
	type want struct {
		c     Criterion
		level Level
	}
	tests := []struct {
		name     string
		products []Product
		want     []want
	}{
		{"plaintext edge passes legal and data axes", []Product{saas("c", "eu", "DE", dep("p", "cdn_proxy_tls", AccessPlaintext, Optional, "")), saas("p", "us", "US")},
			[]want{{S2b, RSL1}, {S3b, RSL0}, {S1b, RSL4}, {S5a, RSL3}}},
		{"technical metadata counts like content", []Product{saas("c", "eu", "DE", dep("p", "monitoring_logging", AccessMetadataTechnical, Optional, "")), saas("p", "us", "US")},
			[]want{{S2b, RSL1}, {S3b, RSL0}}},
		{"unknown access counts as readable", []Product{saas("c", "eu", "DE", dep("p", "storage", AccessUnknown, Optional, "")), saas("p", "us", "US")},
			[]want{{S2b, RSL1}}},
		{"customer-held keys stop legal exposure", []Product{saas("c", "eu", "DE", dep("p", "storage", AccessEncryptedCustomer, Critical, "")), saas("p", "us", "US")},
			[]want{{S2b, RSL4}, {S3b, RSL4}, {S1b, RSL0}, {S5a, RSL2}}},
		{"no access: availability still passes on critical edges", []Product{saas("c", "eu", "DE", dep("p", "dns", AccessNone, Critical, "")), saas("p", "us", "US")},
			[]want{{S2b, RSL4}, {S1b, RSL0}}},
		{"degrading costs at most one level", []Product{saas("c", "eu", "DE", dep("p", "email_delivery", AccessNone, Degrading, "")), saas("p", "us", "US")},
			[]want{{S1b, RSL1}, {S5a, RSL3}}},
		{"optional does not pass availability", []Product{saas("c", "eu", "DE", dep("p", "analytics_telemetry", AccessNone, Optional, "")), saas("p", "us", "US")},
			[]want{{S1b, RSL4}, {S2b, RSL4}}},
		{"failover group with a home member carries availability", []Product{
			saas("c", "eu", "DE", dep("p", "compute_hosting", AccessEncryptedCustomer, Critical, "g"), dep("q", "compute_hosting", AccessEncryptedCustomer, Critical, "g")),
			saas("p", "us", "US"), saas("q", "eu2", "FR")},
			[]want{{S1b, RSL4}, {S5a, RSL3}}},
		{"failover group of foreign members only", []Product{
			saas("c", "eu", "DE", dep("p", "compute_hosting", AccessEncryptedCustomer, Critical, "g"), dep("q", "compute_hosting", AccessEncryptedCustomer, Critical, "g")),
			saas("p", "us", "US"), saas("q", "us", "US")},
			[]want{{S1b, RSL0}, {S5a, RSL2}}},
		{"failover group members still expose content", []Product{
			saas("c", "eu", "DE", dep("p", "compute_hosting", AccessPlaintext, Critical, "g"), dep("q", "compute_hosting", AccessPlaintext, Critical, "g")),
			saas("p", "us", "US"), saas("q", "eu2", "FR")},
			[]want{{S2b, RSL1}, {S1b, RSL4}}},
		{"transitive through a home provider", []Product{
			saas("c", "eu", "DE", crit("m")), saas("m", "eu2", "FR", crit("p")), saas("p", "us", "US")},
			[]want{{S2b, RSL1}, {S1b, RSL0}, {S5a, RSL2}}},
		{"cycle of home products stays at home", []Product{
			saas("c", "eu", "DE", crit("m")), saas("m", "eu2", "FR", crit("c"))},
			[]want{{S2b, RSL4}, {S1b, RSL4}, {S5a, RSL4}}},
		{"cycle with a foreign exit reaches every member", []Product{
			saas("c", "eu", "DE", crit("m")), saas("m", "eu2", "FR", crit("c"), crit("p")), saas("p", "us", "US")},
			[]want{{S2b, RSL1}, {S1b, RSL0}}},
		{"self-loop is harmless", []Product{saas("c", "eu", "DE", crit("c"))},
			[]want{{S2b, RSL4}, {S1b, RSL4}}},
		{"dependency outside the catalogue is pessimistic only", []Product{saas("c", "eu", "DE", crit("missing"))},
			[]want{{S2b, RSL4}, {S1b, RSL4}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEngine(t, Catalogue{Organisations: orgs, Products: tc.products}, "")
			r := mustResult(t, e, "c")
			for _, w := range tc.want {
				if cr := critLevel(r, w.c); cr.Level != w.level {
					path := ""
					if cr.Path != nil {
						path = cr.Path.String()
					}
					t.Errorf("%s = %s (%s %s), want %s", w.c, cr.Level, cr.Reason, path, w.level)
				}
			}
		})
	}
}

func TestPathExplainsInheritedLevel(t *testing.T) {
	cat := seedLike()
	cat.Products[5].Name = "Le Chat"
	cat.Products[0].Name = "Cloudflare"
	cat.Organisations[0].Name = "Cloudflare, Inc."
	e := mustEngine(t, cat, "")
	r := mustResult(t, e, "mistral-le-chat")
	cr := critLevel(r, S2b)
	if !cr.Inherited || cr.OwnLevel != RSL4 || cr.Path == nil {
		t.Fatalf("S2.b %+v", cr)
	}
	want := "Le Chat · S2.b RSL-1 ← Cloudflare (cdn_proxy_tls, critical) ← Cloudflare, Inc. (US) ← US CLOUD Act"
	if got := cr.Path.String(); !strings.HasPrefix(got, want) {
		t.Errorf("path\n got %s\nwant %s…", got, want)
	}
	bound := false
	for _, b := range r.Binding {
		bound = bound || (b.Path != nil && b.Path.Steps[0].ProductID == "cloudflare")
	}
	if !bound {
		t.Errorf("Cloudflare is not among the binding constraints: %+v", r.Binding)
	}
	// The failover group Azure/GCP (both US) is reported through the
	// group's surviving best member, not as two single points.
	if s := critLevel(r, S1b); s.Level != RSL0 || s.Path == nil {
		t.Errorf("S1.b %+v", s)
	}
}

func TestReservations(t *testing.T) {
	cat := Catalogue{Organisations: []Organisation{org("eu", "DE"), org("us", "US")}, Products: []Product{
		saas("c", "eu", "DE", dep("a", "analytics_telemetry", AccessPlaintext, Optional, ""), dep("b", "storage", AccessEncryptedCustomer, Critical, ""), dep("d", "dns", "???", Critical, "")),
		saas("a", "us", "US"), saas("b", "us", "US"), saas("d", "eu", "DE"),
	}}
	e := mustEngine(t, cat, "")
	r := mustResult(t, e, "c")
	codes := map[string]bool{}
	for _, rs := range r.Reservations {
		codes[rs.Code] = true
	}
	for _, c := range []string{"optional_foreign", "metadata_foreign", "access_unknown"} {
		if !codes[c] {
			t.Errorf("missing reservation %s in %+v", c, r.Reservations)
		}
	}
}

func TestPerspectiveChangesInheritedLevel(t *testing.T) {
	cat := Catalogue{Organisations: []Organisation{org("de", "DE"), org("ch", "CH")}, Products: []Product{
		saas("c", "de", "DE", crit("p")), saas("p", "ch", "CH"),
	}}
	eu := mustResult(t, mustEngine(t, cat, "eu"), "c")
	ch := mustResult(t, mustEngine(t, cat, "ch"), "c")
	euch := mustResult(t, mustEngine(t, cat, "eu-ch"), "c")
	if critLevel(eu, S3b).Level != RSL0 || critLevel(euch, S3b).Level != RSL4 || critLevel(ch, S1a).Level != RSL1 {
		t.Errorf("eu S3.b %s, eu-ch S3.b %s, ch S1.a %s", critLevel(eu, S3b).Level, critLevel(euch, S3b).Level, critLevel(ch, S1a).Level)
	}
	if eu.Perspective != "eu" || ch.Perspective != "ch" {
		t.Error("perspective not recorded in the result")
	}
}

func TestSelfHostedProfile(t *testing.T) {
	orgs := []Organisation{org("eu", "DE"), org("us", "US"), org("foundation", "US")}
	tests := []struct {
		name       string
		p          Product
		extra      []Product
		achievable Level
		geoNeutral Level
		pess       Level
	}{
		{"EU vendor, OSI, single vendor", oss("s", "eu", "AGPL-3.0-only", GovSingleVendor), nil, RSL3, RSL3, RSL3},
		{"foreign foundation project is capped at 2 (CSF-faithful)", oss("s", "foundation", "Apache-2.0", GovFoundation), nil, RSL2, RSL4, RSL2},
		{"foreign closed software", oss("s", "us", "LicenseRef-Proprietary", GovSingleVendor), nil, RSL0, RSL0, RSL0},
		{"mandatory US licence server sets cut-off 0", func() Product {
			p := oss("s", "eu", "MIT", GovCommunity, dep("lic", "licence_activation_server", AccessMetadataTechnical, Critical, ""))
			p.PhoneHome = KnownFact(true, day, "x")
			return p
		}(), []Product{saas("lic", "us", "US")}, RSL0, RSL0, RSL0},
		{"phone-home without an edge goes to the vendor", func() Product {
			p := oss("s", "us", "MIT", GovCommunity)
			p.PhoneHome = KnownFact(true, day, "x")
			return p
		}(), nil, RSL0, RSL0, RSL0},
		{"unknown phone-home is pessimistic only", func() Product {
			p := oss("s", "us", "MIT", GovCommunity)
			p.PhoneHome = Fact[bool]{}
			return p
		}(), nil, RSL2, RSL4, RSL0},
		{"the vendor's SaaS hosting does not matter", func() Product {
			p := oss("s", "eu", "EUPL-1.2", GovFoundation, crit("aws"))
			p.Offerings = []Offering{offering("eu", "DE", KeysProvider)}
			return p
		}(), []Product{saas("aws", "us", "US")}, RSL4, RSL4, RSL4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEngine(t, Catalogue{Organisations: orgs, Products: append([]Product{tc.p}, tc.extra...)}, "")
			r := mustResult(t, e, "s")
			pf := r.SelfHosted
			if pf == nil {
				t.Fatal("no self-hosted profile")
			}
			if pf.Achievable != tc.achievable || pf.GeoNeutral != tc.geoNeutral || pf.Pessimistic != tc.pess {
				t.Errorf("achievable %s geo-neutral %s pessimistic %s, want %s %s %s; %+v",
					pf.Achievable, pf.GeoNeutral, pf.Pessimistic, tc.achievable, tc.geoNeutral, tc.pess, pf.Binding)
			}
		})
	}
	e := mustEngine(t, seedLike(), "")
	if r := mustResult(t, e, "cloudflare"); r.SelfHosted != nil {
		t.Error("profile for a product that is not self-hostable")
	}
}

func TestImpactOnSeedShape(t *testing.T) {
	e := mustEngine(t, seedLike(), "")
	im, err := e.Impact("cloudflare")
	if err != nil {
		t.Fatal(err)
	}
	var down []string
	for _, d := range im.Down {
		down = append(down, d.ProductID)
	}
	slices.Sort(down)
	if want := []string{"chatgpt", "mistral-le-chat", "perplexity", "x"}; !slices.Equal(down, want) {
		t.Errorf("cloudflare down = %v, want %v", down, want)
	}
	if p, err := im.Path("x"); err != nil || !slices.Equal(p, []string{"cloudflare", "x"}) {
		t.Errorf("path = %v %v", p, err)
	}
	if _, err := im.Path("camocopy"); err == nil {
		t.Error("camocopy reported as affected")
	}
	im, _ = e.Impact("aws")
	if len(im.Down) != 1 || im.Down[0].ProductID != "perplexity" {
		t.Errorf("aws down = %+v", im.Down)
	}
	// One member of Le Chat's inference failover group fails: it survives.
	im, _ = e.Impact("microsoft-azure")
	for _, d := range im.Down {
		if d.ProductID == "mistral-le-chat" {
			t.Error("failover group with a surviving member went down")
		}
	}
	im, _ = e.Impact("microsoft-azure", "google-cloud")
	if !slices.ContainsFunc(im.Down, func(d ImpactEntry) bool { return d.ProductID == "mistral-le-chat" && d.Group == "inference" }) {
		t.Errorf("whole group failed but Le Chat stayed up: %+v", im.Down)
	}
	if _, err := e.Impact("nope"); !errors.Is(err, ErrUnknownProduct) {
		t.Errorf("unknown slug: %v", err)
	}
}

func TestImpactDegradingAndCycles(t *testing.T) {
	cat := Catalogue{Organisations: []Organisation{org("eu", "DE")}, Products: []Product{
		saas("root", "eu", "DE"),
		saas("a", "eu", "DE", crit("root"), crit("b")),
		saas("b", "eu", "DE", crit("a")), // cycle a ↔ b
		saas("d", "eu", "DE", dep("root", "email_delivery", AccessNone, Degrading, "")),
		saas("e", "eu", "DE", crit("d")),
		saas("o", "eu", "DE", dep("root", "analytics_telemetry", AccessNone, Optional, "")),
	}}
	e := mustEngine(t, cat, "")
	im, err := e.Impact("root")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ImpactStatus{}
	for _, x := range append(im.Down, im.Degraded...) {
		got[x.ProductID] = x.Status
	}
	want := map[string]ImpactStatus{"a": Down, "b": Down, "d": Degraded, "e": Degraded}
	if len(got) != len(want) {
		t.Errorf("impact = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %s, want %s", k, got[k], v)
		}
	}
	if p, _ := im.Path("b"); !slices.Equal(p, []string{"root", "a", "b"}) {
		t.Errorf("path b = %v", p)
	}
}

func TestApplyRecomputesExactlyTheAffected(t *testing.T) {
	cat := seedLike()
	e := mustEngine(t, cat, "")
	// Cloudflare moves to an EU operator: its dependents must follow.
	cf2 := cat.Products[0]
	cf2.Offerings = []Offering{offering("hetzner", "DE", KeysE2EE)}
	ids, err := e.Apply(Change{Products: []Product{cf2}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"chatgpt", "cloudflare", "mistral-le-chat", "perplexity", "x"}; !slices.Equal(ids, want) {
		t.Errorf("affected = %v, want %v", ids, want)
	}
	r := mustResult(t, e, "x")
	if p := critLevel(r, S2b).Path; p != nil && p.Steps[0].ProductID == "cloudflare" {
		t.Errorf("x still inherits from cloudflare: %s", p)
	}
	// An organisation change reaches the products its chain serves.
	h := org("hetzner", "DE")
	h.Owners = []Ownership{holder("amazon", 100, TriYes)}
	ids, err = e.Apply(Change{Organisations: []Organisation{h}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids, "camocopy") || !slices.Contains(ids, "hetzner-cloud") {
		t.Errorf("org change affected %v", ids)
	}
	if s, _ := e.Summary("camocopy"); s.Overall != RSL0 {
		t.Errorf("camocopy after Hetzner's takeover: %s", s.Overall)
	}
	// Removing a product leaves its consumers with a dangling edge, and
	// adding it back resolves it.
	if _, err := e.Apply(Change{RemovedProducts: []string{"hetzner-cloud"}}); err != nil {
		t.Fatal(err)
	}
	if r := mustResult(t, e, "camocopy"); !slices.ContainsFunc(r.Issues, func(i Issue) bool { return i.Code == "unknown_dependency" }) {
		t.Errorf("no dangling-edge issue: %+v", r.Issues)
	}
	if _, err := e.Apply(Change{Products: []Product{saas("new", "camo", "DE", crit("camocopy"))}}); err != nil {
		t.Fatal(err)
	}
	if d, _ := e.Dependents("camocopy"); !slices.Equal(d, []string{"new"}) {
		t.Errorf("dependents = %v", d)
	}
	assertSameAsFresh(t, e)
}

// assertSameAsFresh checks that an incrementally maintained engine agrees
// with one computed from scratch over the same catalogue.
func assertSameAsFresh(t *testing.T, e *Engine) {
	t.Helper()
	var cat Catalogue
	for _, o := range e.orgs {
		cat.Organisations = append(cat.Organisations, *o)
	}
	for i, p := range e.products {
		if !e.removed[i] {
			cat.Products = append(cat.Products, p)
		}
	}
	f := mustEngine(t, cat, e.persp.Name)
	for _, s := range e.Summaries() {
		fs, err := f.Summary(s.ProductID)
		// Inside a cycle, which of several equally binding dependencies
		// an axis points to depends on the order of evaluation, so the
		// pointers may differ there; every level must not.
		if f.onCycle(f.idx[s.ProductID]) {
			s.Passed.Via, fs.Passed.Via = [nSlot]int16{}, [nSlot]int16{}
		}
		if err != nil || fs != s {
			t.Errorf("%s: incremental %+v, fresh %+v", s.ProductID, s, fs)
		}
	}
}

func TestIncrementalMatchesFullOnRandomGraphs(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		cat := genCatalogue(400, 2400, seed)
		e := mustEngine(t, cat, "")
		r := rand.New(rand.NewPCG(seed, 7))
		for k := 0; k < 10; k++ {
			i := r.IntN(len(cat.Products))
			p := cat.Products[i]
			p.Dependencies = append(slices.Clone(p.Dependencies), crit(cat.Products[r.IntN(len(cat.Products))].ID))
			if r.IntN(2) == 0 && len(p.Dependencies) > 2 {
				p.Dependencies = p.Dependencies[2:]
			}
			if _, err := e.Apply(Change{Products: []Product{p}}); err != nil {
				t.Fatal(err)
			}
		}
		assertSameAsFresh(t, e)
	}
}

func TestGraph_MostUsed(t *testing.T) {
	nodes := []GraphNode{{ID: "cdn"}, {ID: "cloud"}, {ID: "a"}, {ID: "b"}, {ID: "c"}}
	edges := []GraphEdge{
		{Consumer: 2, Provider: 0, Criticality: Critical}, {Consumer: 3, Provider: 0, Criticality: Critical},
		{Consumer: 4, Provider: 0, Criticality: Critical}, {Consumer: 2, Provider: 1, Criticality: Critical},
		{Consumer: 3, Provider: 1, Criticality: Degrading},
	}
	g := NewGraph(nodes, edges)
	tests := []struct {
		name string
		n    int
		want []string
	}{
		{"all providers, most used first", 10, []string{"cdn", "cloud"}},
		{"bounded", 1, []string{"cdn"}},
		{"none", 0, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.MostUsed(tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("MostUsed(%d) = %v, want %v", tt.n, got, tt.want)
			}
		})
	}
}

func TestGraph_ReachCount(t *testing.T) {
	// cdn ← a ← c, cloud ← a, cloud ← b; d stands alone.
	nodes := []GraphNode{{ID: "cdn"}, {ID: "cloud"}, {ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}
	edges := []GraphEdge{
		{Consumer: 2, Provider: 0, Criticality: Critical}, {Consumer: 2, Provider: 1, Criticality: Optional},
		{Consumer: 3, Provider: 1, Criticality: Degrading}, {Consumer: 4, Provider: 2, Criticality: Critical},
	}
	g := NewGraph(nodes, edges)
	tests := []struct {
		name string
		ids  []string
		want int
	}{
		{"a hub and its transitive dependents", []string{"cdn"}, 3},
		{"every criticality counts", []string{"cloud"}, 4},
		{"overlapping reaches count once", []string{"cdn", "cloud", "a"}, 5},
		{"a product nobody depends on", []string{"d"}, 1},
		{"an unknown product counts as one", []string{"new-product"}, 1},
		{"the same product twice", []string{"cdn", "cdn"}, 3},
		{"nothing", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.ReachCount(tt.ids); got != tt.want {
				t.Errorf("ReachCount(%v) = %d, want %d", tt.ids, got, tt.want)
			}
		})
	}
}

// onCycle reports whether v depends on itself, directly or through others.
func (e *Engine) onCycle(v int32) bool {
	seen := make([]bool, len(e.products))
	queue := []int32{v}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, ed := range e.deps[u] {
			if ed.prov == v {
				return true
			}
			if ed.prov >= 0 && !seen[ed.prov] {
				seen[ed.prov] = true
				queue = append(queue, ed.prov)
			}
		}
	}
	return false
}
