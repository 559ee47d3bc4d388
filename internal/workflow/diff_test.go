package workflow_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

func richProduct() catalog.Product {
	p := validProduct()
	p.Offerings = []catalog.Offering{{
		Operator:       "acme",
		DataLocations:  catalog.KnownFact([]catalog.DataLocation{{Country: "DE", Purpose: catalog.PurposePrimary}}, "dpa"),
		GoverningLaw:   catalog.KnownFact(catalog.Country("DE"), "terms"),
		Certifications: []catalog.Certification{{Scheme: "C5", Sources: []string{"c5-report"}}},
	}}
	p.Dependencies = []catalog.Dependency{{Provider: "keycloak", Role: catalog.Role("identity"), DataAccess: catalog.AccessMetadata, Criticality: catalog.Critical, Sources: []string{"arch"}}}
	p.Alternatives = []string{"dropbox"}
	p.Adoptions = []catalog.Adoption{{Body: "Stadt Musterhausen", Country: "DE", Year: 2024, Sources: []string{"press-1"}}}
	return p
}

func TestDiff(t *testing.T) {
	type change = workflow.FieldChange
	tests := []struct {
		name string
		edit func(*catalog.Product)
		want []change
	}{
		{"identical", func(*catalog.Product) {}, nil},
		{"updated_at is ignored", func(p *catalog.Product) { p.UpdatedAt = time.Now() }, nil},
		{"name changed", func(p *catalog.Product) { p.Name = "Cloudbox 2" },
			[]change{{"name", workflow.OpChanged, "Cloudbox", "Cloudbox 2"}}},
		{"website removed", func(p *catalog.Product) { p.Website = "" },
			[]change{{"website", workflow.OpRemoved, "https://cloudbox.example", ""}}},
		{"fact value changed, same source", func(p *catalog.Product) { p.License.Value = "MIT" },
			[]change{{"license", workflow.OpChanged, "AGPL-3.0-only", "MIT"}}},
		{"fact becomes unknown and loses its source", func(p *catalog.Product) { p.SelfHostable = catalog.UnknownFact[catalog.Tri]() },
			[]change{{"self_hostable", workflow.OpChanged, "yes", "unknown"}, {"self_hostable.sources", workflow.OpRemoved, "cloudbox-docs", ""}}},
		{"unknown fact becomes known", func(p *catalog.Product) { p.PhoneHome = catalog.KnownFact(catalog.No, "audit") },
			[]change{{"phone_home", workflow.OpChanged, "unknown", "no"}, {"phone_home.sources", workflow.OpAdded, "", "audit"}}},
		{"evidence added and removed, value unchanged", func(p *catalog.Product) { p.License.Sources = []string{"spdx-file"} },
			[]change{{"license.sources", workflow.OpAdded, "", "spdx-file"}, {"license.sources", workflow.OpRemoved, "cloudbox-license", ""}}},
		{"offering data location changed", func(p *catalog.Product) {
			p.Offerings[0].DataLocations.Value = []catalog.DataLocation{{Country: "DE", Purpose: catalog.PurposePrimary}, {Country: "US", Purpose: catalog.PurposeBackup}}
		}, []change{{"offerings[acme].data_locations", workflow.OpChanged, "DE (primary)", "DE (primary), US (backup)"}}},
		{"offering evidence added", func(p *catalog.Product) { p.Offerings[0].GoverningLaw.Sources = []string{"terms", "dpa"} },
			[]change{{"offerings[acme].governing_law.sources", workflow.OpAdded, "", "dpa"}}},
		{"certification evidence removed", func(p *catalog.Product) { p.Offerings[0].Certifications[0].Sources = nil },
			[]change{{"offerings[acme].certifications[C5].sources", workflow.OpRemoved, "c5-report", ""}}},
		{"certification added", func(p *catalog.Product) {
			p.Offerings[0].Certifications = append(p.Offerings[0].Certifications, catalog.Certification{Scheme: "ISO27001", Sources: []string{"iso"}})
		}, []change{{"offerings[acme].certifications[ISO27001]", workflow.OpAdded, "", `{"Scheme":"ISO27001","Sources":["iso"]}`}}},
		{"offering removed", func(p *catalog.Product) { p.Offerings = nil },
			[]change{{"offerings[acme]", workflow.OpRemoved, asJSONOffering(t0Offering()), ""}}},
		{"dependency criticality and evidence changed", func(p *catalog.Product) {
			p.Dependencies[0].Criticality = catalog.Degrading
			p.Dependencies[0].Sources = []string{"arch", "docs"}
		}, []change{{"dependencies[keycloak].criticality", workflow.OpChanged, "critical", "degrading"}, {"dependencies[keycloak].sources", workflow.OpAdded, "", "docs"}}},
		{"dependency added", func(p *catalog.Product) {
			p.Dependencies = append(p.Dependencies, catalog.Dependency{Provider: "postgres", Role: "database", DataAccess: catalog.AccessPlaintext, Criticality: catalog.Critical, Sources: []string{"arch"}})
		}, []change{{"dependencies[postgres]", workflow.OpAdded, "", `{"Provider":"postgres","Role":"database","DataAccess":"content_plaintext","Criticality":"critical","Group":"","Sources":["arch"]}`}}},
		{"alternative swapped", func(p *catalog.Product) { p.Alternatives = []string{"onedrive"} },
			[]change{{"alternatives", workflow.OpAdded, "", "onedrive"}, {"alternatives", workflow.OpRemoved, "dropbox", ""}}},
		{"adoption year and evidence", func(p *catalog.Product) {
			p.Adoptions[0].Year = 2025
			p.Adoptions[0].Sources = append(p.Adoptions[0].Sources, "council-minutes")
		}, []change{{"adoptions[Stadt Musterhausen].year", workflow.OpChanged, "2024", "2025"}, {"adoptions[Stadt Musterhausen].sources", workflow.OpAdded, "", "council-minutes"}}},
		{"adoption year cleared", func(p *catalog.Product) { p.Adoptions[0].Year = 0 },
			[]change{{"adoptions[Stadt Musterhausen].year", workflow.OpRemoved, "2024", ""}}},
		{"duplicate keys are matched in order", func(p *catalog.Product) {
			p.Adoptions = append(p.Adoptions, catalog.Adoption{Body: "Stadt Musterhausen", Country: "DE", Sources: []string{"press-2"}})
		}, []change{{"adoptions[Stadt Musterhausen#2]", workflow.OpAdded, "", `{"Body":"Stadt Musterhausen","Country":"DE","Year":0,"Replaces":"","DescriptionDE":"","DescriptionEN":"","Sources":["press-2"]}`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := richProduct()
			after := richProduct()
			tc.edit(&after)
			got := workflow.Diff(before, after)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Diff =\n  %+v\nwant\n  %+v", got, tc.want)
			}
		})
	}
}

func t0Offering() catalog.Offering { return richProduct().Offerings[0] }

func asJSONOffering(o catalog.Offering) string {
	b, err := json.Marshal(o)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestDiff_NewProduct(t *testing.T) {
	got := workflow.Diff(catalog.Product{}, richProduct())
	paths := map[string]bool{}
	for _, c := range got {
		paths[c.Path] = true
	}
	for _, p := range []string{"slug", "name", "license", "license.sources", "offerings[acme]", "dependencies[keycloak]", "alternatives", "adoptions[Stadt Musterhausen]"} {
		if !paths[p] {
			t.Errorf("diff of a new product lacks %s: %+v", p, got)
		}
	}
}
