package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/testdb"
	"github.com/sovereignty-registry/registry/seed"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func mustSeed(t *testing.T) catalog.Dataset {
	t.Helper()
	d, err := seed.Load(seed.Files())
	if err != nil {
		t.Fatalf("load seed: %v", err)
	}
	return d
}

func TestGenerate(t *testing.T) {
	base := mustSeed(t)
	cfg := GenConfig{Products: 400, Edges: -1, Seed: 7}

	t.Run("same seed, same catalogue", func(t *testing.T) {
		a, b := Generate(cfg, base), Generate(cfg, base)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two runs with the same seed differ")
		}
		other := cfg
		other.Seed = 8
		if reflect.DeepEqual(a, Generate(other, base)) {
			t.Fatal("a different seed gives the same catalogue")
		}
	})

	t.Run("sizes and shape", func(t *testing.T) {
		d := Generate(cfg, base)
		if len(d.Products) != 400 || len(d.Organizations) != 20 {
			t.Fatalf("got %d products and %d organisations, want 400 and 20", len(d.Products), len(d.Organizations))
		}
		edges, hubEdges, open, proprietary := 0, 0, 0, 0
		isHub := map[string]bool{}
		for _, h := range hubs {
			isHub[h.slug] = true
		}
		for _, p := range d.Products {
			edges += len(p.Dependencies)
			for _, dep := range p.Dependencies {
				if isHub[dep.Provider] {
					hubEdges++
				}
			}
			switch n := len(strings.Fields(p.DescriptionDE)); {
			case n < 20 || n > 60:
				t.Errorf("%s: German description has %d words", p.Slug, n)
			}
			if p.License.Known && p.License.Value == catalog.ProprietaryLicense {
				proprietary++
			} else if p.License.Known {
				open++
			}
		}
		// A few draws are lost to repeated providers; hubs get about half.
		if edges < 700 || edges > 800 {
			t.Errorf("got %d edges, want about 800", edges)
		}
		if hubEdges < edges/3 || hubEdges > 2*edges/3 {
			t.Errorf("%d of %d edges go to hubs, want about half", hubEdges, edges)
		}
		if open == 0 || proprietary == 0 {
			t.Errorf("licences not mixed: %d open, %d proprietary", open, proprietary)
		}
	})

	t.Run("obeys the catalogue's rules", func(t *testing.T) {
		if err := merge(base, Generate(cfg, base)).Validate(); err != nil {
			t.Fatalf("seed plus generated catalogue is invalid: %v", err)
		}
	})

	t.Run("switchable hub-heavy graph", func(t *testing.T) {
		d := Generate(GenConfig{Products: 300, Edges: 3000, Seed: 1}, base)
		in := map[string]int{}
		edges := 0
		for _, p := range d.Products {
			edges += len(p.Dependencies)
			for _, dep := range p.Dependencies {
				in[dep.Provider]++
			}
		}
		if edges < 2700 {
			t.Errorf("got %d edges, want about 3000", edges)
		}
		if in["aws"] < edges/20 {
			t.Errorf("the largest hub has %d of %d edges, want a large share", in["aws"], edges)
		}
		if err := merge(base, d).Validate(); err != nil {
			t.Fatalf("invalid: %v", err)
		}
	})
}

// TestBulkLoad loads a small generated catalogue the way the benchmark
// does and checks that the registry's reads see it.
func TestBulkLoad(t *testing.T) {
	ctx := context.Background()
	st := storetest.Seeded(t)
	base := mustSeed(t)
	d := Generate(GenConfig{Products: 300, Edges: -1, Seed: 3}, base)
	rep, err := st.BulkInsert(ctx, d)
	if err != nil {
		t.Fatalf("bulk insert: %v", err)
	}
	if rep.Products != 300 || rep.DerivedFixed != 0 {
		t.Fatalf("report %+v: want 300 products and no corrected rows", rep)
	}
	svc := catalog.NewService(st)
	again, err := svc.Import(ctx, merge(base, d))
	if err != nil {
		t.Fatalf("import of the same catalogue: %v", err)
	}
	if again.Changed() {
		t.Errorf("the normal import would change bulk-loaded rows: %+v", again)
	}
	p, err := svc.Product(ctx, d.Products[299].Slug)
	if err != nil {
		t.Fatalf("product: %v", err)
	}
	if len(p.Product.Dependencies) != len(d.Products[299].Dependencies) {
		t.Errorf("%s has %d dependencies, want %d", p.Product.Slug, len(p.Product.Dependencies), len(d.Products[299].Dependencies))
	}
	res, err := svc.Search(ctx, catalog.Query{Text: "Mail"})
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if res.Total < 5 {
		t.Errorf("searching Mail finds %d products, want generated mail products too", res.Total)
	}
}

func TestSummarize(t *testing.T) {
	var samples []sample
	for i := 1; i <= 100; i++ {
		samples = append(samples, sample{kind: "k", latency: time.Duration(i) * time.Millisecond})
	}
	s := summarize(samples, "")
	if s.n != 100 || s.p50 != 50*time.Millisecond || s.p95 != 95*time.Millisecond || s.p99 != 99*time.Millisecond || s.max != 100*time.Millisecond {
		t.Errorf("got %+v", s)
	}
}

func TestWriteDoc(t *testing.T) {
	path := filepath.Join(t.TempDir(), "benchmarks.md")
	if err := os.WriteFile(path, []byte("# Benchmarks\n\nIntro.\n\n"+markBegin+"\nold\n"+markEnd+"\n\n## Analysis\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeDoc(path, "new figures\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# Benchmarks\n\nIntro.\n\n" + markBegin + "\nnew figures\n" + markEnd + "\n\n## Analysis\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestDocBlockReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "benchmarks.md")
	doc := "Intro.\n" + hubChangeBlock.begin + "\nold\n" + hubChangeBlock.end + "\n" + recomputeBlock.begin + "\nkept\n" + recomputeBlock.end + "\n"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	o := options{write: path}
	if err := hubChangeBlock.report(o, &out, func(string, ...any) {}, "Change to the largest hub", "| figures |\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !strings.Contains(string(got), hubChangeBlock.begin+"\nMeasured on ") || !strings.Contains(string(got), "| figures |\n"+hubChangeBlock.end) ||
		strings.Contains(string(got), "\nold\n") || !strings.Contains(string(got), "\nkept\n") {
		t.Errorf("file after report:\n%s", got)
	}
	if !strings.Contains(out.String(), "## Change to the largest hub ") || !strings.Contains(out.String(), "| figures |") {
		t.Errorf("printed %q", out.String())
	}
	if err := recomputeBlock.report(options{write: filepath.Join(t.TempDir(), "none.md")}, &out, func(string, ...any) {}, "x", "y"); err == nil {
		t.Error("report into a missing file: no error")
	}
}
