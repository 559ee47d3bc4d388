package sovereignty

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// explainSample is a fixed sample of generated products of the benchmark
// graph, as a product page would be asked for them.
func explainSample(n int) []string {
	r := rand.New(rand.NewPCG(7, 11))
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("p-%d", 20+r.IntN(100_000-20))
	}
	return out
}

// benchmarkExplain explains the sample's products one per iteration, the
// way explain says, on the 1,000,000-edge graph, and reports how many
// products the rules read per explanation.
func benchmarkExplain(b *testing.B, explain func(x explainer, tb testing.TB, id string, o Options) (Result, int)) {
	cat := benchCatalogue()
	full, err := NewEngine(cat, Options{AsOf: asOf})
	if err != nil {
		b.Fatal(err)
	}
	x := newExplainer(full, cat)
	ids := explainSample(200)
	o := Options{AsOf: asOf}
	read := 0
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		_, n := explain(x, b, ids[i%len(ids)], o)
		read += n
		i++
	}
	b.ReportMetric(float64(read)/float64(i), "products/op")
}

// BenchmarkExplainClosure explains a product over its upstream closure, as
// product pages did before stored passed states.
func BenchmarkExplainClosure(b *testing.B) { benchmarkExplain(b, explainer.closure) }

// BenchmarkExplainFrozen explains a product from its direct providers'
// stored states and the products its paths pass through (what
// catalog.Service.explainFrozen does, without the database).
func BenchmarkExplainFrozen(b *testing.B) { benchmarkExplain(b, explainer.frozen) }
