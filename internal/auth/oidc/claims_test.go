package oidc

import (
	"slices"
	"testing"
)

func TestClaimStrings(t *testing.T) {
	claims := map[string]any{
		"groups":       []any{"reviewer", 7, "admin"},
		"single":       "vendor",
		"number":       3.0,
		"realm_access": map[string]any{"roles": []any{"registry-admin"}},
	}
	cases := []struct {
		name string
		path string
		want []string
	}{
		{"array skips non-strings", "groups", []string{"reviewer", "admin"}},
		{"single string", "single", []string{"vendor"}},
		{"wrong type", "number", nil},
		{"missing", "roles", nil},
		{"nested path", "realm_access.roles", []string{"registry-admin"}},
		{"path through a non-object", "single.roles", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := claimStrings(claims, tc.path); !slices.Equal(got, tc.want) {
				t.Errorf("claimStrings(%q) = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}
