package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/i18n"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
	"github.com/sovereignty-registry/registry/internal/testdb"
	"github.com/sovereignty-registry/registry/internal/web"
	"github.com/sovereignty-registry/registry/static"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// site is the HTML surface on a seeded database.
type site struct {
	e   *echo.Echo
	svc *catalog.Service
}

func newSite(t *testing.T) site {
	t.Helper()
	svc := catalog.NewService(storetest.Seeded(t))
	w := web.New(siteOptions(t, svc))
	e := echo.New()
	e.HTTPErrorHandler = w.HandleError
	w.Register(e)
	return site{e: e, svc: svc}
}

// siteOptions are the options of an HTML surface on svc, with the real
// translations and assets and no sign-in.
func siteOptions(t *testing.T, svc web.Catalog) web.Options {
	t.Helper()
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	return web.Options{Catalog: svc, I18n: bundle, Assets: assets, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// get requests path (with an optional Accept-Language) and parses the page.
func (s site) get(t *testing.T, path, acceptLanguage string) (int, *goquery.Document, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	body := rec.Body.String()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: parse: %v", path, err)
	}
	return rec.Code, doc, body
}

// hrefs returns the href attributes of the elements sel matches.
func hrefs(doc *goquery.Document, sel string) []string {
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		if h, ok := s.Attr("href"); ok {
			out = append(out, h)
		}
	})
	return out
}

func h1(doc *goquery.Document) string { return strings.TrimSpace(doc.Find("h1").First().Text()) }

func index(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}
