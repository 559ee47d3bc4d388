package sovereignty

import (
	"fmt"
	"strings"
	"time"
)

// Level is a Registry Sovereignty Level. The values carry the meaning of the
// EU Cloud Sovereignty Framework's SEAL-0 … SEAL-4 but deliberately not the
// name: a SEAL is awarded against tender answers by a contracting authority,
// and the registry is not one.
type Level uint8

// The five levels, worst first. Their order is significant: every
// aggregation in this package is a minimum (weakest link), never an average.
const (
	RSL0 Level = iota // not sovereign: exclusive non-EU control
	RSL1              // EU law applies in form only
	RSL2              // data sovereign, material non-EU dependencies remain
	RSL3              // largely sovereign (digital resilience)
	RSL4              // sovereign: full home control, no critical foreign dependency
)

// levelNone marks "no constraint known" inside the engine: it is above every
// real level, so it drops out of every minimum. It never leaves the package.
const levelNone Level = 5

// DefaultSovereignThreshold is the suggested threshold for a binary
// "sovereign / not sovereign" statement (methodology §8.6): RSL-3 on all
// gating objectives after inheritance. RSL-4 is too strict to be useful
// while hardware supply chains are foreign; RSL-2 was merely the floor of the
// Commission's own tender.
const DefaultSovereignThreshold = RSL3

// String renders the level as "RSL-n".
func (l Level) String() string {
	if l > RSL4 {
		return "RSL-?"
	}
	return fmt.Sprintf("RSL-%d", uint8(l))
}

// Label returns the public label of the level in German ("de") or English
// (any other language). Labels are part of the methodology, so they live
// here rather than in the translation catalogues of the web layer.
func (l Level) Label(lang string) string {
	de := strings.HasPrefix(strings.ToLower(lang), "de")
	switch l {
	case RSL4:
		if de {
			return "Souverän"
		}
		return "Sovereign"
	case RSL3:
		if de {
			return "Weitgehend souverän"
		}
		return "Largely sovereign"
	case RSL2:
		if de {
			return "Datensouverän mit Abhängigkeiten"
		}
		return "Data-sovereign with dependencies"
	case RSL1:
		if de {
			return "Nur formal EU-Recht"
		}
		return "EU law in form only"
	case RSL0:
		if de {
			return "Nicht souverän"
		}
		return "Not sovereign"
	}
	return ""
}

// ParseLevel accepts "RSL-3", "rsl3" or "3"; it is meant for query
// parameters such as a level facet.
func ParseLevel(s string) (Level, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "RSL"), "-")
	if len(t) == 1 && t[0] >= '0' && t[0] <= '4' {
		return Level(t[0] - '0'), nil
	}
	return 0, fmt.Errorf("sovereignty: invalid level %q (want RSL-0 … RSL-4)", s)
}

func minL(a, b Level) Level {
	if a < b {
		return a
	}
	return b
}

func maxL(a, b Level) Level {
	if a > b {
		return a
	}
	return b
}

// Tri is a yes/no/unknown answer. The zero value is TriUnknown, so a fact
// that nobody recorded is unknown rather than silently "no".
type Tri uint8

// The three answers of a Tri.
const (
	TriUnknown Tri = iota
	TriNo
	TriYes
)

// ParseTri maps the catalogue's "yes" / "no" / anything else.
func ParseTri(s string) Tri {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true":
		return TriYes
	case "no", "false":
		return TriNo
	}
	return TriUnknown
}

// String renders the answer as in the catalogue files.
func (t Tri) String() string {
	switch t {
	case TriYes:
		return "yes"
	case TriNo:
		return "no"
	}
	return "unknown"
}

// Evidence names the sources behind a fact (opaque source IDs of the
// catalogue) and the day they were read. The rules copy it into every
// result so that a level can always be traced to its sources.
type Evidence struct {
	Sources   []string
	Retrieved time.Time
}

// Fact is one recorded value with its evidence. Known=false means the
// curators recorded "unknown"; the rules then use the pessimistic rung for
// the pessimistic level and leave the criterion unanswered otherwise.
type Fact[T any] struct {
	Value T
	Known bool
	Evidence
}

// KnownFact builds a known fact; a helper for adapters and tests.
func KnownFact[T any](v T, retrieved time.Time, sources ...string) Fact[T] {
	return Fact[T]{Value: v, Known: true, Evidence: Evidence{Sources: sources, Retrieved: retrieved}}
}

// Percent is a share in percent (0–100) that may be unknown.
type Percent struct {
	Value float64
	Known bool
}

// Pct builds a known percentage.
func Pct(v float64) Percent { return Percent{Value: v, Known: true} }

// staleAfter is the re-verification period of methodology §8.7.
const staleMonths = 12

// isStale reports whether evidence retrieved at t is older than 12 months
// relative to asOf. Undated evidence is not stale (nothing to compare), but
// the loader requires dates for known facts anyway.
func isStale(t, asOf time.Time) bool {
	return !t.IsZero() && !asOf.IsZero() && t.Before(asOf.AddDate(0, -staleMonths, 0))
}
