package views

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// link builds an upstream edge; depth as Graph.Upstream reports it.
func link(consumer, provider string, depth int, crit sovereignty.Criticality) sovereignty.GraphLink {
	return sovereignty.GraphLink{Consumer: consumer, Provider: provider, Role: "compute_hosting", Criticality: crit, Depth: depth}
}

// shape renders a tree as "id(depth)[*repeat][!cycle]" in node order.
func shape(t Tree) string {
	var parts []string
	for _, n := range t.Nodes {
		s := fmt.Sprintf("%s(%d)", n.ID, n.Depth)
		if n.Repeat {
			s += "*"
		}
		if n.Cycle {
			s += "!"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestBuildTree(t *testing.T) {
	crit := sovereignty.Critical
	tests := []struct {
		name     string
		links    []sovereignty.GraphLink
		maxDepth int
		maxNodes int
		want     string
		hidden   int
	}{
		{"no dependencies", nil, 4, 60, "a(0)", 0},
		{"two providers", []sovereignty.GraphLink{link("a", "b", 1, crit), link("a", "c", 1, sovereignty.Optional)}, 4, 60, "a(0) b(1) c(1)", 0},
		{"shared provider expanded once", []sovereignty.GraphLink{
			link("a", "b", 1, crit), link("a", "c", 1, crit), link("b", "d", 2, crit), link("c", "d", 2, crit), link("d", "e", 3, crit),
		}, 4, 60, "a(0) b(1) c(1) d(2) d(2)* e(3)", 0},
		{"cycle back to the root", []sovereignty.GraphLink{link("a", "b", 1, crit), link("b", "a", 2, crit)}, 4, 60, "a(0) b(1) a(2)*!", 0},
		{"self loop", []sovereignty.GraphLink{link("a", "a", 1, crit), link("a", "b", 1, crit)}, 4, 60, "a(0) a(1)*! b(1)", 0},
		{"longer cycle", []sovereignty.GraphLink{link("a", "b", 1, crit), link("b", "c", 2, crit), link("c", "b", 3, crit)}, 4, 60, "a(0) b(1) c(2) b(3)*!", 0},
		{"depth bound", []sovereignty.GraphLink{
			link("a", "b", 1, crit), link("b", "c", 2, crit), link("c", "d", 3, crit), link("d", "e", 4, crit),
		}, 2, 60, "a(0) b(1) c(2)", 0},
		{"missing provider", []sovereignty.GraphLink{link("a", "", 1, crit)}, 4, 60, "a(0) (1)", 0},
		{"node cap counts the rest", []sovereignty.GraphLink{
			link("a", "b", 1, crit), link("a", "c", 1, crit), link("a", "d", 1, crit), link("b", "e", 2, crit),
		}, 4, 3, "a(0) b(1) c(1)", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := BuildTree("a", tt.links, tt.maxDepth, tt.maxNodes)
			if got := shape(tr); got != tt.want {
				t.Errorf("tree %s, want %s", got, tt.want)
			}
			if tr.Hidden != tt.hidden {
				t.Errorf("hidden %d, want %d", tr.Hidden, tt.hidden)
			}
			if len(tr.Nodes) > tt.maxNodes {
				t.Errorf("%d nodes over the cap %d", len(tr.Nodes), tt.maxNodes)
			}
			for i, n := range tr.Nodes {
				if n.Depth > tt.maxDepth {
					t.Errorf("node %d at depth %d", i, n.Depth)
				}
				if n.Repeat && len(n.Children) > 0 {
					t.Errorf("repeat %s expanded", n.ID)
				}
			}
		})
	}
}

// TestBuildTree_Dense walks a complete graph (every node depends on every
// other): the walk terminates, stays within the cap and depth, and no two
// boxes overlap.
func TestBuildTree_Dense(t *testing.T) {
	var links []sovereignty.GraphLink
	ids := make([]string, 40)
	for i := range ids {
		ids[i] = fmt.Sprintf("p%02d", i)
	}
	for d := 1; d <= TreeDepth; d++ {
		for _, c := range ids {
			for _, p := range ids {
				links = append(links, link(c, p, d, sovereignty.Degrading))
			}
		}
	}
	tr := BuildTree("p00", links, TreeDepth, TreeMaxNodes)
	if len(tr.Nodes) != TreeMaxNodes {
		t.Errorf("%d nodes, want the cap %d", len(tr.Nodes), TreeMaxNodes)
	}
	if tr.Hidden != 0 {
		// Every product is drawn at least once (as box or repeat) within 60.
		t.Logf("hidden %d", tr.Hidden)
	}
	type box struct{ x, y int }
	seen := map[box]bool{}
	for _, n := range tr.Nodes {
		b := box{n.X, n.Y}
		if seen[b] {
			t.Fatalf("two boxes at %v", b)
		}
		seen[b] = true
		if n.X < 0 || n.Y < 0 || n.X+treeBoxW > tr.Width || n.Y+treeBoxH > tr.Height {
			t.Errorf("box %s at (%d,%d) outside %dx%d", n.ID, n.X, n.Y, tr.Width, tr.Height)
		}
	}
	if len(tr.Edges()) != len(tr.Nodes)-1 {
		t.Errorf("%d edges for %d nodes", len(tr.Edges()), len(tr.Nodes))
	}
}

func TestTree_Layout(t *testing.T) {
	tr := BuildTree("a", []sovereignty.GraphLink{
		link("a", "b", 1, sovereignty.Critical), link("a", "c", 1, sovereignty.Optional),
	}, TreeDepth, TreeMaxNodes)
	a, b, c := tr.Nodes[0], tr.Nodes[1], tr.Nodes[2]
	if b.X <= a.X || c.X != b.X {
		t.Errorf("providers not in the next column: a=%d b=%d c=%d", a.X, b.X, c.X)
	}
	if c.Y <= b.Y || a.Y != (b.Y+c.Y)/2 {
		t.Errorf("root not centred on its providers: a=%d b=%d c=%d", a.Y, b.Y, c.Y)
	}
	e := tr.Edges()
	if edgeClass(e[0].Criticality) != "tree-edge tree-edge--critical" || edgeDash(e[1].Criticality) != "1 5" {
		t.Errorf("edge styles %q %q", edgeClass(e[0].Criticality), edgeDash(e[1].Criticality))
	}
	lv := &catalog.ProductLevel{Overall: 2}
	tr.Annotate(func(id string) string { return strings.ToUpper(id) }, func(id string) *catalog.ProductLevel {
		if id == "b" {
			return lv
		}
		return nil
	})
	if tr.Nodes[1].Name != "B" || tr.Nodes[1].Level != lv || tr.Nodes[2].Level != nil {
		t.Errorf("annotate: %+v", tr.Nodes[1:])
	}
	if got := nodeClass(tr.Nodes[1]); !strings.Contains(got, "tree-node--2") {
		t.Errorf("class %q", got)
	}
	if got := nodeClass(tr.Nodes[2]); !strings.Contains(got, "tree-node--unknown") {
		t.Errorf("class %q", got)
	}
}

func TestTreeSVG(t *testing.T) {
	tr := BuildTree("a", []sovereignty.GraphLink{link("a", "b", 1, sovereignty.Degrading)}, TreeDepth, TreeMaxNodes)
	html, doc := render(t, DependencyTree(testPage(), tr))
	svg := doc.Find("svg[role=img]")
	if svg.Length() != 1 || svg.Find("title#dep-tree-title").Length() != 1 {
		t.Fatal("no labelled image")
	}
	if doc.Find("[style]").Length() > 0 || strings.Contains(html, "<style") {
		t.Error("style attribute or element")
	}
	if svg.Find("path.tree-edge--degrading[stroke-dasharray]").Length() != 1 {
		t.Error("degrading edge not dashed")
	}
	if doc.Find("details ul.dep-tree-list a[href='/products/b']").Length() != 1 {
		t.Error("text equivalent lacks the provider")
	}
}

func TestClip(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{{"abc", 3, "abc"}, {"abcd", 3, "ab…"}, {"Übersee", 4, "Übe…"}} {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
