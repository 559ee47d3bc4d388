package api

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// The submission DTOs: a proposal goes in and comes out in the same shape
// (proposedProductDTO), so a client can read a submission, change it and
// send it back. Facts have the read API's shape (value, known, sources);
// references to other entries are plain slugs.

// createSubmissionDTO is the body of POST /submissions.
type createSubmissionDTO struct {
	Kind    string              `json:"kind"`
	Product *proposedProductDTO `json:"product"`
	Sources []newSourceDTO      `json:"sources"`
	// Submit proposes the draft for review at once.
	Submit bool `json:"submit"`
}

// patchSubmissionDTO is the body of PATCH /submissions/{id}: the version
// read, then a new proposal (product, sources or both) and/or an action.
type patchSubmissionDTO struct {
	Version *int                `json:"version"`
	Product *proposedProductDTO `json:"product"`
	Sources *[]newSourceDTO     `json:"sources"`
	Action  *string             `json:"action"`
}

// proposedProductDTO is a product record as proposed.
type proposedProductDTO struct {
	Slug         string                `json:"slug"`
	Name         string                `json:"name"`
	Kind         string                `json:"kind"`
	Vendor       string                `json:"vendor"`
	Category     string                `json:"category"`
	Website      *string               `json:"website"`
	Description  textDTO               `json:"description"`
	Facts        productFactsDTO       `json:"facts"`
	Offerings    []proposedOfferingDTO `json:"offerings"`
	Dependencies []proposedDepDTO      `json:"dependencies"`
	Alternatives []string              `json:"alternatives"`
	Adoptions    []adoptionDTO         `json:"adoptions"`
}

type proposedOfferingDTO struct {
	Operator       string             `json:"operator"`
	Facts          offeringFactsDTO   `json:"facts"`
	Certifications []certificationDTO `json:"certifications"`
}

type proposedDepDTO struct {
	Provider      string   `json:"provider"`
	Role          string   `json:"role"`
	DataAccess    string   `json:"data_access"`
	Criticality   string   `json:"criticality"`
	FailoverGroup *string  `json:"failover_group"`
	Sources       []string `json:"sources"`
}

// newSourceDTO is a source a proposal introduces; facts cite it by key.
type newSourceDTO struct {
	Key   string `json:"key"`
	URL   string `json:"url"`
	Title string `json:"title"`
	Kind  string `json:"kind"`
	// Retrieved is a day, YYYY-MM-DD; null while a draft has none.
	Retrieved *string `json:"retrieved"`
}

// submissionDTO is one submission with its proposal.
type submissionDTO struct {
	submissionSummaryDTO
	Product        proposedProductDTO `json:"product"`
	Sources        []newSourceDTO     `json:"sources"`
	AllowedActions []string           `json:"allowed_actions"`
	Comments       []commentDTO       `json:"comments"`
}

// submissionSummaryDTO is a submission in a listing.
type submissionSummaryDTO struct {
	ID           int64    `json:"id"`
	Kind         string   `json:"kind"`
	State        string   `json:"state"`
	Version      int      `json:"version"`
	Target       string   `json:"target"`
	Organization string   `json:"organization"`
	BaseVersion  int      `json:"base_version"`
	LevelBefore  *int     `json:"level_before"`
	LevelAfter   *int     `json:"level_after"`
	DueAt        *string  `json:"due_at"`
	CreatedAt    string   `json:"created_at"`
	UpdatedAt    string   `json:"updated_at"`
	SubmittedAt  *string  `json:"submitted_at"`
	DecidedAt    *string  `json:"decided_at"`
	Links        selfLink `json:"links"`
}

type commentDTO struct {
	Author    string `json:"author"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
}

func (a *API) toSubmissionSummary(s workflow.Submission) submissionSummaryDTO {
	return submissionSummaryDTO{
		ID: s.ID, Kind: string(s.Kind), State: string(s.State), Version: s.Version, Target: s.Target,
		Organization: s.Organization, BaseVersion: s.BaseVersion,
		LevelBefore: optionalLevel(s.LevelBefore), LevelAfter: optionalLevel(s.LevelAfter),
		DueAt: optionalTime(s.DueAt), CreatedAt: timestamp(s.CreatedAt), UpdatedAt: timestamp(s.UpdatedAt),
		SubmittedAt: optionalTime(s.SubmittedAt), DecidedAt: optionalTime(s.DecidedAt),
		Links: selfLink{a.link("/submissions/" + strconv.FormatInt(s.ID, 10))},
	}
}

func (a *API) toSubmission(d workflow.Detail) submissionDTO {
	s := d.Submission
	out := submissionDTO{
		submissionSummaryDTO: a.toSubmissionSummary(s),
		Product:              toProposedProduct(s.Proposed),
		Sources:              make([]newSourceDTO, len(s.Sources)),
		AllowedActions:       make([]string, 0, len(d.Allowed)),
		Comments:             make([]commentDTO, len(d.Comments)),
	}
	for i, src := range s.Sources {
		out.Sources[i] = newSourceDTO{Key: src.Key, URL: src.URL, Title: src.Title, Kind: string(src.Kind)}
		if !src.Retrieved.IsZero() {
			out.Sources[i].Retrieved = nullable(src.Retrieved.Format(time.DateOnly))
		}
	}
	for _, act := range d.Allowed {
		// The API takes the vendor's actions only; reviews happen on the site.
		if vendorAction(act) {
			out.AllowedActions = append(out.AllowedActions, string(act))
		}
	}
	for i, c := range d.Comments {
		name := d.Names[c.Author]
		if name == "" {
			name = c.Author
		}
		out.Comments[i] = commentDTO{Author: name, Body: c.Body, CreatedAt: timestamp(c.CreatedAt)}
	}
	return out
}

// vendorAction reports whether the API accepts action: the steps a vendor
// takes on its own proposals.
func vendorAction(act workflow.Action) bool {
	return act == workflow.ActionSubmit || act == workflow.ActionResubmit || act == workflow.ActionWithdraw
}

func optionalLevel(l int) *int {
	if l < 0 {
		return nil
	}
	return &l
}

func optionalTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timestamp(*t)
	return &s
}

func toProposedProduct(p catalog.Product) proposedProductDTO {
	out := proposedProductDTO{
		Slug: p.Slug, Name: p.Name, Kind: string(p.Kind), Vendor: p.Vendor, Category: p.Category,
		Website: nullable(p.Website), Description: textDTO{DE: p.DescriptionDE, EN: p.DescriptionEN},
		Facts: productFactsDTO{
			VendorHosted: toFact(p.VendorHosted, asString), SelfHostable: toFact(p.SelfHostable, asString),
			License: toFact(p.License, asString), Governance: toFact(p.Governance, asString),
			PhoneHome: toFact(p.PhoneHome, asString), SourceRepository: toFact(p.SourceRepository, asString),
		},
		Offerings:    make([]proposedOfferingDTO, len(p.Offerings)),
		Dependencies: make([]proposedDepDTO, len(p.Dependencies)),
		Alternatives: strs(p.Alternatives),
		Adoptions:    make([]adoptionDTO, len(p.Adoptions)),
	}
	for i, o := range p.Offerings {
		out.Offerings[i] = proposedOfferingDTO{Operator: o.Operator, Facts: toOfferingFacts(o), Certifications: make([]certificationDTO, len(o.Certifications))}
		for j, c := range o.Certifications {
			out.Offerings[i].Certifications[j] = certificationDTO{Scheme: c.Scheme, Sources: strs(c.Sources)}
		}
	}
	for i, d := range p.Dependencies {
		out.Dependencies[i] = proposedDepDTO{Provider: d.Provider, Role: string(d.Role), DataAccess: string(d.DataAccess),
			Criticality: string(d.Criticality), FailoverGroup: nullable(d.Group), Sources: strs(d.Sources)}
	}
	for i, ad := range p.Adoptions {
		out.Adoptions[i] = adoptionDTO{Body: ad.Body, Country: string(ad.Country), Replaces: nullable(ad.Replaces),
			Description: textDTO{DE: ad.DescriptionDE, EN: ad.DescriptionEN}, Sources: strs(ad.Sources)}
		if ad.Year != 0 {
			out.Adoptions[i].Year = &ad.Year
		}
	}
	return out
}

// toOfferingFacts is the facts part of toOffering, shared with the
// proposals.
func toOfferingFacts(o catalog.Offering) offeringFactsDTO {
	return offeringFactsDTO{
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
	}
}

// decoder turns request DTOs into domain values, collecting the problems
// only the DTO can see (a malformed date, a value on an unknown fact);
// everything else is the workflow's and the catalogue's to check, so the
// API and the forms obey the same rules.
type decoder struct{ problems []catalog.Problem }

func (d *decoder) add(path, key, format string, args ...any) {
	d.problems = append(d.problems, catalog.Problem{Path: path, Key: key, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) err() error {
	if len(d.problems) == 0 {
		return nil
	}
	return &catalog.ValidationError{Problems: d.problems}
}

// fact converts a fact DTO: known with a value, or unknown without one.
func fact[T, U any](d *decoder, path string, in factDTO[T], conv func(T) U) catalog.Fact[U] {
	switch {
	case in.Known && in.Value == nil:
		d.add(path+".value", "error.required", "a known fact needs a value")
	case !in.Known && in.Value != nil:
		d.add(path+".known", "error.value", "a fact with a value must be known (true); send value null for an unknown fact")
	case in.Known:
		return catalog.Fact[U]{Value: conv(*in.Value), Known: true, Sources: strs(in.Sources)}
	}
	return catalog.Fact[U]{Sources: strs(in.Sources)}
}

func (d *decoder) product(path string, in proposedProductDTO) catalog.Product {
	at := func(s string) string { return path + "." + s }
	p := catalog.Product{
		Slug: strings.TrimSpace(in.Slug), Name: strings.TrimSpace(in.Name), Kind: catalog.Kind(in.Kind),
		Vendor: strings.TrimSpace(in.Vendor), Category: strings.TrimSpace(in.Category), Website: deref(in.Website),
		DescriptionDE: in.Description.DE, DescriptionEN: in.Description.EN,
		VendorHosted:     fact(d, at("facts.vendor_hosted"), in.Facts.VendorHosted, tri),
		SelfHostable:     fact(d, at("facts.self_hostable"), in.Facts.SelfHostable, tri),
		License:          fact(d, at("facts.license"), in.Facts.License, same),
		Governance:       fact(d, at("facts.governance"), in.Facts.Governance, func(s string) catalog.Governance { return catalog.Governance(s) }),
		PhoneHome:        fact(d, at("facts.phone_home"), in.Facts.PhoneHome, tri),
		SourceRepository: fact(d, at("facts.source_repository"), in.Facts.SourceRepository, same),
		Alternatives:     in.Alternatives,
	}
	for i, o := range in.Offerings {
		q := fmt.Sprintf("%s.offerings[%d].facts.", path, i)
		off := catalog.Offering{
			Operator: strings.TrimSpace(o.Operator),
			DataLocations: fact(d, q+"data_locations", o.Facts.DataLocations, func(ls []dataLocationDTO) []catalog.DataLocation {
				out := make([]catalog.DataLocation, len(ls))
				for i, l := range ls {
					out[i] = catalog.DataLocation{Country: catalog.Country(l.Country), Purpose: catalog.Purpose(l.Purpose)}
				}
				return out
			}),
			SupportLocations: fact(d, q+"support_locations", o.Facts.SupportLocations, func(cs []string) []catalog.Country {
				out := make([]catalog.Country, len(cs))
				for i, c := range cs {
					out[i] = catalog.Country(c)
				}
				return out
			}),
			KeyManagement:    fact(d, q+"key_management", o.Facts.KeyManagement, func(s string) catalog.KeyManagement { return catalog.KeyManagement(s) }),
			GoverningLaw:     fact(d, q+"governing_law", o.Facts.GoverningLaw, func(s string) catalog.Country { return catalog.Country(s) }),
			SubprocessorList: fact(d, q+"subprocessor_list", o.Facts.SubprocessorList, same),
		}
		for _, c := range o.Certifications {
			off.Certifications = append(off.Certifications, catalog.Certification{Scheme: c.Scheme, Sources: c.Sources})
		}
		p.Offerings = append(p.Offerings, off)
	}
	for _, dep := range in.Dependencies {
		p.Dependencies = append(p.Dependencies, catalog.Dependency{
			Provider: strings.TrimSpace(dep.Provider), Role: catalog.Role(dep.Role), DataAccess: catalog.DataAccess(dep.DataAccess),
			Criticality: catalog.Criticality(dep.Criticality), Group: deref(dep.FailoverGroup), Sources: dep.Sources,
		})
	}
	for _, ad := range in.Adoptions {
		a := catalog.Adoption{Body: ad.Body, Country: catalog.NormalizeCountry(ad.Country), Replaces: deref(ad.Replaces),
			DescriptionDE: ad.Description.DE, DescriptionEN: ad.Description.EN, Sources: ad.Sources}
		if ad.Year != nil {
			a.Year = *ad.Year
		}
		p.Adoptions = append(p.Adoptions, a)
	}
	return p
}

func (d *decoder) sources(path string, in []newSourceDTO) []catalog.Source {
	out := make([]catalog.Source, 0, len(in))
	for i, s := range in {
		src := catalog.Source{Key: strings.TrimSpace(s.Key), URL: strings.TrimSpace(s.URL), Title: s.Title, Kind: catalog.SourceKind(s.Kind)}
		if day := deref(s.Retrieved); day != "" {
			t, err := time.Parse(time.DateOnly, day)
			if err != nil {
				d.add(fmt.Sprintf("%s[%d].retrieved", path, i), "error.date", "%q is not a date (YYYY-MM-DD)", day)
			}
			src.Retrieved = t
		}
		out = append(out, src)
	}
	return out
}

func tri(s string) catalog.Tri { return catalog.Tri(s) }
func same(s string) string     { return s }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// requestPath maps a problem path of the domain ("product.description_de",
// "product.dependencies[0].on", "sources[1].id") to the request's field
// ("product.description.de", "product.dependencies[0].provider",
// "sources[1].key"), so the problem's JSON pointer names what the client
// sent.
func requestPath(path string) string {
	rest, ok := strings.CutPrefix(path, "product.")
	if !ok {
		if i := strings.Index(path, "].id"); strings.HasPrefix(path, "sources[") && i > 0 && len(path) == i+len("].id") {
			return path[:i] + "].key"
		}
		return path
	}
	head, tail, _ := strings.Cut(rest, ".")
	join := func(parts ...string) string {
		out := "product"
		for _, p := range parts {
			if p != "" {
				out += "." + p
			}
		}
		return out
	}
	switch head {
	case "description_de":
		return join("description.de", tail)
	case "description_en":
		return join("description.en", tail)
	case "vendor_hosted", "self_hostable", "license", "governance", "phone_home", "source_repository":
		return join("facts."+head, tail)
	}
	switch {
	case strings.HasPrefix(head, "offerings["):
		sub, more, _ := strings.Cut(tail, ".")
		switch sub {
		case "data_locations", "support_locations", "key_management", "governing_law", "subprocessor_list":
			return join(head, "facts."+sub, more)
		}
	case strings.HasPrefix(head, "dependencies[") && tail == "on":
		return join(head, "provider")
	case strings.HasPrefix(head, "alternatives[") && tail == "replaces":
		return join(head)
	}
	return path
}

// withRequestPaths rewrites the problem paths of a validation error with
// requestPath; other errors pass unchanged.
func withRequestPaths(err error) error {
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &catalog.ValidationError{Problems: make([]catalog.Problem, len(ve.Problems))}
	for i, p := range ve.Problems {
		p.Path = requestPath(p.Path)
		out.Problems[i] = p
	}
	return out
}
