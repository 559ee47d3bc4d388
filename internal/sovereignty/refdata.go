package sovereignty

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Compulsion is what a foreign regime can force a provider to do.
type Compulsion string

// The compulsions of exposure regimes. Content and metadata disclosure set
// the extraterritorial-exposure criterion S2.b; suspension sets the cut-off
// criterion S1.b; assistance alone is recorded but sets neither.
const (
	CompelsContent    Compulsion = "content"
	CompelsMetadata   Compulsion = "metadata"
	CompelsAssistance Compulsion = "assistance"
	CompelsSuspension Compulsion = "suspension"
)

// Regime is a foreign law with cross-border reach ("exposure regime",
// methodology reference §5.1). It is a property of the controlling entity's
// jurisdiction, not of the data's location.
type Regime struct {
	ID   string
	Name string
	// NameText is Name in German and English; empty means Name in both.
	NameText Text
	// EffectText says in both languages what the regime can force; it is
	// quoted in the explanation of the criterion it sets (S1.b for a
	// suspension regime). Empty means a generic wording.
	EffectText   Text
	Jurisdiction string // ISO 3166-1 alpha-2
	Compels      []Compulsion
	Nexus        string // who is caught
	Sources      []string
	// Status is the legal status as last checked; Active=false would take
	// the regime out of the rules (e.g. a law that lapsed).
	Status     string
	Active     bool
	StatusAsOf time.Time
	// Verification is the reference's confidence: V verified from a primary
	// text, S secondary source only, U unverified (a placeholder). A split
	// mark "V/U" means: verified as a criterion of the CSF, legal detail
	// unverified (methodology reference §5.1).
	Verification string
}

func (r Regime) compels(c Compulsion) bool { return slices.Contains(r.Compels, c) }

// Label returns the regime's name in German and English.
func (r Regime) Label() Text {
	if r.NameText.IsZero() {
		return same(r.Name)
	}
	return Text{DE: cmp.Or(r.NameText.DE, r.Name), EN: cmp.Or(r.NameText.EN, r.Name)}
}

// suspensionText explains a suspension regime in S1.b: its name, what it
// can force, and how well the reference knows it.
func (r Regime) suspensionText() Text {
	eff := r.EffectText
	if eff.IsZero() {
		eff = tx("kann die Abschaltung des Dienstes erzwingen", "can force the suspension of the service")
	}
	return join(r.Label(), same(": "), eff, txf("; Stand der Referenz: %s", "; reference status: %s", verificationNote(r.Verification)))
}

// Adequacy is a GDPR Art. 45 adequacy decision. It is stored as a property of
// a data-transfer destination and kept apart from exposure regimes, which
// concern the controlling entity: adequacy says nothing about compulsion of a
// provider's parent.
type Adequacy struct {
	Country string
	Scope   string
}

// Reference is the reference data the rules use. It is a value, so that a
// change to it (a new regime, a lapsed one) is an explicit input and the
// store can recompute every product when it changes.
type Reference struct {
	StatusAsOf  time.Time
	EUMembers   []string
	EEAOnly     []string // EEA members outside the EU
	Switzerland string
	Regimes     []Regime
	Adequacy    []Adequacy
	Sources     map[string]string // what each list is taken from
}

var refDate = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// DefaultReference returns the reference data of RuleVersion, compiled from
// the methodology reference (November 2026). Each call returns a fresh copy.
func DefaultReference() Reference {
	return Reference{
		StatusAsOf: refDate,
		EUMembers: []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
			"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"},
		EEAOnly:     []string{"IS", "LI", "NO"},
		Switzerland: "CH",
		Sources: map[string]string{
			"eu_members":      "https://european-union.europa.eu/principles-countries-history/eu-countries_en",
			"eea":             "https://www.efta.int/eea",
			"adequacy":        "https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/adequacy-decisions_en",
			"adequacy_us_dpf": "https://cnpd.public.lu/en/dossiers-thematiques/transferts-internationaux-donnees-personnelles/transferts-dehors-eee-protection-adequate.html",
		},
		Regimes: []Regime{
			{
				ID: "us-cloud-act", Name: "US CLOUD Act, 18 U.S.C. § 2713", Jurisdiction: "US",
				NameText: tx("US CLOUD Act, 18 U.S.C. § 2713", "US CLOUD Act, 18 U.S.C. § 2713"),
				Compels:  []Compulsion{CompelsContent, CompelsMetadata},
				Nexus:    "providers of electronic communication or remote computing services subject to US jurisdiction, for data in their possession, custody or control wherever stored",
				Sources:  []string{"https://wilmerhale.com/insights/client-alerts/congress-enacts-law-clarifying-reach-of-warrants-for-overseas-data", "https://www.justice.gov/CLOUDAct"},
				Status:   "in force (2018)", Active: true, StatusAsOf: refDate, Verification: "V",
			},
			{
				ID: "us-fisa-702", Name: "FISA § 702, 50 U.S.C. § 1881a", Jurisdiction: "US",
				NameText: tx("US FISA § 702, 50 U.S.C. § 1881a", "FISA § 702, 50 U.S.C. § 1881a"),
				Compels:  []Compulsion{CompelsContent, CompelsMetadata, CompelsAssistance},
				Nexus:    "US electronic communication service providers, widened by RISAA (2024) to service providers with access to equipment that transmits or stores communications",
				Sources:  []string{"https://www.lawfaremedia.org/article/fisa-section-702-reauthorized-for-two-years", "https://penncerl.org/the-rule-of-law-post/after-a-bruising-battle-fisa-section-702-lives-on-now-let-the-2026-section-702-reauthorization-debate-begin", "https://www.imtr.net/article/house-gop-passes-short-term-fisa-deal-amid-republican-infighting-aea3"},
				Status:   "reauthorised April 2024 with an April 2026 sunset; a short-term extension was reported in April 2026 (current status unverified, treated as in force)",
				Active:   true, StatusAsOf: refDate, Verification: "U",
			},
			{
				ID: "us-eo-12333", Name: "Executive Order 12333", Jurisdiction: "US",
				NameText: tx("US Executive Order 12333", "Executive Order 12333"),
				Compels:  nil, // collection without a compelled-provider nexus: recorded, sets no criterion
				Nexus:    "no compelled-provider nexus; collection of data in transit and abroad",
				// Text as amended in 2008 (FAS copy) and an overview; retrieved 2026-11-27.
				Sources: []string{"https://irp.fas.org/offdocs/eo12333.htm", "https://en.wikipedia.org/wiki/Executive_Order_12333"},
				Status:  "in force as amended by EO 13470 (2008); current status not checked against a primary source", Active: true, StatusAsOf: refDate, Verification: "S",
			},
			{
				// Methodology reference §5.1 and §8.3 (S1.b): a controller
				// under a regime that compels suspension sets S1.b = 0. The
				// regime is a CSF criterion (SOV-1 Q8 cut-off, SOV-2 Q4
				// export control), hence V; its legal detail was not
				// retrieved, hence U. It sets S1.b only: S2.c (export
				// control, SOV-2 Q4) needs evidence of actual restrictions
				// and is not computed by this rule version.
				ID: "us-export-sanctions", Name: "US export controls (EAR/ITAR) and sanctions (IEEPA/OFAC)", Jurisdiction: "US",
				NameText: tx("US-Exportkontrollen (EAR/ITAR) und Sanktionen (IEEPA/OFAC)", "US export controls (EAR/ITAR) and sanctions (IEEPA/OFAC)"),
				EffectText: tx("können die Nutzung eines Dienstes einschränken oder seine Abschaltung erzwingen, für US-Personen und Technik US-amerikanischen Ursprungs (das „Kill-Switch“-Szenario von CSF SOV-1 Q8 und SOV-2 Q4)",
					"can restrict the use of a service or force its suspension, for US persons and US-origin technology (the \"kill switch\" scenario of CSF SOV-1 Q8 and SOV-2 Q4)"),
				Compels: []Compulsion{CompelsSuspension},
				Nexus:   "US persons and US-origin technology; can restrict use or force suspension of a service (the \"kill switch\" scenario of CSF SOV-1 Q8 and SOV-2 Q4)",
				Sources: []string{"https://github.com/flavienbwk/cloud-sovereignty-score (CSF SOV-1 Q8, SOV-2 Q4; methodology reference §1.5)",
					"Halbheer paper, citing reporting on the ICC and Microsoft (methodology reference §5.1)"},
				Status: "in force; verified as a CSF criterion (V), legal detail not retrieved (U)", Active: true, StatusAsOf: refDate, Verification: "V/U",
			},
			{
				ID: "cn-national-intelligence-law", Name: "PRC National Intelligence Law 2017 (amended 2018), Art. 7 and 14", Jurisdiction: "CN",
				NameText: tx("Nationales Nachrichtendienstgesetz der VR China 2017 (geändert 2018), Art. 7 und 14", "PRC National Intelligence Law 2017 (amended 2018), Art. 7 and 14"),
				Compels:  []Compulsion{CompelsContent, CompelsMetadata, CompelsAssistance},
				Nexus:    "Chinese organisations and citizens, including subsidiaries: must support, assist and cooperate with state intelligence work and keep it secret",
				Sources:  []string{"https://www.chinalawtranslate.com/en/national-intelligence-law-of-the-p-r-c-2017/", "https://stop.zona-m.net/2020/05/some-articles-of-some-chinese-laws-that-interest-everybody/"},
				Status:   "in force", Active: true, StatusAsOf: refDate, Verification: "V",
			},
			{
				ID: "cn-cybersecurity-counterespionage", Name: "PRC Cybersecurity Law 2017 Art. 28 and Counter-Espionage Law (rev. 2023) Art. 22", Jurisdiction: "CN",
				NameText: tx("Cybersicherheitsgesetz der VR China 2017, Art. 28, und Spionageabwehrgesetz (rev. 2023), Art. 22", "PRC Cybersecurity Law 2017 Art. 28 and Counter-Espionage Law (rev. 2023) Art. 22"),
				Compels:  []Compulsion{CompelsContent, CompelsMetadata, CompelsAssistance},
				Nexus:    "network operators and organisations in China: compelled technical assistance and information",
				Sources:  []string{"https://stop.zona-m.net/2020/05/some-articles-of-some-chinese-laws-that-interest-everybody/", "https://kmstixx.com/info/6640/91619.htm"},
				Status:   "in force", Active: true, StatusAsOf: refDate, Verification: "S",
			},
			{
				ID: "ru-sorm", Name: "Russia: SORM and the \"Yarovaya\" laws", Jurisdiction: "RU",
				NameText: tx("Russland: SORM und die „Jarowaja“-Gesetze", "Russia: SORM and the \"Yarovaya\" laws"),
				Compels:  []Compulsion{CompelsContent, CompelsMetadata, CompelsAssistance},
				Nexus:    "telecoms and service providers: lawful intercept, data retention, decryption assistance",
				// Federal Law No. 374-FZ (2016): retention and decryption keys
				// for the FSB, summarised by Stanford's WILMap and a law firm;
				// retrieved 2026-11-27.
				Sources: []string{"https://wilmap.stanford.edu/entries/federal-law-374-fz-amending-federal-law-combating-terrorism-and-certain-legislative-acts", "http://www.lexology.com/library/detail.aspx?g=2b07bea1-b968-441c-bd40-8236aebfdc58"},
				Status:  "in force since 2016 (retention of content since 2018); secondary sources only", Active: true, StatusAsOf: refDate, Verification: "S",
			},
			{
				ID: "uk-ipa", Name: "UK Investigatory Powers Act 2016", Jurisdiction: "GB",
				NameText: tx("UK Investigatory Powers Act 2016", "UK Investigatory Powers Act 2016"),
				Compels:  []Compulsion{CompelsContent, CompelsMetadata, CompelsAssistance},
				Nexus:    "telecoms and service providers: interception, retention and technical-capability notices",
				// The Home Office on the notices regimes (consultation, 2023)
				// and on technical capability notices after the 2024
				// amendment (answer to a written question); retrieved 2026-11-27.
				Sources: []string{"https://www.gov.uk/government/consultations/revised-investigatory-powers-act-notices-regimes-consultation/consultation-on-revised-notices-regimes-in-the-investigatory-powers-act-2016-accessible-version", "https://parallelparliament.co.uk/question/30755/surveillance"},
				Status:  "in force, amended by the Investigatory Powers (Amendment) Act 2024", Active: true, StatusAsOf: refDate, Verification: "S",
			},
		},
		Adequacy: []Adequacy{
			{"AD", "full"}, {"AR", "full"}, {"CA", "commercial organisations under PIPEDA"}, {"FO", "full"},
			{"GG", "full"}, {"IL", "full"}, {"IM", "full"}, {"JP", "full"}, {"JE", "full"}, {"NZ", "full"},
			{"KR", "full"}, {"CH", "full"}, {"GB", "GDPR and LED"}, {"UY", "full"},
			{"US", "only organisations certified under the EU-US Data Privacy Framework"},
		},
	}
}

// regimesFor returns the active regimes of a jurisdiction.
func (r *Reference) regimesFor(country string) []*Regime {
	var out []*Regime
	for i := range r.Regimes {
		if r.Regimes[i].Active && r.Regimes[i].Jurisdiction == country {
			out = append(out, &r.Regimes[i])
		}
	}
	return out
}

// AdequacyFor returns the adequacy decision for a destination, if any.
func (r Reference) AdequacyFor(country string) (Adequacy, bool) {
	c, _ := normCountry(country)
	for _, a := range r.Adequacy {
		if a.Country == c {
			return a, true
		}
	}
	return Adequacy{}, false
}

// osiApproved lists common SPDX identifiers approved by the Open Source
// Initiative (https://opensource.org/licenses; the "OSI Approved" column of
// https://spdx.org/licenses/). Deprecated SPDX forms ("GPL-2.0", "GPL-2.0+")
// are included because catalogues still carry them. It is deliberately
// short: an identifier not listed is not assumed approved, and a curator can
// set Product.OSIApproved explicitly.
var osiApproved = map[string]bool{
	"0BSD": true, "AFL-3.0": true, "AGPL-3.0": true, "AGPL-3.0-only": true, "AGPL-3.0-or-later": true,
	"Apache-2.0": true, "Artistic-2.0": true, "BSD-2-Clause": true, "BSD-3-Clause": true, "BSL-1.0": true,
	"CDDL-1.0": true, "ECL-2.0": true, "EPL-1.0": true, "EPL-2.0": true, "EUPL-1.1": true, "EUPL-1.2": true,
	"GPL-2.0": true, "GPL-2.0+": true, "GPL-2.0-only": true, "GPL-2.0-or-later": true,
	"GPL-3.0": true, "GPL-3.0+": true, "GPL-3.0-only": true, "GPL-3.0-or-later": true, "ISC": true,
	"LGPL-2.1": true, "LGPL-2.1+": true, "LGPL-2.1-only": true, "LGPL-2.1-or-later": true,
	"LGPL-3.0": true, "LGPL-3.0+": true, "LGPL-3.0-only": true, "LGPL-3.0-or-later": true,
	"MIT": true, "MIT-0": true, "MPL-1.1": true, "MPL-2.0": true, "MS-PL": true, "NCSA": true, "OSL-3.0": true,
	"PostgreSQL": true, "Python-2.0": true, "Unlicense": true, "UPL-1.0": true, "W3C": true, "Zlib": true,
}

// IsOSIApproved evaluates a simple SPDX expression: "A OR B" is approved if
// either side is, "A AND B" only if both are, "A WITH exception" as A.
// Parentheses are ignored (AND binds tighter than OR, as in SPDX), which is
// exact for the flat expressions found in practice. LicenseRef-* is never
// approved.
func IsOSIApproved(expr string) bool {
	if isSingleID(expr) {
		// The common case, one identifier ("MIT"): the general path below
		// reduces to this look-up ("AND" and "OR" alone are not listed),
		// without its allocations.
		return osiApproved[expr]
	}
	return osiApprovedExpr(expr)
}

// osiApprovedExpr is IsOSIApproved's general path, for any expression.
func osiApprovedExpr(expr string) bool {
	e := parens.Replace(expr)
	if strings.TrimSpace(e) == "" {
		return false
	}
	for _, alt := range splitOp(e, "OR") {
		ok := true
		for _, part := range splitOp(alt, "AND") {
			id := strings.TrimSpace(part)
			if i := strings.Index(strings.ToUpper(id), " WITH "); i >= 0 {
				id = strings.TrimSpace(id[:i])
			}
			if !osiApproved[id] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// parens blanks out the parentheses of an SPDX expression. It is built
// once, here, and only read: a strings.Replacer is safe for concurrent use,
// and building one per call cost more than the rest of IsOSIApproved.
var parens = strings.NewReplacer("(", " ", ")", " ")

// isSingleID reports whether expr is a single non-empty word of printable
// ASCII without parentheses, which strings.Fields would not split.
func isSingleID(expr string) bool {
	if expr == "" {
		return false
	}
	for i := 0; i < len(expr); i++ {
		b := expr[i]
		if b <= ' ' || b >= utf8.RuneSelf || b == '(' || b == ')' {
			return false
		}
	}
	return true
}

func splitOp(s, op string) []string {
	f := strings.Fields(s)
	var out []string
	var cur []string
	for _, w := range f {
		if strings.EqualFold(w, op) {
			out = append(out, strings.Join(cur, " "))
			cur = nil
			continue
		}
		cur = append(cur, w)
	}
	return append(out, strings.Join(cur, " "))
}
