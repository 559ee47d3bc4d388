package sovereignty

import (
	"maps"
	"slices"
)

// OSIListSource is where the OSI-approved licence list of RuleVersion is
// taken from (the "OSI Approved" column of https://spdx.org/licenses/
// gives the same identifiers).
const OSIListSource = "https://opensource.org/licenses"

// OSIApprovedLicenses returns the SPDX identifiers that IsOSIApproved
// accepts on their own, sorted. The list is part of the reference data of
// RuleVersion: it is a fresh copy, and changing it changes nothing; the
// list itself changes only with a new rule version.
func OSIApprovedLicenses() []string {
	return slices.Sorted(maps.Keys(osiApproved))
}
