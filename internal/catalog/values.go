package catalog

import (
	"regexp"
	"strings"
)

// Tri is a yes/no answer that may be explicitly unknown.
type Tri string

// Tri values.
const (
	Yes     Tri = "yes"
	No      Tri = "no"
	Unknown Tri = "unknown"
)

// Valid reports whether t is one of Yes, No and Unknown.
func (t Tri) Valid() bool { return t == Yes || t == No || t == Unknown }

// Country is an ISO 3166-1 alpha-2 code, "EU" for "somewhere in the EU" when a
// source names no country, or UnknownCountry.
type Country string

// UnknownCountry marks a country that no source establishes.
const UnknownCountry Country = "unknown"

// RegionEU stands for an unnamed EU member state.
const RegionEU Country = "EU"

var countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)

// Valid reports whether c is a well-formed country code, EU or unknown.
func (c Country) Valid() bool {
	return c == UnknownCountry || countryPattern.MatchString(string(c))
}

// NormalizeCountry upper-cases a code and maps blank to UnknownCountry.
func NormalizeCountry(s string) Country {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, string(UnknownCountry)) {
		return UnknownCountry
	}
	return Country(strings.ToUpper(s))
}

// Kind is what sort of thing a product is.
type Kind string

// Product kinds.
const (
	KindSoftware Kind = "software"
	KindSaaS     Kind = "saas"
	KindPaaS     Kind = "paas"
	KindIaaS     Kind = "iaas"
	KindAIModel  Kind = "ai_model"
)

// Kinds lists every product kind.
var Kinds = []Kind{KindSoftware, KindSaaS, KindPaaS, KindIaaS, KindAIModel}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return contains(Kinds, k) }

// Governance says who steers a product's development.
type Governance string

// Governance models.
const (
	GovernanceSingleVendor Governance = "single_vendor"
	GovernanceFoundation   Governance = "foundation"
	GovernanceCommunity    Governance = "community"
)

// Governances lists every governance model.
var Governances = []Governance{GovernanceSingleVendor, GovernanceFoundation, GovernanceCommunity}

// Valid reports whether g is a known governance model.
func (g Governance) Valid() bool { return contains(Governances, g) }

// KeyManagement says who controls the keys to customer content.
type KeyManagement string

// Key management models, weakest customer control first.
const (
	KeysProvider KeyManagement = "provider"
	KeysBYOK     KeyManagement = "byok"
	KeysHYOK     KeyManagement = "hyok"
	KeysE2EE     KeyManagement = "e2ee"
)

// KeyManagements lists every key management model.
var KeyManagements = []KeyManagement{KeysProvider, KeysBYOK, KeysHYOK, KeysE2EE}

// Valid reports whether m is a known key management model.
func (m KeyManagement) Valid() bool { return contains(KeyManagements, m) }

// Purpose says why data sits in a location.
type Purpose string

// Data location purposes.
const (
	PurposePrimary     Purpose = "primary"
	PurposeBackup      Purpose = "backup"
	PurposeSupport     Purpose = "support"
	PurposeFallback    Purpose = "fallback"
	PurposeAIInference Purpose = "ai_inference"
)

// Purposes lists every data location purpose.
var Purposes = []Purpose{PurposePrimary, PurposeBackup, PurposeSupport, PurposeFallback, PurposeAIInference}

// Valid reports whether p is a known purpose.
func (p Purpose) Valid() bool { return contains(Purposes, p) }

// Role is what a dependency does for the product that needs it.
type Role string

// Dependency roles (methodology §8.1), plus component for bundled parts.
const (
	RoleComputeHosting   Role = "compute_hosting"
	RoleStorage          Role = "storage"
	RoleCDNProxyTLS      Role = "cdn_proxy_tls"
	RoleDNS              Role = "dns"
	RoleDDoS             Role = "ddos"
	RoleIdentitySSO      Role = "identity_sso"
	RoleEmailDelivery    Role = "email_delivery"
	RolePayments         Role = "payments"
	RoleAIInferenceAPI   Role = "ai_inference_api"
	RoleAIModelWeights   Role = "ai_model_weights"
	RoleAnalytics        Role = "analytics_telemetry"
	RoleMonitoring       Role = "monitoring_logging"
	RoleSupportTicketing Role = "support_ticketing"
	RoleCodeHostingCI    Role = "code_hosting_ci"
	RoleSigningUpdate    Role = "signing_update_server"
	RoleLicenceServer    Role = "licence_activation_server"
	RoleAppStore         Role = "app_store_distribution"
	RoleComponent        Role = "component"
)

// Roles lists every dependency role.
var Roles = []Role{
	RoleComputeHosting, RoleStorage, RoleCDNProxyTLS, RoleDNS, RoleDDoS, RoleIdentitySSO,
	RoleEmailDelivery, RolePayments, RoleAIInferenceAPI, RoleAIModelWeights, RoleAnalytics,
	RoleMonitoring, RoleSupportTicketing, RoleCodeHostingCI, RoleSigningUpdate,
	RoleLicenceServer, RoleAppStore, RoleComponent,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return contains(Roles, r) }

// DataAccess is what a dependency can read of the consumer's data.
type DataAccess string

// Data access levels, least first.
const (
	AccessNone              DataAccess = "none"
	AccessMetadata          DataAccess = "metadata_technical"
	AccessEncryptedCustomer DataAccess = "content_encrypted_customer_keys"
	AccessPlaintext         DataAccess = "content_plaintext"
	AccessUnknown           DataAccess = "unknown"
)

// DataAccesses lists every data access level.
var DataAccesses = []DataAccess{AccessNone, AccessMetadata, AccessEncryptedCustomer, AccessPlaintext, AccessUnknown}

// Valid reports whether a is a known data access level.
func (a DataAccess) Valid() bool { return contains(DataAccesses, a) }

// Criticality is what happens to the consumer when a dependency fails.
type Criticality string

// Criticalities.
const (
	Critical  Criticality = "critical"  // the service stops
	Degrading Criticality = "degrading" // a feature is lost
	Optional  Criticality = "optional"  // opt-in only
)

// Criticalities lists every criticality.
var Criticalities = []Criticality{Critical, Degrading, Optional}

// Valid reports whether c is a known criticality.
func (c Criticality) Valid() bool { return contains(Criticalities, c) }

// Certification schemes the registry records.
var CertificationSchemes = []string{"ISO27001", "C5", "SecNumCloud", "GaiaX", "SOC2", "TISAX", "BSI-IT-Grundschutz"}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a well-formed slug: lowercase letters,
// digits and single hyphens, at most 80 characters.
func ValidSlug(s string) bool { return len(s) <= 80 && slugPattern.MatchString(s) }
