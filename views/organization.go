package views

import "github.com/sovereignty-registry/registry/internal/catalog"

// chainDepthClass indents a control chain entry by its distance from the
// organisation (capped, so a long chain stays readable).
func chainDepthClass(depth int) string {
	if depth > 5 {
		depth = 5
	}
	if depth < 1 {
		depth = 1
	}
	return "control-chain__item control-chain__item--depth-" + itoa(depth)
}

// controlFlags lists the control rights of an ownership edge that are
// known to be held: control, veto, board majority.
func (p Page) controlFlags(w catalog.Ownership) []string {
	var out []string
	if w.Control == catalog.Yes {
		out = append(out, p.T("ownership.control"))
	}
	if w.Veto == catalog.Yes {
		out = append(out, p.T("ownership.veto"))
	}
	if w.BoardMajority == catalog.Yes {
		out = append(out, p.T("ownership.board_majority"))
	}
	return out
}

// presenceKnown reports whether the presence countries are established.
func presenceKnown(f catalog.Fact[[]catalog.Country]) bool { return f.Known && len(f.Value) > 0 }

// countryKnown reports whether a country fact names a country.
func countryKnown(f catalog.Fact[catalog.Country]) bool {
	return f.Known && f.Value != "" && f.Value != catalog.UnknownCountry
}
