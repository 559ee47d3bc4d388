package api

import (
	"github.com/sovereignty-registry/registry/internal/catalog"
)

// orgRefDTO names an organisation: an operator, a holder.
type orgRefDTO struct {
	Slug  string   `json:"slug"`
	Name  string   `json:"name"`
	Links selfLink `json:"links"`
}

// organizationSummaryDTO is an organisation in a listing. Controlled says
// that a controlling owner is recorded (see the control chain).
type organizationSummaryDTO struct {
	Slug         string   `json:"slug"`
	Name         string   `json:"name"`
	HQCountry    string   `json:"hq_country"`
	ProductCount int      `json:"product_count"`
	Controlled   bool     `json:"controlled"`
	Links        selfLink `json:"links"`
}

// organizationDTO is everything recorded about one organisation.
type organizationDTO struct {
	Slug         string                   `json:"slug"`
	Name         string                   `json:"name"`
	Website      *string                  `json:"website"`
	Facts        organizationFactsDTO     `json:"facts"`
	ControlChain []controlLinkDTO         `json:"control_chain"`
	Holdings     []organizationSummaryDTO `json:"holdings"`
	Products     []productSummaryDTO      `json:"products"`
	Sources      map[string]sourceDTO     `json:"sources"`
	UpdatedAt    string                   `json:"updated_at"`
	Links        selfLink                 `json:"links"`
}

type organizationFactsDTO struct {
	LegalName           factDTO[string]   `json:"legal_name"`
	RegistrationCountry factDTO[string]   `json:"registration_country"`
	HQCountry           factDTO[string]   `json:"hq_country"`
	PresenceCountries   factDTO[[]string] `json:"presence_countries"`
}

// controlLinkDTO is one owner in the chain above an organisation; depth 1
// is a direct owner, 2 an owner of an owner, and so on. Of names the
// organisation the holder owns, so the chain can be drawn as a tree when
// an organisation has several owners.
type controlLinkDTO struct {
	Depth         int       `json:"depth"`
	Of            string    `json:"of"`
	Holder        holderDTO `json:"holder"`
	CapitalPct    *float64  `json:"capital_pct"`
	VotingPct     *float64  `json:"voting_pct"`
	Control       string    `json:"control"`
	Veto          string    `json:"veto"`
	BoardMajority string    `json:"board_majority"`
	Sources       []string  `json:"sources"`
}

// holderDTO is an owner with its jurisdiction, the fact that matters for
// sovereignty.
type holderDTO struct {
	Slug      string          `json:"slug"`
	Name      string          `json:"name"`
	HQCountry factDTO[string] `json:"hq_country"`
	Links     selfLink        `json:"links"`
}

func toOrganizationFacts(o catalog.Organization) organizationFactsDTO {
	return organizationFactsDTO{
		LegalName: toFact(o.LegalName, asString), RegistrationCountry: toFact(o.RegistrationCountry, asString),
		HQCountry: toFact(o.HQCountry, asString), PresenceCountries: toFact(o.PresenceCountries, countries),
	}
}

func (a *API) toOrganizationSummary(o catalog.OrganizationSummary) organizationSummaryDTO {
	country := o.HQCountry
	if country == "" {
		country = catalog.UnknownCountry
	}
	return organizationSummaryDTO{Slug: o.Slug, Name: o.Name, HQCountry: string(country), ProductCount: o.Products,
		Controlled: o.Controlled, Links: selfLink{a.link("/organizations/" + o.Slug)}}
}

func (a *API) toOrganizationSummaries(os []catalog.OrganizationSummary) []organizationSummaryDTO {
	out := make([]organizationSummaryDTO, len(os))
	for i, o := range os {
		out[i] = a.toOrganizationSummary(o)
	}
	return out
}

func (a *API) toOrganization(d catalog.OrganizationDetail) organizationDTO {
	o := d.Organization
	out := organizationDTO{
		Slug: o.Slug, Name: o.Name, Website: nullable(o.Website),
		Facts:        toOrganizationFacts(o),
		ControlChain: make([]controlLinkDTO, len(d.Chain)),
		Holdings:     a.toOrganizationSummaries(d.Holdings),
		Products:     a.toProductSummaries(d.Products),
		Sources:      toSources(d.Sources),
		UpdatedAt:    timestamp(o.UpdatedAt),
		Links:        selfLink{a.link("/organizations/" + o.Slug)},
	}
	for i, l := range d.Chain {
		w := l.Ownership
		out.ControlChain[i] = controlLinkDTO{
			Depth: l.Depth, Of: l.Of,
			Holder: holderDTO{Slug: l.Holder.Slug, Name: l.Holder.Name, HQCountry: toFact(l.Holder.HQCountry, asString),
				Links: selfLink{a.link("/organizations/" + l.Holder.Slug)}},
			CapitalPct: w.CapitalPct, VotingPct: w.VotingPct, Control: string(w.Control), Veto: string(w.Veto),
			BoardMajority: string(w.BoardMajority), Sources: strs(w.Sources),
		}
	}
	return out
}

// categoryRefDTO names a category in both languages.
type categoryRefDTO struct {
	Slug  string   `json:"slug"`
	Name  textDTO  `json:"name"`
	Links selfLink `json:"links"`
}

// categoryDTO is a category in the listing.
type categoryDTO struct {
	Slug         string   `json:"slug"`
	Name         textDTO  `json:"name"`
	ProductCount int      `json:"product_count"`
	Links        selfLink `json:"links"`
}

// categoryDetailDTO is a category with one page of its products.
type categoryDetailDTO struct {
	Slug         string              `json:"slug"`
	Name         textDTO             `json:"name"`
	ProductCount int                 `json:"product_count"`
	Products     []productSummaryDTO `json:"products"`
	Links        selfLink            `json:"links"`
}

func (a *API) toCategoryRef(c catalog.Category) categoryRefDTO {
	return categoryRefDTO{Slug: c.Slug, Name: textDTO{DE: c.NameDE, EN: c.NameEN}, Links: selfLink{a.link("/categories/" + c.Slug)}}
}

func (a *API) toCategory(c catalog.CategoryCount) categoryDTO {
	return categoryDTO{Slug: c.Slug, Name: textDTO{DE: c.NameDE, EN: c.NameEN}, ProductCount: c.Products,
		Links: selfLink{a.link("/categories/" + c.Slug)}}
}
