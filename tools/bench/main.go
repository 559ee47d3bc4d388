// Command bench measures the registry under load on a generated catalogue:
//
//	go run ./tools/withpg -- go run ./tools/bench -products 100000
//
// It creates a fresh database (-db, dropped first) on the server of
// TEST_DATABASE_URL, migrates it, imports the seed through the catalogue
// service, bulk-loads a deterministic generated catalogue on top and runs
// ANALYZE. Then it builds the registry, starts it as a subprocess on a free
// 127.0.0.1 port against that database and drives three load phases at a
// fixed concurrency: the API search, the catalogue page and the product
// page. It prints a Markdown report (latency percentiles, throughput,
// errors, the registry's peak memory) with PASS or MISS per target, and
// with -write updates the measured section of docs/benchmarks.md.
//
// With -recompute n it first times n full recomputations of every level
// (recompute.go) and, with -write, updates their block in the same file;
// -phases none then skips the registry and the load phases.
//
// It exits non-zero when setup fails or more than 0.1 % of the requests of
// any phase fail; missing a latency target is reported, not fatal.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the command-line flags.
type options struct {
	gen         GenConfig
	db          string
	reuse       bool
	registry    string
	searchCache int // -1: the registry's default
	pageStore   bool
	concurrency int
	warmup      time.Duration
	duration    time.Duration
	requests    int
	phases      []string
	recompute   int
	write       string
	debugAddr   string
	hubChange   int
	hub         string
	args        []string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.gen.Products, "products", 100_000, "generated products on top of the seed")
	fs.IntVar(&o.gen.Orgs, "orgs", 0, "generated organisations (0: products/50, at least 20)")
	fs.IntVar(&o.gen.Edges, "edges", -1, "generated dependency edges, with hubs (-1: two per product; 1000000 for the graph benchmark)")
	fs.Uint64Var(&o.gen.Seed, "seed", 1, "seed of the generator's PRNG (same seed, same catalogue)")
	fs.StringVar(&o.db, "db", "registry_bench", "database to (re)create on TEST_DATABASE_URL's server")
	fs.BoolVar(&o.reuse, "reuse", false, "keep an existing, loaded -db instead of recreating it (for repeated runs on one server)")
	fs.StringVar(&o.registry, "registry", "", "registry binary to start (default: go build ./cmd/registry)")
	fs.BoolVar(&o.pageStore, "page-store", true, "REGISTRY_PAGE_STORE for the registry; with it on, the phases start once the page warmer has stored every product page")
	fs.IntVar(&o.searchCache, "search-cache", -1, "REGISTRY_SEARCH_CACHE for the registry (0: every search asks the database; -1: its default)")
	fs.StringVar(&o.debugAddr, "debug-addr", "", "REGISTRY_DEBUG_ADDR for the registry: serve its profiler there during the phases (e.g. 127.0.0.1:6060)")
	fs.IntVar(&o.concurrency, "c", 16, "concurrent clients per phase")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "warm-up per phase, not measured")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "measured duration per phase")
	fs.IntVar(&o.requests, "requests", 0, "measured requests per phase instead of -duration (0: use -duration)")
	phases := fs.String("phases", "api,page,product", "load phases to run: api (search API), page (catalogue page), product (product page), impact (outage impact of the largest hubs); none: no registry, no phases")
	fs.IntVar(&o.recompute, "recompute", 0, "time this many full recomputations (RecomputeAll) on the loaded database before the phases (see recompute.go)")
	fs.IntVar(&o.hubChange, "hub-change", 0, "time this many changes to the hub -hub (an import recomputing its dependents' levels) before the phases (see hubchange.go)")
	fs.StringVar(&o.hub, "hub", "aws", "the hub -hub-change changes (a seed product; aws is the largest)")
	fs.StringVar(&o.write, "write", "", "update the measured section of this file (docs/benchmarks.md)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if o.gen.Products < 0 || o.concurrency < 1 || o.duration <= 0 && o.requests <= 0 {
		return o, fmt.Errorf("-products must be ≥ 0, -c ≥ 1 and -duration or -requests positive")
	}
	for _, p := range strings.Split(*phases, ",") {
		if p == "none" {
			continue
		}
		if _, ok := phaseByName[p]; !ok {
			return o, fmt.Errorf("unknown phase %q (api, page, product, impact)", p)
		}
		o.phases = append(o.phases, p)
	}
	o.args = args
	return o, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 2
	}
	serverURL := getenv("TEST_DATABASE_URL")
	if serverURL == "" {
		fmt.Fprintln(stderr, "bench: TEST_DATABASE_URL is not set; run it through tools/withpg (make bench) or point it at a PostgreSQL server where it may create databases")
		return 2
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }

	rep := &report{opts: o, started: time.Now()}
	cat, err := prepareDatabase(ctx, serverURL, o, logf)
	if err != nil {
		logf("prepare database: %v", err)
		return 1
	}
	rep.load = cat.load
	rep.pgVersion = cat.pgVersion
	if o.recompute > 0 {
		runs, err := measureRecompute(ctx, cat.url, o.recompute, logf)
		if err != nil {
			logf("recompute: %v", err)
			return 1
		}
		if err := recomputeBlock.report(o, stdout, logf, "Full recomputation", recomputeMarkdown(runs, cat.load, o)); err != nil {
			logf("%v", err)
			return 1
		}
	}
	if o.hubChange > 0 {
		runs, err := measureHubChange(ctx, cat.url, o.hub, o.hubChange, logf)
		if err != nil {
			logf("hub change: %v", err)
			return 1
		}
		if err := hubChangeBlock.report(o, stdout, logf, "Change to the largest hub", hubChangeMarkdown(runs, o.hub, cat.load, o)); err != nil {
			logf("%v", err)
			return 1
		}
	}
	if len(o.phases) == 0 {
		return 0
	}

	var extraEnv []string
	if o.debugAddr != "" {
		extraEnv = append(extraEnv, "REGISTRY_DEBUG_ADDR="+o.debugAddr)
	}
	if o.searchCache >= 0 {
		extraEnv = append(extraEnv, fmt.Sprintf("REGISTRY_SEARCH_CACHE=%d", o.searchCache))
	}
	extraEnv = append(extraEnv, fmt.Sprintf("REGISTRY_PAGE_STORE=%v", o.pageStore))
	srv, err := startRegistry(ctx, o.registry, cat.url, extraEnv, logf)
	if err != nil {
		logf("start registry: %v", err)
		return 1
	}
	defer srv.stop(logf)
	if o.pageStore && slices.Contains(o.phases, "product") {
		if rep.pageWarmer, err = srv.waitForPageWarmer(ctx, time.Hour, logf); err != nil {
			logf("page store: %v", err)
			return 1
		}
		logf("page warmer stored every product page in %s", rep.pageWarmer.Round(time.Second))
	}

	failed := false
	rep.loadBefore = loadAverage()
	for _, name := range o.phases {
		ph := phaseByName[name]
		logf("phase %s: %s warm-up, then %s at concurrency %d", name, o.warmup, o.measureText(), o.concurrency)
		res, err := runPhase(ctx, srv.baseURL, ph, cat, o)
		if err != nil {
			logf("phase %s: %v", name, err)
			return 1
		}
		rep.phases = append(rep.phases, res)
		if res.errorRate() > 0.001 {
			failed = true
		}
	}
	rep.loadAfter = loadAverage()
	rep.memory, err = srv.memory()
	if err != nil {
		logf("read registry memory: %v", err)
		return 1
	}
	rep.finished = time.Now()

	md := rep.markdown()
	fmt.Fprint(stdout, md)
	if o.write != "" {
		if err := writeDoc(o.write, rep.docSection()); err != nil {
			logf("write %s: %v", o.write, err)
			return 1
		}
		logf("updated %s", o.write)
	}
	if tail := srv.logTail(); tail != "" && failed {
		logf("registry log (last lines):\n%s", tail)
	}
	if failed {
		logf("FAILED: more than 0.1 %% of the requests of a phase failed (see the errors column)")
		return 1
	}
	return 0
}

func (o options) measureText() string {
	if o.requests > 0 {
		return fmt.Sprintf("%d requests", o.requests)
	}
	return o.duration.String()
}
