package sovereignty

// marks is a reusable visited set over a graph's node indexes. A walk from
// a product that few others depend on touches a handful of nodes, and
// allocating (and clearing) a flag per node of a 100,000-product graph for
// each one cost more than the walk: a mark is a stamp instead, and a set is
// emptied by moving to the next stamp.
type marks struct {
	stamp []uint32
	cur   uint32
}

// getMarks returns an empty visited set for g's nodes; putMarks returns it
// for reuse.
func (g *Graph) getMarks() *marks {
	m, _ := g.marks.Get().(*marks)
	if m == nil || len(m.stamp) != len(g.ids) {
		m = &marks{stamp: make([]uint32, len(g.ids))}
	}
	m.cur++
	if m.cur == 0 { // wrapped around: stamps of 2³² walks ago would match
		clear(m.stamp)
		m.cur = 1
	}
	return m
}

func (g *Graph) putMarks(m *marks) { g.marks.Put(m) }

// mark marks v and reports whether it was unmarked.
func (m *marks) mark(v int32) bool {
	if m.stamp[v] == m.cur {
		return false
	}
	m.stamp[v] = m.cur
	return true
}
