package web

import (
	"net/url"
	"testing"
)

// TestToggler_MatchesToggle checks that the facet links built by the
// toggler are exactly listState.toggle's.
func TestToggler_MatchesToggle(t *testing.T) {
	states := []string{
		"", "q=Cloud", "q=Cloud+Speicher&page=3", "category=email&category=chat", "open_source=yes&sort=name",
		"vendor_country=de&hosting_country=FR&deployment=self_hostable&level=3&lang=en&perspective=de",
		"kind=saas&kind=iaas&q=a%26b%3Dc&page=2", "perspective=eu&q=Mail",
	}
	toggles := [][2]string{
		{"category", "email"}, {"category", "video-conferencing"}, {"vendor_country", "DE"}, {"hosting_country", "FR"},
		{"open_source", "yes"}, {"open_source", "no"}, {"deployment", "self_hostable"}, {"kind", "saas"},
		{"level", "3"}, {"level", "0"}, {"kind", "ai_model"}, {"zzz", "x y"}, {"aaa", "ü"},
	}
	for _, raw := range states {
		in, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, fixed := range []string{"", "email"} {
			st := newListState("/products", in, fixed)
			tg := st.toggler()
			for _, tv := range toggles {
				if got, want := tg.toggle(tv[0], tv[1]), st.toggle(tv[0], tv[1]); got != want {
					t.Errorf("state %q, toggle %s=%s: got %q, want %q", raw, tv[0], tv[1], got, want)
				}
			}
		}
	}
}
