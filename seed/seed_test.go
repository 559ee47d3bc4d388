package seed

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestEmbeddedSeedLoads is the curators' check: every shipped file parses and
// obeys the evidence rule and every reference resolves.
func TestEmbeddedSeedLoads(t *testing.T) {
	d, err := Load(Files())
	if err != nil {
		t.Fatalf("embedded seed data is invalid:\n%v", err)
	}
	if len(d.Products) == 0 || len(d.Categories) == 0 {
		t.Fatalf("seed has %d products and %d categories; want both > 0", len(d.Products), len(d.Categories))
	}
}

const categories = "categories:\n  - {slug: cdn-security, name_de: CDN, name_en: CDN}\n"

const validFile = `sources:
  - id: s1
    url: https://example.org/a
    title: A source
    kind: press
    retrieved: 2026-11-27
organizations:
  - slug: acme
    name: Acme
    hq_country: {value: DE, sources: [s1]}
products:
  - slug: edge
    name: Edge
    vendor: acme
    category: cdn-security
    kind: paas
    description_de: Ein Dienst.
    description_en: A service.
    license: {value: LicenseRef-Proprietary, sources: [s1]}
  - slug: shop
    name: Shop
    vendor: acme
    category: cdn-security
    kind: saas
    description_de: Ein Laden.
    description_en: A shop.
    dependencies:
      - {on: edge, role: cdn_proxy_tls, data_access: content_plaintext, criticality: critical, sources: [s1]}
`

func TestLoad(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		wantErr  []string // substrings of the error; nil means success
		products int
	}{
		{name: "valid", file: validFile, products: 2},
		{
			name:    "known fact without source",
			file:    strings.Replace(validFile, "hq_country: {value: DE, sources: [s1]}", "hq_country: {value: DE}", 1),
			wantErr: []string{"catalog/acme.yaml:10:", "organizations[0].hq_country.sources", "needs at least one source"},
		},
		{
			name:     "unknown fact needs no source",
			file:     strings.Replace(validFile, "hq_country: {value: DE, sources: [s1]}", "hq_country: {value: unknown}", 1),
			products: 2,
		},
		{
			name:    "dependency on unknown slug",
			file:    strings.Replace(validFile, "{on: edge,", "{on: nowhere,", 1),
			wantErr: []string{"catalog/acme.yaml:28:", "products[1].dependencies[0].on", `product "nowhere" is not defined`},
		},
		{
			name:    "source cited but not defined",
			file:    strings.Replace(validFile, "license: {value: LicenseRef-Proprietary, sources: [s1]}", "license: {value: MIT, sources: [s9]}", 1),
			wantErr: []string{"catalog/acme.yaml:", `source "s9" is not defined`},
		},
		{
			name:    "invalid SPDX id",
			file:    strings.Replace(validFile, "LicenseRef-Proprietary", "Not-A-Licence-1.0", 1),
			wantErr: []string{"products[0].license.value", "SPDX"},
		},
		{
			name:    "misspelt field",
			file:    strings.Replace(validFile, "    kind: paas\n", "    knd: paas\n", 1),
			wantErr: []string{"catalog/acme.yaml:", "knd"},
		},
		{
			name:    "broken yaml",
			file:    validFile + "  - slug: [unclosed\n",
			wantErr: []string{"catalog/acme.yaml:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"categories.yaml":   {Data: []byte(categories)},
				"catalog/acme.yaml": {Data: []byte(tt.file)},
			}
			d, err := Load(fsys)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Load: unexpected error: %v", err)
				}
				if len(d.Products) != tt.products {
					t.Fatalf("got %d products, want %d", len(d.Products), tt.products)
				}
				return
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("Load: want *seed.Error, got %v", err)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not mention %q:\n%v", want, err)
				}
			}
		})
	}
}
