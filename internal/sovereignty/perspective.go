package sovereignty

import (
	"errors"
	"fmt"
	"slices"
)

// ErrUnknownPerspective is returned for a perspective name that is not a
// preset; the API maps it to 400, never to a 500 or a silent default.
var ErrUnknownPerspective = errors.New("sovereignty: unknown perspective")

// Perspective is the set of "home" jurisdictions from which sovereignty is
// judged. The rules never hard-code "EU": a controller, a law or a data
// location is foreign exactly when it is outside the perspective's home.
type Perspective struct {
	Name  string
	Label map[string]string // "de", "en"
	home  map[string]bool
	// euIsHome says whether the pseudo-country "EU" (somewhere in the EU,
	// country not named) is home. It is only when the whole EU is home; for
	// Germany alone, "somewhere in the EU" may be abroad.
	euIsHome bool
}

// DefaultPerspective is the name of the default preset (EU/EEA).
const DefaultPerspective = "eu"

// Perspectives returns the presets, default first.
func Perspectives(ref Reference) []Perspective {
	eu := append(slices.Clone(ref.EUMembers), ref.EEAOnly...)
	return []Perspective{
		newPerspective("eu", "EU/EEA", "EU/EWR", true, eu...),
		newPerspective("de", "Germany", "Deutschland", false, "DE"),
		newPerspective("ch", "Switzerland", "Schweiz", false, ref.Switzerland),
		newPerspective("eu-ch", "EU/EEA and Switzerland", "EU/EWR und Schweiz", true, append(eu, ref.Switzerland)...),
	}
}

func newPerspective(name, en, de string, euHome bool, countries ...string) Perspective {
	p := Perspective{Name: name, Label: map[string]string{"en": en, "de": de}, home: map[string]bool{}, euIsHome: euHome}
	for _, c := range countries {
		p.home[c] = true
	}
	return p
}

// PerspectiveByName returns the preset with that name; "" means the default.
func PerspectiveByName(ref Reference, name string) (Perspective, error) {
	if name == "" {
		name = DefaultPerspective
	}
	for _, p := range Perspectives(ref) {
		if p.Name == name {
			return p, nil
		}
	}
	return Perspective{}, fmt.Errorf("%w: %q", ErrUnknownPerspective, name)
}

// IsHome reports whether a country (ISO alpha-2, "EU" or "unknown") is
// home; known=false for an unknown country, which callers must treat as
// foreign for the pessimistic level and as home for the optimistic one.
func (p Perspective) IsHome(country string) (home, known bool) {
	c, ok := normCountry(country)
	if !ok {
		return false, false
	}
	if c == "EU" {
		return p.euIsHome, true
	}
	return p.home[c], true
}

// HomeCountries returns the home jurisdictions, sorted.
func (p Perspective) HomeCountries() []string {
	out := make([]string, 0, len(p.home))
	for c := range p.home {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
