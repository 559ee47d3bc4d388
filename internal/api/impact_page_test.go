package api

import "testing"

// A cursor continues after its last entry even when the catalogue changed
// between two pages.
func TestImpactCursorStart(t *testing.T) {
	c := impactCursor{K: "b", N: 2} // after a, b
	tests := []struct {
		name string
		list []string
		want int
	}{
		{"unchanged", []string{"a", "b", "c", "d"}, 2},
		{"one more before", []string{"x", "a", "b", "c", "d"}, 3},
		{"one less before", []string{"b", "c", "d"}, 1},
		{"the last entry gone", []string{"a", "c", "d"}, 1},
		{"the last entry gone, and everything after it", []string{"a"}, 1},
		{"everything gone", nil, 0},
		{"the last entry at the end", []string{"a", "b"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.start(len(tt.list), func(i int) string { return tt.list[i] })
			if got != tt.want {
				t.Errorf("start %d in %v, want %d", got, tt.list, tt.want)
			}
		})
	}
}

func TestImpactCursorRoundTrip(t *testing.T) {
	failed := []string{"cloudflare", "aws"}
	c := impactCursor{F: failedFingerprint(failed), K: "mistral-le-chat", N: 17}
	got, ok := decodeImpactCursor(c.encode(), failed)
	if !ok || got != c {
		t.Errorf("decoded %+v, %v; want %+v", got, ok, c)
	}
	for _, other := range [][]string{{"aws", "cloudflare"}, {"cloudflare"}, {"cloudflare", "aws", "x"}} {
		if _, ok := decodeImpactCursor(c.encode(), other); ok {
			t.Errorf("a cursor of %v accepted for %v", failed, other)
		}
	}
}
