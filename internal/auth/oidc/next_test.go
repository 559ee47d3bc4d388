package oidc

import (
	"strings"
	"testing"
)

func TestSafeNext(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", "/"},
		{"root", "/", "/"},
		{"local path", "/products/nextcloud", "/products/nextcloud"},
		{"local path with query and fragment", "/search?q=mail&page=2#results", "/search?q=mail&page=2#results"},
		{"absolute https URL", "https://evil.example/", "/"},
		{"absolute http URL", "http://evil.example/products", "/"},
		{"protocol-relative", "//evil.example/x", "/"},
		{"triple slash", "///evil.example", "/"},
		{"backslash after slash", `/\evil.example`, "/"},
		{"double backslash", `\\evil.example`, "/"},
		{"backslash inside", `/products\..\x`, "/"},
		{"javascript scheme", "javascript:alert(1)", "/"},
		{"data scheme", "data:text/html,<script>alert(1)</script>", "/"},
		{"relative path", "products", "/"},
		{"encoded double slash", "/%2F%2Fevil.example", "/"},
		{"encoded backslash", "/%5Cevil.example", "/"},
		{"tab smuggled", "/\t/evil.example", "/"},
		{"newline smuggled", "/x\r\nLocation: https://evil.example", "/"},
		{"bad escape", "/%zz", "/"},
		{"too long", "/" + strings.Repeat("a", 3000), "/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := SafeNext(tc.in); got != tc.want {
				t.Errorf("SafeNext(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
