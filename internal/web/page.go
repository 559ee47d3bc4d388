package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// page builds the data every view receives, with translations and level
// badges memoised (memoTexts).
func (w *Web) page(c echo.Context, title string) views.Page {
	lang, _ := c.Get(langKey).(string)
	if lang == "" {
		lang = "de"
	}
	loc := w.i18n.Localizer(lang)
	// An unknown perspective is refused by the handlers that use it (400);
	// here, e.g. on that error page, links fall back to the default.
	persp, err := perspective(c)
	if err != nil {
		persp = catalog.DefaultPerspective
	}
	p := views.Page{
		Lang:         lang,
		Title:        title,
		Path:         c.Request().URL.RequestURI(),
		T:            loc.T,
		Asset:        w.assets.URL,
		Perspective:  persp,
		LoginEnabled: w.login != nil,
	}
	if a, ok := account(c); ok {
		p.User, p.CSRFToken = &views.UserInfo{Name: a.Name, Roles: a.Roles}, a.CSRF
	}
	return w.memoTexts(p)
}

// render writes a templ component as the response.
func render(c echo.Context, status int, comp templ.Component) error {
	return renderPage(c.Request().Context(), comp, func(page []byte) error { return sendHTML(c, status, page, false) })
}

// renderPage renders a templ component into a pooled buffer and hands the
// page to send, which must be done with it when it returns.
//
// The page is rendered into a buffer first: a render error then becomes a
// proper error page instead of half a page, and the page goes out in one
// write with its length instead of one system call per 4 KiB.
func renderPage(ctx context.Context, comp templ.Component, send func(page []byte) error) error {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // keep the pool from hoarding a huge page
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := comp.Render(ctx, buf); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	return send(buf.Bytes())
}

// sendHTML sends a page with its length (without one net/http would send
// a page of more than 2 KiB in chunks), gzip-encoded or plain.
func sendHTML(c echo.Context, status int, body []byte, gz bool) error {
	h := c.Response().Header()
	if gz {
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.HTMLBlob(status, body)
}

// renderBuffers recycles page buffers across requests; it holds no state
// of its own, only spare memory.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func langCookie(lang string) *http.Cookie {
	return &http.Cookie{
		Name: "lang", Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	}
}
