package api

import "testing"

func TestClientKey(t *testing.T) {
	tests := []struct{ name, ip, want string }{
		{"IPv4 as is", "198.51.100.7", "198.51.100.7"},
		{"IPv6 by its /64", "2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"},
		{"the same /64", "2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"},
		{"IPv4 in IPv6 as is", "::ffff:198.51.100.7", "::ffff:198.51.100.7"},
		{"not an address", "unknown", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clientKey(tt.ip); got != tt.want {
				t.Errorf("clientKey(%q) = %q, want %q", tt.ip, got, tt.want)
			}
		})
	}
}
