package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// GenConfig sizes a generated catalogue.
type GenConfig struct {
	Products int
	Orgs     int // 0: one organisation per 50 products (at least 20)
	// Edges is the number of dependency edges among generated products and
	// from them to the seed's hubs; negative: two per product.
	Edges int
	Seed  uint64
}

func (c GenConfig) withDefaults() GenConfig {
	if c.Orgs <= 0 {
		c.Orgs = max(20, c.Products/50)
	}
	if c.Edges < 0 {
		c.Edges = 2 * c.Products
	}
	return c
}

// weighted is a value with a relative weight for random choice.
type weighted[T any] struct {
	v T
	w int
}

// gen holds the state of one generation run. Everything it produces
// depends only on the config and the base dataset: one PRNG with a fixed
// seed, no map iteration, no clock.
type gen struct {
	cfg   GenConfig
	rng   *rand.Rand
	base  catalog.Dataset
	out   catalog.Dataset
	slugs map[string]bool // taken product and organisation slugs

	orgBrand  []string          // brand of each generated organisation
	orgHQ     []catalog.Country // HQ country of each generated organisation
	byCat     map[string][]string
	hubChoice []weighted[int] // indexes into hubs present in the base
	retrieved time.Time
}

// Generate builds cfg.Products products, their organisations and sources on
// top of base (the seed), which they reference for categories, hubs and a
// few owners. The result is a dataset of new entries only; base plus the
// result is a valid catalogue.
func Generate(cfg GenConfig, base catalog.Dataset) catalog.Dataset {
	cfg = cfg.withDefaults()
	g := &gen{
		cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)), base: base,
		slugs: map[string]bool{}, byCat: map[string][]string{},
		retrieved: time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC),
	}
	baseProducts := map[string]bool{}
	for _, p := range base.Products {
		g.slugs[p.Slug] = true
		baseProducts[p.Slug] = true
		g.byCat[p.Category] = append(g.byCat[p.Category], p.Slug)
	}
	for _, o := range base.Organizations {
		g.slugs[o.Slug] = true
	}
	for i, h := range hubs {
		if baseProducts[h.slug] {
			g.hubChoice = append(g.hubChoice, weighted[int]{i, h.weight})
		}
	}
	for i := 0; i < cfg.Orgs; i++ {
		g.organization(i)
	}
	for i := 0; i < cfg.Products; i++ {
		g.product(i)
	}
	g.edges()
	return g.out
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func pickWeighted[T any](r *rand.Rand, list []weighted[T]) T {
	total := 0
	for _, x := range list {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range list {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return list[len(list)-1].v
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// skewed returns an index below n, small indexes much more likely: the
// long tail of vendor sizes and of how often a product is depended on.
func (g *gen) skewed(n int, power float64) int {
	return min(n-1, int(float64(n)*math.Pow(g.rng.Float64(), power)))
}

var slugReplacer = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue", "&", " ")

// slugify makes a unique slug of name.
func (g *gen) slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(slugReplacer.Replace(name)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	slug := strings.TrimSuffix(b.String(), "-")
	if len(slug) > 60 {
		slug = strings.TrimSuffix(slug[:60], "-")
	}
	unique := slug
	for n := 2; g.slugs[unique]; n++ {
		unique = fmt.Sprintf("%s-%d", slug, n)
	}
	g.slugs[unique] = true
	return unique
}

func (g *gen) source(key, url, title string, kind catalog.SourceKind) string {
	g.out.Sources = append(g.out.Sources, catalog.Source{
		Key: key, URL: url, Title: title, Kind: kind, Retrieved: g.retrieved.AddDate(0, 0, g.rng.IntN(500)),
	})
	return key
}

var orgWords = []string{"Systems", "Digital", "Software", "Solutions", "Technologies", "Group", "Labs", "IT", "Cloud", "Networks"}

func (g *gen) organization(i int) {
	brand := pick(g.rng, brandHeads) + pick(g.rng, brandTails)
	if g.slugs[g.slugOf(brand)] {
		brand += " " + pick(g.rng, orgWords)
	}
	slug := g.slugify(brand)
	hq := pickWeighted(g.rng, countryWeights)
	reg := hq
	if g.chance(0.05) {
		reg = pickWeighted(g.rng, countryWeights)
	}
	legal := fmt.Sprintf("%s %s %s", brand, pick(g.rng, orgWords), pick(g.rng, legalForms[reg]))
	src := g.source("g-org-"+slug, fmt.Sprintf("https://register.example/%s/%s", strings.ToLower(string(reg)), slug),
		"Registereintrag "+legal, catalog.SourceCompanyRegister)
	o := catalog.Organization{
		Slug: slug, Name: brand, Website: "https://" + slug + ".example",
		LegalName:           catalog.KnownFact(legal, src),
		RegistrationCountry: catalog.KnownFact(reg, src),
		HQCountry:           catalog.KnownFact(hq, src),
	}
	if g.chance(0.1) {
		o.HQCountry = catalog.UnknownFact[catalog.Country]()
	}
	if g.chance(0.5) {
		presence := []catalog.Country{hq}
		for range g.rng.IntN(4) {
			if c := pickWeighted(g.rng, countryWeights); c != presence[len(presence)-1] {
				presence = append(presence, c)
			}
		}
		o.PresenceCountries = catalog.KnownFact(presence, src)
	}
	// A few organisations belong to an earlier one or to a seed group.
	if i > 0 && g.chance(0.03) {
		holder := g.out.Organizations[g.rng.IntN(i)].Slug
		if len(g.base.Organizations) > 0 && g.chance(0.3) {
			holder = pick(g.rng, g.base.Organizations).Slug
		}
		pct := 100.0
		o.Owners = []catalog.Ownership{{Holder: holder, CapitalPct: &pct, VotingPct: &pct,
			Control: catalog.Yes, Veto: catalog.Unknown, BoardMajority: catalog.Unknown, Sources: []string{src}}}
	}
	g.out.Organizations = append(g.out.Organizations, o)
	g.orgBrand = append(g.orgBrand, brand)
	g.orgHQ = append(g.orgHQ, hq)
}

// slugOf is the slug of name without reserving it.
func (g *gen) slugOf(name string) string {
	saved := g.slugs
	g.slugs = map[string]bool{}
	s := g.slugify(name)
	g.slugs = saved
	return s
}

func (g *gen) product(i int) {
	cat := pick(g.rng, g.base.Categories).Slug
	terms := categoryTerms[cat]
	if len(terms) == 0 {
		terms = []string{"Cloud", "Software"}
	}
	vi := g.skewed(len(g.out.Organizations), 2)
	vendor := g.out.Organizations[vi]
	brand := g.orgBrand[vi]
	if g.chance(0.4) {
		brand = pick(g.rng, brandHeads) + pick(g.rng, brandTails)
	}
	name := brand + " " + pick(g.rng, terms)
	switch r := g.rng.Float64(); {
	case r < 0.2:
		if t := pick(g.rng, terms); !strings.Contains(name, t) {
			name += " " + t
		}
	case r < 0.4:
		name += " " + pick(g.rng, nameSuffixes)
	}
	slug := g.slugify(name)
	kind := g.kind(cat)
	src := g.source("g-"+slug, "https://"+vendor.Slug+".example/"+slug+"/legal", name+" – Rechtliche Hinweise", catalog.SourceVendorLegal)

	p := catalog.Product{
		Slug: slug, Name: name, Vendor: vendor.Slug, Category: cat, Kind: kind,
		Website: "https://" + vendor.Slug + ".example/" + slug,
	}
	p.DescriptionDE, p.DescriptionEN = g.descriptions(name, cat, terms)
	hosted := kind != catalog.KindSoftware || g.chance(0.3)
	selfHost := kind == catalog.KindSoftware || (kind == catalog.KindAIModel && g.chance(0.5)) || g.chance(0.05)
	if g.chance(0.85) {
		p.VendorHosted = catalog.KnownFact(tri(hosted), src)
	}
	if g.chance(0.8) {
		p.SelfHostable = catalog.KnownFact(tri(selfHost), src)
	}
	openShare := 0.15
	if kind == catalog.KindSoftware {
		openShare = 0.65
	}
	switch r := g.rng.Float64(); {
	case r < openShare:
		p.License = catalog.KnownFact(pickWeighted(g.rng, openLicenses), src)
		p.SourceRepository = catalog.KnownFact("https://code.example/"+vendor.Slug+"/"+slug, src)
	case r < 0.9:
		p.License = catalog.KnownFact(catalog.ProprietaryLicense, src)
	}
	if g.chance(0.5) {
		gov := catalog.GovernanceSingleVendor
		if r := g.rng.Float64(); r < 0.1 {
			gov = catalog.GovernanceFoundation
		} else if r < 0.2 {
			gov = catalog.GovernanceCommunity
		}
		p.Governance = catalog.KnownFact(gov, src)
	}
	if g.chance(0.4) {
		p.PhoneHome = catalog.KnownFact(tri(g.chance(0.4)), src)
	}
	if hosted {
		p.Offerings = append(p.Offerings, g.offering(vendor.Slug, g.orgHQ[vi], src))
		if g.chance(0.15) {
			reseller := g.out.Organizations[g.rng.IntN(len(g.out.Organizations))]
			p.Offerings = append(p.Offerings, g.offering(reseller.Slug, g.orgHQ[vi], src))
		}
	}
	if g.chance(0.06) {
		if seedAlts := g.byCat[cat]; len(seedAlts) > 0 && g.chance(0.6) {
			p.Alternatives = []string{pick(g.rng, seedAlts)}
		} else if i > 0 {
			p.Alternatives = []string{g.out.Products[g.rng.IntN(i)].Slug}
		}
	}
	if g.chance(0.01) {
		body := pick(g.rng, publicBodies)
		press := g.source("g-"+slug+"-press", "https://news.example/"+slug, body.name+" setzt auf "+name, catalog.SourcePress)
		a := catalog.Adoption{Body: body.name, Country: body.country, Year: 2015 + g.rng.IntN(11), Sources: []string{press},
			DescriptionDE: body.name + " nutzt " + name + ".", DescriptionEN: body.name + " uses " + name + "."}
		if seedAlts := g.byCat[cat]; len(seedAlts) > 0 && g.chance(0.3) {
			a.Replaces = pick(g.rng, seedAlts)
		}
		p.Adoptions = []catalog.Adoption{a}
	}
	g.out.Products = append(g.out.Products, p)
}

func tri(b bool) catalog.Tri {
	if b {
		return catalog.Yes
	}
	return catalog.No
}

func (g *gen) kind(cat string) catalog.Kind {
	switch cat {
	case "cloud-infrastructure":
		return catalog.KindIaaS
	case "cdn-security":
		return catalog.KindPaaS
	case "ai-platform":
		if g.chance(0.4) {
			return catalog.KindAIModel
		}
		return catalog.KindPaaS
	}
	if g.chance(0.45) {
		return catalog.KindSoftware
	}
	return catalog.KindSaaS
}

// dataCountries are where generated offerings keep data.
var dataCountries = []weighted[catalog.Country]{
	{"DE", 35}, {"FR", 10}, {"NL", 10}, {"IE", 8}, {"US", 15}, {"FI", 4}, {"SE", 4}, {"AT", 3}, {"CH", 3},
	{"PL", 3}, {"BE", 2}, {"IT", 2}, {"ES", 2}, {"GB", 3}, {"SG", 1}, {"IN", 1},
}

var certWeights = []weighted[string]{{"ISO27001", 10}, {"C5", 4}, {"SOC2", 4}, {"BSI-IT-Grundschutz", 2}, {"SecNumCloud", 1}, {"TISAX", 1}, {"GaiaX", 1}}

func (g *gen) offering(operator string, vendorHQ catalog.Country, src string) catalog.Offering {
	o := catalog.Offering{Operator: operator}
	if g.chance(0.75) {
		primary := pickWeighted(g.rng, dataCountries)
		if g.chance(0.4) && vendorHQ != "" {
			primary = vendorHQ
		}
		locs := []catalog.DataLocation{{Country: primary, Purpose: catalog.PurposePrimary}}
		if g.chance(0.5) {
			if c := pickWeighted(g.rng, dataCountries); c != primary {
				locs = append(locs, catalog.DataLocation{Country: c, Purpose: catalog.PurposeBackup})
			}
		}
		if g.chance(0.15) {
			locs = append(locs, catalog.DataLocation{Country: pickWeighted(g.rng, dataCountries), Purpose: catalog.PurposeSupport})
		}
		o.DataLocations = catalog.KnownFact(locs, src)
	}
	if g.chance(0.5) {
		sup := []catalog.Country{pickWeighted(g.rng, dataCountries)}
		if g.chance(0.3) {
			sup = append(sup, pickWeighted(g.rng, dataCountries))
		}
		o.SupportLocations = catalog.KnownFact(sup, src)
	}
	if g.chance(0.4) {
		o.KeyManagement = catalog.KnownFact(pick(g.rng, catalog.KeyManagements), src)
	}
	if g.chance(0.6) && vendorHQ != "" {
		o.GoverningLaw = catalog.KnownFact(vendorHQ, src)
	}
	if g.chance(0.3) {
		o.SubprocessorList = catalog.KnownFact("https://"+operator+".example/subprocessors", src)
	}
	for range g.rng.IntN(3) {
		scheme := pickWeighted(g.rng, certWeights)
		if len(o.Certifications) == 0 || o.Certifications[0].Scheme != scheme {
			o.Certifications = append(o.Certifications, catalog.Certification{Scheme: scheme, Sources: []string{src}})
		}
	}
	return o
}

// descriptions writes a German and an English description of 20–40 words.
func (g *gen) descriptions(name, cat string, terms []string) (de, en string) {
	var catDE, catEN string
	for _, c := range g.base.Categories {
		if c.Slug == cat {
			catDE, catEN = c.NameDE, c.NameEN
		}
	}
	a := g.rng.IntN(len(adjectivesDE))
	au := g.rng.IntN(len(audiencesDE))
	f1, f2 := g.rng.IntN(len(featuresDE)), g.rng.IntN(len(featuresDE))
	pl := g.rng.IntN(len(placesDE))
	term := pick(g.rng, terms)
	de = fmt.Sprintf("%s ist eine %s Lösung für %s (%s) für %s. Sie bietet %s und %s und wird %s betrieben.",
		name, adjectivesDE[a], catDE, term, audiencesDE[au], featuresDE[f1], featuresDE[f2], placesDE[pl])
	en = fmt.Sprintf("%s is a %s %s solution (%s) for %s. It offers %s and %s and runs %s.",
		name, adjectivesEN[a], strings.ToLower(catEN), term, audiencesEN[au], featuresEN[f1], featuresEN[f2], placesEN[pl])
	target := 20 + g.rng.IntN(21)
	for i := g.rng.IntN(len(fillerDE)); len(strings.Fields(de)) < target || len(strings.Fields(en)) < target; i++ {
		de += " " + fillerDE[i%len(fillerDE)]
		en += " " + fillerEN[i%len(fillerEN)]
	}
	return de, en
}

// edges adds cfg.Edges dependency edges: consumers uniformly at random,
// providers a seed hub (about half the edges, weighted so that a few hubs
// carry most) or an earlier generated product chosen with a strong skew
// towards the first ones, which become the generated catalogue's own hubs.
// Generated products depend only on earlier ones and on the seed, so the
// graph stays acyclic.
func (g *gen) edges() {
	n := len(g.out.Products)
	if n == 0 || g.cfg.Edges == 0 {
		return
	}
	degree := make([]int, n)
	for range g.cfg.Edges {
		degree[g.rng.IntN(n)]++
	}
	for i := range n {
		p := &g.out.Products[i]
		src := p.Slug
		srcKey := "g-" + src
		seen := map[string]bool{}
		for attempt := 0; len(p.Dependencies) < degree[i] && attempt < 5*degree[i]; attempt++ {
			var dep catalog.Dependency
			if i == 0 || (len(g.hubChoice) > 0 && g.chance(0.5)) {
				if len(g.hubChoice) == 0 {
					break
				}
				h := hubs[pickWeighted(g.rng, g.hubChoice)]
				dep = catalog.Dependency{Provider: h.slug, Role: h.role}
			} else {
				dep = catalog.Dependency{Provider: g.out.Products[g.skewed(i, 3)].Slug, Role: pickWeighted(g.rng, peerRoles)}
			}
			if seen[dep.Provider] {
				continue
			}
			seen[dep.Provider] = true
			dep.DataAccess = pickWeighted(g.rng, accessWeights)
			dep.Criticality = pickWeighted(g.rng, criticalityWeights)
			dep.Sources = []string{srcKey}
			p.Dependencies = append(p.Dependencies, dep)
		}
	}
}

var (
	accessWeights = []weighted[catalog.DataAccess]{
		{catalog.AccessPlaintext, 35}, {catalog.AccessMetadata, 30}, {catalog.AccessEncryptedCustomer, 10},
		{catalog.AccessNone, 10}, {catalog.AccessUnknown, 15},
	}
	criticalityWeights = []weighted[catalog.Criticality]{{catalog.Critical, 50}, {catalog.Degrading, 35}, {catalog.Optional, 15}}
)
