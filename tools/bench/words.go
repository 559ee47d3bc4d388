package main

import "github.com/sovereignty-registry/registry/internal/catalog"

// Word lists for generated names and descriptions. They mix German and
// English the way the catalogue does, so that the benchmark's search terms
// hit realistic shares of the catalogue: frequent words ("Cloud", "Mail")
// match thousands of products, rare ones a handful.

// brandHeads and brandTails combine into invented brand names.
var (
	brandHeads = []string{
		"Nord", "Süd", "Ost", "West", "Alpen", "Rhein", "Elb", "Hansa", "Blau", "Grün", "Stern", "Falken", "Adler",
		"Lumen", "Nova", "Terra", "Aqua", "Vektor", "Pixel", "Quant", "Helio", "Astra", "Borea", "Civi", "Kontor",
		"Werk", "Brücken", "Leucht", "Wolken", "Feld", "Quell", "Stadt", "Land", "Bürger", "Amts", "Daten", "Kern",
		"Opti", "Secu", "Priva", "Libre", "Open", "Fair", "Klar", "Frei", "Euro", "Conti", "Baltic", "Nordic",
		"Gallia", "Iberia", "Helvet", "Danu", "Isar", "Main", "Mosel", "Weser", "Oder", "Spree", "Neckar", "Loire",
	}
	brandTails = []string{
		"werk", "net", "ly", "ify", "io", "hub", "base", "feld", "burg", "stack", "flow", "port", "gate", "line",
		"wave", "point", "space", "desk", "box", "lab", "forge", "kit", "nest", "mind", "sys", "tec", "data", "x",
	}
)

// categoryTerms are words that name what a product of a category does.
var categoryTerms = map[string][]string{
	"ai-assistant":         {"KI", "AI", "Assistent", "Assistant", "Chat", "Copilot", "Agent", "GPT"},
	"ai-platform":          {"KI", "AI", "Inferenz", "Inference", "Modell", "Model", "LLM", "GPU"},
	"social-network":       {"Social", "Netzwerk", "Community", "Forum", "Feed", "Microblog"},
	"cloud-infrastructure": {"Cloud", "Compute", "Server", "Rechenzentrum", "Hosting", "Kubernetes", "Speicher", "Storage"},
	"cdn-security":         {"CDN", "Schutz", "Shield", "Edge", "Firewall", "DDoS", "DNS", "Proxy"},
	"workplace-suite":      {"Workplace", "Arbeitsplatz", "Suite", "Office", "Cloud", "Portal"},
	"office-suite":         {"Office", "Docs", "Tabellen", "Text", "Präsentation", "Editor", "Writer", "Sheets"},
	"file-collaboration":   {"Cloud", "Speicher", "Drive", "Dateiablage", "Share", "Sync", "Files", "Dokumente"},
	"video-conferencing":   {"Videokonferenz", "Meet", "Konferenz", "Video", "Webinar", "Meeting", "Call"},
	"messaging":            {"Chat", "Messenger", "Talk", "Nachrichten", "Messaging", "Teamchat"},
	"email":                {"Mail", "Postfach", "Groupware", "Kalender", "E-Mail", "Mailserver", "Kontakte"},
	"translation":          {"Übersetzer", "Translate", "Sprachen", "Übersetzung", "Lingua", "Dolmetscher"},
	"identity":             {"ID", "Login", "Identity", "Zugang", "SSO", "Verzeichnis", "Auth"},
	"project-management":   {"Projekt", "Wiki", "Planer", "Tasks", "Wissen", "Board", "Ticket"},
	"database":             {"DB", "Datenbank", "SQL", "Store", "Analyse", "Analytics", "Warehouse"},
	"developer-platform":   {"Git", "CI", "Code", "Build", "Registry", "DevOps", "Pipeline"},
	"web-analytics":        {"Analyse", "Analytics", "Statistik", "Insights", "Tracking", "Besucher"},
}

// nameSuffixes sometimes end a product name.
var nameSuffixes = []string{"Pro", "Plus", "Enterprise", "Behörden", "Public", "Go", "One", "Basic", "Gov", "Edition 2"}

// Description building blocks, German and English.
var (
	adjectivesDE = []string{"sichere", "einfache", "quelloffene", "datenschutzfreundliche", "skalierbare", "moderne",
		"souveräne", "flexible", "zuverlässige", "europäische", "schnelle", "verschlüsselte"}
	adjectivesEN = []string{"secure", "simple", "open", "privacy-friendly", "scalable", "modern",
		"sovereign", "flexible", "reliable", "European", "fast", "encrypted"}
	audiencesDE = []string{"Behörden", "Kommunen", "Schulen", "Hochschulen", "Unternehmen", "Verwaltungen", "Krankenhäuser",
		"Vereine", "Ministerien", "Landesämter"}
	audiencesEN = []string{"public bodies", "municipalities", "schools", "universities", "companies", "administrations",
		"hospitals", "associations", "ministries", "state agencies"}
	featuresDE = []string{"Ende-zu-Ende-Verschlüsselung", "Single Sign-on", "Rollen und Rechte", "Protokollierung",
		"Mandantenfähigkeit", "Schnittstellen", "Barrierefreiheit", "Offline-Betrieb", "Versionierung", "Volltextsuche",
		"Datensicherung", "Zwei-Faktor-Anmeldung", "Exportfunktionen", "Hochverfügbarkeit", "Benachrichtigungen"}
	featuresEN = []string{"end-to-end encryption", "single sign-on", "roles and permissions", "audit logging",
		"multi-tenancy", "open interfaces", "accessibility", "offline use", "versioning", "full-text search",
		"backups", "two-factor login", "export functions", "high availability", "notifications"}
	placesDE = []string{"in Deutschland", "in der EU", "in Frankfurt", "in eigenen Rechenzentren", "in Paris",
		"in Amsterdam", "vor Ort", "in der eigenen Infrastruktur"}
	placesEN = []string{"in Germany", "in the EU", "in Frankfurt", "in its own data centres", "in Paris",
		"in Amsterdam", "on premises", "in your own infrastructure"}
	fillerDE = []string{"Die Einrichtung dauert wenige Minuten.", "Updates werden regelmäßig bereitgestellt.",
		"Ein deutschsprachiger Support steht zur Verfügung.", "Die Lösung lässt sich in bestehende Systeme integrieren.",
		"Daten können jederzeit exportiert werden.", "Der Betrieb erfolgt nach anerkannten Standards.",
		"Lizenzen gibt es für kleine und große Organisationen.", "Die Bedienung ist auch mobil möglich."}
	fillerEN = []string{"Setup takes a few minutes.", "Updates are shipped regularly.",
		"Support is available in several languages.", "It integrates with existing systems.",
		"Data can be exported at any time.", "Operations follow recognised standards.",
		"Licences suit small and large organisations.", "It also works on mobile devices."}
)

// countryWeights is where generated organisations are based: mostly
// Germany, other EU states and the US, as in a European registry.
var countryWeights = []weighted[catalog.Country]{
	{"DE", 30}, {"US", 16}, {"FR", 11}, {"NL", 7}, {"GB", 5}, {"AT", 4}, {"CH", 4}, {"IT", 3}, {"ES", 3},
	{"SE", 3}, {"PL", 2}, {"FI", 2}, {"DK", 2}, {"BE", 2}, {"IE", 1}, {"EE", 1}, {"CZ", 1}, {"CN", 1},
	{"IL", 1}, {"CA", 1}, {"JP", 1},
}

// legalForms by country of registration.
var legalForms = map[catalog.Country][]string{
	"DE": {"GmbH", "AG", "GmbH & Co. KG", "eG"}, "AT": {"GmbH", "AG"}, "CH": {"AG", "GmbH", "SA"},
	"US": {"Inc.", "LLC", "Corp."}, "FR": {"SAS", "SA", "SARL"}, "NL": {"B.V.", "N.V."}, "GB": {"Ltd", "plc"},
	"IT": {"S.r.l.", "S.p.A."}, "ES": {"S.L.", "S.A."}, "SE": {"AB"}, "PL": {"sp. z o.o.", "S.A."}, "FI": {"Oy"},
	"DK": {"ApS", "A/S"}, "BE": {"SA/NV", "BV"}, "IE": {"Ltd", "DAC"}, "EE": {"OÜ", "AS"}, "CZ": {"s.r.o.", "a.s."},
	"CN": {"Co., Ltd."}, "IL": {"Ltd"}, "CA": {"Inc.", "Ltd"}, "JP": {"K.K."},
}

// openLicenses are the SPDX ids generated open-source products carry.
var openLicenses = []weighted[string]{
	{"Apache-2.0", 20}, {"MIT", 15}, {"AGPL-3.0-only", 12}, {"GPL-3.0-or-later", 10}, {"EUPL-1.2", 8},
	{"MPL-2.0", 6}, {"BSD-3-Clause", 6}, {"LGPL-2.1-or-later", 4}, {"GPL-2.0-only", 4}, {"AGPL-3.0-or-later", 3},
	{"Apache-2.0 OR MIT", 2},
}

// hubs are seed products that many generated products depend on, with the
// share of hub edges each receives and the role it plays: a few providers
// used by a large part of the catalogue, as in reality.
var hubs = []struct {
	slug   string
	weight int
	role   catalog.Role
}{
	{"aws", 20, catalog.RoleComputeHosting},
	{"cloudflare", 18, catalog.RoleCDNProxyTLS},
	{"microsoft-azure", 12, catalog.RoleComputeHosting},
	{"google-cloud", 9, catalog.RoleComputeHosting},
	{"hetzner-cloud", 8, catalog.RoleComputeHosting},
	{"ovhcloud", 6, catalog.RoleComputeHosting},
	{"ionos-cloud", 4, catalog.RoleComputeHosting},
	{"akamai", 4, catalog.RoleCDNProxyTLS},
	{"fastly", 3, catalog.RoleCDNProxyTLS},
	{"postgresql", 4, catalog.RoleComponent},
	{"keycloak", 3, catalog.RoleIdentitySSO},
	{"github", 3, catalog.RoleCodeHostingCI},
	{"scaleway", 2, catalog.RoleComputeHosting},
	{"stackit", 2, catalog.RoleComputeHosting},
	{"open-telekom-cloud", 2, catalog.RoleComputeHosting},
	{"bunny-net", 2, catalog.RoleCDNProxyTLS},
	{"myra-security", 1, catalog.RoleDDoS},
	{"matomo", 1, catalog.RoleAnalytics},
	{"plausible-analytics", 1, catalog.RoleAnalytics},
	{"cerebras-inference", 1, catalog.RoleAIInferenceAPI},
	{"deepl", 1, catalog.RoleComponent},
}

// peerRoles are the roles of dependencies between generated products.
var peerRoles = []weighted[catalog.Role]{
	{catalog.RoleComponent, 30}, {catalog.RoleIdentitySSO, 12}, {catalog.RoleStorage, 12},
	{catalog.RoleEmailDelivery, 10}, {catalog.RoleMonitoring, 10}, {catalog.RoleAnalytics, 8},
	{catalog.RolePayments, 6}, {catalog.RoleAIInferenceAPI, 6}, {catalog.RoleSupportTicketing, 4},
	{catalog.RoleSigningUpdate, 2},
}

// publicBodies adopt some generated products.
var publicBodies = []struct {
	name    string
	country catalog.Country
}{
	{"Stadt Köln", "DE"}, {"Land Schleswig-Holstein", "DE"}, {"Freistaat Bayern", "DE"}, {"Stadt München", "DE"},
	{"Bundesagentur für Arbeit", "DE"}, {"Landeshauptstadt Dresden", "DE"}, {"Ville de Lyon", "FR"},
	{"Gendarmerie nationale", "FR"}, {"Gemeente Amsterdam", "NL"}, {"Stad Gent", "BE"}, {"Stadt Wien", "AT"},
	{"Kanton Zürich", "CH"}, {"Comune di Bologna", "IT"}, {"Ajuntament de Barcelona", "ES"}, {"Region Skåne", "SE"},
}
