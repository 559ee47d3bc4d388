package sovereignty

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// acyclic is cat without the dependencies that point to a later product,
// which leaves no cycle.
func acyclic(cat Catalogue) Catalogue {
	out := Catalogue{Organisations: cat.Organisations, Products: slices.Clone(cat.Products)}
	at := map[string]int{}
	for i, p := range out.Products {
		at[p.ID] = i
	}
	for i := range out.Products {
		p := &out.Products[i]
		p.Dependencies = slices.DeleteFunc(slices.Clone(p.Dependencies), func(d Dependency) bool {
			j, ok := at[d.Provider]
			return ok && j >= i
		})
	}
	return out
}

// changed is cat with change applied to copies of the products roots.
func changed(cat Catalogue, roots []string, change func(*Product, Catalogue)) Catalogue {
	out := Catalogue{Organisations: cat.Organisations, Products: slices.Clone(cat.Products)}
	for i := range out.Products {
		if slices.Contains(roots, out.Products[i].ID) {
			p := out.Products[i]
			p.Offerings = slices.Clone(p.Offerings)
			change(&p, out)
			out.Products[i] = p
		}
	}
	return out
}

// withoutVia is s with the pointers of its Passed cleared: inside a cycle
// they depend on the order of evaluation.
func withoutVia(s Summary) Summary {
	s.Passed.Via = [PassedAxes]int16{}
	return s
}

func TestRepropagationMatchesFull(t *testing.T) {
	gen := genCatalogue(400, 2400, 7)
	catalogues := []struct {
		name string
		cat  Catalogue
	}{
		{"seed-like", seedLike()},
		{"certified and varied", certifiedCatalogue()},
		{"generated, acyclic", acyclic(gen)},
		{"generated with hubs and cycles", gen},
	}
	changes := []struct {
		name   string
		change func(*Product, Catalogue)
	}{
		{"data moved to CN", func(p *Product, _ Catalogue) {
			for k := range p.Offerings {
				p.Offerings[k].DataLocations = KnownFact([]DataLocation{{"CN", PurposePrimary}}, day, "src-cn")
			}
		}},
		{"offerings dropped", func(p *Product, _ Catalogue) { p.Offerings = nil }},
		{"vendor replaced", func(p *Product, cat Catalogue) { p.Vendor = cat.Organisations[len(cat.Organisations)-1].ID }},
		{"vendor unknown", func(p *Product, _ Catalogue) { p.Vendor = "" }},
	}
	moved := 0
	for _, c := range catalogues {
		// The most used product, and two products at once.
		g := mustEngine(t, c.cat, "eu").Graph()
		top := g.MostUsed(3)
		for _, roots := range [][]string{top[:1], {top[1], c.cat.Products[len(c.cat.Products)-1].ID}} {
			for _, ch := range changes {
				after := changed(c.cat, roots, ch.change)
				for _, p := range Perspectives(DefaultReference()) {
					name := fmt.Sprintf("%s/%v/%s/%s", c.name, roots, ch.name, p.Name)
					moved += checkRepropagation(t, name, c.cat, after, roots, p.Name)
				}
			}
		}
	}
	if moved == 0 {
		t.Fatal("no change moved a dependent's level: the cases test nothing")
	}
}

// checkRepropagation repropagates the change from before to after (the
// roots' facts changed) from before's stored states and compares every
// product with a full computation of after. It returns how many products
// other than the roots changed their overall level.
func checkRepropagation(t *testing.T, name string, before, after Catalogue, roots []string, persp string) int {
	t.Helper()
	old := map[string]Summary{}
	for _, s := range mustEngine(t, before, persp).Summaries() {
		old[s.ProductID] = s
	}
	want := map[string]Summary{}
	for _, s := range mustEngine(t, after, persp).Summaries() {
		want[s.ProductID] = s
	}
	rp, err := mustEngine(t, before, persp).Graph().Repropagation(roots)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	needed := rp.Needed()
	states := make([]State, len(needed))
	for i, id := range needed {
		states[i] = State{Own: old[id].Own, Passed: old[id].Passed}
		if slices.Contains(roots, id) {
			states[i].Own = want[id].Own
		}
	}
	got, err := rp.Summaries(states, Options{Perspective: persp, AsOf: asOf})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	norm := func(s Summary) Summary { return s }
	if rp.Cyclic() {
		norm = withoutVia
	}
	seen := map[string]bool{}
	for _, s := range got {
		seen[s.ProductID] = true
		if !reflect.DeepEqual(norm(s), norm(want[s.ProductID])) {
			t.Fatalf("%s: %s repropagated differs from the full computation\n got: %+v\nwant: %+v", name, s.ProductID, s, want[s.ProductID])
		}
	}
	moved := 0
	for id, w := range want {
		if !seen[id] && !reflect.DeepEqual(norm(old[id]), norm(w)) {
			t.Fatalf("%s: %s was left out but its result changed\n was: %+v\n now: %+v", name, id, old[id], w)
		}
		if !slices.Contains(roots, id) && old[id].Overall != w.Overall {
			moved++
		}
	}
	for _, r := range roots {
		if !seen[r] {
			t.Fatalf("%s: root %s was not evaluated", name, r)
		}
	}
	return moved
}

// statesOf returns the states of the products ids as the full engine
// computed them: what the registry stores with the levels.
func statesOf(tb testing.TB, full *Engine, ids []string) []State {
	tb.Helper()
	states := make([]State, len(ids))
	for i, id := range ids {
		s, err := full.Summary(id)
		if err != nil {
			tb.Fatal(err)
		}
		states[i] = State{Own: s.Own, Passed: s.Passed}
	}
	return states
}

func TestRepropagationFollowsTheChange(t *testing.T) {
	cat := acyclic(genCatalogue(400, 2400, 7))
	g := mustEngine(t, cat, "eu").Graph()
	hub := g.MostUsed(1)
	rp, err := g.Repropagation(hub)
	if err != nil {
		t.Fatal(err)
	}
	if rp.Region() < 100 || rp.Cyclic() {
		t.Fatalf("region of %d products (cyclic %v); the case needs a large acyclic one", rp.Region(), rp.Cyclic())
	}
	states := statesOf(t, mustEngine(t, cat, "eu"), rp.Needed())
	// The hub's own evaluation unchanged: only the hub is evaluated.
	got, err := rp.Summaries(states, Options{Perspective: "eu", AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ProductID != hub[0] {
		t.Fatalf("an unchanged hub evaluated %d products, want the hub alone", len(got))
	}
}

func TestRepropagationRejectsStaleStates(t *testing.T) {
	cat := seedLike()
	full := mustEngine(t, cat, "eu")
	g := full.Graph()
	root := g.MostUsed(1)
	rp, err := g.Repropagation(root)
	if err != nil {
		t.Fatal(err)
	}
	states := statesOf(t, full, rp.Needed())
	states[0].Passed.Via[0] = 99 // a dependency the root does not have
	if _, err := rp.Summaries(states, Options{Perspective: "eu", AsOf: asOf}); !errors.Is(err, ErrFrozenMismatch) {
		t.Fatalf("a pointer past the dependencies: got %v, want ErrFrozenMismatch", err)
	}
	if _, err := rp.Summaries(states[1:], Options{Perspective: "eu", AsOf: asOf}); err == nil {
		t.Fatal("too few states: no error")
	}
	if _, err := g.Repropagation([]string{"no-such-product"}); !errors.Is(err, ErrUnknownProduct) {
		t.Fatalf("unknown root: got %v, want ErrUnknownProduct", err)
	}
}

func TestDependsAs(t *testing.T) {
	cat := seedLike()
	g := mustEngine(t, cat, "eu").Graph()
	var p Product
	for _, q := range cat.Products {
		if len(q.Dependencies) > 1 {
			p = q
			break
		}
	}
	swapped := slices.Clone(p.Dependencies)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	degraded := slices.Clone(p.Dependencies)
	degraded[0].Criticality = Optional
	renamed := slices.Clone(p.Dependencies)
	renamed[0].Role = "dns"
	cases := []struct {
		name string
		deps []Dependency
		want bool
	}{
		{"as recorded", p.Dependencies, true},
		{"reordered", swapped, false},
		{"criticality changed", degraded, false},
		{"role changed", renamed, false},
		{"one dropped", p.Dependencies[1:], false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := g.DependsAs(p.ID, tc.deps); got != tc.want {
				t.Fatalf("DependsAs = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestOwnBytesRoundTrip(t *testing.T) {
	e := mustEngine(t, genCatalogue(200, 1200, 3), "eu")
	for _, s := range e.Summaries() {
		b := s.Own.AppendBytes(nil)
		if len(b) != OwnLen {
			t.Fatalf("%s: %d bytes, want %d", s.ProductID, len(b), OwnLen)
		}
		back, err := OwnFromBytes(b)
		if err != nil || back != s.Own {
			t.Fatalf("%s: round trip gave %+v, %v; want %+v", s.ProductID, back, err, s.Own)
		}
	}
	bad := map[string][]byte{
		"too short":     make([]byte, OwnLen-1),
		"level too big": append(make([]byte, OwnLen-2), 9, 0),
		"unknown flag":  append(make([]byte, OwnLen-1), 0x80),
	}
	for name, b := range bad {
		if _, err := OwnFromBytes(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// BenchmarkRepropagateHub measures what a write does after the largest
// hub's offerings were dropped (its S2.b and S3.b no longer bind its
// dependents) on the 100,000-product, 1,000,000-edge graph:
// preparing the repropagation (region, order, edges) and computing one
// perspective from the stored states. The write runs the four
// perspectives two at a time on two cores.
func BenchmarkRepropagateHub(b *testing.B) {
	cat := benchCatalogue()
	full := mustEngine(b, cat, "eu")
	after := changed(cat, []string{"hub-0"}, func(p *Product, _ Catalogue) { p.Offerings = nil })
	fresh, err := NewFrozenEngine(after, map[string]Passed{}, []string{"hub-0"}, Options{AsOf: asOf})
	if err != nil {
		b.Fatal(err)
	}
	root, err := fresh.Summary("hub-0")
	if err != nil {
		b.Fatal(err)
	}
	g := full.Graph()
	b.ReportAllocs()
	b.ResetTimer()
	var sums []Summary
	for b.Loop() {
		rp, err := g.Repropagation([]string{"hub-0"})
		if err != nil {
			b.Fatal(err)
		}
		states := statesOf(b, full, rp.Needed())
		states[0].Own = root.Own
		if sums, err = rp.Summaries(states, Options{AsOf: asOf}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rp.Evaluated()), "evaluated")
	}
	b.ReportMetric(float64(len(sums)), "moved")
}
