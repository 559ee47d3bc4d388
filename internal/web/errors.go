package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/views"
)

// HandleError renders an error as a full HTML page with the status from
// server.Status. Internal errors are logged once, here, with the request id;
// the user sees only a safe message.
func (w *Web) HandleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := server.Status(err)
	if c.Get(langKey) == nil {
		// Errors raised before routing (404, 405) skipped the middleware.
		_ = w.negotiateLanguage(func(echo.Context) error { return nil })(c)
	}
	p := w.page(c, "")
	msg := ""
	var he *echo.HTTPError
	switch {
	case status >= 500:
		w.log.Error("internal error", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "path", c.Request().URL.Path, "err", err)
		msg = p.T("error.internal_message")
	case status == http.StatusBadRequest:
		msg = p.T("error.bad_request_message")
	case errors.As(err, &he) && status == http.StatusRequestEntityTooLarge:
		msg = p.T("error.too_large_message")
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if rerr := render(c, status, views.ErrorPage(p, status, msg)); rerr != nil {
		w.log.Error("render error page", "err", rerr)
	}
}
