package sovereignty

// UpstreamClosure returns the sub-catalogue that decides the levels of the
// products ids: the products themselves, every product they depend on
// directly or transitively (through any edge, whatever its criticality or
// data access), and every organisation the rules consult for them (the
// vendors and offering operators and, transitively, every holder recorded
// on those organisations). An Engine built from it gives the products ids,
// and every other product of the closure, the same Summary as an Engine
// over the whole catalogue (TestUpstreamClosureSameSummary), because a
// product's levels depend only on its own facts, its control chains and its
// providers' levels.
//
// Records are copied shallowly, in catalogue order. IDs that are not in
// the catalogue are ignored. A dependency on a product missing from the
// whole catalogue stays missing in the closure and is treated the same way
// in both: pessimistically (it contributes nothing to the shown level and
// the worst rung of each inherited criterion to the pessimistic level), the
// product is marked provisional and its Result carries an
// "unknown_dependency" issue (methodology §5).
func UpstreamClosure(cat Catalogue, ids ...string) Catalogue {
	pidx := make(map[string]int, len(cat.Products))
	for i := range cat.Products {
		if _, dup := pidx[cat.Products[i].ID]; !dup {
			pidx[cat.Products[i].ID] = i
		}
	}
	oidx := make(map[string]int, len(cat.Organisations))
	for i := range cat.Organisations {
		// The last record of an ID wins, as in NewEngine.
		oidx[cat.Organisations[i].ID] = i
	}
	inP := make([]bool, len(cat.Products))
	var queue []int
	for _, id := range ids {
		if i, ok := pidx[id]; ok && !inP[i] {
			inP[i] = true
			queue = append(queue, i)
		}
	}
	inO := make([]bool, len(cat.Organisations))
	var oqueue []int
	addOrg := func(id string) {
		if i, ok := oidx[id]; ok && !inO[i] {
			inO[i] = true
			oqueue = append(oqueue, i)
		}
	}
	for k := 0; k < len(queue); k++ {
		p := &cat.Products[queue[k]]
		addOrg(p.Vendor)
		for _, of := range p.Offerings {
			addOrg(of.Operator)
		}
		for _, d := range p.Dependencies {
			if i, ok := pidx[d.Provider]; ok && !inP[i] {
				inP[i] = true
				queue = append(queue, i)
			}
		}
	}
	for k := 0; k < len(oqueue); k++ {
		for _, w := range cat.Organisations[oqueue[k]].Owners {
			addOrg(w.Holder)
		}
	}
	out := Catalogue{
		Organisations: make([]Organisation, 0, len(oqueue)),
		Products:      make([]Product, 0, len(queue)),
	}
	for i := range cat.Organisations {
		if inO[i] {
			out.Organisations = append(out.Organisations, cat.Organisations[i])
		}
	}
	for i := range cat.Products {
		if inP[i] {
			out.Products = append(out.Products, cat.Products[i])
		}
	}
	return out
}
