package pages

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Warmer renders the stored pages that are missing or stale: after a
// start, after a write (which makes every stored page stale) and after
// midnight (the facts are judged anew each day), so that readers find the
// pages stored instead of waiting for them to be rendered.
type Warmer struct {
	// Store is where the pages are kept; Render renders the plain page of
	// a product in a language and keeps it there.
	Store  Store
	Render func(ctx context.Context, slug, lang string) error
	// Generation tells the catalogue's generation; a sweep that finished
	// at the current generation and day is not repeated.
	Generation func(ctx context.Context) (int64, error)
	// Version is the program's page version (Key.Version); Langs the
	// languages rendered.
	Version string
	Langs   []string
	// Workers is how many pages are rendered at once (default 1: in the
	// server the warmer must leave room for the requests).
	Workers int
	Log     *slog.Logger // nil: no log
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Swept, if set, learns of every complete sweep of Check: the pages it
	// rendered and how long it took (the server counts them in /metrics).
	Swept func(rendered int, took time.Duration)

	// last is what the last complete sweep was valid for; before the
	// first, the zero mark, which matches no check (a mark has a day).
	last sweepMark
}

// maxFailuresInARow is how many pages in a row may fail before a sweep
// gives up: a page that fails alone (its product was deleted meanwhile) is
// skipped, but a run of failures means the database or the store is gone,
// and rendering the rest would only log the same failure for every page.
const maxFailuresInARow = 20

// Sweep renders every missing page once and says how many it rendered. A
// page that fails to render is logged and skipped; a failing store, or
// maxFailuresInARow failures in a row, stops the sweep with an error, so
// that Run tries again.
func (w *Warmer) Sweep(ctx context.Context) (int, error) {
	rendered := 0
	day := w.now()
	for _, lang := range w.Langs {
		slugs, err := w.Store.ProductsWithoutPage(ctx, lang, "", w.Version, day)
		if err != nil {
			return rendered, err
		}
		n, err := w.render(ctx, slugs, lang)
		rendered += n
		if err != nil {
			return rendered, err
		}
	}
	return rendered, nil
}

// render renders the pages of slugs in lang with Workers goroutines.
func (w *Warmer) render(ctx context.Context, slugs []string, lang string) (int, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan string)
	var (
		wg                 sync.WaitGroup
		mu                 sync.Mutex
		rendered, failures int
	)
	for range max(w.Workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for slug := range work {
				err := w.Render(ctx, slug, lang)
				mu.Lock()
				if err == nil {
					rendered, failures = rendered+1, 0
				} else if ctx.Err() == nil {
					w.log().Warn("page warmer: rendering a page failed", "slug", slug, "lang", lang, "err", err)
					if failures++; failures >= maxFailuresInARow {
						cancel(fmt.Errorf("%d pages in a row failed, the last: %w", failures, err))
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, slug := range slugs {
		select {
		case work <- slug:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return rendered, context.Cause(ctx)
}

// Check sweeps when the catalogue's generation or the day has moved on
// since the last complete sweep (and on its first call); the server calls
// it periodically. A failed sweep is logged and tried again on the next
// check. Check is not safe for concurrent use.
func (w *Warmer) Check(ctx context.Context) {
	mark, err := w.mark(ctx)
	if err != nil {
		w.logFailure(ctx, err)
		return
	}
	if mark == w.last {
		return
	}
	start := w.now()
	n, err := w.Sweep(ctx)
	if err != nil {
		w.logFailure(ctx, err)
		return
	}
	// Pages rendered during a write belong to the older generation: the
	// next check sees the new one.
	w.last = mark
	took := w.now().Sub(start)
	if n > 0 {
		w.log().Info("page warmer: pages rendered", "pages", n, "took", took.Round(time.Millisecond).String())
	}
	if w.Swept != nil {
		w.Swept(n, took)
	}
}

// sweepMark is what a complete sweep is valid for.
type sweepMark struct {
	gen int64
	day string
}

func (w *Warmer) mark(ctx context.Context) (sweepMark, error) {
	gen, err := w.Generation(ctx)
	return sweepMark{gen: gen, day: w.now().Format(time.DateOnly)}, err
}

func (w *Warmer) logFailure(ctx context.Context, err error) {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return // at shutdown a cancelled query is no failure
	}
	w.log().Warn("page warmer: sweep failed", "err", err)
}

func (w *Warmer) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (w *Warmer) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}
