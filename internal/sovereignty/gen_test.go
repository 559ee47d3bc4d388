package sovereignty

import (
	"fmt"
	"math/rand/v2"
)

// genCatalogue builds a deterministic synthetic catalogue with realistic
// hubs: a few providers (hub-0 … hub-19, CDN- and cloud-like) receive a
// large share of all edges, the rest of the graph is mostly layered (a
// product depends on earlier ones) with a small share of back edges, so it
// contains cycles as real catalogues do.
func genCatalogue(nProducts, nEdges int, seed uint64) Catalogue {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	countries := []string{"DE", "FR", "NL", "IT", "ES", "SE", "FI", "PL", "IE", "AT", "US", "US", "US", "US", "GB", "CN", "CH", "NO"}
	nOrgs := nProducts/10 + 1
	cat := Catalogue{Organisations: make([]Organisation, nOrgs), Products: make([]Product, nProducts)}
	orgIDs := make([]string, nOrgs)
	for i := range orgIDs {
		orgIDs[i] = fmt.Sprintf("org-%d", i)
	}
	for i := range cat.Organisations {
		c := countries[r.IntN(len(countries))]
		o := Organisation{ID: orgIDs[i], Name: orgIDs[i], RegistrationCountry: cf(c), HQCountry: cf(c),
			PresenceCountries: KnownFact([]string{c, countries[r.IntN(len(countries))]}, day, "gen")}
		if i > 0 && r.IntN(5) == 0 {
			o.Owners = []Ownership{holder(orgIDs[r.IntN(i)], float64(10+r.IntN(80)), TriUnknown)}
		}
		cat.Organisations[i] = o
	}
	ids := make([]string, nProducts)
	for i := range ids {
		if i < 20 {
			ids[i] = fmt.Sprintf("hub-%d", i)
		} else {
			ids[i] = fmt.Sprintf("p-%d", i)
		}
	}
	accesses := []DataAccess{AccessPlaintext, AccessPlaintext, AccessPlaintext, AccessPlaintext, AccessPlaintext,
		AccessMetadataTechnical, AccessMetadataTechnical, AccessEncryptedCustomer, AccessNone, AccessUnknown}
	crits := []Criticality{Critical, Critical, Critical, Critical, Critical, Critical, Degrading, Degrading, Degrading, Optional}
	licences := []string{"LicenseRef-Proprietary", "LicenseRef-Proprietary", "Apache-2.0", "AGPL-3.0-only", "MIT"}
	// Harmonic weights: hub k gets a share proportional to 1/(k+1).
	var hubW [20]float64
	total := 0.0
	for k := range hubW {
		total += 1 / float64(k+1)
		hubW[k] = total
	}
	perProduct := nEdges / nProducts
	for i := range cat.Products {
		op := orgIDs[r.IntN(nOrgs)]
		p := Product{ID: ids[i], Name: ids[i], Kind: KindSaaS, Vendor: op,
			License:      cf(licences[r.IntN(len(licences))]),
			Governance:   KnownFact(GovSingleVendor, day, "gen"),
			SelfHostable: KnownFact(r.IntN(4) == 0, day, "gen"),
			PhoneHome:    KnownFact(r.IntN(2) == 0, day, "gen"),
		}
		if r.IntN(10) < 7 {
			of := offering(op, countries[r.IntN(len(countries))], []KeyManagement{KeysProvider, KeysBYOK, KeysHYOK, KeysE2EE}[r.IntN(4)])
			if r.IntN(5) == 0 {
				of.SubprocessorList = Fact[string]{}
			}
			p.Offerings = []Offering{of}
		}
		if i >= 20 {
			p.Dependencies = make([]Dependency, 0, perProduct)
			for k := 0; k < perProduct; k++ {
				var prov int
				switch x := r.IntN(1000); {
				case x < 300:
					u := r.Float64() * total
					for prov = 0; hubW[prov] < u; prov++ {
					}
				case x < 302:
					prov = r.IntN(nProducts) // back edge: cycles
				default:
					prov = 20 + r.IntN(i-19) // an earlier product
					if prov == i {
						prov = r.IntN(20)
					}
				}
				d := Dependency{Provider: ids[prov], Role: "compute_hosting", DataAccess: accesses[r.IntN(len(accesses))],
					Criticality: crits[r.IntN(len(crits))]}
				if d.Criticality == Critical && r.IntN(10) == 0 {
					d.Group = "failover"
				}
				p.Dependencies = append(p.Dependencies, d)
			}
		}
		cat.Products[i] = p
	}
	return cat
}
