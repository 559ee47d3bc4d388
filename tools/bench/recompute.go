package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// The -recompute step times full recomputations end to end
// (catalog.Service.RecomputeAll: load the whole catalogue with its
// evidence, run the rules for every perspective, write every level) on the
// loaded database, in this process, before any load phase. Each run
// measures two cases:
//
//   - unchanged: the stored levels are current, so nothing needs writing
//     (`registry seed`, a restart that finds levels missing);
//   - rewritten: every stored level carries another rule version, so every
//     row is written (the first start after a rule change).
//
// The catalogue load's "classify every product" is the third case: every
// level inserted into an empty table.

// recomputeTarget is issue 3's target for a full recomputation.
const recomputeTarget = 10 * time.Second

// recomputeRun is one measured recomputation.
type recomputeRun struct {
	unchanged, rewritten time.Duration
	// Load average (1 min) before each case; peak Go heap of this process
	// (live and unswept objects) during the run.
	loadUnchanged, loadRewritten string
	peakHeap                     uint64
}

// measureRecompute runs n recomputations on the database at url.
func measureRecompute(ctx context.Context, url string, n int, logf func(string, ...any)) ([]recomputeRun, error) {
	st, err := openStore(ctx, url)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	svc := catalog.NewService(st)
	// Start from current levels and a vacuumed table, whatever the
	// database went through before.
	if _, err := svc.EnsureClassified(ctx); err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	vacuum := func() error {
		_, err := st.DB().ExecContext(ctx, `VACUUM (ANALYZE) product_levels`)
		return err
	}
	if err := vacuum(); err != nil {
		return nil, err
	}
	var runs []recomputeRun
	for i := range n {
		var r recomputeRun
		peak := sampleHeap()
		r.loadUnchanged = loadAverage()
		t := time.Now()
		if err := svc.RecomputeAll(ctx); err != nil {
			return nil, fmt.Errorf("recompute: %w", err)
		}
		r.unchanged = time.Since(t)
		logf("recompute %d/%d, levels unchanged: %s (load average before %s)", i+1, n, r.unchanged.Round(time.Millisecond), r.loadUnchanged)

		// Untimed: give every level another rule version, then vacuum as
		// autovacuum would have between two starts.
		if _, err := st.DB().ExecContext(ctx, `UPDATE product_levels SET rule_version = 'previous'`); err != nil {
			return nil, err
		}
		if err := vacuum(); err != nil {
			return nil, err
		}
		r.loadRewritten = loadAverage()
		t = time.Now()
		if err := svc.RecomputeAll(ctx); err != nil {
			return nil, fmt.Errorf("recompute: %w", err)
		}
		r.rewritten = time.Since(t)
		r.peakHeap = peak()
		logf("recompute %d/%d, every level rewritten: %s (load average before %s); peak Go heap %s",
			i+1, n, r.rewritten.Round(time.Millisecond), r.loadRewritten, mib(int64(r.peakHeap)))
		if err := vacuum(); err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// sampleHeap samples the Go heap every 20 ms until the returned function is
// called, which returns the largest sample.
func sampleHeap() func() uint64 {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// recomputeMarkdown reports the runs.
func recomputeMarkdown(runs []recomputeRun, ls loadStats, o options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Catalogue: %d products, %d dependency edges, %d evidence links; %d CPUs, %s.\n",
		ls.products, ls.edges, ls.evidence, runtime.NumCPU(), cpuModel())
	fmt.Fprintf(&b, "Command: `go run ./tools/withpg -- go run ./tools/bench %s`.\n\n", strings.Join(o.args, " "))
	b.WriteString("| full recomputation, end to end | time | load average before | target | |\n|---|---:|---:|---:|---|\n")
	if !ls.reused {
		fmt.Fprintf(&b, "| into an empty levels table (catalogue load) | %.1f s | | ≤ %.0f s | %s |\n",
			ls.classify.Seconds(), recomputeTarget.Seconds(), verdict(ls.classify <= recomputeTarget))
	}
	for i, r := range runs {
		fmt.Fprintf(&b, "| run %d: levels unchanged | %.1f s | %s | ≤ %.0f s | %s |\n", i+1, r.unchanged.Seconds(), r.loadUnchanged,
			recomputeTarget.Seconds(), verdict(r.unchanged <= recomputeTarget))
		fmt.Fprintf(&b, "| run %d: every level rewritten (new rule version) | %.1f s | %s | ≤ %.0f s | %s |\n", i+1, r.rewritten.Seconds(),
			r.loadRewritten, recomputeTarget.Seconds(), verdict(r.rewritten <= recomputeTarget))
	}
	peak := uint64(0)
	for _, r := range runs {
		peak = max(peak, r.peakHeap)
	}
	if len(runs) > 0 {
		fmt.Fprintf(&b, "\nPeak Go heap of the recomputing process: %s (sampled every 20 ms; PostgreSQL not included).\n", mib(int64(peak)))
	}
	return b.String()
}

// recomputeBlock is where -write puts the recomputation figures
// (docs/benchmarks.md, section "Classification").
var recomputeBlock = docBlock{
	name:  "recomputation",
	begin: "<!-- bench:recompute:begin (written by tools/bench -recompute -write) -->",
	end:   "<!-- bench:recompute:end -->",
}
