package sovereignty

import (
	"slices"
	"testing"
	"testing/quick"
)

func cloneCatalogue(c Catalogue) Catalogue {
	out := Catalogue{Organisations: c.Organisations, Products: slices.Clone(c.Products)}
	for i := range out.Products {
		out.Products[i].Dependencies = slices.Clone(out.Products[i].Dependencies)
	}
	return out
}

func effLevels(t *testing.T, e *Engine) map[string][nCrit][2]Level {
	out := map[string][nCrit][2]Level{}
	for i := range e.products {
		out[e.products[i].ID] = e.effective(int32(i))
	}
	return out
}

// TestPropertyAddingDependencyNeverRaises: adding a dependency (outside a
// failover group, where a new member is an alternative and may rightly
// help) never raises any criterion, objective or overall level of any
// product, optimistic or pessimistic.
func TestPropertyAddingDependencyNeverRaises(t *testing.T) {
	base := genCatalogue(300, 1500, 11)
	before := mustEngine(t, base, "")
	f := func(consumer, provider uint16, access, criticality uint8) bool {
		cat := cloneCatalogue(base)
		c := int(consumer) % len(cat.Products)
		p := int(provider) % len(cat.Products)
		accs := []DataAccess{AccessNone, AccessMetadataTechnical, AccessEncryptedCustomer, AccessPlaintext, AccessUnknown}
		crits := []Criticality{Critical, Degrading, Optional}
		cat.Products[c].Dependencies = append(cat.Products[c].Dependencies,
			dep(cat.Products[p].ID, "storage", accs[int(access)%len(accs)], crits[int(criticality)%len(crits)], ""))
		after := mustEngine(t, cat, "")
		for _, s := range after.Summaries() {
			b, _ := before.Summary(s.ProductID)
			if s.Overall > b.Overall || s.Pessimistic > b.Pessimistic {
				t.Logf("%s: %s/%s → %s/%s", s.ProductID, b.Overall, b.Pessimistic, s.Overall, s.Pessimistic)
				return false
			}
			for i := range s.Objectives {
				if s.Objectives[i].Level > b.Objectives[i].Level && b.Objectives[i].Answered {
					return false
				}
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 40, Rand: newQuickRand(1)}); err != nil {
		t.Fatal(err)
	}
}

// TestPropertyNoAccessNeverChangesLegalLevel: a dependency that can read
// nothing (none, or content encrypted with customer-held keys) never
// changes the legal and data-location levels (S2.a, S2.b, S3.b) of any
// product.
func TestPropertyNoAccessNeverChangesLegalLevel(t *testing.T) {
	base := genCatalogue(300, 1500, 12)
	before := effLevels(t, mustEngine(t, base, ""))
	f := func(consumer, provider uint16, enc bool, criticality uint8) bool {
		cat := cloneCatalogue(base)
		c := int(consumer) % len(cat.Products)
		p := int(provider) % len(cat.Products)
		acc := AccessNone
		if enc {
			acc = AccessEncryptedCustomer
		}
		crits := []Criticality{Critical, Degrading, Optional}
		cat.Products[c].Dependencies = append(cat.Products[c].Dependencies,
			dep(cat.Products[p].ID, "dns", acc, crits[int(criticality)%len(crits)], ""))
		after := effLevels(t, mustEngine(t, cat, ""))
		for id, lv := range after {
			for _, k := range []critIdx{cS2a, cS2b, cS3b} {
				if lv[k] != before[id][k] {
					t.Logf("%s %s: %v → %v", id, criteria[k].ID, before[id][k], lv[k])
					return false
				}
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 40, Rand: newQuickRand(2)}); err != nil {
		t.Fatal(err)
	}
}

// TestPropertyPessimisticNeverAbove: the pessimistic level is never above
// the shown level, and a provisional flag accompanies any gap.
func TestPropertyPessimisticNeverAbove(t *testing.T) {
	e := mustEngine(t, genCatalogue(500, 3000, 13), "")
	for _, s := range e.Summaries() {
		if s.Pessimistic > s.Overall || (s.Pessimistic < s.Overall && !s.Provisional) {
			t.Fatalf("%+v", s)
		}
	}
}
