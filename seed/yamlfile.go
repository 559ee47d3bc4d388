package seed

import (
	"fmt"
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// The YAML shapes of a seed file (see FORMAT.md). They stay private: the rest
// of the program sees only catalog types.

type fileDoc struct {
	Sources       []sourceDoc   `yaml:"sources"`
	Categories    []categoryDoc `yaml:"categories"`
	Organizations []orgDoc      `yaml:"organizations"`
	Products      []productDoc  `yaml:"products"`
}

type categoryDoc struct {
	Slug   string `yaml:"slug"`
	NameDE string `yaml:"name_de"`
	NameEN string `yaml:"name_en"`
}

type sourceDoc struct {
	ID        string `yaml:"id"`
	URL       string `yaml:"url"`
	Title     string `yaml:"title"`
	Kind      string `yaml:"kind"`
	Retrieved string `yaml:"retrieved"`
}

// factDoc is `{value: X, sources: [...]}`; X may be the string "unknown".
type factDoc struct {
	Value   any      `yaml:"value"`
	Sources []string `yaml:"sources"`
}

type orgDoc struct {
	Slug                string     `yaml:"slug"`
	Name                string     `yaml:"name"`
	Website             string     `yaml:"website"`
	LegalName           *factDoc   `yaml:"legal_name"`
	RegistrationCountry *factDoc   `yaml:"registration_country"`
	HQCountry           *factDoc   `yaml:"hq_country"`
	PresenceCountries   *factDoc   `yaml:"presence_countries"`
	Owners              []ownerDoc `yaml:"owners"`
}

type ownerDoc struct {
	Holder        string   `yaml:"holder"`
	CapitalPct    *float64 `yaml:"capital_pct"`
	VotingPct     *float64 `yaml:"voting_pct"`
	Control       any      `yaml:"control"`
	Veto          any      `yaml:"veto"`
	BoardMajority any      `yaml:"board_majority"`
	Sources       []string `yaml:"sources"`
}

type productDoc struct {
	Slug             string           `yaml:"slug"`
	Name             string           `yaml:"name"`
	Vendor           string           `yaml:"vendor"`
	Category         string           `yaml:"category"`
	Kind             string           `yaml:"kind"`
	Website          string           `yaml:"website"`
	DescriptionDE    string           `yaml:"description_de"`
	DescriptionEN    string           `yaml:"description_en"`
	VendorHosted     *factDoc         `yaml:"vendor_hosted"`
	SelfHostable     *factDoc         `yaml:"self_hostable"`
	License          *factDoc         `yaml:"license"`
	Governance       *factDoc         `yaml:"governance"`
	PhoneHome        *factDoc         `yaml:"phone_home"`
	SourceRepository *factDoc         `yaml:"source_repository"`
	Offerings        []offeringDoc    `yaml:"offerings"`
	Dependencies     []dependencyDoc  `yaml:"dependencies"`
	Alternatives     []alternativeDoc `yaml:"alternatives"`
	Adoptions        []adoptionDoc    `yaml:"adoptions"`
}

type offeringDoc struct {
	Operator         string    `yaml:"operator"`
	DataLocations    *factDoc  `yaml:"data_locations"`
	SupportLocations *factDoc  `yaml:"support_locations"`
	KeyManagement    *factDoc  `yaml:"key_management"`
	GoverningLaw     *factDoc  `yaml:"governing_law"`
	SubprocessorList *factDoc  `yaml:"subprocessor_list"`
	Certifications   []certDoc `yaml:"certifications"`
}

type certDoc struct {
	Scheme  string   `yaml:"scheme"`
	Sources []string `yaml:"sources"`
}

type dependencyDoc struct {
	On          string   `yaml:"on"`
	Role        string   `yaml:"role"`
	DataAccess  string   `yaml:"data_access"`
	Criticality string   `yaml:"criticality"`
	Group       string   `yaml:"group"`
	Sources     []string `yaml:"sources"`
}

type alternativeDoc struct {
	Replaces string `yaml:"replaces"`
}

type adoptionDoc struct {
	Body          string   `yaml:"body"`
	Country       string   `yaml:"country"`
	Year          int      `yaml:"year"`
	Replaces      string   `yaml:"replaces"`
	DescriptionDE string   `yaml:"description_de"`
	DescriptionEN string   `yaml:"description_en"`
	Sources       []string `yaml:"sources"`
}

// converter turns YAML shapes into domain values, collecting shape problems
// (a list where a string belongs, a bad date) with their paths.
type converter struct {
	problems []catalog.Problem
}

func (c *converter) fail(path, format string, args ...any) {
	c.problems = append(c.problems, catalog.Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (c *converter) source(path string, d sourceDoc) catalog.Source {
	s := catalog.Source{Key: d.ID, URL: d.URL, Title: d.Title, Kind: catalog.SourceKind(d.Kind)}
	t, err := time.Parse(time.DateOnly, d.Retrieved)
	if err != nil {
		c.fail(path+".retrieved", "%q is not a date (YYYY-MM-DD)", d.Retrieved)
	}
	s.Retrieved = t
	return s
}

func (c *converter) organization(path string, d orgDoc) catalog.Organization {
	o := catalog.Organization{
		Slug: d.Slug, Name: d.Name, Website: d.Website,
		LegalName:           factOf(c, path+".legal_name", d.LegalName, asString),
		RegistrationCountry: factOf(c, path+".registration_country", d.RegistrationCountry, asCountry),
		HQCountry:           factOf(c, path+".hq_country", d.HQCountry, asCountry),
		PresenceCountries:   factOf(c, path+".presence_countries", d.PresenceCountries, asCountries),
	}
	for i, w := range d.Owners {
		p := fmt.Sprintf("%s.owners[%d]", path, i)
		o.Owners = append(o.Owners, catalog.Ownership{
			Holder: w.Holder, CapitalPct: w.CapitalPct, VotingPct: w.VotingPct,
			Control:       c.tri(p+".control", w.Control),
			Veto:          c.tri(p+".veto", w.Veto),
			BoardMajority: c.tri(p+".board_majority", w.BoardMajority),
			Sources:       w.Sources,
		})
	}
	return o
}

func (c *converter) product(path string, d productDoc) catalog.Product {
	p := catalog.Product{
		Slug: d.Slug, Name: d.Name, Vendor: d.Vendor, Category: d.Category,
		Kind: catalog.Kind(d.Kind), Website: d.Website,
		DescriptionDE: strings.TrimSpace(d.DescriptionDE), DescriptionEN: strings.TrimSpace(d.DescriptionEN),
		VendorHosted:     factOf(c, path+".vendor_hosted", d.VendorHosted, asTri),
		SelfHostable:     factOf(c, path+".self_hostable", d.SelfHostable, asTri),
		License:          factOf(c, path+".license", d.License, asString),
		Governance:       factOf(c, path+".governance", d.Governance, asGovernance),
		PhoneHome:        factOf(c, path+".phone_home", d.PhoneHome, asTri),
		SourceRepository: factOf(c, path+".source_repository", d.SourceRepository, asString),
	}
	if p.License.Known {
		if err := checkLicense(p.License.Value); err != nil {
			c.fail(path+".license.value", "%v", err)
		}
	}
	for i, o := range d.Offerings {
		op := fmt.Sprintf("%s.offerings[%d]", path, i)
		off := catalog.Offering{
			Operator:         o.Operator,
			DataLocations:    factOf(c, op+".data_locations", o.DataLocations, asLocations),
			SupportLocations: factOf(c, op+".support_locations", o.SupportLocations, asCountries),
			KeyManagement:    factOf(c, op+".key_management", o.KeyManagement, asKeys),
			GoverningLaw:     factOf(c, op+".governing_law", o.GoverningLaw, asCountry),
			SubprocessorList: factOf(c, op+".subprocessor_list", o.SubprocessorList, asString),
		}
		for _, cert := range o.Certifications {
			off.Certifications = append(off.Certifications, catalog.Certification{Scheme: cert.Scheme, Sources: cert.Sources})
		}
		p.Offerings = append(p.Offerings, off)
	}
	for _, dep := range d.Dependencies {
		p.Dependencies = append(p.Dependencies, catalog.Dependency{
			Provider: dep.On, Role: catalog.Role(dep.Role), DataAccess: catalog.DataAccess(dep.DataAccess),
			Criticality: catalog.Criticality(dep.Criticality), Group: dep.Group, Sources: dep.Sources,
		})
	}
	for _, a := range d.Alternatives {
		p.Alternatives = append(p.Alternatives, a.Replaces)
	}
	for _, a := range d.Adoptions {
		p.Adoptions = append(p.Adoptions, catalog.Adoption{
			Body: a.Body, Country: catalog.NormalizeCountry(a.Country), Year: a.Year, Replaces: a.Replaces,
			DescriptionDE: strings.TrimSpace(a.DescriptionDE), DescriptionEN: strings.TrimSpace(a.DescriptionEN),
			Sources: a.Sources,
		})
	}
	return p
}

// factOf converts a fact; a missing fact or the value "unknown" is unknown.
func factOf[T any](c *converter, path string, d *factDoc, conv func(any) (T, bool)) catalog.Fact[T] {
	if d == nil || d.Value == nil || isUnknown(d.Value) {
		if d != nil && len(d.Sources) > 0 {
			// Sources on an unknown fact are kept: they document the search.
			return catalog.Fact[T]{Sources: d.Sources}
		}
		return catalog.UnknownFact[T]()
	}
	v, ok := conv(d.Value)
	if !ok {
		c.fail(path+".value", "%v is not a valid value here", d.Value)
		return catalog.UnknownFact[T]()
	}
	return catalog.KnownFact(v, d.Sources...)
}

func isUnknown(v any) bool {
	s, ok := v.(string)
	return ok && strings.EqualFold(strings.TrimSpace(s), "unknown")
}

func (c *converter) tri(path string, v any) catalog.Tri {
	if v == nil {
		return catalog.Unknown
	}
	t, ok := asTri(v)
	if !ok {
		c.fail(path, "%v is not yes, no or unknown", v)
	}
	return t
}

func asString(v any) (string, bool) {
	s, ok := v.(string)
	return strings.TrimSpace(s), ok && strings.TrimSpace(s) != ""
}

func asTri(v any) (catalog.Tri, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return catalog.Yes, true
		}
		return catalog.No, true
	case string:
		t := catalog.Tri(strings.ToLower(strings.TrimSpace(x)))
		return t, t.Valid()
	}
	return catalog.Unknown, false
}

func asCountry(v any) (catalog.Country, bool) {
	s, ok := v.(string)
	if !ok {
		return catalog.UnknownCountry, false
	}
	c := catalog.NormalizeCountry(s)
	return c, c.Valid() && c != catalog.UnknownCountry
}

func asCountries(v any) ([]catalog.Country, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]catalog.Country, 0, len(list))
	for _, x := range list {
		c, ok := asCountry(x)
		if !ok {
			return nil, false
		}
		out = append(out, c)
	}
	return out, true
}

func asLocations(v any) ([]catalog.DataLocation, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]catalog.DataLocation, 0, len(list))
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, false
		}
		c, ok := asCountry(m["country"])
		p, _ := m["purpose"].(string)
		if !ok || !catalog.Purpose(p).Valid() || len(m) != 2 {
			return nil, false
		}
		out = append(out, catalog.DataLocation{Country: c, Purpose: catalog.Purpose(p)})
	}
	return out, true
}

func asGovernance(v any) (catalog.Governance, bool) {
	s, _ := v.(string)
	g := catalog.Governance(s)
	return g, g.Valid()
}

func asKeys(v any) (catalog.KeyManagement, bool) {
	s, _ := v.(string)
	k := catalog.KeyManagement(s)
	return k, k.Valid()
}
