package sovereignty

import "fmt"

// OwnLen is the length of Own's byte form (Own.AppendBytes, OwnFromBytes):
// two levels per criterion and one byte of flags.
const OwnLen = 2*int(nCrit) + 1

// Own is a product's own evaluation under one perspective: the levels its
// own facts (and its vendor's and operators' control chains) give every
// criterion, before anything is inherited, and the few facts about its
// offerings that inheritance reads (disclosed sub-processors and the
// like). Stored with the level beside Passed, it lets a change to a
// provider be carried to the product's level without reading the
// product's facts again (Graph.Repropagation).
type Own struct {
	n ownNode // ngroups is always 0: the failover groups come from the edges
}

// The flag bits of Own's byte form.
const (
	ownDisclosedOpt = 1 << iota
	ownDisclosedPess
	ownHidden
	ownSPUnknown
	ownComplete
	ownHasIssues
	ownHasOffering
)

// AppendBytes appends the byte form of o, OwnLen bytes, to dst.
func (o Own) AppendBytes(dst []byte) []byte {
	for c := range o.n.lv {
		dst = append(dst, byte(o.n.lv[c][opt]), byte(o.n.lv[c][pess]))
	}
	var f byte
	for _, fl := range [...]struct {
		set bool
		bit byte
	}{
		{o.n.disclosed[opt], ownDisclosedOpt}, {o.n.disclosed[pess], ownDisclosedPess}, {o.n.hidden, ownHidden},
		{o.n.spUnknown, ownSPUnknown}, {o.n.complete, ownComplete}, {o.n.hasIssues, ownHasIssues}, {o.n.hasOffering, ownHasOffering},
	} {
		if fl.set {
			f |= fl.bit
		}
	}
	return append(dst, f)
}

// OwnFromBytes reads the byte form written by AppendBytes. It rejects a
// value of the wrong length, a level out of range or an unknown flag, so
// that stored garbage can never stand in for a product's facts.
func OwnFromBytes(b []byte) (Own, error) {
	var o Own
	if len(b) != OwnLen {
		return o, fmt.Errorf("sovereignty: own evaluation has %d bytes, want %d", len(b), OwnLen)
	}
	for i, x := range b[:2*nCrit] {
		if Level(x) > levelNone {
			return Own{}, fmt.Errorf("sovereignty: own evaluation level %d out of range", x)
		}
		o.n.lv[i/2][i%2] = Level(x)
	}
	f := b[2*nCrit]
	if f >= ownHasOffering<<1 {
		return Own{}, fmt.Errorf("sovereignty: own evaluation flags %#x unknown", f)
	}
	o.n.disclosed = [2]bool{f&ownDisclosedOpt != 0, f&ownDisclosedPess != 0}
	o.n.hidden = f&ownHidden != 0
	o.n.spUnknown = f&ownSPUnknown != 0
	o.n.complete = f&ownComplete != 0
	o.n.hasIssues = f&ownHasIssues != 0
	o.n.hasOffering = f&ownHasOffering != 0
	return o, nil
}

// ownOf is product v's own evaluation, from the engine's state.
func (e *Engine) ownOf(v int32) Own {
	n := e.own[v]
	n.ngroups = 0
	return Own{n: n}
}
