package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sovereignty-registry/registry/internal/i18n"
	"github.com/sovereignty-registry/registry/internal/pages"
	"github.com/sovereignty-registry/registry/internal/web"
)

// pageWarmerInterval is how often the page warmer checks whether a write
// or the date has made the stored pages stale.
const pageWarmerInterval = 5 * time.Second

// programVersion names this build for the page store: the hash of the
// running executable, so that a new build (other templates, texts or
// assets) never sends a page an older one rendered.
func programVersion() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("page version: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("page version: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("page version: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// startPageWarmer renders, one page at a time in the background, the
// stored product pages a start, a write or a new day left missing, and
// counts its sweeps in reg. The returned function stops it and waits.
func startPageWarmer(ctx context.Context, log *slog.Logger, st pages.Store, site *web.Web,
	gen func(context.Context) (int64, error), reg prometheus.Registerer) (stop func()) {
	sweeps := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "registry_page_warmer_sweeps_total",
		Help: "Complete sweeps of the page warmer (each renders the stored product pages that were missing).",
	})
	rendered := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "registry_page_warmer_pages_rendered_total",
		Help: "Product pages the page warmer rendered and stored.",
	})
	reg.MustRegister(sweeps, rendered)
	w := &pages.Warmer{
		Store: st, Render: site.StoreProductPage, Generation: gen,
		Version: site.PageVersion(), Langs: i18n.Languages(), Workers: 1, Log: log,
		Swept: func(n int, _ time.Duration) {
			sweeps.Inc()
			rendered.Add(float64(n))
		},
	}
	return startPeriodic(ctx, pageWarmerInterval, w.Check)
}
