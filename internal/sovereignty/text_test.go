package sovereignty

import (
	"reflect"
	"strings"
	"testing"
)

// variedCatalogue exercises every explanation the rules can produce:
// inherited paths (legal, data, availability, S5.a), failover groups,
// self-hosted profiles with and without phone-home servers, reservations,
// ownership issues, unknown countries and presence, dangling edges,
// certified immunity, plus a generated graph with cycles.
func variedCatalogue() Catalogue {
	cat := seedLike()
	cat.Organisations = append(cat.Organisations,
		owned(org("eu-op", "DE"), holder("us-min", 30, TriNo)), org("us-min", "US"),
		owned(org("bad", "DE"), holder("hetzner", 80, TriYes), holder("camo", 40, TriNo)),
		owned(org("fam-owned", "FR"), Ownership{Holder: "family", Control: TriYes}), org("family", "unknown"),
		org("cn", "CN"), org("uk", "GB"), org("ch", "CH"),
		Organisation{ID: "nopresence", Name: "No Presence", RegistrationCountry: cf("DE"), HQCountry: cf("DE")},
	)
	lic := saas("lic", "amazon", "US")
	ph := oss("selfhost-ph", "mistral-ai", "MIT", GovCommunity,
		dep("lic", "licence_activation_server", AccessMetadataTechnical, Critical, ""),
		dep("cloudflare", "signing_update_server", AccessMetadataTechnical, Degrading, ""))
	ph.PhoneHome = KnownFact(true, day, "x")
	vendorPH := oss("selfhost-vendor", "openai", "LicenseRef-Proprietary", GovSingleVendor)
	vendorPH.PhoneHome = KnownFact(true, day, "x")
	unknownPH := oss("selfhost-unknown", "family", "Apache-2.0", GovFoundation)
	unknownPH.PhoneHome = Fact[bool]{}
	unknownPH.License = Fact[string]{}
	immune := saas("immune", "cloudflare-inc", "FR")
	immune.Offerings[0].Certifications = []Certification{{Scheme: "SecNumCloud", ValidTo: asOf.AddDate(1, 0, 0)}}
	mixed := saas("mixed", "eu-op", "DE",
		dep("x", "analytics_telemetry", AccessPlaintext, Optional, ""),
		dep("aws", "storage", AccessEncryptedCustomer, Critical, ""),
		dep("hetzner-cloud", "dns", "???", Degrading, ""),
		dep("ghost", "payments", AccessPlaintext, Critical, ""),
		dep("cn-cloud", "ai_inference_api", AccessPlaintext, Critical, "ai"),
		dep("uk-cloud", "ai_inference_api", AccessPlaintext, Critical, "ai"))
	mixed.Offerings[0].DataLocations = KnownFact([]DataLocation{{"DE", PurposePrimary}, {"US", PurposeBackup}}, day)
	mixed.Offerings[0].SupportLocations = KnownFact([]string{"DE", "IN", "US"}, day)
	mixed.Offerings[0].GoverningLaw = cf("US")
	mixed.Offerings[0].KeyManagement = KnownFact(KeysBYOK, day)
	unknowns := Product{ID: "unknowns", Name: "Unknowns", Kind: KindSaaS, Vendor: "nobody",
		Offerings: []Offering{{Operator: "fam-owned", DataLocations: KnownFact([]DataLocation{{"unknown", PurposePrimary}}, day)}}}
	noList := saas("nolist", "nopresence", "CH")
	noList.Offerings[0].SubprocessorList = KnownFact("", day)
	noList.Offerings[0].KeyManagement = KnownFact(KeysHYOK, day)
	cycle1 := saas("cyc1", "bad", "DE", crit("cyc2"))
	cycle2 := saas("cyc2", "ch", "CH", crit("cyc1"), dep("perplexity", "monitoring_logging", AccessMetadataTechnical, Degrading, ""))
	orphan := Product{ID: "orphan", Offerings: []Offering{{Operator: "nobody"}}}
	cat.Products = append(cat.Products, orphan, lic, ph, vendorPH, unknownPH, immune, mixed, unknowns, noList, cycle1, cycle2,
		saas("cn-cloud", "cn", "CN"), saas("uk-cloud", "uk", "GB"),
		oss("oss-eu", "hetzner", "AGPL-3.0-only", GovSingleVendor, crit("google-cloud")))
	gen := genCatalogue(150, 600, 77)
	cat.Organisations = append(cat.Organisations, gen.Organisations...)
	cat.Products = append(cat.Products, gen.Products...)
	return cat
}

var textType = reflect.TypeOf(Text{})

// walkTexts calls f for every Text reachable from v through exported
// fields, slices, arrays and pointers.
func walkTexts(v reflect.Value, where string, f func(string, Text)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkTexts(v.Elem(), where, f)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkTexts(v.Index(i), where+"[]", f)
		}
	case reflect.Struct:
		if v.Type() == textType {
			f(where, v.Interface().(Text))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if fld := v.Type().Field(i); fld.IsExported() {
				walkTexts(v.Field(i), where+"."+fld.Name, f)
			}
		}
	}
}

// englishInGerman are words that betray an untranslated German half.
var englishInGerman = []string{" the ", " with ", " of ", " is ", "unknown", "foreign", "inherited", "licence ", " at home", "phone-home", "self-hosted"}

func checkText(t *testing.T, who, where string, tt Text, required bool) {
	t.Helper()
	if tt.IsZero() && !required {
		return
	}
	if tt.DE == "" || tt.EN == "" {
		t.Errorf("%s %s: half-empty text %+q", who, where, tt)
		return
	}
	for _, w := range englishInGerman {
		if strings.Contains(tt.DE, w) {
			t.Errorf("%s %s: German half contains %q: %q", who, where, w, tt.DE)
		}
	}
	if strings.ContainsAny(tt.EN, "äöüßÄÖÜ„“") {
		t.Errorf("%s %s: English half looks German: %q", who, where, tt.EN)
	}
}

func checkCriteria(t *testing.T, who string, crs []CriterionResult, ownReason bool) {
	t.Helper()
	for _, cr := range crs {
		w := who + " " + string(cr.Criterion)
		checkText(t, w, "NameText", cr.NameText, true)
		checkText(t, w, "ReasonText", cr.ReasonText, true)
		if cr.Name != cr.NameText.EN || cr.Reason != cr.ReasonText.EN || cr.OwnReason != cr.OwnReasonText.EN {
			t.Errorf("%s: legacy English fields differ from the texts: %q / %q", w, cr.Reason, cr.ReasonText.EN)
		}
		if cr.Inherited && ownReason {
			checkText(t, w, "OwnReasonText", cr.OwnReasonText, true)
		}
		if p := cr.Path; p != nil {
			if p.Origin != p.OriginText.EN || p.From != p.FromText.EN {
				t.Errorf("%s: path legacy fields differ: %q / %q", w, p.Origin, p.OriginText.EN)
			}
			de, en := p.Text("de"), p.Text("en")
			if de == "" || en == "" || (len(p.Steps) > 0 && de == en) {
				t.Errorf("%s: path texts %q / %q", w, de, en)
			}
			if len(p.Steps) > 0 && !strings.Contains(de, "(") {
				t.Errorf("%s: path without steps rendered: %q", w, de)
			}
		}
	}
}

// TestEveryTextIsBilingual runs every product of a varied catalogue through
// Result and requires every produced Text to have both halves, the legacy
// English fields to equal the English halves, and the German halves to
// contain no untranslated English.
func TestEveryTextIsBilingual(t *testing.T) {
	cat := variedCatalogue()
	seen := map[string]bool{}
	for _, persp := range []string{"eu", "de", "ch"} {
		e := mustEngine(t, cat, persp)
		for _, s := range e.Summaries() {
			r := mustResult(t, e, s.ProductID)
			who := persp + "/" + s.ProductID
			walkTexts(reflect.ValueOf(r), "Result", func(where string, tt Text) {
				checkText(t, who, where, tt, false)
			})
			checkCriteria(t, who, r.Criteria, true)
			if r.SelfHosted != nil {
				checkCriteria(t, who+" (self-hosted)", r.SelfHosted.Criteria, false)
				seen["selfhosted"] = true
			}
			for _, rs := range r.Reservations {
				checkText(t, who, "Reservation "+rs.Code, rs.MessageText, true)
				if rs.Message != rs.MessageText.EN {
					t.Errorf("%s: reservation legacy message differs", who)
				}
				seen["reservation:"+rs.Code] = true
			}
			for _, is := range r.Issues {
				checkText(t, who, "Issue "+is.Code, is.MessageText, true)
				if is.Message != is.MessageText.EN {
					t.Errorf("%s: issue legacy message differs", who)
				}
				seen["issue:"+is.Code] = true
			}
			for _, cr := range r.Criteria {
				if cr.Inherited {
					seen["inherited:"+string(cr.Criterion)] = true
				}
			}
			for _, o := range r.Objectives {
				checkText(t, who, "Objective name", o.Name(), true)
			}
		}
	}
	// The catalogue must really reach every kind of text.
	for _, k := range []string{"selfhosted", "reservation:optional_foreign", "reservation:metadata_foreign", "reservation:access_unknown",
		"reservation:undisclosed_dependencies", "issue:unknown_dependency", "issue:ownership_over_100", "issue:unknown_organisation",
		"inherited:S1.b", "inherited:S2.b", "inherited:S3.b", "inherited:S5.a"} {
		if !seen[k] {
			t.Errorf("the varied catalogue produced no %s", k)
		}
	}
	for _, c := range Criteria() {
		checkText(t, string(c.ID), "NameText", c.NameText, true)
	}
	for _, o := range ObjectiveInfos() {
		checkText(t, o.ID, "Name", o.Name, true)
	}
	for _, r := range DefaultReference().Regimes {
		checkText(t, r.ID, "Label", r.Label(), true)
	}
	for _, c := range []Criticality{Critical, Degrading, Optional} {
		checkText(t, string(c), "Label", c.Label(), true)
	}
	for _, a := range []DataAccess{AccessNone, AccessMetadataTechnical, AccessEncryptedCustomer, AccessPlaintext, AccessUnknown} {
		checkText(t, string(a), "Label", a.Label(), true)
	}
}

func TestTextIn(t *testing.T) {
	x := Text{DE: "kritisch", EN: "critical"}
	for lang, want := range map[string]string{"de": "kritisch", "de-CH": "kritisch", "DE_de": "kritisch", "en": "critical", "": "critical", "fr": "critical"} {
		if got := x.In(lang); got != want {
			t.Errorf("In(%q) = %q, want %q", lang, got, want)
		}
	}
	if (Text{EN: "only"}).In("de") != "only" || (Text{DE: "nur"}).In("en") != "nur" {
		t.Error("an empty half does not fall back")
	}
	if got := txf("%s hält %s", "%s holds %s", "a", pct2(12.5)); got.DE != "a hält 12,50 %" || got.EN != "a holds 12.50 %" {
		t.Errorf("txf = %+v", got)
	}
}

// TestSuspensionRegimeExplained: a US controller sets S1.b = RSL-0 through
// the export-control and sanctions regime, and the explanation says so in
// both languages, with the CSF criterion and the reference status; the
// inherited path of a consumer carries the same origin.
func TestSuspensionRegimeExplained(t *testing.T) {
	cat := seedLike()
	cat.Products[5].Name = "Le Chat"
	cat.Products[0].Name = "Cloudflare"
	cat.Organisations[0].Name = "Cloudflare, Inc."
	e := mustEngine(t, cat, "")
	cr := critLevel(mustResult(t, e, "cloudflare"), S1b)
	if cr.Level != RSL0 {
		t.Fatalf("S1.b of a US-controlled operator = %s", cr.Level)
	}
	for _, want := range []string{"Cloudflare, Inc. (US) ← US export controls (EAR/ITAR) and sanctions (IEEPA/OFAC)", "suspension", "CSF SOV-1 Q8", "verified as a CSF criterion, legal detail unverified"} {
		if !strings.Contains(cr.ReasonText.EN, want) {
			t.Errorf("EN reason %q lacks %q", cr.ReasonText.EN, want)
		}
	}
	for _, want := range []string{"Cloudflare, Inc. (US) ← US-Exportkontrollen (EAR/ITAR) und Sanktionen (IEEPA/OFAC)", "Abschaltung erzwingen", "CSF SOV-1 Q8", "als CSF-Kriterium belegt, rechtliche Einzelheiten ungeprüft"} {
		if !strings.Contains(cr.ReasonText.DE, want) {
			t.Errorf("DE reason %q lacks %q", cr.ReasonText.DE, want)
		}
	}
	lc := critLevel(mustResult(t, e, "mistral-le-chat"), S1b)
	if lc.Level != RSL0 || lc.Path == nil || !strings.Contains(lc.Path.Text("de"), "Abschaltung erzwingen") ||
		!strings.Contains(lc.Path.Text("de"), "(TLS-terminierendes CDN bzw. Proxy, kritisch)") {
		t.Errorf("Le Chat S1.b %s, path %q", lc.Level, lc.Path.Text("de"))
	}
	if got := lc.ReasonText.DE; !strings.HasPrefix(got, "geerbt von Cloudflare (TLS-terminierendes CDN bzw. Proxy): Cloudflare, Inc. (US) ← US-Exportkontrollen") {
		t.Errorf("Le Chat S1.b DE reason %q", got)
	}
	// A Chinese controller is exposed to disclosure, not to suspension.
	var reg Regime
	for _, r := range DefaultReference().Regimes {
		if r.compels(CompelsSuspension) {
			if reg.ID != "" {
				t.Errorf("more than one suspension regime: %s, %s", reg.ID, r.ID)
			}
			reg = r
		}
	}
	if reg.ID != "us-export-sanctions" || reg.Jurisdiction != "US" || reg.Verification != "V/U" || len(reg.Sources) == 0 {
		t.Errorf("suspension regime %+v", reg)
	}
}
