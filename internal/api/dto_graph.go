package api

// dependencyTreeDTO is a product with its dependencies (or dependents)
// nested down to Depth hops.
type dependencyTreeDTO struct {
	Slug      string        `json:"slug"`
	Name      string        `json:"name"`
	Depth     int           `json:"depth"`
	Truncated bool          `json:"truncated"`
	Children  []treeNodeDTO `json:"children"`
	Links     selfLink      `json:"links"`
}

// treeNodeDTO is one product in a dependency tree with the edge that
// reaches it from its parent: in the dependencies tree the parent needs
// the node, in the dependents tree the node needs the parent. Cycle marks
// a product already on the way from the root (not expanded again);
// Truncated a node some of whose children were left out because the tree
// reached its size limit (MaxTreeNodes).
type treeNodeDTO struct {
	Slug        string        `json:"slug"`
	Name        string        `json:"name"`
	Role        string        `json:"role"`
	Criticality string        `json:"criticality"`
	DataAccess  *string       `json:"data_access"`
	Group       *string       `json:"group"`
	Cycle       bool          `json:"cycle"`
	Truncated   bool          `json:"truncated"`
	Children    []treeNodeDTO `json:"children"`
	Links       selfLink      `json:"links"`
}

// dependentsCount is how many products need a product, directly and at
// all (transitively), whatever the depth of the tree shown.
type dependentsCount struct {
	Direct     int `json:"direct"`
	Transitive int `json:"transitive"`
}

// impactDTO is the result of an outage simulation: what goes down (a
// critical path to a failed product) and what degrades (loses a feature).
type impactDTO struct {
	Failed   []string         `json:"failed"`
	Down     []impactEntryDTO `json:"down"`
	Degraded []impactEntryDTO `json:"degraded"`
}

// impactEntryDTO is one affected product: Via is the provider whose
// failure it suffers over the edge described by Role, Criticality and
// Group; Path runs from a failed product to this one.
type impactEntryDTO struct {
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	Depth       int      `json:"depth"`
	Via         string   `json:"via"`
	Role        string   `json:"role"`
	Criticality string   `json:"criticality"`
	Group       *string  `json:"group"`
	Path        []string `json:"path"`
	Links       selfLink `json:"links"`
}

type impactCounts struct {
	Failed   int `json:"failed"`
	Down     int `json:"down"`
	Degraded int `json:"degraded"`
}
