package pages

import (
	"context"
	"time"
)

// Key names one stored page and what it was rendered from.
type Key struct {
	// Slug, Lang and View name the page: the product, the language and the
	// URL's variant ("" for the plain URL, "perspective=us" for a
	// perspective link).
	Slug, Lang, View string
	// Version names the program that rendered it (its templates,
	// translations and asset hashes): a page of another version is never
	// sent.
	Version string
	// Day is the calendar day (in its time zone, the server's) the page's
	// facts were judged on: staleness of sources is measured in days.
	Day time.Time
}

// Store keeps rendered pages. A stored page is valid while the catalogue's
// generation equals the one it was stored with; the store checks that
// against the database when it reads, so a write committed elsewhere is
// seen at once.
type Store interface {
	// StoredPage returns the body stored under k (gzip-compressed) if it
	// was rendered at the catalogue's current generation; nil otherwise.
	StoredPage(ctx context.Context, k Key) ([]byte, error)
	// StorePage keeps body (gzip-compressed) under k, rendered from the
	// catalogue at generation gen or later.
	StorePage(ctx context.Context, k Key, gen int64, body []byte) error
	// ProductsWithoutPage returns the slugs of the products that have no
	// valid stored page for lang and view at version and day.
	ProductsWithoutPage(ctx context.Context, lang, view, version string, day time.Time) ([]string, error)
}
