package web

import (
	"bytes"
	"context"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// sampleProduct uses every field of the form, with known and unknown facts.
func sampleProduct() catalog.Product {
	return catalog.Product{
		Slug: "cloudbox", Name: "Cloudbox", Vendor: "acme", Category: "file-collaboration", Kind: catalog.KindSaaS,
		Website: "https://cloudbox.example", DescriptionDE: "Dateien *teilen*.\n\nZweiter Absatz.", DescriptionEN: "Share files.",
		VendorHosted:     catalog.KnownFact(catalog.Yes, "cat-a"),
		SelfHostable:     catalog.KnownFact(catalog.No, "cat-a", ownSource.Key),
		License:          catalog.KnownFact("AGPL-3.0-or-later", "cat-b"),
		Governance:       catalog.Fact[catalog.Governance]{Sources: []string{"cat-b"}}, // unknown, with the search documented
		PhoneHome:        catalog.UnknownFact[catalog.Tri](),
		SourceRepository: catalog.KnownFact("https://git.example/cloudbox", ownSource.Key),
		Offerings: []catalog.Offering{{
			Operator:         "acme",
			DataLocations:    catalog.KnownFact([]catalog.DataLocation{{Country: "DE", Purpose: catalog.PurposePrimary}, {Country: "FR", Purpose: catalog.PurposeBackup}}, "cat-a"),
			SupportLocations: catalog.KnownFact([]catalog.Country{"DE", "AT"}, "cat-a"),
			KeyManagement:    catalog.KnownFact(catalog.KeysBYOK, "cat-b"),
			GoverningLaw:     catalog.KnownFact(catalog.Country("DE"), "cat-a"),
			SubprocessorList: catalog.UnknownFact[string](),
			Certifications:   []catalog.Certification{{Scheme: "ISO27001", Sources: []string{"cat-b"}}, {Scheme: "C5"}},
		}},
		Dependencies: []catalog.Dependency{
			{Provider: "hetzner-cloud", Role: catalog.RoleComputeHosting, DataAccess: catalog.AccessPlaintext, Criticality: catalog.Critical, Group: "hosting", Sources: []string{ownSource.Key}},
			{Provider: "keycloak", Role: catalog.RoleIdentitySSO, DataAccess: catalog.AccessMetadata, Criticality: catalog.Degrading, Sources: []string{"cat-a"}},
		},
		Alternatives: []string{"dropbox", "google-drive"},
		Adoptions: []catalog.Adoption{
			{Body: "Stadt Musterhausen", Country: "DE", Year: 2024, Replaces: "dropbox", DescriptionDE: "Im Einsatz.", DescriptionEN: "In use.", Sources: []string{"cat-a"}},
			{Body: "Ministry", Country: catalog.UnknownCountry, Sources: []string{ownSource.Key}},
		},
	}
}

var (
	cataloguedSources = map[string]catalog.Source{
		"cat-a": {Key: "cat-a", URL: "https://a.example/doc", Title: "Document A", Kind: catalog.SourceVendorLegal},
		"cat-b": {Key: "cat-b", URL: "https://b.example/", Title: "Document B", Kind: catalog.SourcePress},
	}
	ownSource = catalog.Source{Key: sourceKey("https://own.example/proof"), URL: "https://own.example/proof", Title: "Own proof",
		Kind: catalog.SourceRepository, Retrieved: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
)

// submitted renders the form and collects what a browser would post: every
// named input, checked box, selected option and textarea, plus the button.
func submitted(t *testing.T, f views.ProductForm, button, value string) url.Values {
	t.Helper()
	p := views.Page{Lang: "en", T: func(k string, _ ...any) string { return k }, Asset: func(n string) string { return n }, CSRFToken: "tok"}
	var buf bytes.Buffer
	if err := views.SubmissionFormPage(p, f).Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	vals := url.Values{}
	form := doc.Find("form.submission-form")
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		v, _ := s.Attr("value")
		switch typ, _ := s.Attr("type"); typ {
		case "radio", "checkbox":
			if _, checked := s.Attr("checked"); checked {
				vals.Add(name, v)
			}
		default:
			vals.Add(name, v)
		}
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		opt := s.Find("option[selected]")
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		v, _ := opt.Attr("value")
		vals.Add(name, v)
	})
	form.Find("textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		vals.Add(name, s.Text())
	})
	vals.Set(button, value)
	return vals
}

func TestProductForm_RoundTrip(t *testing.T) {
	tests := []struct {
		name string
		p    catalog.Product
		own  []catalog.Source
	}{
		{"every field", sampleProduct(), []catalog.Source{ownSource}},
		{"a bare new product", catalog.Product{Slug: "newbie", Vendor: "acme", Kind: catalog.KindSoftware}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cited := citedSources([]string{"cat-a", "cat-b"}, cataloguedSources)
			f := withBlankRows(formOf(tt.p, cited, tt.own), time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
			f.Kind, f.Action = workflow.KindChange, "/submissions"
			f.Categories = []views.SelectOption{{Value: "file-collaboration", Label: "Files"}}
			back := readForm(submitted(t, f, "op", "save"))
			// The handler fills in what the catalogue knows of the cited keys.
			back.Cited = citedSources([]string{back.Cited[0].Key, back.Cited[1].Key}, cataloguedSources)
			prop, _, problems := proposalOf(back, tt.p.Slug, tt.p.Vendor)
			if len(problems) > 0 {
				t.Fatalf("problems: %+v", problems)
			}
			if !reflect.DeepEqual(prop.Product, tt.p) {
				t.Errorf("product changed on the way through the form:\n got %+v\nwant %+v", prop.Product, tt.p)
			}
			if !reflect.DeepEqual(prop.Sources, tt.own) {
				t.Errorf("sources = %+v, want %+v", prop.Sources, tt.own)
			}
		})
	}
}

func TestProductForm_Numbers(t *testing.T) {
	f := formOf(sampleProduct(), citedSources([]string{"cat-a", "cat-b"}, cataloguedSources), []catalog.Source{ownSource})
	if got := len(f.Cited); got != 2 {
		t.Fatalf("cited = %d sources, want 2", got)
	}
	// cat-a is 1, cat-b 2, the own source the first row, 3.
	for field, want := range map[string]string{
		"self_hostable.sources":                  "1, 3",
		"license.sources":                        "2",
		"source_repository.sources":              "3",
		"governance.sources":                     "2",
		"offerings[0].certifications":            "ISO27001: 2; C5:",
		"dependencies[0].sources":                "3",
		"offerings[0].data_locations.value":      "DE:primary, FR:backup",
		"offerings[0].subprocessor_list.unknown": "",
		"phone_home.value":                       "unknown",
		"adoptions[1].country":                   "",
		"source[0].url":                          ownSource.URL,
		"source[0].retrieved":                    "2026-11-01",
		"offerings[0].support_locations.value":   "DE, AT",
		"offerings[0].governing_law.value":       "DE",
		"offerings[0].key_management.value":      "byok",
		"offerings[0].key_management.sources":    "2",
		"alternatives":                           "dropbox, google-drive",
		"adoptions[0].year":                      "2024",
		"dependencies[1].criticality":            "degrading",
		"offerings[0].support_locations.sources": "1",
		"offerings[0].subprocessor_list.sources": "",
		"offerings[0].data_locations.unknown":    "",
		"vendor_hosted.value":                    "yes",
		"description_de":                         "Dateien *teilen*.\n\nZweiter Absatz.",
		"dependencies[0].group":                  "hosting",
		"adoptions[1].sources":                   "3",
		"offerings[0].operator":                  "acme",
		"kind":                                   "saas",
		"offerings[0].data_locations.sources":    "1",
		"offerings[0].governing_law.sources":     "1",
		"dependencies[1].on":                     "keycloak",
		"adoptions[0].replaces":                  "dropbox",
		"source_repository.value":                "https://git.example/cloudbox",
		"license.value":                          "AGPL-3.0-or-later",
		"governance.value":                       "",
		"phone_home.sources":                     "",
		"offerings[0].subprocessor_list.value":   "",
		"dependencies[0].data_access":            "content_plaintext",
		"adoptions[0].sources":                   "1",
		"adoptions[1].body":                      "Ministry",
		"vendor_hosted.sources":                  "1",
		"self_hostable.value":                    "no",
		"offerings[0].governing_law.unknown":     "",
		"dependencies[1].sources":                "1",
		"dependencies[0].role":                   "compute_hosting",
		"adoptions[0].country":                   "DE",
		"source[0].kind":                         "source_repository",
		"source[0].title":                        "Own proof",
	} {
		if got := f.Values[field]; got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}

	tests := []struct {
		name     string
		citation string
		want     []string
		problem  string
	}{
		{"catalogue and own", "1, 3", []string{"cat-a", ownSource.Key}, ""},
		{"spaces, brackets, repeats", "[2] 2 #1", []string{"cat-b", "cat-a"}, ""},
		{"blank", "", nil, ""},
		{"out of range", "1, 9", []string{"cat-a"}, "form.source_number"},
		{"not a number", "one", nil, "form.source_number"},
		{"blank evidence row", "4", nil, "form.source_blank"},
	}
	g := withBlankRows(f, time.Now())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := g
			g.Values = map[string]string{}
			for k, v := range f.Values {
				g.Values[k] = v
			}
			g.Values["license.sources"] = tt.citation
			prop, _, problems := proposalOf(g, "cloudbox", "acme")
			if got := prop.Product.License.Sources; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("keys = %v, want %v", got, tt.want)
			}
			var keys []string
			for _, pr := range problems {
				if pr.Field != "license.sources" {
					t.Errorf("problem at %s, want license.sources", pr.Field)
				}
				keys = append(keys, pr.Key)
			}
			if tt.problem == "" && len(keys) > 0 || tt.problem != "" && !slices.Contains(keys, tt.problem) {
				t.Errorf("problems %v, want %q", keys, tt.problem)
			}
		})
	}
}

func TestProductForm_Problems(t *testing.T) {
	base := func() views.ProductForm {
		f := withBlankRows(formOf(catalog.Product{Slug: "x", Vendor: "acme", Kind: catalog.KindSoftware}, nil, nil), time.Now())
		f.Values["name"] = "X"
		return f
	}
	tests := []struct {
		name   string
		values map[string]string
		field  string
		key    string
	}{
		{"script URL as evidence", map[string]string{"source[0].url": "javascript:alert(1)", "source[0].title": "t"}, "source[0].url", "error.url"},
		{"evidence without title", map[string]string{"source[1].url": "https://ok.example"}, "source[1].title", "error.required"},
		{"evidence with a bad date", map[string]string{"source[0].url": "https://ok.example", "source[0].title": "t", "source[0].retrieved": "gestern"}, "source[0].retrieved", "form.date"},
		{"value and unknown at once", map[string]string{"license.value": "MIT", "license.unknown": "1"}, "license.value", "form.value_and_unknown"},
		{"a year that is no number", map[string]string{"adoptions[0].body": "Stadt", "adoptions[0].year": "zwanzig"}, "adoptions[0].year", "form.year"},
		{"bad data location", map[string]string{"offerings[0].operator": "acme", "offerings[0].data_locations.value": "Germany"}, "offerings[0].data_locations.value", "form.locations"},
		{"unknown purpose", map[string]string{"offerings[0].operator": "acme", "offerings[0].data_locations.value": "DE:moon"}, "offerings[0].data_locations.value", "form.locations"},
		{"tri out of range", map[string]string{"phone_home.value": "maybe"}, "phone_home.value", "error.enum"},
		{"governance out of range", map[string]string{"governance.value": "anarchy"}, "governance.value", "error.enum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base()
			for k, v := range tt.values {
				f.Values[k] = v
			}
			_, _, problems := proposalOf(f, "x", "acme")
			if !slices.ContainsFunc(problems, func(p fieldProblem) bool { return p.Field == tt.field && p.Key == tt.key }) {
				t.Errorf("problems %+v, want %s at %s", problems, tt.key, tt.field)
			}
		})
	}
	t.Run("a cited address is reused, not added", func(t *testing.T) {
		f := base()
		f.Cited = citedSources([]string{"cat-a"}, cataloguedSources)
		f.Values["source[0].url"], f.Values["source[0].title"] = "https://a.example/doc", "Again"
		f.Values["license.value"], f.Values["license.sources"] = "MIT", "2"
		prop, _, problems := proposalOf(f, "x", "acme")
		if len(problems) > 0 || len(prop.Sources) != 0 || !reflect.DeepEqual(prop.Product.License.Sources, []string{"cat-a"}) {
			t.Errorf("sources %v, license cites %v, problems %v", prop.Sources, prop.Product.License.Sources, problems)
		}
	})
	t.Run("new evidence gets a key from its address", func(t *testing.T) {
		f := base()
		f.Values["source[0].url"], f.Values["source[0].title"] = " https://new.example/a ", "A"
		f.Values["source[0].kind"] = "press"
		prop, _, problems := proposalOf(f, "x", "acme")
		if len(problems) > 0 || len(prop.Sources) != 1 {
			t.Fatalf("sources %v, problems %v", prop.Sources, problems)
		}
		if k := prop.Sources[0].Key; k != sourceKey("https://new.example/a") || !strings.HasPrefix(k, "src-") || len(k) != 16 || !catalog.ValidSlug(k) {
			t.Errorf("key %q", k)
		}
	})
}

func TestFieldFor(t *testing.T) {
	// Blank rows are left out of the proposal: its offering 0 is form
	// row 1, its dependency 1 is row 2, its source 0 is evidence row 1.
	idx := formIndex{offerings: []int{1}, dependencies: []int{0, 2}, adoptions: []int{0}, sources: []int{1}}
	tests := []struct {
		path  string
		isNew bool
		want  string
	}{
		{"product.name", false, "name"},
		{"product.description_en", false, "description_en"},
		{"product.slug", true, "slug"},
		{"product.slug", false, ""},
		{"product.vendor", false, ""},
		{"product.license.sources", false, "license.sources"},
		{"product.license.value", false, "license.value"},
		{"product.self_hostable.sources[1]", false, "self_hostable.sources"},
		{"product.offerings[0].operator", false, "offerings[1].operator"},
		{"product.offerings[0].governing_law.sources", false, "offerings[1].governing_law.sources"},
		{"product.offerings[0].data_locations.value", false, "offerings[1].data_locations.value"},
		{"product.offerings[0].certifications[1].scheme", false, "offerings[1].certifications"},
		{"product.offerings[3].operator", false, ""},
		{"product.dependencies[1].on", false, "dependencies[2].on"},
		{"product.dependencies[1].sources[0]", false, "dependencies[2].sources"},
		{"product.dependencies[0].role", false, "dependencies[0].role"},
		{"product.alternatives[1].replaces", false, "alternatives"},
		{"product.adoptions[0].country", false, "adoptions[0].country"},
		{"product.adoptions[0].sources[2]", false, "adoptions[0].sources"},
		{"sources[0].url", false, "source[1].url"},
		{"sources[0].id", false, "source[1].url"},
		{"sources[0].retrieved", false, "source[1].retrieved"},
		{"sources[5].url", false, ""},
		{"kind", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		if got := fieldFor(tt.path, idx, tt.isNew); got != tt.want {
			t.Errorf("fieldFor(%q, new=%v) = %q, want %q", tt.path, tt.isNew, got, tt.want)
		}
	}
}

func TestUserMarkdown(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		not       []string
	}{
		{"emphasis and links", "Some *text* and https://example.org", []string{"<em>text</em>", `href="https://example.org"`}, nil},
		{"raw HTML is dropped", "Hi <script>alert(1)</script> <img src=x onerror=alert(1)>", []string{"Hi"}, []string{"<script", "onerror", "<img"}},
		{"script links are dropped", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"headings become bold text", "# Big\n\ntext", []string{"<strong>Big</strong>"}, []string{"<h1", "id="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := userMarkdown(tt.src)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("%q contains %q", got, n)
				}
			}
		})
	}
}
