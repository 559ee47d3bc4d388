package sovereignty

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// graphRows turns a catalogue into Graph rows the way the store would read
// them from its tables: dependencies on unknown products get Provider -1.
// IDs are cloned so that a memory measurement counts them.
func graphRows(cat Catalogue) ([]GraphNode, []GraphEdge) {
	idx := make(map[string]int32, len(cat.Products))
	nodes := make([]GraphNode, len(cat.Products))
	for i, p := range cat.Products {
		idx[p.ID] = int32(i)
		nodes[i] = GraphNode{ID: strings.Clone(p.ID), Name: strings.Clone(p.Name)}
	}
	var edges []GraphEdge
	for i, p := range cat.Products {
		for _, d := range p.Dependencies {
			prov, ok := idx[d.Provider]
			if !ok {
				prov = -1
			}
			edges = append(edges, GraphEdge{Consumer: int32(i), Provider: prov, Role: d.Role, Criticality: d.Criticality, Group: d.Group})
		}
	}
	return nodes, edges
}

func ids(es []ImpactEntry) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.ProductID)
	}
	slices.Sort(out)
	return out
}

func TestGraphImpactOnSeedShape(t *testing.T) {
	cat := seedLike()
	e := mustEngine(t, cat, "")
	for name, g := range map[string]*Graph{"rows": NewGraph(graphRows(cat)), "engine": e.Graph()} {
		t.Run(name, func(t *testing.T) {
			if g.Len() != len(cat.Products) || g.Invalid() != 0 {
				t.Fatalf("Len %d Invalid %d", g.Len(), g.Invalid())
			}
			im, err := g.Impact("cloudflare")
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"chatgpt", "mistral-le-chat", "perplexity", "x"}; !slices.Equal(ids(im.Down), want) {
				t.Errorf("cloudflare down = %v, want %v", ids(im.Down), want)
			}
			if p, err := im.Path("x"); err != nil || !slices.Equal(p, []string{"cloudflare", "x"}) {
				t.Errorf("path = %v %v", p, err)
			}
			if _, err := im.Path("camocopy"); err == nil {
				t.Error("camocopy reported as affected")
			}
			if im, _ := g.Impact("aws"); !slices.Equal(ids(im.Down), []string{"perplexity"}) {
				t.Errorf("aws down = %v", ids(im.Down))
			}
			if im, _ := g.Impact("microsoft-azure"); slices.Contains(ids(im.Down), "mistral-le-chat") {
				t.Error("failover group with a surviving member went down")
			}
			if im, _ := g.Impact("microsoft-azure", "google-cloud"); !slices.Contains(ids(im.Down), "mistral-le-chat") {
				t.Error("whole group failed but Le Chat stayed up")
			}
			if _, err := g.Impact("nope"); err == nil {
				t.Error("unknown slug accepted")
			}
			up, err := g.Upstream("mistral-le-chat", 1)
			if err != nil || len(up) != 3 || up[0].Provider != "cloudflare" || up[1].Group != "inference" || up[0].Depth != 1 {
				t.Errorf("upstream = %+v %v", up, err)
			}
			down, _ := g.Downstream("cloudflare", 0)
			if len(down) != 4 {
				t.Errorf("downstream = %+v", down)
			}
			if d, all, _ := g.CountDependents("cloudflare"); d != 4 || all != 4 {
				t.Errorf("count dependents = %d %d", d, all)
			}
		})
	}
}

// TestGraphImpactMatchesEngine is a property test: on random graphs with
// hubs, cycles, failover groups and dangling edges, Graph.Impact (built
// from rows, or from the Engine after removals) gives exactly the entries,
// order and paths of Engine.Impact, and the graph walks agree with the
// engine.
func TestGraphImpactMatchesEngine(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		cat := genCatalogue(300, 1800, seed)
		r := rand.New(rand.NewPCG(seed, 99))
		for k := 0; k < 10; k++ {
			p := &cat.Products[20+r.IntN(len(cat.Products)-20)]
			p.Dependencies = append(slices.Clone(p.Dependencies), dep("missing-"+string(rune('a'+k)), "dns", AccessNone, Critical, "failover"))
		}
		e := mustEngine(t, cat, "")
		graphs := map[string]*Graph{"rows": NewGraph(graphRows(cat)), "engine": e.Graph()}
		for name, g := range graphs {
			compareImpacts(t, name, e, g, r)
		}
		// Removing products leaves dangling edges in the engine; its
		// Graph must follow.
		var removed []string
		for k := 0; k < 5; k++ {
			removed = append(removed, cat.Products[r.IntN(len(cat.Products))].ID)
		}
		slices.Sort(removed)
		removed = slices.Compact(removed)
		if _, err := e.Apply(Change{RemovedProducts: removed}); err != nil {
			t.Fatal(err)
		}
		compareImpacts(t, "after removal", e, e.Graph(), r)
	}
}

func compareImpacts(t *testing.T, name string, e *Engine, g *Graph, r *rand.Rand) {
	t.Helper()
	all := make([]string, 0, len(e.products))
	for _, s := range e.Summaries() {
		all = append(all, s.ProductID)
	}
	if g.Len() != len(all) {
		t.Fatalf("%s: graph has %d products, engine %d", name, g.Len(), len(all))
	}
	for trial := 0; trial < 25; trial++ {
		failed := []string{all[r.IntN(min(len(all), 20))]} // a hub …
		for k := r.IntN(3); k > 0; k-- {
			failed = append(failed, all[r.IntN(len(all))]) // … and others
		}
		want, err1 := e.Impact(failed...)
		got, err2 := g.Impact(failed...)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v / %v", name, err1, err2)
		}
		if !reflect.DeepEqual(want.Down, got.Down) || !reflect.DeepEqual(want.Degraded, got.Degraded) {
			t.Fatalf("%s: impact of %v differs: engine %d/%d, graph %d/%d", name, failed,
				len(want.Down), len(want.Degraded), len(got.Down), len(got.Degraded))
		}
		for _, x := range append(want.Down, want.Degraded...) {
			pw, _ := want.Path(x.ProductID)
			pg, err := got.Path(x.ProductID)
			if err != nil || !slices.Equal(pw, pg) {
				t.Fatalf("%s: path of %s: engine %v, graph %v (%v)", name, x.ProductID, pw, pg, err)
			}
		}
		dw, _ := e.Dependents(failed...)
		dg, _ := g.Dependents(failed...)
		if !slices.Equal(dw, dg) {
			t.Fatalf("%s: dependents of %v differ", name, failed)
		}
	}
}

func TestGraphRowsAreValidated(t *testing.T) {
	g := NewGraph([]GraphNode{{ID: "a"}, {ID: "b", Name: "B"}, {ID: "a"}},
		[]GraphEdge{{Consumer: 1, Provider: 0}, {Consumer: 7, Provider: 0}, {Consumer: 1, Provider: 42, Criticality: "bogus"}})
	if g.Len() != 3 || g.Edges() != 2 || g.Invalid() != 1 {
		t.Fatalf("Len %d Edges %d Invalid %d", g.Len(), g.Edges(), g.Invalid())
	}
	im, err := g.Impact("a")
	if err != nil || len(im.Down) != 1 || im.Down[0].Name != "B" || im.Down[0].Criticality != Critical {
		t.Fatalf("impact %+v %v", im, err)
	}
	up, _ := g.Upstream("b", 0)
	if len(up) != 2 || up[1].Provider != "" || up[1].Criticality != Critical {
		t.Errorf("upstream %+v", up)
	}
}
