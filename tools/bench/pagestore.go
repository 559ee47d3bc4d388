package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// waitForPageWarmer waits until the registry's page warmer has finished
// its first sweep (every product page stored in both languages), so that
// the phases measure a registry at rest, as it is between writes; it
// returns how long that took. The warmer renders one page at a time, so
// at 100,000 products this takes minutes.
func (r *registry) waitForPageWarmer(ctx context.Context, timeout time.Duration, logf func(string, ...any)) (time.Duration, error) {
	start := time.Now()
	client := &http.Client{Timeout: 10 * time.Second}
	last := start
	for time.Since(start) < timeout {
		sweeps, err := r.metric(ctx, client, "registry_page_warmer_sweeps_total")
		if err != nil {
			return 0, err
		}
		if sweeps >= 1 {
			return time.Since(start), nil
		}
		if time.Since(last) > time.Minute {
			logf("page warmer still rendering after %s", time.Since(start).Round(time.Second))
			last = time.Now()
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-r.exited:
			return 0, fmt.Errorf("the registry exited while its pages were rendered")
		case <-time.After(time.Second):
		}
	}
	return 0, fmt.Errorf("the page warmer did not finish within %s", timeout)
}

// metric reads one unlabelled sample from the registry's /metrics (0 when
// it is not there yet).
func (r *registry) metric(ctx context.Context, client *http.Client, name string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.baseURL+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, sc.Err()
}
