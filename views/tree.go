package views

import (
	"strconv"
	"unicode/utf8"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// Tree limits and geometry. The tree is drawn left to right: the product
// at the root on the left, its providers in the next column, and so on.
const (
	// TreeDepth is how many hops of providers a product page draws.
	TreeDepth = 4
	// TreeMaxNodes bounds the boxes drawn; the rest is counted as "… and N more".
	TreeMaxNodes = 60

	treeBoxW = 260 // box width
	treeBoxH = 80  // box height: four lines of text
	treeGapX = 56  // horizontal gap between columns (the edges run here)
	treeGapY = 14  // vertical gap between boxes
	treePad  = 8   // margin around the drawing
)

// TreeNode is one box of a dependency tree: a product reached through the
// edge from its parent (the root has none).
type TreeNode struct {
	ID          string // product slug; "" for a provider missing from the catalogue
	Name        string // display name; set by Annotate, the slug until then
	Role        string // role of the edge from the parent
	Criticality sovereignty.Criticality
	Group       string // failover group of that edge, if any
	Depth       int    // hops from the root
	Parent      int    // index into Tree.Nodes; -1 for the root
	Children    []int
	// Repeat marks a product already drawn elsewhere in the tree: it is not
	// expanded again, so shared providers and cycles stay finite.
	Repeat bool
	// Cycle marks a repeat that is an ancestor of itself (a dependency cycle).
	Cycle bool
	Level *catalog.ProductLevel // nil: not classified (or not in the catalogue)
	X, Y  int                   // top-left corner of the box
}

// Tree is a laid-out dependency tree, ready to be drawn as SVG and listed
// as text. Nodes[0] is the root.
type Tree struct {
	Nodes         []TreeNode
	Width, Height int
	// Hidden counts the products reached within the depth that the node
	// cap left out.
	Hidden int
}

// BuildTree turns the edges of a breadth-first upstream walk
// (sovereignty.Graph.Upstream) into a tree rooted at root, at most
// maxDepth hops deep and with at most maxNodes boxes, and lays it out.
// Every product is expanded once, at its shallowest occurrence; later
// occurrences are leaves marked Repeat (and Cycle when they close a loop),
// so the result is finite for any graph.
func BuildTree(root string, links []sovereignty.GraphLink, maxDepth, maxNodes int) Tree {
	if maxNodes < 1 {
		maxNodes = 1
	}
	// Sized for the links: a tree has at most one node per link.
	children := make(map[string][]sovereignty.GraphLink, len(links))
	reached := make(map[string]bool, len(links)+1)
	reached[root] = true
	for _, l := range links {
		children[l.Consumer] = append(children[l.Consumer], l)
		if l.Provider != "" && l.Depth <= maxDepth {
			reached[l.Provider] = true
		}
	}
	t := Tree{Nodes: make([]TreeNode, 1, min(len(links), maxNodes-1)+1)}
	t.Nodes[0] = TreeNode{ID: root, Name: root, Parent: -1}
	placed := make(map[string]bool, cap(t.Nodes))
	placed[root] = true
	expanded := make(map[string]bool, cap(t.Nodes))
	for q := 0; q < len(t.Nodes); q++ {
		n := t.Nodes[q]
		if n.Repeat || n.ID == "" || n.Depth >= maxDepth || expanded[n.ID] {
			continue
		}
		expanded[n.ID] = true
		for _, l := range children[n.ID] {
			if len(t.Nodes) >= maxNodes {
				break
			}
			c := TreeNode{ID: l.Provider, Name: l.Provider, Role: l.Role, Criticality: l.Criticality, Group: l.Group,
				Depth: n.Depth + 1, Parent: q}
			if c.ID != "" {
				c.Cycle = t.isAncestor(q, c.ID)
				c.Repeat = c.Cycle || placed[c.ID]
				placed[c.ID] = true
			}
			t.Nodes[q].Children = append(t.Nodes[q].Children, len(t.Nodes))
			t.Nodes = append(t.Nodes, c)
		}
	}
	t.Hidden = len(reached) - len(placed)
	t.layout()
	return t
}

// isAncestor reports whether id is node i or one of its ancestors.
func (t *Tree) isAncestor(i int, id string) bool {
	for ; i >= 0; i = t.Nodes[i].Parent {
		if t.Nodes[i].ID == id {
			return true
		}
	}
	return false
}

// layout places the boxes: one column per depth, leaves on consecutive
// rows in tree order, and every parent centred on its children.
func (t *Tree) layout() {
	row := 0
	maxDepth := 0
	var place func(i int)
	place = func(i int) {
		n := &t.Nodes[i]
		n.X = treePad + n.Depth*(treeBoxW+treeGapX)
		maxDepth = max(maxDepth, n.Depth)
		if len(n.Children) == 0 {
			n.Y = treePad + row*(treeBoxH+treeGapY)
			row++
			return
		}
		for _, c := range n.Children {
			place(c)
		}
		first, last := t.Nodes[n.Children[0]].Y, t.Nodes[n.Children[len(n.Children)-1]].Y
		n.Y = (first + last) / 2
	}
	place(0)
	t.Width = 2*treePad + (maxDepth+1)*treeBoxW + maxDepth*treeGapX
	t.Height = 2*treePad + row*treeBoxH + (row-1)*treeGapY
}

// Products lists the distinct products drawn, root first, for looking up
// their names and levels.
func (t Tree) Products() []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range t.Nodes {
		if n.ID != "" && !seen[n.ID] {
			seen[n.ID] = true
			out = append(out, n.ID)
		}
	}
	return out
}

// Annotate sets every node's display name and level; name returns "" for
// an unknown product (the slug stays), level nil for an unclassified one.
func (t *Tree) Annotate(name func(id string) string, level func(id string) *catalog.ProductLevel) {
	for i := range t.Nodes {
		n := &t.Nodes[i]
		if n.ID == "" {
			continue
		}
		if s := name(n.ID); s != "" {
			n.Name = s
		}
		n.Level = level(n.ID)
	}
}

// TreeEdge is the connector from a parent's box to a child's box.
type TreeEdge struct {
	Path        string // SVG path data, an elbow from the parent's right side to the child's left side
	Criticality sovereignty.Criticality
}

// Edges returns the connectors, one per non-root node.
func (t Tree) Edges() []TreeEdge {
	out := make([]TreeEdge, 0, len(t.Nodes))
	for _, n := range t.Nodes[1:] {
		p := t.Nodes[n.Parent]
		x1, y1 := p.X+treeBoxW, p.Y+treeBoxH/2
		x2, y2 := n.X, n.Y+treeBoxH/2
		mid := x1 + treeGapX/2
		out = append(out, TreeEdge{Criticality: n.Criticality,
			Path: "M" + itoa(x1) + " " + itoa(y1) + "H" + itoa(mid) + "V" + itoa(y2) + "H" + itoa(x2)})
	}
	return out
}

// edgeClass is the CSS class of a connector: critical solid, degrading
// dashed, optional dotted.
func edgeClass(c sovereignty.Criticality) string {
	switch c {
	case sovereignty.Degrading:
		return "tree-edge tree-edge--degrading"
	case sovereignty.Optional:
		return "tree-edge tree-edge--optional"
	}
	return "tree-edge tree-edge--critical"
}

// edgeDash is the connector's stroke-dasharray presentation attribute
// (kept beside the CSS class, so the drawing reads without our CSS too).
func edgeDash(c sovereignty.Criticality) string {
	switch c {
	case sovereignty.Degrading:
		return "8 5"
	case sovereignty.Optional:
		return "1 5"
	}
	return "none"
}

// nodeClass is a box's CSS class: its level's colours, "unknown" for an
// unclassified product, plus the root marker.
func nodeClass(n TreeNode) string {
	c := "tree-node tree-node--unknown"
	if n.Level != nil && levelKnown(n.Level.Overall, true) {
		c = "tree-node tree-node--" + strconv.Itoa(n.Level.Overall)
	}
	if n.Parent < 0 {
		c += " tree-node--root"
	}
	if n.Repeat {
		c += " tree-node--repeat"
	}
	return c
}

// nodeLevelText is a box's second line: "RSL-2 · Datensouverän …".
func (p Page) nodeLevelText(n TreeNode) string {
	if n.Level == nil {
		return p.T("level.unknown_code") + " · " + p.T("classification.not_rated")
	}
	return "RSL-" + itoa(n.Level.Overall) + " · " + p.levelLabel(n.Level.Overall, true)
}

// nodeProvisionalText is a box's third line for a provisional level:
// "vorläufig · ungünstigstenfalls RSL-0"; empty otherwise.
func (p Page) nodeProvisionalText(n TreeNode) string {
	if n.Level == nil || !n.Level.Provisional {
		return ""
	}
	s := p.T("classification.provisional")
	if n.Level.Pessimistic < n.Level.Overall {
		s += " · " + p.T("classification.pessimistic_short", "Code", "RSL-"+itoa(n.Level.Pessimistic))
	}
	return s
}

// nodeEdgeText is a box's last line: the role and criticality of the
// edge that leads to it, and a note for repeats; for the root, a caption.
func (p Page) nodeEdgeText(n TreeNode) string {
	if n.Parent < 0 {
		return p.T("classification.tree_root")
	}
	s := p.roleLabel(catalog.Role(n.Role)) + " · " + p.criticalityShort(n.Criticality)
	if n.Group != "" {
		s += " · " + p.T("classification.failover_group", "Name", n.Group)
	}
	switch {
	case n.Cycle:
		s += " · " + p.T("classification.tree_cycle")
	case n.Repeat:
		s += " · " + p.T("classification.tree_repeat")
	}
	return s
}

// nodeName is a box's first line; a provider missing from the catalogue
// is named as such.
func (p Page) nodeName(n TreeNode) string {
	if n.ID == "" {
		return p.T("classification.tree_missing")
	}
	return n.Name
}

// clip shortens s to at most n characters, ending in "…" when cut; SVG
// text does not wrap, so the boxes need it (the full text is in the list).
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Geometry helpers for the template.
func treeBoxWidth() string         { return itoa(treeBoxW) }
func treeBoxHeight() string        { return itoa(treeBoxH) }
func (n TreeNode) x(dx int) string { return itoa(n.X + dx) }
func (n TreeNode) y(dy int) string { return itoa(n.Y + dy) }
