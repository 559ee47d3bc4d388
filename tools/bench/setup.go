package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/seed"
)

// benchDB is the loaded benchmark database and what the load phases need
// to know about its contents.
type benchDB struct {
	url       string
	pgVersion string
	load      loadStats
	// Slugs of the stored products, generated and seed apart; the product
	// page phase draws from both.
	generated []string
	seeded    []string
}

// loadStats describe how the catalogue was loaded.
type loadStats struct {
	reused                                        bool
	products, orgs, edges, evidence               int
	seedImport, generate, bulk, classify, analyze time.Duration
	total                                         time.Duration
	dbSize                                        string
	bulkReport                                    store.BulkReport
}

// prepareDatabase (re)creates the benchmark database and loads the seed and
// the generated catalogue into it.
func prepareDatabase(ctx context.Context, serverURL string, o options, logf func(string, ...any)) (*benchDB, error) {
	dbURL, err := databaseURL(serverURL, o.db)
	if err != nil {
		return nil, err
	}
	b := &benchDB{url: dbURL}
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return nil, fmt.Errorf("connect to TEST_DATABASE_URL: %w", err)
	}
	defer admin.Close(ctx)
	if err := admin.QueryRow(ctx, "SHOW server_version").Scan(&b.pgVersion); err != nil {
		return nil, err
	}
	exists := false
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", o.db).Scan(&exists); err != nil {
		return nil, err
	}
	ident := pgx.Identifier{o.db}.Sanitize()
	if !(o.reuse && exists) {
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return nil, fmt.Errorf("drop %s: %w", o.db, err)
		}
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
			return nil, fmt.Errorf("create %s: %w", o.db, err)
		}
	}

	st, err := openStore(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if o.reuse && exists {
		logf("reusing database %s", o.db)
		b.load.reused = true
	} else if err := loadCatalogue(ctx, st, o.gen, &b.load, logf); err != nil {
		return nil, err
	}
	db := st.DB()
	if err := db.QueryRowContext(ctx, "SELECT pg_size_pretty(pg_database_size(current_database()))").Scan(&b.load.dbSize); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM organizations),
		(SELECT count(*) FROM dependencies), (SELECT count(*) FROM evidence)`).
		Scan(&b.load.products, &b.load.orgs, &b.load.edges, &b.load.evidence); err != nil {
		return nil, err
	}
	// Generated slugs are the ones the seed does not define.
	d, err := seed.Load(seed.Files())
	if err != nil {
		return nil, err
	}
	inSeed := map[string]bool{}
	for _, p := range d.Products {
		inSeed[p.Slug] = true
	}
	rows, err := db.QueryContext(ctx, "SELECT slug FROM products ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if inSeed[s] {
			b.seeded = append(b.seeded, s)
		} else {
			b.generated = append(b.generated, s)
		}
	}
	return b, rows.Err()
}

// loadCatalogue migrates, imports the seed through the catalogue service
// (as `registry serve` does), then bulk-loads the generated catalogue.
func loadCatalogue(ctx context.Context, st *store.Store, cfg GenConfig, ls *loadStats, logf func(string, ...any)) error {
	start := time.Now()
	if err := store.Migrate(ctx, st.DB()); err != nil {
		return err
	}
	base, err := seed.Load(seed.Files())
	if err != nil {
		return fmt.Errorf("load seed: %w", err)
	}
	if _, err := catalog.NewService(st).Import(ctx, base); err != nil {
		return fmt.Errorf("import seed: %w", err)
	}
	ls.seedImport = time.Since(start)

	t := time.Now()
	gen := Generate(cfg, base)
	// The generated entries must obey the same rules as the seed: validate
	// the catalogue as a whole, seed and generated together.
	if err := merge(base, gen).Validate(); err != nil {
		return fmt.Errorf("generated catalogue is invalid: %w", err)
	}
	ls.generate = time.Since(t)
	logf("generated %d products, %d organisations, %d sources in %s", len(gen.Products), len(gen.Organizations), len(gen.Sources), ls.generate.Round(time.Millisecond))

	t = time.Now()
	if ls.bulkReport, err = st.BulkInsert(ctx, gen); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	ls.bulk = time.Since(t)
	logf("bulk insert: %s (%+v)", ls.bulk.Round(time.Millisecond), ls.bulkReport)

	// Levels are stored per product; the normal import computes them for
	// what it writes. Compute them for the whole catalogue now, as `registry
	// serve` would at its start, so that the server starts ready.
	t = time.Now()
	if _, err := catalog.NewService(st).EnsureClassified(ctx); err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	ls.classify = time.Since(t)
	logf("classified every product in %s", ls.classify.Round(time.Millisecond))

	t = time.Now()
	// VACUUM too: it sets the visibility map (index-only scans) and flushes
	// the GIN indexes' pending lists, as autovacuum would in production.
	if _, err := st.DB().ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
		return fmt.Errorf("vacuum analyze: %w", err)
	}
	ls.analyze = time.Since(t)
	ls.total = time.Since(start)
	logf("VACUUM (ANALYZE): %s; catalogue loaded in %s", ls.analyze.Round(time.Millisecond), ls.total.Round(time.Millisecond))
	return nil
}

// merge returns the catalogue of base and extra together.
func merge(base, extra catalog.Dataset) catalog.Dataset {
	return catalog.Dataset{
		Sources:       append(append([]catalog.Source(nil), base.Sources...), extra.Sources...),
		Categories:    append(append([]catalog.Category(nil), base.Categories...), extra.Categories...),
		Organizations: append(append([]catalog.Organization(nil), base.Organizations...), extra.Organizations...),
		Products:      append(append([]catalog.Product(nil), base.Products...), extra.Products...),
	}
}

// databaseURL is serverURL with its database replaced by name.
func databaseURL(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("TEST_DATABASE_URL is not a postgres:// URL")
	}
	u.Path = "/" + name
	return u.String(), nil
}

// openStore opens the benchmark's own store on the database at url, with
// its logs discarded (the registry under test logs for itself).
func openStore(ctx context.Context, url string) (*store.Store, error) {
	return store.Open(ctx, url, slog.New(slog.NewTextHandler(io.Discard, nil)), store.Options{MaxOpenConns: 4})
}
