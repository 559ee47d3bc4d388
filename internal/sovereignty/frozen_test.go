package sovereignty

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// explainer explains products of one catalogue the two ways a product
// page can: over the upstream closure, or from stored states (the full
// engine's Passed) and the products the paths pass through.
type explainer struct {
	full *Engine
	byID map[string]*Product
	orgs map[string]*Organisation
}

func newExplainer(full *Engine, cat Catalogue) explainer {
	x := explainer{full: full, byID: map[string]*Product{}, orgs: map[string]*Organisation{}}
	for i := range cat.Products {
		x.byID[cat.Products[i].ID] = &cat.Products[i]
	}
	for i := range cat.Organisations {
		x.orgs[cat.Organisations[i].ID] = &cat.Organisations[i]
	}
	return x
}

// catalogue is the products named in include, in the full catalogue's
// order, with the organisations their rules consult (vendors, operators
// and their owners, transitively), as the store gathers them.
func (x explainer) catalogue(include map[string]bool) Catalogue {
	var sub Catalogue
	seen := map[string]bool{}
	var addOrg func(id string)
	addOrg = func(id string) {
		o := x.orgs[id]
		if o == nil || seen[id] {
			return
		}
		seen[id] = true
		sub.Organisations = append(sub.Organisations, *o)
		for _, w := range o.Owners {
			addOrg(w.Holder)
		}
	}
	var at []int32
	for id, ok := range include {
		if ok {
			at = append(at, x.full.idx[id])
		}
	}
	slices.Sort(at)
	for _, i := range at {
		p := &x.full.products[i]
		sub.Products = append(sub.Products, *p)
		addOrg(p.Vendor)
		for _, of := range p.Offerings {
			addOrg(of.Operator)
		}
	}
	return sub
}

// closure explains id over its upstream closure; it returns the result
// and the closure's size.
func (x explainer) closure(tb testing.TB, id string, o Options) (Result, int) {
	tb.Helper()
	include := map[string]bool{id: true}
	queue := []string{id}
	for len(queue) > 0 {
		p := x.byID[queue[0]]
		queue = queue[1:]
		for _, d := range p.Dependencies {
			if x.byID[d.Provider] != nil && !include[d.Provider] {
				include[d.Provider] = true
				queue = append(queue, d.Provider)
			}
		}
	}
	sub := x.catalogue(include)
	e, err := NewEngine(sub, o)
	if err != nil {
		tb.Fatalf("NewEngine for %s: %v", id, err)
	}
	r, err := e.Result(id)
	if err != nil {
		tb.Fatalf("Result(%s): %v", id, err)
	}
	return r, len(sub.Products)
}

// frozen explains id as a product page does: from id, its direct
// providers and the products its paths pass through, found by a PathWalk
// over the stored pointers and, round by round, by ResultGaps; every
// product but id stands in with its Passed from the full engine (id's own
// Passed given as well, as a stored level gives it). It returns the result
// and how many products the engine needed.
func (x explainer) frozen(tb testing.TB, id string, o Options) (Result, int) {
	tb.Helper()
	r, n, _ := x.frozenRounds(tb, id, o)
	return r, n
}

// frozenRounds is frozen, and how many rounds of ResultGaps the walk left.
func (x explainer) frozenRounds(tb testing.TB, id string, o Options) (Result, int, int) {
	tb.Helper()
	include := map[string]bool{id: true}
	for _, d := range x.byID[id].Dependencies {
		include[d.Provider] = x.byID[d.Provider] != nil
	}
	walk := NewPathWalk(id)
	lookup := func(pid string) ([]string, Passed, bool) {
		p := x.byID[pid]
		if p == nil || !include[pid] {
			return nil, Passed{}, false
		}
		s, err := x.full.Summary(pid)
		if err != nil {
			tb.Fatalf("full Summary(%s): %v", pid, err)
		}
		provs := make([]string, len(p.Dependencies))
		for i, d := range p.Dependencies {
			provs[i] = d.Provider
		}
		return provs, s.Passed, true
	}
	for next := walk.Step(lookup); len(next) > 0; next = walk.Step(lookup) {
		for _, n := range next {
			include[n] = x.byID[n] != nil
		}
	}
	for round := 0; ; round++ {
		sub := x.catalogue(include)
		passed := make(map[string]Passed, len(sub.Products))
		for _, p := range sub.Products {
			s, err := x.full.Summary(p.ID)
			if err != nil {
				tb.Fatalf("full Summary(%s): %v", p.ID, err)
			}
			passed[p.ID] = s.Passed
		}
		e, err := NewFrozenEngine(sub, passed, []string{id}, o)
		if err != nil {
			tb.Fatalf("NewFrozenEngine for %s (round %d): %v", id, round, err)
		}
		r, gaps, err := e.ResultGaps(id)
		if err != nil {
			tb.Fatalf("ResultGaps(%s): %v", id, err)
		}
		if len(gaps) == 0 {
			return r, len(sub.Products), round
		}
		progress := false
		for _, g := range gaps {
			if x.byID[g] != nil && !include[g] {
				include[g], progress = true, true
			}
		}
		if !progress {
			tb.Fatalf("%s: round %d names gaps %v that are in the catalogue already or unknown", id, round, gaps)
		}
	}
}

// TestFrozenEngineMatchesFull: explaining a product from its direct
// providers' Passed (and the products its paths pass through) gives
// exactly the result of the engine over the whole catalogue, on catalogues
// with failover groups, self-hosted profiles, unknowns, dangling edges and
// cycles, under every perspective.
func TestFrozenEngineMatchesFull(t *testing.T) {
	cases := []struct {
		name string
		cat  Catalogue
	}{
		{"seed-like", seedLike()},
		{"certified and varied", certifiedCatalogue()},
		{"generated with hubs and cycles", genCatalogue(400, 2400, 7)},
	}
	for _, tc := range cases {
		for _, p := range Perspectives(DefaultReference()) {
			t.Run(tc.name+"/"+p.Name, func(t *testing.T) {
				o := Options{Perspective: p.Name, AsOf: asOf}
				full := mustEngine(t, tc.cat, p.Name)
				x := newExplainer(full, tc.cat)
				smaller := 0
				for _, pr := range tc.cat.Products {
					want := mustResult(t, full, pr.ID)
					if closed, _ := x.closure(t, pr.ID, o); !reflect.DeepEqual(closed, want) {
						t.Fatalf("%s: the closure's result differs from the full engine's", pr.ID)
					}
					got, n, rounds := x.frozenRounds(t, pr.ID, o)
					if rounds > 0 && got.SelfHosted == nil {
						// Only a self-hosted profile's phone-home paths
						// start elsewhere than at the product.
						t.Fatalf("%s: the path walk left %d rounds of gaps", pr.ID, rounds)
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s: frozen result differs from the full engine's\n got: %+v\nwant: %+v", pr.ID, got, want)
					}
					if n < len(tc.cat.Products) {
						smaller++
					}
				}
				if smaller == 0 {
					t.Fatalf("no product was explained from fewer products than the catalogue holds")
				}
			})
		}
	}
}

func TestPassedIntsRoundTrip(t *testing.T) {
	e := mustEngine(t, genCatalogue(200, 1200, 3), "eu")
	for _, s := range e.Summaries() {
		ints := s.Passed.Ints()
		if len(ints) != PassedLen {
			t.Fatalf("%s: Ints gave %d values, want %d", s.ProductID, len(ints), PassedLen)
		}
		back, err := PassedFromInts(ints)
		if err != nil {
			t.Fatalf("%s: PassedFromInts(%v): %v", s.ProductID, ints, err)
		}
		if back != s.Passed {
			t.Fatalf("%s: round trip gave %+v, want %+v", s.ProductID, back, s.Passed)
		}
	}
}

func TestPassedFromIntsRejectsGarbage(t *testing.T) {
	valid := Passed{Via: [nSlot]int16{-1, -1, -1, -1, -1}}.Ints()
	with := func(i int, v int16) []int16 {
		out := append([]int16(nil), valid...)
		out[i] = v
		return out
	}
	cases := []struct {
		name string
		in   []int16
	}{
		{"empty", nil},
		{"too short", valid[:PassedLen-1]},
		{"too long", append(append([]int16(nil), valid...), 0)},
		{"level above none", with(0, 6)},
		{"negative level", with(3, -1)},
		{"own level out of range", with(2*nSlot, 9)},
		{"dependency below -1", with(PassedLen-1, -2)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if p, err := PassedFromInts(tc.in); err == nil {
				t.Fatalf("PassedFromInts(%v) = %+v, want an error", tc.in, p)
			}
		})
	}
}

func TestNewFrozenEngineRejectsStalePassed(t *testing.T) {
	cat := seedLike()
	full := mustEngine(t, cat, "eu")
	s, err := full.Summary("cloudflare")
	if err != nil {
		t.Fatal(err)
	}
	stale := s.Passed
	stale.Via[sS2b] = 40 // cloudflare has no 41st dependency
	_, err = NewFrozenEngine(cat, map[string]Passed{"cloudflare": stale}, []string{"chatgpt"}, Options{Perspective: "eu", AsOf: asOf})
	if !errors.Is(err, ErrFrozenMismatch) {
		t.Fatalf("NewFrozenEngine with a pointer past the dependencies: err = %v, want ErrFrozenMismatch", err)
	}
}

// TestFrozenEngineAnswersForLiveProductsOnly: a frozen product was never
// evaluated, so the engine gives no result for it and cannot be changed.
func TestFrozenEngineAnswersForLiveProductsOnly(t *testing.T) {
	cat := seedLike()
	full := mustEngine(t, cat, "eu")
	s, err := full.Summary("aws")
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewFrozenEngine(cat, map[string]Passed{"aws": s.Passed}, nil, Options{Perspective: "eu", AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Summary("aws"); !errors.Is(err, ErrFrozenProduct) {
		t.Fatalf("Summary of a frozen product: err = %v, want ErrFrozenProduct", err)
	}
	if _, err := e.Result("aws"); !errors.Is(err, ErrFrozenProduct) {
		t.Fatalf("Result of a frozen product: err = %v, want ErrFrozenProduct", err)
	}
	for _, s := range e.Summaries() {
		if s.ProductID == "aws" {
			t.Fatal("Summaries lists a frozen product")
		}
	}
	if _, err := e.Apply(Change{Products: []Product{cat.Products[0]}}); err == nil {
		t.Fatal("Apply on a frozen engine succeeded; a frozen product's Passed would not follow the change")
	}
}
