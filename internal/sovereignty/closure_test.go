package sovereignty

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestUpstreamClosureSameSummary is a property test: a product evaluated
// inside the upstream closure of a random set of products gets the same
// Summary as inside the whole catalogue, for every product of the closure,
// under two perspectives, with cycles, ownership chains and dangling edges.
func TestUpstreamClosureSameSummary(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		cat := genCatalogue(400, 2400, seed)
		r := rand.New(rand.NewPCG(seed, 5))
		for k := 0; k < 8; k++ {
			p := &cat.Products[r.IntN(len(cat.Products))]
			p.Dependencies = append(slices.Clone(p.Dependencies), crit("not-in-catalogue"))
		}
		for _, persp := range []string{"eu", "de"} {
			full := mustEngine(t, cat, persp)
			for trial := 0; trial < 6; trial++ {
				var want []string
				for k := 1 + r.IntN(3); k > 0; k-- {
					want = append(want, cat.Products[r.IntN(len(cat.Products))].ID)
				}
				sub := UpstreamClosure(cat, append(want, "no-such-product")...)
				if len(sub.Products) > len(cat.Products) || len(sub.Products) < len(slices.Compact(slices.Sorted(slices.Values(want)))) {
					t.Fatalf("closure of %v has %d products", want, len(sub.Products))
				}
				part := mustEngine(t, sub, persp)
				for _, s := range part.Summaries() {
					fs, err := full.Summary(s.ProductID)
					if err != nil || fs != s {
						t.Fatalf("seed %d %s: %s in closure of %v: %+v, in full catalogue %+v", seed, persp, s.ProductID, want, s, fs)
					}
				}
				for _, id := range want {
					if _, err := part.Summary(id); err != nil {
						t.Fatalf("%s missing from its closure", id)
					}
				}
			}
		}
	}
}

func TestUpstreamClosureContents(t *testing.T) {
	cat := seedLike()
	sub := UpstreamClosure(cat, "mistral-le-chat")
	var got []string
	for _, p := range sub.Products {
		got = append(got, p.ID)
	}
	if want := []string{"cloudflare", "microsoft-azure", "google-cloud", "mistral-le-chat"}; !slices.Equal(got, want) {
		t.Errorf("products %v, want %v", got, want)
	}
	var orgs []string
	for _, o := range sub.Organisations {
		orgs = append(orgs, o.ID)
	}
	// google is held by alphabet: the chain's holder comes along.
	if want := []string{"cloudflare-inc", "microsoft", "alphabet", "google", "mistral-ai"}; !slices.Equal(orgs, want) {
		t.Errorf("organisations %v, want %v", orgs, want)
	}
}

// TestDanglingDependencyIsPessimisticAndFlagged: a provider missing from the
// catalogue contributes nothing to the shown level, the worst rung to the
// pessimistic one, makes the product provisional and is reported as an
// issue.
func TestDanglingDependencyIsPessimisticAndFlagged(t *testing.T) {
	cat := Catalogue{Organisations: []Organisation{org("eu", "DE")}, Products: []Product{
		saas("c", "eu", "DE", dep("missing", "storage", AccessPlaintext, Critical, "")), saas("clean", "eu", "DE"),
	}}
	e := mustEngine(t, cat, "")
	s, _ := e.Summary("c")
	clean, _ := e.Summary("clean")
	if s.Overall != clean.Overall || !s.Provisional || clean.Provisional || s.Pessimistic != RSL0 {
		t.Errorf("dangling %+v, clean %+v", s, clean)
	}
	r := mustResult(t, e, "c")
	if !slices.ContainsFunc(r.Issues, func(i Issue) bool { return i.Code == "unknown_dependency" && i.MessageText.DE != "" }) {
		t.Errorf("issues %+v", r.Issues)
	}
	if cr := critLevel(r, S1b); cr.Level != RSL4 || cr.Pessimistic != RSL0 {
		t.Errorf("S1.b %s / %s", cr.Level, cr.Pessimistic)
	}
}
