package catalog

import "testing"

func TestValidLicense(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want bool
	}{
		{"simple id", "MIT", true},
		{"or-later", "GPL-2.0+", true},
		{"licence ref", ProprietaryLicense, true},
		{"conjunction", "Apache-2.0 AND MIT", true},
		{"nested", "(MIT OR Apache-2.0) AND AGPL-3.0-only", true},
		{"exception", "GPL-2.0-only WITH Classpath-exception-2.0", true},
		{"empty", "", false},
		{"dangling operator", "MIT AND", false},
		{"unbalanced", "(MIT OR Apache-2.0", false},
		{"two ids", "MIT Apache-2.0", false},
		{"prose", "free software", false},
		{"with without exception", "MIT WITH", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidLicense(tt.expr); got != tt.want {
				t.Errorf("ValidLicense(%q) = %v, want %v", tt.expr, got, tt.want)
			}
		})
	}
}
