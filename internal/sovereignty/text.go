package sovereignty

import (
	"fmt"
	"strconv"
	"strings"
)

// Text is an explanation in German and English. The rules produce every
// reason, path origin, reservation and issue in both languages, because the
// methodology's wording is part of the rules (docs/methodology.md and
// docs/methodology.de.md); the web and API layers pick a language with In.
// The English half equals the legacy string field next to it (Reason,
// OwnReason, Origin, Message), which is kept for existing callers.
type Text struct {
	DE string
	EN string
}

// In returns the text in lang: German for a language tag starting with
// "de" ("de", "de-DE", "de_CH"), English for anything else. An empty half
// falls back to the other, so a caller never shows an empty explanation.
func (t Text) In(lang string) string {
	if isGerman(lang) {
		if t.DE != "" {
			return t.DE
		}
		return t.EN
	}
	if t.EN != "" {
		return t.EN
	}
	return t.DE
}

// IsZero reports whether the text is empty in both languages.
func (t Text) IsZero() bool { return t.DE == "" && t.EN == "" }

// String returns the English half (fmt verbs, logs).
func (t Text) String() string { return t.EN }

func isGerman(lang string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "de")
}

// tx builds a text from its two halves.
func tx(de, en string) Text { return Text{DE: de, EN: en} }

// same is a text that reads the same in both languages (a name, an ID).
func same(s string) Text { return Text{DE: s, EN: s} }

// txf formats both halves with the same arguments: a Text argument is
// substituted by its half of the same language, a float64 is written with
// one decimal and the decimal separator of the language (German "24,5").
func txf(de, en string, args ...any) Text {
	da := make([]any, len(args))
	ea := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Text:
			da[i], ea[i] = v.DE, v.EN
		case float64:
			s := strconv.FormatFloat(v, 'f', 1, 64)
			da[i], ea[i] = strings.Replace(s, ".", ",", 1), s
		default:
			da[i], ea[i] = a, a
		}
	}
	return Text{DE: fmt.Sprintf(de, da...), EN: fmt.Sprintf(en, ea...)}
}

// join concatenates texts half by half.
func join(ts ...Text) Text {
	var d, e strings.Builder
	for _, t := range ts {
		d.WriteString(t.DE)
		e.WriteString(t.EN)
	}
	return Text{DE: d.String(), EN: e.String()}
}

// LabelText returns the public label of the level in both languages (see
// Label).
func (l Level) LabelText() Text { return Text{DE: l.Label("de"), EN: l.Label("en")} }

// Label names the criticality class in both languages: "kritisch",
// "einschränkend" (degrading), "optional". An unrecognised class is
// treated, and labelled, as critical (the pessimistic reading).
func (c Criticality) Label() Text {
	switch c.code() {
	case critDegrading:
		return tx("einschränkend", "degrading")
	case critOptional:
		return tx("optional", "optional")
	}
	return tx("kritisch", "critical")
}

// critOf maps a compact criticality code back to its class.
func critOf(code uint8) Criticality {
	switch code {
	case critDegrading:
		return Degrading
	case critOptional:
		return Optional
	}
	return Critical
}

// Label names the data-access class in both languages; an unrecognised
// class is labelled unknown (and treated as readable by the rules).
func (a DataAccess) Label() Text {
	switch a {
	case AccessNone:
		return tx("kein Zugriff auf Daten", "no access to data")
	case AccessMetadataTechnical:
		return tx("technische Daten und Metadaten", "technical data and metadata")
	case AccessEncryptedCustomer:
		return tx("Inhalte, verschlüsselt mit Schlüsseln des Kunden", "content encrypted with customer-held keys")
	case AccessPlaintext:
		return tx("Inhalte im Klartext", "plaintext content")
	}
	return tx("Datenzugriff unbekannt", "data access unknown")
}

var roleLabels = map[string]Text{
	"compute_hosting":           tx("Compute-Hosting", "compute hosting"),
	"storage":                   tx("Speicher", "storage"),
	"cdn_proxy_tls":             tx("TLS-terminierendes CDN bzw. Proxy", "TLS-terminating CDN or proxy"),
	"dns":                       tx("DNS", "DNS"),
	"ddos":                      tx("DDoS-Schutz", "DDoS protection"),
	"identity_sso":              tx("Identität und Single Sign-on", "identity and single sign-on"),
	"email_delivery":            tx("E-Mail-Versand", "email delivery"),
	"payments":                  tx("Zahlungsabwicklung", "payments"),
	"ai_inference_api":          tx("KI-Inferenz-API", "AI inference API"),
	"ai_model_weights":          tx("KI-Modellgewichte", "AI model weights"),
	"analytics_telemetry":       tx("Analyse und Telemetrie", "analytics and telemetry"),
	"monitoring_logging":        tx("Überwachung und Protokollierung", "monitoring and logging"),
	"support_ticketing":         tx("Support-Ticketsystem", "support ticketing"),
	"code_hosting_ci":           tx("Code-Hosting und CI", "code hosting and CI"),
	"signing_update_server":     tx("Signatur- und Update-Server", "signing and update server"),
	"licence_activation_server": tx("Lizenz- und Aktivierungsserver", "licence and activation server"),
	"app_store_distribution":    tx("Vertrieb über einen App-Store", "app-store distribution"),
	"component":                 tx("Komponente", "component"),
}

// RoleLabel names a dependency role (methodology §8.1) in both languages,
// e.g. "cdn_proxy_tls" → "TLS-terminierendes CDN bzw. Proxy" / "TLS-
// terminating CDN or proxy". An unknown role is returned as it is; an empty
// one as "Abhängigkeit" / "dependency".
func RoleLabel(role string) Text {
	if t, ok := roleLabels[role]; ok {
		return t
	}
	if role == "" {
		return tx("Abhängigkeit", "dependency")
	}
	return same(role)
}

// ObjectiveInfo describes a sovereignty objective of the CSF.
type ObjectiveInfo struct {
	ID     string // SOV-1 … SOV-8
	Name   Text
	Gating bool // computed by RuleVersion and part of the overall level
}

var objectiveInfos = []ObjectiveInfo{
	{"SOV-1", tx("Strategische Souveränität", "Strategic sovereignty"), true},
	{"SOV-2", tx("Rechtliche und jurisdiktionelle Souveränität", "Legal and jurisdictional sovereignty"), true},
	{"SOV-3", tx("Daten- und KI-Souveränität", "Data and AI sovereignty"), true},
	{"SOV-4", tx("Operative Souveränität", "Operational sovereignty"), true},
	{"SOV-5", tx("Souveränität der Lieferkette", "Supply-chain sovereignty"), true},
	{"SOV-6", tx("Technologische Souveränität", "Technology sovereignty"), true},
	{"SOV-7", tx("Sicherheit und Compliance", "Security and compliance sovereignty"), false},
	{"SOV-8", tx("Ökologische Nachhaltigkeit", "Environmental sustainability"), false},
}

// ObjectiveInfos lists the eight CSF objectives with their names; the
// first six (Objectives) are gating.
func ObjectiveInfos() []ObjectiveInfo {
	return append([]ObjectiveInfo(nil), objectiveInfos...)
}

// ObjectiveName names an objective ("SOV-3") in both languages; an unknown
// ID is returned as it is.
func ObjectiveName(id string) Text {
	for _, o := range objectiveInfos {
		if o.ID == id {
			return o.Name
		}
	}
	return same(id)
}

// Name names the objective of this level in both languages.
func (o ObjectiveLevel) Name() Text { return ObjectiveName(o.Objective) }

// govPhrase renders a governance model as a prepositional phrase.
func govPhrase(g string) Text {
	switch Governance(g) {
	case GovSingleVendor:
		return tx("unter Einzelhersteller-Governance", "with single-vendor governance")
	case GovFoundation:
		return tx("unter Stiftungs-Governance", "with foundation governance")
	case GovCommunity:
		return tx("unter Community-Governance", "with community governance")
	}
	return tx("unter unbekannter Governance", "with unknown governance")
}

// keysLabel renders a key-management model.
func keysLabel(known bool, k KeyManagement) Text {
	if !known {
		return tx("unbekannt", "unknown")
	}
	switch k {
	case KeysProvider:
		return tx("Schlüssel beim Anbieter", "provider")
	case KeysBYOK:
		return tx("BYOK (eigener Schlüssel des Kunden, vom Anbieter verwendet)", "byok")
	case KeysHYOK:
		return tx("HYOK (Schlüssel bleibt beim Kunden)", "hyok")
	case KeysE2EE:
		return tx("clientseitige Ende-zu-Ende-Verschlüsselung", "e2ee")
	case KeysUnknown:
		return tx("unbekannt", "unknown")
	}
	return same(string(k))
}

// verificationNote renders a regime's verification mark (Regime.Verification).
func verificationNote(v string) Text {
	switch v {
	case "V":
		return tx("aus dem Primärtext geprüft", "verified from a primary text")
	case "S":
		return tx("nur aus Sekundärquellen", "secondary sources only")
	case "V/U":
		return tx("als CSF-Kriterium belegt, rechtliche Einzelheiten ungeprüft", "verified as a CSF criterion, legal detail unverified")
	}
	return tx("ungeprüft", "unverified")
}

// unansweredText explains a criterion without a shown level.
func unansweredText(l [2]Level) Text {
	if l[pess] == levelNone {
		return tx("nicht anwendbar", "not applicable")
	}
	return txf("Fakten unbekannt: in der pessimistischen Stufe mit %s gewertet",
		"facts unknown: counted at %s in the pessimistic level", l[pess].String())
}
