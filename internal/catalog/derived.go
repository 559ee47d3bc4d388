package catalog

import (
	"slices"
	"strings"
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

// osiApproved holds the OSI-approved licences the catalogue meets; an
// expression counts as open source when every licence in it is approved.
var osiApproved = map[string]bool{
	"0BSD": true, "AFL-3.0": true, "AGPL-3.0": true, "AGPL-3.0-only": true, "AGPL-3.0-or-later": true,
	"Apache-2.0": true, "APSL-2.0": true, "Artistic-2.0": true, "BSD-2-Clause": true, "BSD-3-Clause": true,
	"BSL-1.0": true, "CDDL-1.0": true, "ECL-2.0": true, "EPL-1.0": true, "EPL-2.0": true, "EUPL-1.1": true,
	"EUPL-1.2": true, "GPL-2.0": true, "GPL-2.0-only": true, "GPL-2.0-or-later": true, "GPL-3.0": true,
	"GPL-3.0-only": true, "GPL-3.0-or-later": true, "ISC": true, "LGPL-2.1": true, "LGPL-2.1-only": true,
	"LGPL-2.1-or-later": true, "LGPL-3.0": true, "LGPL-3.0-only": true, "LGPL-3.0-or-later": true,
	"MIT": true, "MPL-2.0": true, "MS-PL": true, "NCSA": true, "OSL-3.0": true, "PostgreSQL": true,
	"UPL-1.0": true, "Unlicense": true, "Zlib": true, "CECILL-2.1": true, "MirOS": true,
}

// IsOSIApproved reports whether every licence in an SPDX expression is
// OSI-approved (exceptions after WITH do not change that).
func IsOSIApproved(expr string) bool {
	toks := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(expr))
	if len(toks) == 0 {
		return false
	}
	for i := 0; i < len(toks); i++ {
		switch t := toks[i]; t {
		case "AND", "OR":
		case "WITH":
			i++ // skip the exception id
		default:
			if !osiApproved[strings.TrimSuffix(t, "+")] {
				return false
			}
		}
	}
	return true
}

// OpenSource says whether a product is open source: yes when its licence is
// known and OSI-approved, no when known and not, unknown otherwise.
func OpenSource(p Product) Tri {
	if !p.License.Known {
		return Unknown
	}
	if IsOSIApproved(p.License.Value) {
		return Yes
	}
	return No
}
