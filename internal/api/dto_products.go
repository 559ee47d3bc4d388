package api

import (
	"github.com/sovereignty-registry/registry/internal/catalog"
)

// productSummaryDTO is a product in a listing.
type productSummaryDTO struct {
	Slug             string    `json:"slug"`
	Name             string    `json:"name"`
	Kind             string    `json:"kind"`
	Category         string    `json:"category"`
	Vendor           vendorDTO `json:"vendor"`
	Description      textDTO   `json:"description"`
	OpenSource       string    `json:"open_source"`
	VendorHosted     string    `json:"vendor_hosted"`
	SelfHostable     string    `json:"self_hostable"`
	HostingCountries []string  `json:"hosting_countries"`
	UpdatedAt        string    `json:"updated_at"`
	Level            *levelDTO `json:"level"`
	Links            selfLink  `json:"links"`
}

// vendorDTO names the organisation that makes a product; Country is its
// headquarters country (the vendor jurisdiction facet) or "unknown".
type vendorDTO struct {
	Slug    string   `json:"slug"`
	Name    string   `json:"name"`
	Country string   `json:"country"`
	Links   selfLink `json:"links"`
}

func (a *API) toProductSummary(p catalog.ProductSummary) productSummaryDTO {
	return productSummaryDTO{
		Slug: p.Slug, Name: p.Name, Kind: string(p.Kind), Category: p.CategorySlug,
		Vendor:      vendorDTO{Slug: p.VendorSlug, Name: p.VendorName, Country: string(p.VendorCountry), Links: selfLink{a.link("/organizations/" + p.VendorSlug)}},
		Description: textDTO{DE: p.DescriptionDE, EN: p.DescriptionEN},
		OpenSource:  string(p.OpenSource), VendorHosted: string(p.VendorHosted), SelfHostable: string(p.SelfHostable),
		HostingCountries: countries(p.HostingCountries), UpdatedAt: timestamp(p.UpdatedAt),
		Level: toLevel(p.Level), Links: selfLink{a.link("/products/" + p.Slug)},
	}
}

func (a *API) toProductSummaries(ps []catalog.ProductSummary) []productSummaryDTO {
	out := make([]productSummaryDTO, len(ps))
	for i, p := range ps {
		out[i] = a.toProductSummary(p)
	}
	return out
}

// productDTO is everything recorded about one product. Facts carry source
// keys; Sources resolves every key cited anywhere in the product.
type productDTO struct {
	Slug             string               `json:"slug"`
	Name             string               `json:"name"`
	Kind             string               `json:"kind"`
	Website          *string              `json:"website"`
	Description      textDTO              `json:"description"`
	Category         categoryRefDTO       `json:"category"`
	Vendor           vendorDetailDTO      `json:"vendor"`
	OpenSource       string               `json:"open_source"`
	HostingCountries []string             `json:"hosting_countries"`
	Facts            productFactsDTO      `json:"facts"`
	Offerings        []offeringDTO        `json:"offerings"`
	Dependencies     []dependencyDTO      `json:"dependencies"`
	Dependents       []dependentDTO       `json:"dependents"`
	Alternatives     alternativesDTO      `json:"alternatives"`
	Adoptions        []adoptionDTO        `json:"adoptions"`
	Level            *levelDTO            `json:"level"`
	Explanation      explanationDTO       `json:"explanation"`
	Sources          map[string]sourceDTO `json:"sources"`
	UpdatedAt        string               `json:"updated_at"`
	Links            selfLink             `json:"links"`
}

type productFactsDTO struct {
	VendorHosted     factDTO[string] `json:"vendor_hosted"`
	SelfHostable     factDTO[string] `json:"self_hostable"`
	License          factDTO[string] `json:"license"`
	Governance       factDTO[string] `json:"governance"`
	PhoneHome        factDTO[string] `json:"phone_home"`
	SourceRepository factDTO[string] `json:"source_repository"`
}

// vendorDetailDTO is the vendor on a product's own page: the reference
// plus its facts, which the classification reads (jurisdiction, presence).
type vendorDetailDTO struct {
	vendorDTO
	Facts organizationFactsDTO `json:"facts"`
}

// operatorDTO is the organisation that runs an offering, with its facts.
type operatorDTO struct {
	orgRefDTO
	Facts organizationFactsDTO `json:"facts"`
}

type offeringDTO struct {
	Operator       operatorDTO        `json:"operator"`
	Facts          offeringFactsDTO   `json:"facts"`
	Certifications []certificationDTO `json:"certifications"`
}

type offeringFactsDTO struct {
	DataLocations    factDTO[[]dataLocationDTO] `json:"data_locations"`
	SupportLocations factDTO[[]string]          `json:"support_locations"`
	KeyManagement    factDTO[string]            `json:"key_management"`
	GoverningLaw     factDTO[string]            `json:"governing_law"`
	SubprocessorList factDTO[string]            `json:"subprocessor_list"`
}

type dataLocationDTO struct {
	Country string `json:"country"`
	Purpose string `json:"purpose"`
}

type certificationDTO struct {
	Scheme  string   `json:"scheme"`
	Sources []string `json:"sources"`
}

// productRefDTO names another product: a provider, a dependent, an
// alternative.
type productRefDTO struct {
	Slug          string   `json:"slug"`
	Name          string   `json:"name"`
	VendorName    string   `json:"vendor_name"`
	VendorCountry string   `json:"vendor_country"`
	Links         selfLink `json:"links"`
}

type dependencyDTO struct {
	Provider      productRefDTO `json:"provider"`
	Role          string        `json:"role"`
	DataAccess    string        `json:"data_access"`
	Criticality   string        `json:"criticality"`
	FailoverGroup *string       `json:"failover_group"`
	Sources       []string      `json:"sources"`
}

// dependentDTO is a product that needs this one; its evidence is on the
// dependent's own page.
type dependentDTO struct {
	Consumer      productRefDTO `json:"consumer"`
	Role          string        `json:"role"`
	DataAccess    string        `json:"data_access"`
	Criticality   string        `json:"criticality"`
	FailoverGroup *string       `json:"failover_group"`
}

// alternativesDTO: Replaces lists the products this one can replace,
// ReplacedBy those recorded as replacing it.
type alternativesDTO struct {
	Replaces   []productRefDTO `json:"replaces"`
	ReplacedBy []productRefDTO `json:"replaced_by"`
}

type adoptionDTO struct {
	Body        string   `json:"body"`
	Country     string   `json:"country"`
	Year        *int     `json:"year"`
	Replaces    *string  `json:"replaces"`
	Description textDTO  `json:"description"`
	Sources     []string `json:"sources"`
}

func (a *API) toProduct(d catalog.ProductDetail) productDTO {
	p := d.Product
	out := productDTO{
		Slug: p.Slug, Name: p.Name, Kind: string(p.Kind), Website: nullable(p.Website),
		Description:      textDTO{DE: p.DescriptionDE, EN: p.DescriptionEN},
		Category:         a.toCategoryRef(d.Category),
		Vendor:           vendorDetailDTO{a.toVendor(d.Vendor), toOrganizationFacts(d.Vendor)},
		OpenSource:       string(catalog.OpenSource(p)),
		HostingCountries: countries(catalog.HostingCountries(p)),
		Facts: productFactsDTO{
			VendorHosted: toFact(p.VendorHosted, asString), SelfHostable: toFact(p.SelfHostable, asString),
			License: toFact(p.License, asString), Governance: toFact(p.Governance, asString),
			PhoneHome: toFact(p.PhoneHome, asString), SourceRepository: toFact(p.SourceRepository, asString),
		},
		Offerings:    make([]offeringDTO, len(p.Offerings)),
		Dependencies: make([]dependencyDTO, len(p.Dependencies)),
		Dependents:   make([]dependentDTO, len(d.Dependents)),
		Alternatives: alternativesDTO{Replaces: make([]productRefDTO, len(p.Alternatives)), ReplacedBy: make([]productRefDTO, len(d.ReplacedBy))},
		Adoptions:    make([]adoptionDTO, len(p.Adoptions)),
		Sources:      toSources(d.Sources),
		UpdatedAt:    timestamp(p.UpdatedAt),
		Links:        selfLink{a.link("/products/" + p.Slug)},
	}
	for i, o := range p.Offerings {
		out.Offerings[i] = a.toOffering(o, d.Operators[o.Operator])
	}
	for i, dep := range p.Dependencies {
		out.Dependencies[i] = dependencyDTO{
			Provider: a.toProductRef(d.Refs[dep.Provider], dep.Provider), Role: string(dep.Role),
			DataAccess: string(dep.DataAccess), Criticality: string(dep.Criticality),
			FailoverGroup: nullable(dep.Group), Sources: strs(dep.Sources),
		}
	}
	for i, dep := range d.Dependents {
		out.Dependents[i] = dependentDTO{
			Consumer: a.toProductRef(dep.Consumer, dep.Consumer.Slug), Role: string(dep.Dependency.Role),
			DataAccess: string(dep.Dependency.DataAccess), Criticality: string(dep.Dependency.Criticality),
			FailoverGroup: nullable(dep.Dependency.Group),
		}
	}
	for i, slug := range p.Alternatives {
		out.Alternatives.Replaces[i] = a.toProductRef(d.Refs[slug], slug)
	}
	for i, r := range d.ReplacedBy {
		out.Alternatives.ReplacedBy[i] = a.toProductRef(r, r.Slug)
	}
	for i, ad := range p.Adoptions {
		out.Adoptions[i] = adoptionDTO{
			Body: ad.Body, Country: string(ad.Country), Replaces: nullable(ad.Replaces),
			Description: textDTO{DE: ad.DescriptionDE, EN: ad.DescriptionEN}, Sources: strs(ad.Sources),
		}
		if ad.Year != 0 {
			out.Adoptions[i].Year = &ad.Year
		}
	}
	return out
}

func (a *API) toOffering(o catalog.Offering, operator catalog.Organization) offeringDTO {
	out := offeringDTO{
		Operator: operatorDTO{orgRefDTO{Slug: o.Operator, Name: operator.Name, Links: selfLink{a.link("/organizations/" + o.Operator)}},
			toOrganizationFacts(operator)},
		Facts: offeringFactsDTO{
			DataLocations: toFact(o.DataLocations, func(ls []catalog.DataLocation) []dataLocationDTO {
				out := make([]dataLocationDTO, len(ls))
				for i, l := range ls {
					out[i] = dataLocationDTO{Country: string(l.Country), Purpose: string(l.Purpose)}
				}
				return out
			}),
			SupportLocations: toFact(o.SupportLocations, countries),
			KeyManagement:    toFact(o.KeyManagement, asString),
			GoverningLaw:     toFact(o.GoverningLaw, asString),
			SubprocessorList: toFact(o.SubprocessorList, asString),
		},
		Certifications: make([]certificationDTO, len(o.Certifications)),
	}
	for i, c := range o.Certifications {
		out.Certifications[i] = certificationDTO{Scheme: c.Scheme, Sources: strs(c.Sources)}
	}
	return out
}

// toProductRef maps a reference; slug stands in when the catalogue did not
// resolve the product (it always should).
func (a *API) toProductRef(r catalog.ProductRef, slug string) productRefDTO {
	country := string(r.VendorCountry)
	if country == "" {
		country = string(catalog.UnknownCountry)
	}
	return productRefDTO{Slug: slug, Name: r.Name, VendorName: r.VendorName, VendorCountry: country,
		Links: selfLink{a.link("/products/" + slug)}}
}

func (a *API) toVendor(o catalog.Organization) vendorDTO {
	country := catalog.UnknownCountry
	if o.HQCountry.Known {
		country = o.HQCountry.Value
	}
	return vendorDTO{Slug: o.Slug, Name: o.Name, Country: string(country), Links: selfLink{a.link("/organizations/" + o.Slug)}}
}
