package views

import (
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// The label methods below translate the catalogue's enum values. Each key is
// written out literally so the catalogue test sees it; an unexpected value
// is shown as it is rather than hidden.

// TriLabel translates yes, no and unknown.
func (p Page) TriLabel(t catalog.Tri) string {
	switch t {
	case catalog.Yes:
		return p.T("value.yes")
	case catalog.No:
		return p.T("value.no")
	}
	return p.T("value.unknown")
}

// KindLabel translates a product kind.
func (p Page) KindLabel(k catalog.Kind) string {
	switch k {
	case catalog.KindSoftware:
		return p.T("kind.software")
	case catalog.KindSaaS:
		return p.T("kind.saas")
	case catalog.KindPaaS:
		return p.T("kind.paas")
	case catalog.KindIaaS:
		return p.T("kind.iaas")
	case catalog.KindAIModel:
		return p.T("kind.ai_model")
	}
	return string(k)
}

// DeploymentLabel translates a deployment facet value.
func (p Page) DeploymentLabel(d string) string {
	switch d {
	case catalog.DeploymentVendorHosted:
		return p.T("deployment.vendor_hosted")
	case catalog.DeploymentSelfHostable:
		return p.T("deployment.self_hostable")
	}
	return d
}

// OpenSourceLabel translates the open source facet value.
func (p Page) OpenSourceLabel(t catalog.Tri) string {
	switch t {
	case catalog.Yes:
		return p.T("open_source.yes")
	case catalog.No:
		return p.T("open_source.no")
	}
	return p.T("open_source.unknown")
}

func (p Page) governanceLabel(g catalog.Governance) string {
	switch g {
	case catalog.GovernanceSingleVendor:
		return p.T("governance.single_vendor")
	case catalog.GovernanceFoundation:
		return p.T("governance.foundation")
	case catalog.GovernanceCommunity:
		return p.T("governance.community")
	}
	return string(g)
}

func (p Page) keysLabel(k catalog.KeyManagement) string {
	switch k {
	case catalog.KeysProvider:
		return p.T("keys.provider")
	case catalog.KeysBYOK:
		return p.T("keys.byok")
	case catalog.KeysHYOK:
		return p.T("keys.hyok")
	case catalog.KeysE2EE:
		return p.T("keys.e2ee")
	}
	return string(k)
}

func (p Page) purposeLabel(pu catalog.Purpose) string {
	switch pu {
	case catalog.PurposePrimary:
		return p.T("purpose.primary")
	case catalog.PurposeBackup:
		return p.T("purpose.backup")
	case catalog.PurposeSupport:
		return p.T("purpose.support")
	case catalog.PurposeFallback:
		return p.T("purpose.fallback")
	case catalog.PurposeAIInference:
		return p.T("purpose.ai_inference")
	}
	return string(pu)
}

func (p Page) roleLabel(r catalog.Role) string {
	switch r {
	case catalog.RoleComputeHosting:
		return p.T("role.compute_hosting")
	case catalog.RoleStorage:
		return p.T("role.storage")
	case catalog.RoleCDNProxyTLS:
		return p.T("role.cdn_proxy_tls")
	case catalog.RoleDNS:
		return p.T("role.dns")
	case catalog.RoleDDoS:
		return p.T("role.ddos")
	case catalog.RoleIdentitySSO:
		return p.T("role.identity_sso")
	case catalog.RoleEmailDelivery:
		return p.T("role.email_delivery")
	case catalog.RolePayments:
		return p.T("role.payments")
	case catalog.RoleAIInferenceAPI:
		return p.T("role.ai_inference_api")
	case catalog.RoleAIModelWeights:
		return p.T("role.ai_model_weights")
	case catalog.RoleAnalytics:
		return p.T("role.analytics_telemetry")
	case catalog.RoleMonitoring:
		return p.T("role.monitoring_logging")
	case catalog.RoleSupportTicketing:
		return p.T("role.support_ticketing")
	case catalog.RoleCodeHostingCI:
		return p.T("role.code_hosting_ci")
	case catalog.RoleSigningUpdate:
		return p.T("role.signing_update_server")
	case catalog.RoleLicenceServer:
		return p.T("role.licence_activation_server")
	case catalog.RoleAppStore:
		return p.T("role.app_store_distribution")
	case catalog.RoleComponent:
		return p.T("role.component")
	}
	return string(r)
}

func (p Page) accessLabel(a catalog.DataAccess) string {
	switch a {
	case catalog.AccessNone:
		return p.T("access.none")
	case catalog.AccessMetadata:
		return p.T("access.metadata_technical")
	case catalog.AccessEncryptedCustomer:
		return p.T("access.content_encrypted_customer_keys")
	case catalog.AccessPlaintext:
		return p.T("access.content_plaintext")
	}
	return p.T("value.unknown")
}

func (p Page) criticalityLabel(c catalog.Criticality) string {
	switch c {
	case catalog.Critical:
		return p.T("criticality.critical")
	case catalog.Degrading:
		return p.T("criticality.degrading")
	case catalog.Optional:
		return p.T("criticality.optional")
	}
	return string(c)
}

func (p Page) sourceKindLabel(k catalog.SourceKind) string {
	switch k {
	case catalog.SourceRegulatorRegister:
		return p.T("source_kind.regulator_register")
	case catalog.SourceStatute:
		return p.T("source_kind.statute")
	case catalog.SourceCompanyRegister:
		return p.T("source_kind.company_register")
	case catalog.SourceVendorLegal:
		return p.T("source_kind.vendor_legal")
	case catalog.SourceRepository:
		return p.T("source_kind.source_repository")
	case catalog.SourceVendorMarketing:
		return p.T("source_kind.vendor_marketing")
	case catalog.SourcePress:
		return p.T("source_kind.press")
	case catalog.SourceCommunity:
		return p.T("source_kind.community")
	}
	return string(k)
}

// FormatDate writes a day in the page language: 27.11.2026 or 27 Nov 2026.
func (p Page) FormatDate(t time.Time) string {
	if t.IsZero() {
		return p.T("value.unknown")
	}
	if p.Lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02.01.2006")
}

// Sources resolves source keys into display references: title, translated
// kind and "abgerufen am <date>". Unresolvable keys are left out.
func (p Page) Sources(keys []string, all map[string]catalog.Source) []SourceRef {
	out := make([]SourceRef, 0, len(keys))
	for _, k := range keys {
		s, ok := all[k]
		if !ok {
			continue
		}
		out = append(out, SourceRef{
			Title:     s.Title,
			URL:       s.URL,
			Kind:      p.sourceKindLabel(s.Kind),
			Retrieved: p.T("source.retrieved", "Name", p.FormatDate(s.Retrieved)),
		})
	}
	return out
}

// countryNames holds German and English names of the countries the
// catalogue mentions; other codes are shown as they are.
var countryNames = map[catalog.Country][2]string{
	"AE": {"Vereinigte Arabische Emirate", "United Arab Emirates"},
	"AT": {"Österreich", "Austria"},
	"AU": {"Australien", "Australia"},
	"BE": {"Belgien", "Belgium"},
	"BR": {"Brasilien", "Brazil"},
	"CA": {"Kanada", "Canada"},
	"CH": {"Schweiz", "Switzerland"},
	"CN": {"China", "China"},
	"CZ": {"Tschechien", "Czechia"},
	"DE": {"Deutschland", "Germany"},
	"DK": {"Dänemark", "Denmark"},
	"EE": {"Estland", "Estonia"},
	"ES": {"Spanien", "Spain"},
	"EU": {"EU (Mitgliedstaat nicht genannt)", "EU (member state not named)"},
	"FI": {"Finnland", "Finland"},
	"FR": {"Frankreich", "France"},
	"GB": {"Vereinigtes Königreich", "United Kingdom"},
	"HK": {"Hongkong", "Hong Kong"},
	"IE": {"Irland", "Ireland"},
	"IL": {"Israel", "Israel"},
	"IN": {"Indien", "India"},
	"IT": {"Italien", "Italy"},
	"JP": {"Japan", "Japan"},
	"KR": {"Südkorea", "South Korea"},
	"LT": {"Litauen", "Lithuania"},
	"LU": {"Luxemburg", "Luxembourg"},
	"LV": {"Lettland", "Latvia"},
	"NL": {"Niederlande", "Netherlands"},
	"NO": {"Norwegen", "Norway"},
	"NZ": {"Neuseeland", "New Zealand"},
	"PL": {"Polen", "Poland"},
	"PT": {"Portugal", "Portugal"},
	"SA": {"Saudi-Arabien", "Saudi Arabia"},
	"SE": {"Schweden", "Sweden"},
	"SG": {"Singapur", "Singapore"},
	"SI": {"Slowenien", "Slovenia"},
	"US": {"USA", "United States"},
}

// CountryName returns a country's name in the page language, "Unbekannt"
// for the unknown country and the code itself when no name is recorded.
func (p Page) CountryName(c catalog.Country) string {
	if c == catalog.UnknownCountry || c == "" {
		return p.T("value.unknown")
	}
	if n, ok := countryNames[c]; ok {
		if p.Lang == "en" {
			return n[1]
		}
		return n[0]
	}
	return string(c)
}

// countryList joins country names with commas.
func (p Page) countryList(cs []catalog.Country) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = p.CountryName(c)
	}
	return strings.Join(names, ", ")
}

// deploymentTags lists the deployment options a product is known to have.
func (p Page) deploymentTags(vendorHosted, selfHostable catalog.Tri) []string {
	var out []string
	if vendorHosted == catalog.Yes {
		out = append(out, p.DeploymentLabel(catalog.DeploymentVendorHosted))
	}
	if selfHostable == catalog.Yes {
		out = append(out, p.DeploymentLabel(catalog.DeploymentSelfHostable))
	}
	return out
}

// hqNote is a vendor's country for "Vendor (country)" notes; an unknown
// headquarters reads "Sitz unbekannt" rather than a bare "Unbekannt".
func (p Page) hqNote(c catalog.Country) string {
	if c == catalog.UnknownCountry || c == "" {
		return " (" + p.T("product.hq_unknown") + ")"
	}
	return " (" + p.CountryName(c) + ")"
}
