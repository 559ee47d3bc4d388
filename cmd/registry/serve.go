package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/sovereignty-registry/registry/internal/api"
	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/config"
	"github.com/sovereignty-registry/registry/internal/i18n"
	"github.com/sovereignty-registry/registry/internal/searchcache"
	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/internal/web"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/static"
)

// serve wires the program together and serves until ctx ends, then shuts
// down gracefully: in-flight requests finish within ShutdownTimeout.
func serve(ctx context.Context, e env) error {
	db, err := openMigrated(ctx, e)
	if err != nil {
		return err
	}
	defer db.close(e)
	svc := catalog.NewService(db.store, catalog.WithHeavyWork(liftMemoryLimit))
	if e.cfg.Seed {
		rep, err := loadSeed(ctx, svc)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		e.log.Info("seed loaded", "created", rep.Created, "updated", rep.Updated, "unchanged", rep.Unchanged)
	}
	if recomputed, err := svc.EnsureClassified(ctx); err != nil {
		return fmt.Errorf("classify: %w", err)
	} else if recomputed {
		e.log.Info("levels recomputed for the current rule version")
	}
	// The limit applies to serving, not to the start's recomputation of
	// every level after a rule change, which needs the whole catalogue.
	if !e.cfg.MemoryLimitSet {
		debug.SetMemoryLimit(config.DefaultServeMemoryLimit)
	}
	bundle, err := i18n.New()
	if err != nil {
		return err
	}
	assets, err := static.New()
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	// Listen first: in tests the port is chosen by the system, and the
	// sign-in callback URL must name the real one.
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", e.cfg.Addr, err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	base := e.cfg.BaseURL
	if !e.cfg.BaseURLSet {
		base = "http://" + addr
	}
	login, accounts, stopIDP, err := setupLogin(ctx, e, base, db.store)
	if err != nil {
		return err
	}
	defer stopIDP()
	stopDebug, err := startDebug(e, e.cfg.DebugAddr)
	if err != nil {
		return err
	}
	defer stopDebug()
	defer startJanitor(ctx, e.log, db.store, janitorInterval)()

	cached := searchcache.New(svc, e.cfg.SearchCache)
	editorial := workflow.NewService(db.store, svc)
	siteOpts := web.Options{Catalog: cached, I18n: bundle, Assets: assets, Logger: e.log, Login: login, Accounts: accounts,
		Editorial: editorial, Admin: newStoreAdmin(db.store), Tokens: storeTokens{db.store}}
	if e.cfg.PageStore {
		if siteOpts.PageVersion, err = programVersion(); err != nil {
			return err
		}
		siteOpts.Pages = db.store.Pages()
	}
	pages := web.New(siteOpts)
	if e.cfg.PageStore {
		defer startPageWarmer(ctx, e.log, siteOpts.Pages, pages, cached.Generation, reg)()
	}
	jsonAPI := api.New(cached, api.Options{Logger: e.log, BaseURL: base, Editorial: editorial, Tokens: storeTokens{db.store}})
	srv := server.New(server.Options{
		Logger: e.log, Registry: reg, Ready: db.store, FormActions: formActions(login),
		ErrorHandler: func(err error, c echo.Context) {
			if strings.HasPrefix(c.Request().URL.Path, "/api/") {
				jsonAPI.HandleError(err, c)
				return
			}
			pages.HandleError(err, c)
		},
	})
	pages.Register(srv)
	jsonAPI.Register(srv.Group("/api/v1"))

	var handler http.Handler = srv
	if e.hooks.wrap != nil {
		handler = e.hooks.wrap(handler)
	}
	httpSrv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	e.log.Info("serving", "addr", addr, "url", "http://"+addr)
	fmt.Fprintf(e.stdout, "Sovereignty Registry is running at http://%s (Ctrl+C stops it)\n", addr)
	if e.hooks.ready != nil {
		e.hooks.ready(addr)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	e.log.Info("shutting down", "timeout", e.cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.ShutdownTimeout)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// liftMemoryLimit runs work without the soft memory limit serve sets
// (config.DefaultServeMemoryLimit), restoring it afterwards: a write that
// recomputes every level holds the whole catalogue (0.8 GB at a million
// edges), and under the limit the collector would run flat out, slowing
// the write and every request served meanwhile. Writes compute levels one
// at a time (the store serialises them), so no two of these overlap.
func liftMemoryLimit(work func() error) error {
	old := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(old)
	return work()
}

// formActions are the origins besides the registry's own that its forms
// lead to: the provider's logout, after signing out.
func formActions(login web.Login) []string {
	if rp, ok := login.(relyingParty); ok {
		if o := rp.logoutOrigin(); o != "" {
			return []string{o}
		}
	}
	return nil
}
