package web

import (
	"net/http/httptest"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		name, header string
		want         bool
	}{
		{"none", "", false},
		{"gzip", "gzip", true},
		{"among others", "br, gzip;q=0.8, deflate", true},
		{"upper case", "GZIP", true},
		{"any coding", "*", true},
		{"refused", "gzip;q=0", false},
		{"refused with decimals", "br, gzip; q=0.000", false},
		{"only others", "br, deflate", false},
		{"x-gzip is not gzip", "x-gzip", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tc.header != "" {
				r.Header.Set("Accept-Encoding", tc.header)
			}
			if got := acceptsGzip(r); got != tc.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
			}
		})
	}
}
