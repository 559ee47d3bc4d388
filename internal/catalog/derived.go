package catalog

import (
	"slices"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// HostingCountries lists, sorted and without repeats, the countries where a
// product's offerings keep data: the catalogue's "hosting country" facet.
func HostingCountries(p Product) []Country {
	var out []Country
	for _, o := range p.Offerings {
		if !o.DataLocations.Known {
			continue
		}
		for _, l := range o.DataLocations.Value {
			out = append(out, l.Country)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// OpenSource says whether a product is open source: yes when its licence is
// known and OSI-approved, no when known and not, unknown otherwise.
func OpenSource(p Product) Tri {
	if !p.License.Known {
		return Unknown
	}
	if sovereignty.IsOSIApproved(p.License.Value) {
		return Yes
	}
	return No
}
