package sovereignty

import (
	mathrand "math/rand"
	"testing"
	"time"
)

var (
	asOf = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	day  = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
)

func cf(v string) Fact[string] { return KnownFact(v, day, "src-"+v) }

func org(id, country string, presence ...string) Organisation {
	o := Organisation{ID: id, Name: id, RegistrationCountry: cf(country), HQCountry: cf(country)}
	if country == "unknown" {
		o.RegistrationCountry, o.HQCountry = Fact[string]{}, Fact[string]{}
	}
	if presence == nil {
		presence = []string{country}
	}
	o.PresenceCountries = KnownFact(presence, day, "src-presence")
	return o
}

func owned(o Organisation, owners ...Ownership) Organisation {
	o.Owners = owners
	return o
}

func holder(id string, pct float64, control Tri) Ownership {
	return Ownership{Holder: id, Capital: Pct(pct), Voting: Pct(pct), Control: control, Veto: TriNo, BoardMajority: TriNo,
		Evidence: Evidence{Sources: []string{"src-owner"}, Retrieved: day}}
}

// offering builds a fully known offering of operator with all locations,
// support and law in country.
func offering(operator, country string, keys KeyManagement) Offering {
	return Offering{
		Operator:         operator,
		DataLocations:    KnownFact([]DataLocation{{country, PurposePrimary}}, day, "src-dl"),
		SupportLocations: KnownFact([]string{country}, day, "src-sl"),
		KeyManagement:    KnownFact(keys, day, "src-km"),
		GoverningLaw:     cf(country),
		SubprocessorList: KnownFact("https://example.org/subprocessors", day, "src-sp"),
	}
}

func saas(id, operator, country string, deps ...Dependency) Product {
	return Product{
		ID: id, Name: id, Kind: KindSaaS, Vendor: operator,
		License:      cf("LicenseRef-Proprietary"),
		Governance:   KnownFact(GovSingleVendor, day, "src-gov"),
		SelfHostable: KnownFact(false, day, "src-sh"),
		VendorHosted: KnownFact(true, day, "src-vh"),
		Offerings:    []Offering{offering(operator, country, KeysE2EE)},
		Dependencies: deps,
	}
}

// oss builds self-hostable open-source software without an offering.
func oss(id, vendor, licence string, gov Governance, deps ...Dependency) Product {
	return Product{
		ID: id, Name: id, Kind: KindSoftware, Vendor: vendor,
		License:      cf(licence),
		Governance:   KnownFact(gov, day, "src-gov"),
		SelfHostable: KnownFact(true, day, "src-sh"),
		PhoneHome:    KnownFact(false, day, "src-ph"),
		Dependencies: deps,
	}
}

func dep(provider, role string, access DataAccess, crit Criticality, group string) Dependency {
	return Dependency{Provider: provider, Role: role, DataAccess: access, Criticality: crit, Group: group,
		Evidence: Evidence{Sources: []string{"src-dep-" + provider}, Retrieved: day}}
}

func crit(provider string) Dependency {
	return dep(provider, "compute_hosting", AccessPlaintext, Critical, "")
}

// seedLike mirrors the shape of the registry's seed data: US hubs
// (Cloudflare, AWS, Azure, Google Cloud), EU services in front of them, and
// an EU service (camocopy) on an EU host.
func seedLike() Catalogue {
	return Catalogue{
		Organisations: []Organisation{
			org("cloudflare-inc", "US", "US", "GB", "DE", "PT"),
			org("amazon", "US"), org("microsoft", "US"), org("alphabet", "US"),
			owned(org("google", "US"), holder("alphabet", 100, TriYes)),
			org("openai", "US"), org("perplexity-ai", "US"), org("x-corp", "US"),
			org("mistral-ai", "FR"), org("hetzner", "DE"), org("camo", "DE"),
		},
		Products: []Product{
			saas("cloudflare", "cloudflare-inc", "US"),
			saas("aws", "amazon", "US"),
			saas("microsoft-azure", "microsoft", "US"),
			saas("google-cloud", "google", "US"),
			saas("hetzner-cloud", "hetzner", "DE"),
			saas("mistral-le-chat", "mistral-ai", "FR",
				dep("cloudflare", "cdn_proxy_tls", AccessPlaintext, Critical, ""),
				dep("microsoft-azure", "ai_inference_api", AccessPlaintext, Critical, "inference"),
				dep("google-cloud", "ai_inference_api", AccessPlaintext, Critical, "inference")),
			saas("chatgpt", "openai", "US",
				dep("cloudflare", "cdn_proxy_tls", AccessPlaintext, Critical, ""),
				dep("microsoft-azure", "compute_hosting", AccessPlaintext, Critical, "")),
			saas("perplexity", "perplexity-ai", "US",
				dep("cloudflare", "cdn_proxy_tls", AccessPlaintext, Critical, ""),
				dep("aws", "compute_hosting", AccessPlaintext, Critical, "")),
			saas("x", "x-corp", "US", dep("cloudflare", "cdn_proxy_tls", AccessPlaintext, Critical, "")),
			saas("camocopy", "camo", "DE", crit("hetzner-cloud")),
		},
	}
}

func mustEngine(t testing.TB, cat Catalogue, persp string) *Engine {
	t.Helper()
	e, err := NewEngine(cat, Options{Perspective: persp, AsOf: asOf})
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	return e
}

func mustResult(t testing.TB, e *Engine, id string) Result {
	t.Helper()
	r, err := e.Result(id)
	if err != nil {
		t.Fatalf("Result(%s): %v", id, err)
	}
	return r
}

func critLevel(r Result, c Criterion) CriterionResult {
	for _, cr := range r.Criteria {
		if cr.Criterion == c {
			return cr
		}
	}
	return CriterionResult{}
}

// newQuickRand gives testing/quick a fixed seed, so property failures
// reproduce.
func newQuickRand(seed int64) *mathrand.Rand { return mathrand.New(mathrand.NewSource(seed)) }
