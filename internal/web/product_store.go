package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/pages"
)

// storedPageKey returns the key the request's product page is stored
// under, and false when the page is not one to store: only anonymous
// pages (a signed-in user's header names them) of the plain URL or of a
// single perspective parameter are kept, so that no other query string can
// fill the store.
func (w *Web) storedPageKey(c echo.Context, persp string) (pages.Key, bool) {
	if w.pages == nil {
		return pages.Key{}, false
	}
	if _, signedIn := account(c); signedIn {
		return pages.Key{}, false
	}
	view := c.Request().URL.RawQuery
	if view != "" && view != "perspective="+persp {
		return pages.Key{}, false
	}
	lang, _ := c.Get(langKey).(string)
	if lang == "" {
		return pages.Key{}, false
	}
	// The day is taken before the page is read: the facts are judged on
	// this day or a later one, never an earlier one.
	return pages.Key{Slug: c.Param("slug"), Lang: lang, View: view, Version: w.pageVersion, Day: time.Now()}, true
}

// sendStoredPage sends the stored page under k if there is a valid one;
// false when the page must be rendered. A failing read is logged and the
// page rendered: the store only saves work.
func (w *Web) sendStoredPage(c echo.Context, k pages.Key) (bool, error) {
	gz, err := w.pages.StoredPage(c.Request().Context(), k)
	if err != nil {
		w.log.Warn("reading a stored page failed", "slug", k.Slug, "err", err)
		return false, nil
	}
	if gz == nil {
		return false, nil
	}
	if !acceptsGzip(c.Request()) {
		body, err := gunzip(gz)
		if err != nil {
			w.log.Warn("a stored page is not gzip", "slug", k.Slug, "err", err)
			return false, nil
		}
		return true, sendHTML(c, http.StatusOK, body, false)
	}
	return true, sendHTML(c, http.StatusOK, gz, true)
}

// storePageTimeout bounds how long a request waits to store the page it
// rendered (behind the janitor's deletion of stale rows, say).
const storePageTimeout = 2 * time.Second

// renderStored renders a product page, keeps it under k (rendered at
// generation gen) and sends it. Storing is best effort: a failure is
// logged and the page sent all the same.
func (w *Web) renderStored(c echo.Context, k pages.Key, gen int64, comp templ.Component) error {
	return renderPage(c.Request().Context(), comp, func(page []byte) error {
		gz, err := w.gzips.gzipped(page)
		if err != nil {
			w.log.Warn("compressing a rendered page failed", "slug", k.Slug, "err", err)
			return sendHTML(c, http.StatusOK, page, false)
		}
		// The page is kept even when the client goes away meanwhile (it
		// was rendered all the same), but the client does not wait long
		// for that.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), storePageTimeout)
		defer cancel()
		if err := w.pages.StorePage(ctx, k, gen, gz); err != nil {
			w.log.Warn("storing a rendered page failed", "slug", k.Slug, "err", err)
		}
		if acceptsGzip(c.Request()) {
			return sendHTML(c, http.StatusOK, gz, true)
		}
		return sendHTML(c, http.StatusOK, page, false)
	})
}

// acceptsGzip says whether the request's Accept-Encoding admits gzip
// (RFC 9110, section 12.5.3): named with a weight above zero, or, when not
// named, matched by "*" with a weight above zero.
func acceptsGzip(r *http.Request) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, line := range r.Header.Values(echo.HeaderAcceptEncoding) {
		for _, part := range strings.Split(line, ",") {
			coding, params, _ := strings.Cut(part, ";")
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				if v, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(p)), "q="); ok {
					if w, err := strconv.ParseFloat(v, 64); err == nil {
						q = w
					}
				}
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip":
				gzipQ = q
			case "*":
				starQ = q
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// gzipWriters recycles compressors: a gzip.Writer holds about 800 KB of
// tables, too much to allocate per page. The zero value is ready.
type gzipWriters struct{ pool sync.Pool }

// gzipped compresses a page.
func (p *gzipWriters) gzipped(page []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(page) / 4)
	zw, ok := p.pool.Get().(*gzip.Writer)
	if !ok {
		zw = gzip.NewWriter(io.Discard)
	}
	defer p.pool.Put(zw)
	zw.Reset(&out)
	if _, err := zw.Write(page); err != nil {
		return nil, fmt.Errorf("compress page: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress page: %w", err)
	}
	return out.Bytes(), nil
}

// gunzip decompresses a stored page for a client that takes no gzip.
func gunzip(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// errNotStored says a page rendered for the page store is not in it
// afterwards: storing failed, or a write made it stale at once.
var errNotStored = errors.New("the rendered page was not stored")

// StoreProductPage renders the plain, anonymous product page of slug in
// lang and keeps it in the page store, as a request for it would: the page
// warmer calls it for the pages a write made stale. It fails when the
// page is not stored afterwards (so that the warmer does not count a
// failing store as done), and when the page store is off.
func (w *Web) StoreProductPage(ctx context.Context, slug, lang string) error {
	if w.pages == nil {
		return errNotStored
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "/products/"+slug, nil)
	if err != nil {
		return err
	}
	c := w.echo.NewContext(req, discardResponse{header: http.Header{}})
	c.SetPath("/products/:slug")
	c.SetParamNames("slug")
	c.SetParamValues(slug)
	c.Set(langKey, lang)
	if err := w.showProduct(c); err != nil {
		return err
	}
	k, _ := w.storedPageKey(c, catalog.DefaultPerspective)
	gz, err := w.pages.StoredPage(ctx, k)
	if err != nil {
		return err
	}
	if gz == nil {
		return errNotStored
	}
	return nil
}

// discardResponse is the response of a page rendered only to be stored.
type discardResponse struct{ header http.Header }

func (d discardResponse) Header() http.Header         { return d.header }
func (d discardResponse) Write(b []byte) (int, error) { return len(b), nil }
func (d discardResponse) WriteHeader(int)             {}

// PageVersion is the version the stored pages of this surface are kept
// under (Key.Version); empty when the page store is off.
func (w *Web) PageVersion() string { return w.pageVersion }
