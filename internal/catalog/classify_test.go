package catalog

import (
	"testing"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

func TestBulkByGraph(t *testing.T) {
	// hub ← a, hub ← b, a ← c: four of ten products reach back to hub.
	nodes := []sovereignty.GraphNode{{ID: "hub"}, {ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "leaf"}}
	edges := []sovereignty.GraphEdge{
		{Consumer: 1, Provider: 0, Criticality: sovereignty.Critical},
		{Consumer: 2, Provider: 0, Criticality: sovereignty.Critical},
		{Consumer: 3, Provider: 1, Criticality: sovereignty.Critical},
	}
	g := sovereignty.NewGraph(nodes, edges)
	tests := []struct {
		name  string
		ch    Changed
		share float64
		want  bool
	}{
		{"a hub reaching the share", Changed{Products: []string{"hub"}}, 0.4, true},
		{"a hub below the share", Changed{Products: []string{"hub"}}, 0.5, false},
		{"a leaf", Changed{Products: []string{"leaf"}}, 0.4, false},
		{"share 0: always in bulk", Changed{Products: []string{"leaf"}}, 0, true},
		{"an organisation: left to the exact list", Changed{Products: []string{"hub"}, Organizations: []string{"vendor"}}, 0, false},
		{"no product changed", Changed{}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bulkByGraph(g, tt.ch, 10, tt.share); got != tt.want {
				t.Errorf("bulkByGraph(%+v, share %v) = %v, want %v", tt.ch, tt.share, got, tt.want)
			}
		})
	}
}
