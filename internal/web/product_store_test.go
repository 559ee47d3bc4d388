package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/i18n"
	"github.com/sovereignty-registry/registry/internal/pages"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/web"
	"github.com/sovereignty-registry/registry/seed"
)

// storingSite is the HTML surface with the page store on, on a seeded
// database, with a second surface on the same database that stores
// nothing (what a page looks like rendered afresh).
type storingSite struct {
	e, fresh *echo.Echo
	w        *web.Web
	st       *store.Store
	svc      *catalog.Service
}

const testPageVersion = "test-1"

func newStoringSite(t *testing.T) storingSite {
	t.Helper()
	st := storetest.Seeded(t)
	// Every request reads the generation: a write shows at once.
	svc := catalog.NewService(st, catalog.WithGenerationTTL(0))
	opts := siteOptions(t, svc)
	plain := web.New(opts)
	opts.Pages, opts.PageVersion = st.Pages(), testPageVersion
	w := web.New(opts)
	s := storingSite{e: echo.New(), fresh: echo.New(), w: w, st: st, svc: svc}
	s.e.HTTPErrorHandler = w.HandleError
	w.Register(s.e)
	s.fresh.HTTPErrorHandler = plain.HandleError
	plain.Register(s.fresh)
	return s
}

// fetch requests path from e in German, with or without gzip, and returns
// the response and its decoded body.
func fetch(t *testing.T, e *echo.Echo, path string, gz bool) (*httptest.ResponseRecorder, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", "de")
	if gz {
		req.Header.Set("Accept-Encoding", "br, gzip;q=0.8")
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		body = gunzipped(t, body)
	}
	return rec, string(body)
}

func gunzipped(t *testing.T, gz []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatalf("body is not gzip: %v", err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("body is not gzip: %v", err)
	}
	return body
}

func gzipOf(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := io.WriteString(zw, s); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// stored returns the page stored under k, decompressed ("" for none). A
// page the server keyed a minute before k.Day is found too: the test must
// not fail when midnight falls between a request and its check.
func (s storingSite) stored(t *testing.T, k pages.Key) string {
	t.Helper()
	for _, day := range []time.Time{k.Day, k.Day.Add(-time.Minute)} {
		k.Day = day
		gz, err := s.st.Pages().StoredPage(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		if gz != nil {
			return string(gunzipped(t, gz))
		}
	}
	return ""
}

func TestStoredProductPages(t *testing.T) {
	ctx := context.Background()
	s := newStoringSite(t)
	key := pages.Key{Slug: "nextcloud", Lang: "de", Version: testPageVersion, Day: time.Now()}

	t.Run("a rendered page is kept as it was sent", func(t *testing.T) {
		rec, body := fetch(t, s.e, "/products/nextcloud", true)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("status %d, encoding %q; want 200, gzip", rec.Code, rec.Header().Get("Content-Encoding"))
		}
		if vary := strings.Join(rec.Header().Values("Vary"), ", "); !strings.Contains(vary, "Accept-Encoding") {
			t.Errorf("Vary %q does not name Accept-Encoding", vary)
		}
		if got := s.stored(t, key); got != body {
			t.Errorf("stored page differs from the page sent (%d and %d bytes)", len(got), len(body))
		}
		if _, fresh := fetch(t, s.fresh, "/products/nextcloud", false); fresh != body {
			t.Errorf("page differs from one rendered without the store (%d and %d bytes)", len(body), len(fresh))
		}
	})

	t.Run("a valid stored page is sent without rendering", func(t *testing.T) {
		gen, err := s.svc.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		const marker = "<!doctype html><title>stored</title>"
		if err := s.st.Pages().StorePage(ctx, key, gen, gzipOf(t, marker)); err != nil {
			t.Fatal(err)
		}
		for _, gz := range []bool{true, false} {
			rec, body := fetch(t, s.e, "/products/nextcloud", gz)
			if body != marker {
				t.Errorf("gzip %v: got a rendered page, want the stored one", gz)
			}
			if enc := rec.Header().Get("Content-Encoding"); (enc == "gzip") != gz {
				t.Errorf("gzip %v: Content-Encoding %q", gz, enc)
			}
			if rec.Header().Get("Content-Length") != "" && rec.Header().Get("Content-Length") != itoa(rec.Body.Len()) {
				t.Errorf("gzip %v: Content-Length %s for %d bytes", gz, rec.Header().Get("Content-Length"), rec.Body.Len())
			}
		}
	})

	t.Run("a write elsewhere makes the stored page stale at once", func(t *testing.T) {
		d, err := seed.Load(seed.Files())
		if err != nil {
			t.Fatal(err)
		}
		for i := range d.Products {
			if d.Products[i].Slug == "nextcloud" {
				d.Products[i].Name = "Nextcloud (edited)"
			}
		}
		// Another instance's service: this site's own service has not
		// seen the write (its generation is trusted for a second).
		if _, err := catalog.NewService(s.st).Import(ctx, d); err != nil {
			t.Fatal(err)
		}
		if got := s.stored(t, key); got != "" {
			t.Fatal("the stored page is still valid after the write")
		}
		_, body := fetch(t, s.e, "/products/nextcloud", true)
		if strings.Contains(body, "<title>stored</title>") || !strings.Contains(body, "Nextcloud (edited)") {
			t.Error("after the write the page is not rendered anew with the edited name")
		}
	})

	t.Run("only plain and perspective URLs are kept", func(t *testing.T) {
		tests := []struct {
			name, path, view string
			kept             bool
		}{
			{"perspective link", "/products/jitsi-meet?perspective=de", "perspective=de", true},
			{"other query", "/products/jitsi-meet?perspective=de&x=1", "perspective=de&x=1", false},
			{"language switch", "/products/element?lang=en", "lang=en", false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				slug := strings.TrimPrefix(strings.SplitN(tc.path, "?", 2)[0], "/products/")
				rec, body := fetch(t, s.e, tc.path, true)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
				lang := "de"
				if strings.Contains(tc.path, "lang=en") {
					lang = "en"
				}
				k := pages.Key{Slug: slug, Lang: lang, View: tc.view, Version: testPageVersion, Day: time.Now()}
				if got := s.stored(t, k); (got == body) != tc.kept || (!tc.kept && got != "") {
					t.Errorf("kept %v (%d bytes, page %d), want %v", got != "", len(got), len(body), tc.kept)
				}
			})
		}
	})

	t.Run("unknown products and perspectives are not kept", func(t *testing.T) {
		for _, path := range []string{"/products/no-such-product", "/products/nextcloud?perspective=mars"} {
			if rec, _ := fetch(t, s.e, path, true); rec.Code != http.StatusNotFound && rec.Code != http.StatusBadRequest {
				t.Errorf("GET %s: status %d, want 404 or 400", path, rec.Code)
			}
		}
		for _, k := range []pages.Key{
			{Slug: "no-such-product", Lang: "de", Version: testPageVersion, Day: time.Now()},
			{Slug: "nextcloud", Lang: "de", View: "perspective=mars", Version: testPageVersion, Day: time.Now()},
		} {
			if got := s.stored(t, k); got != "" {
				t.Errorf("an error page was kept under %+v", k)
			}
		}
	})
}

func TestPageWarmer(t *testing.T) {
	ctx := context.Background()
	s := newStoringSite(t)
	products, err := s.svc.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := &pages.Warmer{Store: s.st.Pages(), Render: s.w.StoreProductPage, Generation: s.svc.Generation,
		Version: s.w.PageVersion(), Langs: i18n.Languages(), Workers: 2, Log: slog.New(slog.DiscardHandler)}
	sweep := func() int {
		t.Helper()
		n, err := w.Sweep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := 2 * products.Products
	if n := sweep(); n != want {
		t.Fatalf("first sweep rendered %d pages, want %d (every product in both languages)", n, want)
	}
	if n := sweep(); n != 0 {
		t.Errorf("second sweep rendered %d pages, want none", n)
	}
	_, fresh := fetch(t, s.fresh, "/products/matrix-synapse", false)
	if got := s.stored(t, pages.Key{Slug: "matrix-synapse", Lang: "de", Version: s.w.PageVersion(), Day: time.Now()}); got != fresh {
		t.Errorf("the warmer's page differs from one rendered for a request (%d and %d bytes)", len(got), len(fresh))
	}
	if err := s.w.StoreProductPage(ctx, "no-such-product", "de"); err == nil {
		t.Error("storing the page of an unknown product did not fail")
	}
	if err := s.svc.RecomputeAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := sweep(); n != want {
		t.Errorf("sweep after a write rendered %d pages, want %d", n, want)
	}
}
