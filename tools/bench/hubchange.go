package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/seed"
)

// The -hub-change step times a change to the largest hub end to end, the
// way an editor's change reaches the database: the seed catalogue is
// imported again (catalog.Service.Import, as `registry seed` and a
// published submission do) with the hub changed, so the import writes the
// hub and, in the same transaction, recomputes and stores the levels of
// every product the change can move.
//
// Each run makes two changes, both in the benchmark's database only (the
// seed files are not touched):
//
//   - a change that moves levels: the data location of the hub's first
//     offering alternates between the seed's (unknown for aws) and China
//     (a synthetic fact, see moveDataLocation), which changes what
//     the hub passes on to its dependents (S3.b), so every dependent is
//     computed again and many levels are rewritten;
//   - a change that moves none: the evidence of the hub's governance fact
//     goes from the seed's one source to two of the hub's own, a change to a
//     fact that the import must treat as such; the hub still passes on
//     what it did, so its dependents need no work (catalog's cutoff).

// hubChangeTarget is issue 3's target for a recomputation after a change
// to the largest hub.
const hubChangeTarget = 2 * time.Second

// hubChangeRun is one measured change.
type hubChangeRun struct {
	run      int
	kind     string // what changed, for the report
	took     time.Duration
	load     string
	computed int // products whose levels the import computed
	by       catalog.ReclassifyPath
	written  int // levels (product × perspective) it wrote
}

// measureHubChange changes the hub n times on the database at url.
func measureHubChange(ctx context.Context, url, hub string, n int, logf func(string, ...any)) ([]hubChangeRun, error) {
	st, err := openStore(ctx, url)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	svc := catalog.NewService(st)
	g, err := svc.Graph(ctx)
	if err != nil {
		return nil, err
	}
	_, affected, err := g.CountDependents(hub)
	if err != nil {
		return nil, fmt.Errorf("hub %s: %w", hub, err)
	}
	logf("hub %s: %d dependents", hub, affected)
	var runs []hubChangeRun
	for i := range n {
		abroad := i%2 == 0
		for _, step := range []struct {
			kind     string
			evidence bool
		}{
			{map[bool]string{true: "data location moved to CN (levels move)", false: "data location and evidence restored (levels move)"}[abroad], false},
			{"evidence of a fact changed (no level moves)", true},
		} {
			d, err := seed.Load(seed.Files())
			if err != nil {
				return nil, err
			}
			if err := moveDataLocation(&d, hub, abroad); err != nil {
				return nil, err
			}
			if step.evidence {
				// The seed cites one source; the step before imported it.
				if err := changeGovernanceEvidence(&d, hub, true); err != nil {
					return nil, err
				}
			}
			load := loadAverage()
			start := time.Now()
			rep, err := svc.Import(ctx, d)
			took := time.Since(start)
			if err != nil {
				return nil, fmt.Errorf("import with %s changed: %w", hub, err)
			}
			var written int
			if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM product_levels WHERE computed_at >= $1`, start).Scan(&written); err != nil {
				return nil, err
			}
			if rep.Updated == 0 {
				return nil, fmt.Errorf("import with %s changed updated nothing (%+v)", hub, rep)
			}
			logf("hub change %d, %s: %s (%d products computed by %s, %d levels written, load average %s)", i+1, step.kind, took.Round(time.Millisecond), rep.Reclassified, rep.ReclassifiedBy, written, load)
			runs = append(runs, hubChangeRun{run: i + 1, kind: step.kind, took: took, load: load, computed: rep.Reclassified, by: rep.ReclassifiedBy, written: written})
		}
	}
	// Leave the seed as shipped: the next run of any step starts from it.
	d, err := seed.Load(seed.Files())
	if err != nil {
		return nil, err
	}
	if _, err := svc.Import(ctx, d); err != nil {
		return nil, fmt.Errorf("restore the seed: %w", err)
	}
	return runs, nil
}

// moveDataLocation sets the data location of the hub's first offering to
// China (abroad), citing one of the hub's own sources: a synthetic change
// in the benchmark's database, which the next import of the seed undoes;
// or leaves the seed's (not abroad).
func moveDataLocation(d *catalog.Dataset, hub string, abroad bool) error {
	i := slices.IndexFunc(d.Products, func(p catalog.Product) bool { return p.Slug == hub })
	if i < 0 {
		return fmt.Errorf("hub %s is not in the seed", hub)
	}
	p := &d.Products[i]
	if len(p.Offerings) == 0 || len(p.VendorHosted.Sources) == 0 {
		return fmt.Errorf("hub %s: no offering, or no source to cite", hub)
	}
	if abroad {
		p.Offerings = slices.Clone(p.Offerings)
		p.Offerings[0].DataLocations = catalog.KnownFact([]catalog.DataLocation{{Country: "CN", Purpose: catalog.PurposePrimary}}, p.VendorHosted.Sources[0])
	}
	return nil
}

// changeGovernanceEvidence cites one more of the hub's own sources for its
// governance fact (more is true) or only the first one.
func changeGovernanceEvidence(d *catalog.Dataset, hub string, more bool) error {
	i := slices.IndexFunc(d.Products, func(p catalog.Product) bool { return p.Slug == hub })
	if i < 0 {
		return fmt.Errorf("hub %s is not in the seed", hub)
	}
	p := &d.Products[i]
	if len(p.Governance.Sources) == 0 {
		return fmt.Errorf("hub %s: its governance fact cites no source", hub)
	}
	first := p.Governance.Sources[0]
	p.Governance.Sources = []string{first}
	if !more {
		return nil
	}
	for _, f := range [][]string{p.VendorHosted.Sources, p.SelfHostable.Sources, p.License.Sources} {
		for _, s := range f {
			if s != first {
				p.Governance.Sources = append(p.Governance.Sources, s)
				return nil
			}
		}
	}
	return fmt.Errorf("hub %s has no second source to cite", hub)
}

// hubChangeMarkdown reports the runs.
func hubChangeMarkdown(runs []hubChangeRun, hub string, ls loadStats, o options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Catalogue: %d products, %d dependency edges; %d CPUs, %s.\n",
		ls.products, ls.edges, runtime.NumCPU(), cpuModel())
	fmt.Fprintf(&b, "Command: `go run ./tools/withpg -- go run ./tools/bench %s`.\n\n", strings.Join(o.args, " "))
	b.WriteString("| change to the largest hub (`" + hub + "`), import end to end | time | products computed | how | levels written | load average before | target | |\n|---|---:|---:|---|---:|---:|---:|---|\n")
	for _, r := range runs {
		took := fmt.Sprintf("%.2f s", r.took.Seconds())
		if r.took < time.Second {
			took = ms(r.took) // a cutoff's tens of milliseconds would read "0.0 s"
		}
		fmt.Fprintf(&b, "| run %d: %s | %s | %d | %s | %d | %s | ≤ %.0f s | %s |\n",
			r.run, r.kind, took, r.computed, r.by, r.written, r.load, hubChangeTarget.Seconds(), verdict(r.took <= hubChangeTarget))
	}
	return b.String()
}

// hubChangeBlock is where -write puts the hub-change figures.
var hubChangeBlock = docBlock{
	name:  "hub-change",
	begin: "<!-- bench:hubchange:begin (written by tools/bench -hub-change -write) -->",
	end:   "<!-- bench:hubchange:end -->",
}

// docBlock is a block of docs/benchmarks.md that a step of the benchmark
// rewrites: the lines between begin and end.
type docBlock struct {
	name, begin, end string
}

// report prints a step's figures md under title and, with -write, puts
// them, dated, into their block of that file.
func (blk docBlock) report(o options, stdout io.Writer, logf func(string, ...any), title, md string) error {
	now := time.Now().UTC()
	fmt.Fprintf(stdout, "\n## %s %s\n\n%s", title, now.Format("2006-01-02 15:04 UTC"), md)
	if o.write == "" {
		return nil
	}
	if err := replaceBlock(o.write, blk.begin, blk.end, fmt.Sprintf("Measured on %s.\n\n%s", now.Format("2006-01-02"), md)); err != nil {
		return fmt.Errorf("write %s: %w", o.write, err)
	}
	logf("updated the %s block of %s", blk.name, o.write)
	return nil
}

// replaceBlock replaces what lies between the lines begin and end of the
// file at path (docs/benchmarks.md) with section.
func replaceBlock(path, begin, end, section string) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc := string(old)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s … %s block", path, begin, end)
	}
	doc = doc[:i] + begin + "\n" + section + end + doc[j+len(end):]
	return os.WriteFile(path, []byte(doc), 0o644)
}
