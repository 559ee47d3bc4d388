package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRun_OversizedBodyIs413: a body over the 1 MiB cap is refused before
// any handler reads it, in the format of the route: problem+json under
// /api/, the HTML error page elsewhere.
func TestRun_OversizedBodyIs413(t *testing.T) {
	base, _, _ := startProgram(t)
	body := bytes.Repeat([]byte("x"), 2<<20)
	tests := []struct {
		name, path, wantType, wantBody string
	}{
		{"api", "/api/v1/products", "application/problem+json", `"status":413`},
		{"page", "/products", "text/html", "<html"},
		{"sign-out form", "/logout", "text/html", "<html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(base+tt.path, "application/x-www-form-urlencoded", bytes.NewReader(body))
			if err != nil {
				t.Fatalf("POST %s: %v", tt.path, err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("content type %q, want %s", ct, tt.wantType)
			}
			if !strings.Contains(string(got), tt.wantBody) {
				t.Errorf("body lacks %q:\n%.300s", tt.wantBody, got)
			}
		})
	}
}
