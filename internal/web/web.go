// Package web serves the registry's HTML pages (templ components from
// views/), server-rendered and complete without JavaScript, in German and
// English. Handlers hold no business logic: they parse the request, ask the
// catalogue service and hand typed data to a view.
package web

import (
	"context"
	"log/slog"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/i18n"
	"github.com/sovereignty-registry/registry/internal/pages"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/static"
	"github.com/sovereignty-registry/registry/views"
)

// Catalog is what the pages need of the catalogue service.
type Catalog interface {
	Search(ctx context.Context, q catalog.Query) (catalog.SearchResult, error)
	Product(ctx context.Context, slug string) (catalog.ProductDetail, error)
	Organization(ctx context.Context, slug string) (catalog.OrganizationDetail, error)
	Organizations(ctx context.Context) ([]catalog.OrganizationSummary, error)
	Categories(ctx context.Context) ([]catalog.CategoryCount, error)
	Stats(ctx context.Context) (catalog.Stats, error)
	Level(ctx context.Context, slug, perspective string) (catalog.ProductLevel, error)
	Explain(ctx context.Context, slug, perspective string) (catalog.Explanation, error)
	ProductExplained(ctx context.Context, slug, perspective string) (catalog.ProductDetail, catalog.Explanation, error)
	Levels(ctx context.Context, slugs []string, perspective string) (map[string]catalog.ProductLevel, error)
	LevelCounts(ctx context.Context, perspective string) ([]catalog.LevelCount, error)
	Graph(ctx context.Context) (*sovereignty.Graph, error)
	Impact(ctx context.Context, failed []string) (*sovereignty.Impact, error)
}

// Options are the dependencies of the HTML surface.
type Options struct {
	Catalog Catalog
	I18n    *i18n.Bundle
	Assets  *static.Assets
	Logger  *slog.Logger
	// Login and Accounts enable signing in; both nil leaves the site
	// read-only with no sign-in link.
	Login    Login
	Accounts Accounts
	// Editorial runs the workflow behind the editorial pages; Admin and
	// Tokens serve the admin pages and personal API tokens. They are used
	// only when sign-in is on.
	Editorial Editorial
	Admin     Admin
	Tokens    Tokens
	// Pages keeps rendered product pages (nil: every page is rendered).
	// PageVersion names the program that renders them; a page is stored
	// only when it is set, and sent only to the same version.
	Pages       pages.Store
	PageVersion string
}

// Web is the HTML surface.
type Web struct {
	cat      Catalog
	i18n     *i18n.Bundle
	assets   *static.Assets
	log      *slog.Logger
	login    Login
	accounts Accounts
	ed       Editorial
	admin    Admin
	tokens   Tokens

	// fragments keeps rendered level badges (fragmemo.go), texts the
	// pages' translations (textmemo.go).
	fragments fragmentMemo
	texts     textMemo
	// classifications keeps the product pages' classifications of
	// products at least classificationFrom others depend on
	// (product_cache.go).
	classifications    *lru.Cache[classificationKey, views.Classification]
	classificationFrom int

	// pages keeps rendered product pages under pageVersion
	// (product_store.go); gzips compresses them.
	pages       pages.Store
	pageVersion string
	gzips       gzipWriters
	// echo makes the contexts of pages rendered outside a request
	// (StoreProductPage).
	echo *echo.Echo
}

// New returns the HTML surface.
func New(opts Options) *Web {
	w := &Web{cat: opts.Catalog, i18n: opts.I18n, assets: opts.Assets, log: opts.Logger,
		classifications: newClassificationCache(), classificationFrom: classificationCacheFrom, echo: echo.New()}
	if opts.Pages != nil && opts.PageVersion != "" {
		// Whether sign-in is on changes every page's header.
		w.pages, w.pageVersion = opts.Pages, opts.PageVersion
		if opts.Login != nil {
			w.pageVersion += "+login"
		}
	}
	if opts.Login != nil && opts.Accounts != nil {
		w.login, w.accounts = opts.Login, opts.Accounts
		w.ed, w.admin, w.tokens = opts.Editorial, opts.Admin, opts.Tokens
	}
	return w
}

// langKey is the echo context key of the negotiated language.
const langKey = "lang"

// negotiateLanguage picks the page language (?lang=, cookie, then
// Accept-Language) and remembers an explicit choice in a cookie.
func (w *Web) negotiateLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		query := c.QueryParam("lang")
		var cookie string
		if ck, err := c.Cookie("lang"); err == nil {
			cookie = ck.Value
		}
		lang := i18n.Negotiate(query, cookie, c.Request().Header.Get("Accept-Language"))
		if query != "" && query == lang && cookie != lang {
			c.SetCookie(langCookie(lang))
		}
		c.Set(langKey, lang)
		c.Response().Header().Add("Vary", "Accept-Language, Cookie")
		c.Response().Header().Set("Content-Language", lang)
		return next(c)
	}
}

// perspective returns the request's validated ?perspective= ("eu" when
// absent); an unknown name is a validation error (400), never a silent
// fallback that would show levels for another jurisdiction.
func perspective(c echo.Context) (string, error) {
	return catalog.ValidPerspective(c.QueryParam("perspective"))
}
