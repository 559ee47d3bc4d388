package web

import (
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// page builds the data every view receives.
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
	return views.Page{
		Lang:        lang,
		Title:       title,
		Path:        c.Request().URL.RequestURI(),
		T:           loc.T,
		Asset:       w.assets.URL,
		Perspective: persp,
	}
}

// render writes a templ component as the response.
func render(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

func langCookie(lang string) *http.Cookie {
	return &http.Cookie{
		Name: "lang", Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	}
}
