package sovereignty

import (
	"strings"
	"time"
)

// Kind is the kind of product, as in the catalogue.
type Kind string

// The product kinds of the catalogue.
const (
	KindSoftware Kind = "software"
	KindSaaS     Kind = "saas"
	KindPaaS     Kind = "paas"
	KindIaaS     Kind = "iaas"
	KindAIModel  Kind = "ai_model"
)

// Governance is how a product's development is governed.
type Governance string

// The governance models of the catalogue.
const (
	GovSingleVendor Governance = "single_vendor"
	GovFoundation   Governance = "foundation"
	GovCommunity    Governance = "community"
	GovUnknown      Governance = "unknown"
)

// KeyManagement is who controls the keys to customer content.
type KeyManagement string

// The key-management models, from weakest to strongest customer control.
const (
	KeysProvider KeyManagement = "provider"
	KeysBYOK     KeyManagement = "byok"
	KeysHYOK     KeyManagement = "hyok"
	KeysE2EE     KeyManagement = "e2ee"
	KeysUnknown  KeyManagement = "unknown"
)

// Purpose says what a data location is used for. Backup, support, fallback
// and AI-inference locations count like primary ones (CSF SOV-3 Q4: "no
// third-country fallback").
type Purpose string

// The data-location purposes of the catalogue.
const (
	PurposePrimary     Purpose = "primary"
	PurposeBackup      Purpose = "backup"
	PurposeSupport     Purpose = "support"
	PurposeFallback    Purpose = "fallback"
	PurposeAIInference Purpose = "ai_inference"
)

// DataAccess is what a provider can read of the consumer's data.
type DataAccess string

// The data-access classes. Technical data counts like content (SecNumCloud
// 19.2.d, 19.6.c); an unknown class is treated as readable.
const (
	AccessNone              DataAccess = "none"
	AccessMetadataTechnical DataAccess = "metadata_technical"
	AccessEncryptedCustomer DataAccess = "content_encrypted_customer_keys"
	AccessPlaintext         DataAccess = "content_plaintext"
	AccessUnknown           DataAccess = "unknown"
)

// readable reports whether legal and data-location exposure passes along an
// edge with this access class (methodology P1/P2). Anything not explicitly
// "none" or "encrypted with customer keys" is readable: the pessimistic
// reading of an unknown or misspelt class.
func (a DataAccess) readable() bool {
	return a != AccessNone && a != AccessEncryptedCustomer
}

// Criticality is what happens to the consumer when the provider fails.
type Criticality string

// The criticality classes.
const (
	Critical  Criticality = "critical"  // the service stops without it
	Degrading Criticality = "degrading" // a feature is lost
	Optional  Criticality = "optional"  // opt-in feature
)

// critCode is the compact criticality stored on engine edges; anything
// unrecognised is critical, the pessimistic reading.
func (c Criticality) code() uint8 {
	switch c {
	case Degrading:
		return critDegrading
	case Optional:
		return critOptional
	}
	return critCritical
}

const (
	critCritical uint8 = iota
	critDegrading
	critOptional
)

// Ownership is one edge of the control chain: Holder holds a share of, or
// rights over, the organisation it is listed on.
type Ownership struct {
	Holder        string // organisation ID (a person or family is recorded as an organisation)
	Capital       Percent
	Voting        Percent
	Control       Tri // majority vote, board majority or decisive influence, as judged by the curator
	Veto          Tri
	BoardMajority Tri
	Evidence
}

// Organisation is a legal entity with the countries that give foreign law a
// hold on it. A country may be "unknown".
type Organisation struct {
	ID                  string
	Name                string
	RegistrationCountry Fact[string]
	HQCountry           Fact[string]
	PresenceCountries   Fact[[]string]
	// Owners are the holders of THIS organisation, as in the catalogue.
	Owners []Ownership
}

// Certification held by an offering. ValidTo zero means no expiry recorded.
type Certification struct {
	Scheme  string // ISO27001, C5, SecNumCloud, GaiaX, SOC2, TISAX, BSI-IT-Grundschutz, CADA
	Level   string // e.g. "L3" for Gaia-X, "UAL4" for CADA; empty when the scheme has none
	ValidTo time.Time
	Evidence
}

// DataLocation is one place where an offering stores or processes content.
// Country is ISO 3166-1 alpha-2, "EU" (somewhere in the EU) or "unknown".
type DataLocation struct {
	Country string
	Purpose Purpose
}

// Offering is how a product is operated as a service.
type Offering struct {
	ID               string
	Operator         string // organisation ID
	DataLocations    Fact[[]DataLocation]
	SupportLocations Fact[[]string]
	KeyManagement    Fact[KeyManagement]
	GoverningLaw     Fact[string] // country whose law governs the EU customer contract
	// SubprocessorList is the URL of the published sub-processor list.
	// Known with an empty value records that no list is published.
	SubprocessorList Fact[string]
	Certifications   []Certification
}

// Dependency is an edge of the dependency graph: the product holding it
// (the consumer) needs Provider (a product ID).
type Dependency struct {
	Provider    string
	Role        string // compute_hosting, cdn_proxy_tls, licence_activation_server, …
	DataAccess  DataAccess
	Criticality Criticality
	// Group names a tested failover group: critical members of one group
	// can each carry the service alone, so the group fails only as a whole.
	Group string
	Evidence
}

// Product is a catalogue entry with its offerings and dependencies.
type Product struct {
	ID           string
	Name         string
	Kind         Kind
	Vendor       string       // organisation ID
	License      Fact[string] // SPDX expression
	OSIApproved  Tri          // TriUnknown: derived from License with IsOSIApproved
	Governance   Fact[Governance]
	SelfHostable Fact[bool]
	VendorHosted Fact[bool]
	// PhoneHome: a self-hosted installation needs a vendor server (licence,
	// activation, mandatory cloud feature, telemetry).
	PhoneHome    Fact[bool]
	Offerings    []Offering
	Dependencies []Dependency
}

// Catalogue is the whole input of an Engine.
type Catalogue struct {
	Organisations []Organisation
	Products      []Product
}

// phoneHomeRoles are the dependency roles that a self-hosted installation
// still needs (methodology P5): they become the edges of the self-hosted
// profile, whereas hosting roles are replaced by the customer's own host.
var phoneHomeRoles = map[string]bool{
	"licence_activation_server": true,
	"signing_update_server":     true,
	"analytics_telemetry":       true,
	"app_store_distribution":    true,
}

// countryKnown normalises a country fact: "unknown", "" or Known=false all
// mean unknown. Codes are upper-cased; "EL" (the EU's code for Greece) is
// mapped to ISO "GR".
func normCountry(s string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(s))
	if c == "" || c == "UNKNOWN" {
		return "", false
	}
	if c == "EL" {
		c = "GR"
	}
	return c, true
}
