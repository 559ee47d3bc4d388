package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// memoryTarget is the registry's peak resident memory target.
const memoryTarget = 200 << 20

// report collects a run's figures.
type report struct {
	opts              options
	started, finished time.Time
	pgVersion         string
	load              loadStats
	phases            []phaseResult
	memory            memoryStats
	// loadBefore and loadAfter are the machine's 1-minute load average.
	loadBefore, loadAfter string
	// pageWarmer is how long the page warmer took to store every product
	// page before the phases (0: page store off or no product phase).
	pageWarmer time.Duration
}

// loadAverage reads the 1-minute load average.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

// markdown is the report printed to stdout.
func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Benchmark %s\n\n", r.started.UTC().Format("2006-01-02 15:04 UTC"))
	b.WriteString(r.results())
	return b.String()
}

// results are the tables shared by stdout and the document.
func (r *report) results() string {
	var b strings.Builder
	l := r.load
	fmt.Fprintf(&b, "Catalogue: %d products, %d organisations, %d dependency edges, %d evidence links; database %s.\n",
		l.products, l.orgs, l.edges, l.evidence, l.dbSize)
	if l.reused {
		b.WriteString("Load: reused an existing database (-reuse).\n\n")
	} else {
		fmt.Fprintf(&b, "Load: %s in all: migrate + seed import %s, generate + validate %s, bulk insert (COPY) %s, classify every product %s, VACUUM (ANALYZE) %s.\n\n",
			l.total.Round(100*time.Millisecond), l.seedImport.Round(100*time.Millisecond), l.generate.Round(100*time.Millisecond),
			l.bulk.Round(100*time.Millisecond), l.classify.Round(100*time.Millisecond), l.analyze.Round(100*time.Millisecond))
	}
	if r.opts.pageStore {
		fmt.Fprintf(&b, "Page store on (REGISTRY_PAGE_STORE=true): ")
		if r.pageWarmer > 0 {
			fmt.Fprintf(&b, "the phases began once the page warmer had stored every product page in both languages, %s after the start.\n\n", r.pageWarmer.Round(time.Second))
		} else {
			b.WriteString("no product phase, so the phases did not wait for the page warmer.\n\n")
		}
	} else {
		b.WriteString("Page store off (REGISTRY_PAGE_STORE=false): every product page is read and rendered.\n\n")
	}
	fmt.Fprintf(&b, "Concurrency %d, warm-up %s, then %s per phase. Load average (1 min) before the phases %s, after %s: other work on the machine competes for the same %d CPUs.\n\n",
		r.opts.concurrency, r.opts.warmup, r.opts.measureText(), r.loadBefore, r.loadAfter, runtime.NumCPU())
	b.WriteString("| phase | requests | errors | req/s | p50 | p95 | p99 | max | p95 target | |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, p := range r.phases {
		s := summarize(p.samples, "")
		fmt.Fprintf(&b, "| %s | %d | %d | %.0f | %s | %s | %s | %s | ≤ %s | %s |\n", p.phase.title, s.n, p.errors,
			float64(s.n)/p.elapsed.Seconds(), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), ms(p.phase.target),
			verdict(s.p95 <= p.phase.target && p.errorRate() <= 0.001))
	}
	fmt.Fprintf(&b, "| registry peak memory (VmHWM) | | | | | | | %s | ≤ %s | %s |\n\n",
		mib(r.memory.peakRSS), mib(memoryTarget), verdict(r.memory.peakRSS <= memoryTarget))
	fmt.Fprintf(&b, "Memory is the registry process alone (VmHWM = peak resident set, from /proc/<pid>/status; RSS at the end %s); PostgreSQL's memory is not included.\n\n",
		mib(r.memory.rss))

	b.WriteString("By request kind:\n\n| phase | kind | requests | p50 | p95 | p99 | max |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, p := range r.phases {
		for _, k := range kindsOf(p) {
			s := summarize(p.samples, k)
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s |\n", p.phase.name, k, s.n, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max))
		}
	}
	for _, p := range r.phases {
		for _, e := range p.firstErr {
			fmt.Fprintf(&b, "\nerror in %s: %s", p.phase.name, e)
		}
	}
	b.WriteString("\n")
	return b.String()
}

// kindsOf lists the request kinds of a phase in a stable order.
func kindsOf(p phaseResult) []string {
	switch p.phase.name {
	case "product":
		return []string{"generated product", "seed product"}
	case "impact":
		kinds := make([]string, len(impactRequests))
		for i, r := range impactRequests {
			kinds[i] = r.kind
		}
		return kinds
	}
	return searchKinds
}

// docSection is the measured section of docs/benchmarks.md.
func (r *report) docSection() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured on %s.\n\n", r.started.UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, "- Machine: %d CPUs (%s), %s memory\n", runtime.NumCPU(), cpuModel(), memTotal())
	fmt.Fprintf(&b, "- Go %s, PostgreSQL %s (throwaway server of tools/withpg, default settings)\n", strings.TrimPrefix(runtime.Version(), "go"), r.pgVersion)
	fmt.Fprintf(&b, "- Command: `go run ./tools/withpg -- go run ./tools/bench %s`\n\n", strings.Join(r.opts.args, " "))
	b.WriteString(r.results())
	return b.String()
}

const (
	markBegin = "<!-- bench:measured:begin (written by tools/bench -write) -->"
	markEnd   = "<!-- bench:measured:end -->"
)

// writeDoc replaces the measured section of the file at path, or appends
// one when the file has none.
func writeDoc(path, section string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	doc := string(old)
	block := markBegin + "\n" + section + markEnd
	i, j := strings.Index(doc, markBegin), strings.Index(doc, markEnd)
	if i >= 0 && j > i {
		doc = doc[:i] + block + doc[j+len(markEnd):]
	} else {
		if doc == "" {
			doc = "# Benchmarks\n"
		}
		doc = strings.TrimRight(doc, "\n") + "\n\n## Measured\n\n" + block + "\n"
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}

func cpuModel() string {
	return procField("/proc/cpuinfo", "model name")
}

func memTotal() string {
	v := procField("/proc/meminfo", "MemTotal")
	var kb int64
	if _, err := fmt.Sscanf(v, "%d kB", &kb); err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
