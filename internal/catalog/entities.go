package catalog

import "time"

// Category groups products that serve the same need.
type Category struct {
	Slug   string
	NameDE string
	NameEN string
}

// Name returns the category's name in lang ("de" or "en").
func (c Category) Name(lang string) string {
	if lang == "en" {
		return c.NameEN
	}
	return c.NameDE
}

// Organization is a legal entity that makes, operates or controls products.
type Organization struct {
	Slug                string
	Name                string
	Website             string
	LegalName           Fact[string]
	RegistrationCountry Fact[Country]
	HQCountry           Fact[Country]
	PresenceCountries   Fact[[]Country]
	// Owners are the holders of this organisation's capital or control.
	Owners    []Ownership
	UpdatedAt time.Time
}

// Ownership is an edge of the control graph: Holder holds a stake in, or
// controls, the organisation it is attached to.
type Ownership struct {
	Holder        string   // organisation slug
	CapitalPct    *float64 // nil when unknown
	VotingPct     *float64 // nil when unknown
	Control       Tri
	Veto          Tri
	BoardMajority Tri
	Sources       []string
}

// Product is a piece of software or a service in the catalogue.
type Product struct {
	Slug          string
	Name          string
	Vendor        string // organisation slug
	Category      string // category slug
	Kind          Kind
	Website       string
	DescriptionDE string
	DescriptionEN string

	VendorHosted     Fact[Tri]
	SelfHostable     Fact[Tri]
	License          Fact[string] // SPDX expression
	Governance       Fact[Governance]
	PhoneHome        Fact[Tri]
	SourceRepository Fact[string]

	Offerings    []Offering
	Dependencies []Dependency
	Alternatives []string // slugs of the products this one can replace
	Adoptions    []Adoption

	UpdatedAt time.Time
}

// Description returns the description in lang ("de" or "en").
func (p Product) Description(lang string) string {
	if lang == "en" {
		return p.DescriptionEN
	}
	return p.DescriptionDE
}

// Offering is a way a product is operated as a service: by whom, where the
// data sits and who supports it.
type Offering struct {
	Operator         string // organisation slug
	DataLocations    Fact[[]DataLocation]
	SupportLocations Fact[[]Country]
	KeyManagement    Fact[KeyManagement]
	GoverningLaw     Fact[Country]
	SubprocessorList Fact[string] // URL of the published list
	Certifications   []Certification
}

// DataLocation is a country where an offering keeps data, and why.
type DataLocation struct {
	Country Country
	Purpose Purpose
}

// Certification is a certificate or attestation an offering holds.
type Certification struct {
	Scheme  string
	Sources []string
}

// MaxDependencies bounds a product's dependencies. Real products have a
// few dozen at most; the bound keeps every dependency addressable by the
// small integers a stored level uses to name the one an inheritance path
// takes (sovereignty.Passed.Via).
const MaxDependencies = 1000

// Dependency says that one product needs another to run.
type Dependency struct {
	Provider    string // product slug
	Role        Role
	DataAccess  DataAccess
	Criticality Criticality
	Group       string // failover group; empty when the dependency stands alone
	Sources     []string
}

// Adoption records a public body that uses a product.
type Adoption struct {
	Body          string
	Country       Country
	Year          int // 0 when unknown
	Replaces      string
	DescriptionDE string
	DescriptionEN string
	Sources       []string
}

// Description returns the adoption's description in lang.
func (a Adoption) Description(lang string) string {
	if lang == "en" {
		return a.DescriptionEN
	}
	return a.DescriptionDE
}
