// Package api serves the registry's public, read-only JSON API v1: the
// catalogue's products, organisations and categories with the evidence
// behind every fact, as documented in the embedded OpenAPI document.
//
// It is an adapter: it parses HTTP input into catalog queries, maps domain
// results to its own DTOs (the public contract) and renders errors as
// RFC 9457 problem documents. It knows nothing of the database.
package api

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// Catalog is what the API needs from the catalogue; *catalog.Service
// satisfies it. It is declared here, by its consumer, so tests and other
// wirings can supply anything that answers these questions.
type Catalog interface {
	Search(ctx context.Context, q catalog.Query) (catalog.SearchResult, error)
	Product(ctx context.Context, slug string) (catalog.ProductDetail, error)
	Organization(ctx context.Context, slug string) (catalog.OrganizationDetail, error)
	Organizations(ctx context.Context) ([]catalog.OrganizationSummary, error)
	Categories(ctx context.Context) ([]catalog.CategoryCount, error)
	// Level is the stored level of a product; catalog.ErrNotFound while
	// it is unclassified.
	Level(ctx context.Context, slug, perspective string) (catalog.ProductLevel, error)
	Explain(ctx context.Context, slug, perspective string) (catalog.Explanation, error)
	Graph(ctx context.Context) (*sovereignty.Graph, error)
	Impact(ctx context.Context, failed []string) (*sovereignty.Impact, error)
}

// Options configure an API.
type Options struct {
	// Logger receives one line per server error (5xx); nil discards.
	Logger *slog.Logger
	// BaseURL is the scheme and host the registry is reached at, e.g.
	// "https://registry.example.org", without the API prefix. Links in
	// responses are absolute under it; empty gives root-relative links.
	BaseURL string
	// Prefix is the path the route group is mounted at; default "/api/v1".
	// Links are built from it rather than from the request, so they stay
	// right behind a proxy that rewrites paths.
	Prefix string
	// MaxAge is how long clients and caches may reuse a response without
	// revalidating it; default one minute.
	MaxAge time.Duration
	// Editorial and Tokens serve /submissions, where vendors propose
	// entries with personal API tokens; while either is nil every token is
	// refused (sign-in is off, so none can exist).
	Editorial Editorial
	Tokens    TokenAuth
	// FailedTokens bounds the unknown, expired or revoked tokens one client
	// address may present (zero: ten at once, then ten a minute).
	FailedTokens FailedTokenLimit
}

// FailedTokenLimit is a token bucket of failed token look-ups per client
// address: Burst failures at once, refilled at PerMinute.
type FailedTokenLimit struct {
	PerMinute, Burst int
}

// The default FailedTokenLimit lets a client get a token wrong ten times,
// then once every six seconds. A token is 256 random bits, so guessing
// cannot succeed anyway; the limit tells a client that keeps sending a
// dead token to stop, without refusing anyone's valid token.
const (
	defaultFailedPerMinute = 10
	defaultFailedBurst     = 10
)

// DefaultPrefix is where the API is mounted unless Options.Prefix says otherwise.
const DefaultPrefix = "/api/v1"

// Data licence of the catalogue, stated in every response.
const (
	DataLicense    = "CC-BY-4.0"
	DataLicenseURL = "https://creativecommons.org/licenses/by/4.0/"
)

// API serves /api/v1. Create it with New and mount it with Register.
type API struct {
	cat    Catalog
	ed     Editorial
	tokens TokenAuth
	log    *slog.Logger
	root   string // BaseURL + Prefix, without a trailing slash
	maxAge int    // seconds
	// failures counts failed token look-ups per client address.
	failures *middleware.RateLimiterMemoryStore
}

// New returns an API reading from cat.
func New(cat Catalog, opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = time.Minute
	}
	if opts.FailedTokens.PerMinute <= 0 || opts.FailedTokens.Burst <= 0 {
		opts.FailedTokens = FailedTokenLimit{PerMinute: defaultFailedPerMinute, Burst: defaultFailedBurst}
	}
	return &API{
		failures: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(float64(opts.FailedTokens.PerMinute) / 60), Burst: opts.FailedTokens.Burst, ExpiresIn: 10 * time.Minute,
		}),
		cat:    cat,
		ed:     opts.Editorial,
		tokens: opts.Tokens,
		log:    opts.Logger,
		root:   strings.TrimRight(opts.BaseURL, "/") + "/" + strings.Trim(opts.Prefix, "/"),
		maxAge: int(opts.MaxAge / time.Second),
	}
}

// link returns the absolute URL of an API path such as "/products/x".
func (a *API) link(path string) string { return a.root + path }
