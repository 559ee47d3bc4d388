package catalog

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// validProduct is a product ValidateProduct accepts.
func validProduct() Product {
	return Product{
		Slug: "example", Name: "Example", Vendor: "example-org", Category: "office", Kind: KindSaaS,
		DescriptionDE: "Beispiel", DescriptionEN: "Example",
	}
}

// deps returns n distinct, valid dependencies.
func deps(n int) []Dependency {
	out := make([]Dependency, n)
	for i := range out {
		out[i] = Dependency{Provider: fmt.Sprintf("provider-%d", i), Role: RoleComputeHosting, DataAccess: AccessPlaintext,
			Criticality: Critical, Sources: []string{"src"}}
	}
	return out
}

func TestValidateProduct_Dependencies(t *testing.T) {
	cases := []struct {
		name string
		deps []Dependency
		// want is the path and key of the expected problem; "" for none.
		wantPath, wantKey string
	}{
		{name: "a few", deps: deps(3)},
		{name: "at the bound", deps: deps(MaxDependencies)},
		{name: "above the bound", deps: deps(MaxDependencies + 1), wantPath: "dependencies", wantKey: "error.too_many"},
		{name: "on itself", deps: append(deps(1), Dependency{Provider: "example", Role: RoleDNS, DataAccess: AccessNone, Criticality: Optional, Sources: []string{"src"}}),
			wantPath: "dependencies[1].on", wantKey: "error.self"},
		{name: "twice", deps: append(deps(2), deps(1)...), wantPath: "dependencies[2].on", wantKey: "error.duplicate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := validProduct()
			p.Dependencies = tc.deps
			err := ValidateProduct(p)
			if tc.wantKey == "" {
				if err != nil {
					t.Fatalf("ValidateProduct: %v, want no problem", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("ValidateProduct: %v, want a ValidationError", err)
			}
			if !slices.ContainsFunc(ve.Problems, func(pr Problem) bool { return pr.Path == tc.wantPath && pr.Key == tc.wantKey }) {
				t.Fatalf("problems %+v lack %s at %s", ve.Problems, tc.wantKey, tc.wantPath)
			}
		})
	}
}
