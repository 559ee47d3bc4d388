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
		{"named gzip overrides any", "*;q=0, gzip", true},
		{"named refusal overrides any", "*, gzip;q=0", false},
		{"weight after another parameter", "gzip;level=1;q=0", false},
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

func TestAcceptsGzipOverHeaderLines(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Add("Accept-Encoding", "br")
	r.Header.Add("Accept-Encoding", "gzip")
	if !acceptsGzip(r) {
		t.Error("gzip on a second Accept-Encoding line is not seen")
	}
}
