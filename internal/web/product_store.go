package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

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
	return pages.Key{Slug: c.Param("slug"), Lang: lang, View: view, Version: w.pageVersion, Day: time.Now().UTC()}, true
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
		return true, sendHTML(c, body, false)
	}
	return true, sendHTML(c, gz, true)
}

// renderStored renders a product page, keeps it under k (rendered at
// generation gen) and sends it. Storing is best effort: a failure is
// logged and the page sent all the same.
func (w *Web) renderStored(c echo.Context, k pages.Key, gen int64, comp templ.Component) error {
	var page bytes.Buffer
	if err := comp.Render(c.Request().Context(), &page); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	gz, err := w.gzips.gzipped(page.Bytes())
	if err != nil {
		return err
	}
	// The page is kept even when the client goes away meanwhile: it was
	// rendered all the same.
	if err := w.pages.StorePage(context.WithoutCancel(c.Request().Context()), k, gen, gz); err != nil {
		w.log.Warn("storing a rendered page failed", "slug", k.Slug, "err", err)
	}
	if acceptsGzip(c.Request()) {
		return sendHTML(c, gz, true)
	}
	return sendHTML(c, page.Bytes(), false)
}

// sendHTML sends a page with its length, gzip-encoded or plain.
func sendHTML(c echo.Context, body []byte, gz bool) error {
	h := c.Response().Header()
	if gz {
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.HTMLBlob(http.StatusOK, body)
}

// acceptsGzip says whether the request's Accept-Encoding admits gzip
// (RFC 9110, section 12.5.3): named or matched by "*", with a weight
// above zero.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get(echo.HeaderAcceptEncoding), ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.TrimSpace(params)
		if v, ok := strings.CutPrefix(strings.ToLower(q), "q="); ok {
			if w, err := strconv.ParseFloat(v, 64); err == nil && w == 0 {
				return false
			}
		}
		return true
	}
	return false
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

// StoreProductPage renders the plain, anonymous product page of slug in
// lang and keeps it in the page store, as a request for it would: the page
// warmer calls it for the pages a write made stale. It renders nothing
// when the page store is off.
func (w *Web) StoreProductPage(ctx context.Context, slug, lang string) error {
	if w.pages == nil {
		return nil
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
	return w.showProduct(c)
}

// discardResponse is the response of a page rendered only to be stored.
type discardResponse struct{ header http.Header }

func (d discardResponse) Header() http.Header         { return d.header }
func (d discardResponse) Write(b []byte) (int, error) { return len(b), nil }
func (d discardResponse) WriteHeader(int)             {}

// PageVersion is the version the stored pages of this surface are kept
// under (Key.Version); empty when the page store is off.
func (w *Web) PageVersion() string { return w.pageVersion }
