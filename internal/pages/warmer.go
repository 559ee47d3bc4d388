package pages

import (
	"context"
	"errors"
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
	Log     *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Swept, if set, learns of every complete sweep of Run: the pages it
	// rendered and how long it took (the server counts them in /metrics).
	Swept func(rendered int, took time.Duration)
}

// Sweep renders every missing page once and says how many it rendered. A
// page that fails to render (its product was deleted meanwhile) is logged
// and skipped; only a failing store stops the sweep.
func (w *Warmer) Sweep(ctx context.Context) (int, error) {
	rendered := 0
	day := w.now().UTC()
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
	work := make(chan string)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		rendered int
	)
	for range max(w.Workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for slug := range work {
				if err := w.Render(ctx, slug, lang); err != nil {
					if ctx.Err() == nil {
						w.Log.Warn("page warmer: rendering a page failed", "slug", slug, "lang", lang, "err", err)
					}
					continue
				}
				mu.Lock()
				rendered++
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
	return rendered, ctx.Err()
}

// Run sweeps at once and then whenever the catalogue's generation or the
// day has moved on since the last complete sweep, checking every interval,
// until ctx ends. The returned function stops it and waits for it.
func (w *Warmer) Run(ctx context.Context, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		var last sweepMark
		for {
			if mark, err := w.mark(ctx); err != nil {
				w.logFailure(ctx, err)
			} else if mark != last {
				start := w.now()
				n, err := w.Sweep(ctx)
				switch {
				case err != nil:
					w.logFailure(ctx, err)
				default:
					// Pages rendered during a write belong to the older
					// generation: the next check sees the new one.
					last = mark
					took := w.now().Sub(start)
					if n > 0 {
						w.Log.Info("page warmer: pages rendered", "pages", n, "took", took.Round(time.Millisecond).String())
					}
					if w.Swept != nil {
						w.Swept(n, took)
					}
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

// sweepMark is what a complete sweep is valid for.
type sweepMark struct {
	gen int64
	day string
}

func (w *Warmer) mark(ctx context.Context) (sweepMark, error) {
	gen, err := w.Generation(ctx)
	return sweepMark{gen: gen, day: w.now().UTC().Format(time.DateOnly)}, err
}

func (w *Warmer) logFailure(ctx context.Context, err error) {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return // at shutdown a cancelled query is no failure
	}
	w.Log.Warn("page warmer: sweep failed", "err", err)
}

func (w *Warmer) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}
