package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sovereignty-registry/registry/internal/pages"
)

// The statements of the product page store (migration 00014). A page is
// valid only at the catalogue's current generation, read in the same
// statement: a write that committed before the read is always seen.
const (
	storedPageSQL = `SELECT body FROM product_pages
		WHERE slug = $1 AND lang = $2 AND view = $3 AND version = $4 AND day = $5
			AND generation = (SELECT generation FROM catalog_state)`
	storePageSQL = `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
		INSERT INTO product_pages (slug, lang, view, version, generation, day, body, rendered_at)
		SELECT $1, $2, $3, $4, $5, $6, $7, now() FROM async
		ON CONFLICT (slug, lang, view) DO UPDATE SET version = excluded.version, generation = excluded.generation,
			day = excluded.day, body = excluded.body, rendered_at = excluded.rendered_at
		WHERE (product_pages.generation, product_pages.day) <= (excluded.generation, excluded.day)`
	productsWithoutPageSQL = `SELECT p.slug FROM products p
		WHERE NOT EXISTS (SELECT 1 FROM product_pages g
			WHERE g.slug = p.slug AND g.lang = $1 AND g.view = $2 AND g.version = $3 AND g.day = $4
				AND g.generation = (SELECT generation FROM catalog_state))
		ORDER BY p.id`
)

// Pages returns the store of rendered product pages.
func (s *Store) Pages() pages.Store { return pageStore{sql: s.sql} }

// pageStore implements pages.Store on the connection pool.
type pageStore struct {
	sql *sql.DB
}

// StoredPage implements pages.Store.
func (p pageStore) StoredPage(ctx context.Context, k pages.Key) ([]byte, error) {
	var body []byte
	err := p.sql.QueryRowContext(ctx, storedPageSQL, k.Slug, k.Lang, k.View, k.Version, dateOf(k.Day)).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return body, translate(err, "stored page")
}

// StorePage implements pages.Store. A page rendered at an older generation
// or day than the one stored (a slow request that began before a write or
// before midnight) leaves the newer one in place. The row is committed
// without waiting for the WAL flush: a page lost in a crash is only
// rendered again.
func (p pageStore) StorePage(ctx context.Context, k pages.Key, gen int64, body []byte) error {
	_, err := p.sql.ExecContext(ctx, storePageSQL, k.Slug, k.Lang, k.View, k.Version, gen, dateOf(k.Day), body)
	return translate(err, "store page")
}

// ProductsWithoutPage implements pages.Store.
func (p pageStore) ProductsWithoutPage(ctx context.Context, lang, view, version string, day time.Time) ([]string, error) {
	rows, err := p.sql.QueryContext(ctx, productsWithoutPageSQL, lang, view, version, dateOf(day))
	if err != nil {
		return nil, translate(err, "products without page")
	}
	defer rows.Close()
	var slugs []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, translate(err, "products without page")
		}
		slugs = append(slugs, s)
	}
	return slugs, translate(rows.Err(), "products without page")
}

// stalePageGrace is how long a stale page is kept: the page warmer
// overwrites the page of every product in place within minutes, which
// costs less than deleting every row after each write and inserting it
// again. What stays longer (the page of a deleted product, of an old
// version, or of a perspective link nobody asked for again) is deleted.
const stalePageGrace = 24 * time.Hour

// DeleteStalePages removes the stored pages that can never be sent again
// (judged before now's day, or rendered at an older generation than the
// catalogue's) and were rendered more than stalePageGrace before now. A
// periodic job calls it.
func (s *Store) DeleteStalePages(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.sql.ExecContext(ctx, `DELETE FROM product_pages
		WHERE rendered_at < $2 AND (day < $1 OR generation < (SELECT generation FROM catalog_state))`,
		dateOf(now), now.Add(-stalePageGrace))
	if err != nil {
		return 0, translate(err, "delete stale pages")
	}
	n, err := res.RowsAffected()
	return n, translate(err, "delete stale pages")
}

// dateOf is t's calendar day in its own time zone (the server's: the
// pages print their "as of" date in it), as PostgreSQL's date reads it.
func dateOf(t time.Time) string { return t.Format(time.DateOnly) }
