package catalog

import (
	"slices"
	"testing"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// TestPredictRead checks what a page's first batch reads beyond the product
// and its direct providers: the hops the explanation's paths will take as
// far as the cache knows them, and nothing past a provider the cache
// lacks (its providers would be a guess of ten products on a dense graph).
func TestPredictRead(t *testing.T) {
	// x → p → q, p → r; y → s → u.

	c := &readCache{
		products: newBounded[string, *ProductRecord](16),
		recent:   newBounded[string, *ProductRecord](16),
		levels:   newBounded[string, storedLevels](16),
	}
	// s is cached with a stored state whose only pointer leads to u,
	// which the cache lacks.
	s := &ProductRecord{Product: Product{Slug: "s", Dependencies: []Dependency{{Provider: "u"}}}}
	c.products.put("s", s)
	passed := sovereignty.Passed{}
	for a := range passed.Via {
		passed.Via[a] = -1
	}
	passed.Via[0] = 0
	const persp = 0
	var sl storedLevels
	sl.read, sl.present = 1<<persp, 1<<persp
	sl.levels[persp] = compactLevel{hasPassed: true, passed: passed, ruleVersion: sovereignty.RuleVersion}
	c.levels.put("s", sl)

	if got, want := c.predictRead([]string{"x", "p"}, persp), []string{"x", "p"}; !slices.Equal(got, want) {
		t.Errorf("p not cached: read %v, want %v", got, want)
	}
	if got, want := c.predictRead([]string{"y", "s"}, persp), []string{"y", "s", "u"}; !slices.Equal(got, want) {
		t.Errorf("s cached: read %v, want %v", got, want)
	}
	if !c.levelsRead("s", persp) || c.levelsRead("u", persp) || c.levelsRead("s", persp+1) {
		t.Error("levelsRead does not tell what the cache knows")
	}
}
