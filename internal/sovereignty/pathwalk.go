package sovereignty

import "slices"

// PathWalk follows stored pointers (Passed.Via) from a product to the
// products an explanation of it passes through: the hops of its
// inheritance paths, taken as Engine.path takes them. A reader that loads
// them hop by hop before it explains (NewFrozenEngine) spares the rounds
// of ResultGaps, each of which evaluates the whole set again.
type PathWalk struct {
	front []walkStep
	seen  map[walkStep]bool
}

// walkStep is a product a path has reached, and the axis it arrived
// along (root: the product explained, where every axis starts).
type walkStep struct {
	id   string
	axis int8
	root bool
}

// NewPathWalk starts a walk at the product to be explained.
func NewPathWalk(root string) *PathWalk {
	return &PathWalk{front: []walkStep{{id: root, root: true}}, seen: map[walkStep]bool{}}
}

// Step takes one hop. lookup gives a product's providers (the Provider of
// each of its Dependencies, in order) and its stored Passed; ok is false
// when the product is not at hand, and the walk stops there. Step returns
// the products the next hop starts from, sorted and each once: the caller
// makes them available to lookup before it calls Step again. An empty
// result ends the walk; every product it names is upstream of the root,
// and a walk never takes a pointer twice.
func (w *PathWalk) Step(lookup func(id string) (providers []string, p Passed, ok bool)) []string {
	var next []walkStep
	var out []string
	for _, st := range w.front {
		provs, p, ok := lookup(st.id)
		if !ok {
			continue
		}
		for _, a := range st.follow(p) {
			j := int(p.Via[a])
			if j < 0 || j >= len(provs) {
				continue
			}
			n := walkStep{id: provs[j], axis: int8(a)}
			if !w.seen[n] {
				w.seen[n] = true
				next = append(next, n)
				out = append(out, n.id)
			}
		}
	}
	w.front = next
	slices.Sort(out)
	return slices.Compact(out)
}

// follow returns the axes along which a path continues from st's product,
// whose stored state is p, as Engine.path continues: a criterion's axis
// stays itself; along the helper axes of S5.a a path may stay on the
// softer one, and it switches to (or stays on) the critical one only
// where the provider's own decision authority does not already bind.
func (st walkStep) follow(p Passed) []int {
	if st.root {
		return []int{sS1b, sS2b, sS3b, sCrit, sSoft}
	}
	inherits := p.S1a[opt] > p.Axes[sCrit][opt]
	switch int(st.axis) {
	case sSoft:
		if inherits {
			return []int{sSoft, sCrit}
		}
		return []int{sSoft}
	case sCrit:
		if inherits {
			return []int{sCrit}
		}
		return nil
	}
	return []int{int(st.axis)}
}
