package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
)

// DefaultBodyLimit caps request bodies when Options.BodyLimit is zero:
// 1 MiB, far above any form or JSON document the registry accepts, far
// below what would let one request tie up memory.
const DefaultBodyLimit int64 = 1 << 20

// bodyLimit refuses request bodies larger than limit bytes with 413, as an
// error, so the error handler answers in the route's format (problem+json
// for the API, an HTML page elsewhere). A declared Content-Length is
// refused before anything is read; a body without one (chunked) is cut off
// by http.MaxBytesReader, which also makes net/http close the connection
// instead of reading the rest.
func bodyLimit(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.ContentLength > limit {
				return echo.ErrStatusRequestEntityTooLarge
			}
			req.Body = http.MaxBytesReader(c.Response().Writer, req.Body, limit)
			err := next(c)
			// A handler that hit the limit while reading reports the read
			// error, possibly wrapped (echo's binder makes it a 400).
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return echo.ErrStatusRequestEntityTooLarge.WithInternal(err)
			}
			return err
		}
	}
}
