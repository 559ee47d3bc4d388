package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// request is one request of a load phase; kind groups requests of the same
// shape for the per-kind breakdown.
type request struct {
	kind string
	path string // with query, relative to the registry's base URL
}

// phase is a load phase: a target and a generator of requests.
type phase struct {
	name   string
	title  string
	target time.Duration // p95 target
	next   func(r *rand.Rand, db *benchDB) request
}

var phaseByName = map[string]phase{
	"api":     {name: "api", title: "search API `/api/v1/products`", target: 25 * time.Millisecond, next: searchRequest("/api/v1/products")},
	"page":    {name: "page", title: "catalogue page `/products`", target: 25 * time.Millisecond, next: searchRequest("/products")},
	"product": {name: "product", title: "product page `/products/{slug}`", target: 15 * time.Millisecond, next: productRequest},
	"impact":  {name: "impact", title: "outage impact of the largest hubs `/impact`, `/api/v1/impact`", target: 100 * time.Millisecond, next: impactRequest},
}

// impactRequests are the outage simulations of the impact phase: the
// largest hub of the generated graph (aws) alone, as a page and through
// the API, and the two largest together.
var impactRequests = []request{
	{kind: "API failed=aws", path: "/api/v1/impact?failed=aws"},
	{kind: "page failed=aws", path: "/impact?failed=aws"},
	{kind: "API failed=aws,cloudflare", path: "/api/v1/impact?failed=aws,cloudflare"},
}

func impactRequest(r *rand.Rand, _ *benchDB) request { return pick(r, impactRequests) }

// searchMix is the search workload: what public officials type, in
// plausible proportions. The terms are everyday catalogue words, chosen
// before any measurement; they are not tuned to the implementation.
var searchMix = []weighted[[]url.Values]{
	{words("Cloud", "Mail", "Office", "Videokonferenz", "Speicher", "Analyse", "Chat", "Kalender", "Übersetzer",
		"Firewall", "Projekt", "Datenbank", "nextcloud", "cloudflare", "Verschlüsselung", "Behörden", "KI", "Hosting"), 30},
	{words("Cloud Speicher", "Mail Kalender", "Videokonferenz Behörden", "open source office", "KI Assistent",
		"single sign-on", "Dateiablage verschlüsselt", "Microsoft Teams", "Chat Schulen", "Analytics EU"), 20},
	{words("nextclod", "videokonferrenz", "offce", "cloudflar", "thunderbrd", "kalnder", "datenbnk"), 10},
	{params("category=email", "vendor_country=DE", "hosting_country=DE&open_source=yes", "kind=saas",
		"category=video-conferencing&vendor_country=DE", "open_source=yes", "deployment=self_hostable&hosting_country=FR"), 15},
	{params("q=Mail&vendor_country=DE", "q=Cloud&hosting_country=DE", "q=Office&open_source=yes",
		"q=Chat&category=messaging", "q=Videokonferenz&open_source=yes&hosting_country=DE", "q=Speicher&kind=saas"), 15},
	{params("", "sort=updated", "sort=name"), 10},
}

// searchKinds names the entries of searchMix, in order.
var searchKinds = []string{"one word", "two words", "misspelt", "filters only", "text + filters", "browse (no text)"}

func words(ws ...string) []url.Values {
	out := make([]url.Values, len(ws))
	for i, w := range ws {
		out[i] = url.Values{"q": {w}}
	}
	return out
}

func params(qs ...string) []url.Values {
	out := make([]url.Values, len(qs))
	for i, q := range qs {
		v, err := url.ParseQuery(q)
		if err != nil {
			panic(err) // a constant above
		}
		out[i] = v
	}
	return out
}

func searchRequest(path string) func(*rand.Rand, *benchDB) request {
	return func(r *rand.Rand, _ *benchDB) request {
		total := 0
		for _, m := range searchMix {
			total += m.w
		}
		n := r.IntN(total)
		for i, m := range searchMix {
			if n < m.w {
				q := pick(r, m.v)
				p := path
				if len(q) > 0 {
					p += "?" + q.Encode()
				}
				return request{kind: searchKinds[i], path: p}
			}
			n -= m.w
		}
		panic("unreachable")
	}
}

// productRequest opens a random product: mostly generated ones, one in
// seven from the seed, which holds the hubs with thousands of dependents.
func productRequest(r *rand.Rand, db *benchDB) request {
	if len(db.seeded) > 0 && (len(db.generated) == 0 || r.IntN(7) == 0) {
		return request{kind: "seed product", path: "/products/" + pick(r, db.seeded)}
	}
	return request{kind: "generated product", path: "/products/" + pick(r, db.generated)}
}

// sample is one measured request.
type sample struct {
	kind    string
	latency time.Duration
	err     string // empty on success
}

// phaseResult is the outcome of one phase.
type phaseResult struct {
	phase    phase
	elapsed  time.Duration
	samples  []sample
	errors   int
	firstErr []string // a few error descriptions
}

func (r phaseResult) errorRate() float64 {
	if len(r.samples) == 0 {
		return 1
	}
	return float64(r.errors) / float64(len(r.samples))
}

// runPhase drives ph with o.concurrency clients: a warm-up, then the
// measured part, bounded by o.duration or o.requests.
func runPhase(ctx context.Context, baseURL string, ph phase, db *benchDB, o options) (phaseResult, error) {
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 2 * o.concurrency, MaxIdleConnsPerHost: 2 * o.concurrency, IdleConnTimeout: time.Minute},
	}
	defer client.CloseIdleConnections()
	if o.warmup > 0 {
		drive(ctx, client, baseURL, ph, db, o.concurrency, time.Now().Add(o.warmup), 0, 1000)
	}
	if err := ctx.Err(); err != nil {
		return phaseResult{}, err
	}
	start := time.Now()
	deadline := time.Time{}
	if o.requests <= 0 {
		deadline = start.Add(o.duration)
	}
	samples := drive(ctx, client, baseURL, ph, db, o.concurrency, deadline, o.requests, 0)
	res := phaseResult{phase: ph, elapsed: time.Since(start), samples: samples}
	for _, s := range samples {
		if s.err != "" {
			res.errors++
			if len(res.firstErr) < 5 {
				res.firstErr = append(res.firstErr, s.err)
			}
		}
	}
	return res, ctx.Err()
}

// drive runs clients until the deadline passes or limit requests were
// issued (whichever is set), and returns every sample.
func drive(ctx context.Context, client *http.Client, baseURL string, ph phase, db *benchDB, clients int, deadline time.Time, limit int, seedOffset uint64) []sample {
	var issued atomic.Int64
	var mu sync.Mutex
	var all []sample
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w)+seedOffset, uint64(len(ph.name))))
			var local []sample
			for ctx.Err() == nil {
				if limit > 0 && issued.Add(1) > int64(limit) {
					break
				}
				if !deadline.IsZero() && time.Now().After(deadline) {
					break
				}
				req := ph.next(rng, db)
				local = append(local, get(ctx, client, baseURL, req))
			}
			mu.Lock()
			all = append(all, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all
}

// get issues one request and reads the whole body; anything but a 2xx is
// an error.
func get(ctx context.Context, client *http.Client, baseURL string, r request) sample {
	s := sample{kind: r.kind}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+r.path, nil)
	if err != nil {
		s.err = err.Error()
		return s
	}
	req.Header.Set("Accept-Language", "de")
	// Asked for explicitly, a gzip body is read as it was sent and not
	// decompressed by the transport: a browser inflates a page on its own
	// CPU, while here the client shares the registry's two (inflating a
	// stored product page cost the client more than sending it cost the
	// registry).
	req.Header.Set("Accept-Encoding", "gzip")
	start := time.Now()
	resp, err := client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	s.latency = time.Since(start)
	switch {
	case err != nil:
		s.err = fmt.Sprintf("GET %s: %v", r.path, err)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		s.err = fmt.Sprintf("GET %s: %s", r.path, resp.Status)
	}
	return s
}

// stats summarise latencies.
type stats struct {
	n                  int
	p50, p95, p99, max time.Duration
}

func summarize(samples []sample, kind string) stats {
	var ls []time.Duration
	for _, s := range samples {
		if kind == "" || s.kind == kind {
			ls = append(ls, s.latency)
		}
	}
	if len(ls) == 0 {
		return stats{}
	}
	slices.Sort(ls)
	q := func(p float64) time.Duration {
		i := int(p*float64(len(ls))+0.5) - 1
		return ls[min(max(i, 0), len(ls)-1)]
	}
	return stats{n: len(ls), p50: q(0.50), p95: q(0.95), p99: q(0.99), max: ls[len(ls)-1]}
}
