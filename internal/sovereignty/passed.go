package sovereignty

import "fmt"

// PassedLen is the length of Passed's integer form (Ints, PassedFromInts).
const PassedLen = 3*PassedAxes + 2

// PassedAxes is the number of axes a product passes on (Passed.Axes).
const PassedAxes = nSlot

// Passed is what a product passes on to its dependents under one
// perspective: its effective levels on the inherited axes (S1.b, S2.b,
// S3.b and the two helper axes of S5.a), optimistic and pessimistic, its own
// decision authority (S1.a), and per axis the position of its dependency
// that set the optimistic level (-1: its own facts), from which paths are
// rebuilt. The rules read nothing else of a provider, so a product's level
// and explanation follow from its own facts and its direct providers'
// Passed. Stored with every level, it lets a product be explained from a
// few records (NewFrozenEngine) instead of its whole upstream closure.
type Passed struct {
	// Axes are the effective levels; 5 means "no constraint known".
	Axes [PassedAxes][2]Level
	// S1a is the product's own decision-authority level.
	S1a [2]Level
	// Via are positions in the product's Dependencies (-1: none).
	Via [PassedAxes]int16
}

// Ints returns the integer form of p, PassedLen values, for storage.
func (p Passed) Ints() []int16 { return p.AppendInts(make([]int16, 0, PassedLen)) }

// AppendInts appends the integer form of p to dst (without allocating
// when dst has room for PassedLen more values).
func (p Passed) AppendInts(dst []int16) []int16 {
	for s := range p.Axes {
		dst = append(dst, int16(p.Axes[s][opt]), int16(p.Axes[s][pess]))
	}
	dst = append(dst, int16(p.S1a[opt]), int16(p.S1a[pess]))
	return append(dst, p.Via[:]...)
}

// PassedFromInts reads the integer form written by Ints. It rejects a
// value of the wrong length or out of range, so that stored garbage can
// never stand in for a provider.
func PassedFromInts(v []int16) (Passed, error) {
	var p Passed
	if len(v) != PassedLen {
		return p, fmt.Errorf("sovereignty: passed state has %d values, want %d", len(v), PassedLen)
	}
	level := func(x int16) (Level, error) {
		if x < int16(RSL0) || x > int16(levelNone) {
			return 0, fmt.Errorf("sovereignty: passed state level %d out of range", x)
		}
		return Level(x), nil
	}
	levels := make([]Level, 2*nSlot+2)
	for i := range levels {
		l, err := level(v[i])
		if err != nil {
			return Passed{}, err
		}
		levels[i] = l
	}
	for s := range p.Axes {
		p.Axes[s] = [2]Level{levels[2*s], levels[2*s+1]}
	}
	p.S1a = [2]Level{levels[2*nSlot], levels[2*nSlot+1]}
	for s := range p.Via {
		if p.Via[s] = v[2*nSlot+2+s]; p.Via[s] < -1 {
			return Passed{}, fmt.Errorf("sovereignty: passed state dependency %d out of range", p.Via[s])
		}
	}
	return p, nil
}

// passed is what product v passes on, from the engine's state.
func (e *Engine) passed(v int32) Passed {
	f := &e.eff[v]
	p := Passed{Axes: f.v, S1a: e.own[v].lv[cS1a]}
	for s, j := range f.via {
		p.Via[s] = int16(j)
	}
	return p
}
