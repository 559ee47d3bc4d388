package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sovereignty-registry/registry/internal/server"
)

type pinger struct{}

func (pinger) Ping(context.Context) error { return nil }

// newServer returns a server with a body cap of limit and two routes that
// read the body: one as raw bytes, one through echo's JSON binder. The
// error handler writes the status server.Status gives, as the real ones do.
func newServer(limit int64) *echo.Echo {
	e := server.New(server.Options{
		Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Ready: pinger{}, BodyLimit: limit,
		ErrorHandler: func(err error, c echo.Context) { _ = c.String(server.Status(err), "error handler: "+err.Error()) },
	})
	e.POST("/raw", func(c echo.Context) error {
		b, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return fmt.Errorf("read body: %w", err)
		}
		return c.String(http.StatusOK, fmt.Sprint(len(b)))
	})
	e.POST("/json", func(c echo.Context) error {
		var v struct{ Text string }
		if err := c.Bind(&v); err != nil {
			return err
		}
		return c.String(http.StatusOK, fmt.Sprint(len(v.Text)))
	})
	return e
}

func TestBodyLimit(t *testing.T) {
	jsonOf := func(n int) string { return `{"Text":"` + strings.Repeat("x", n-len(`{"Text":""}`)) + `"}` }
	tests := []struct {
		name    string
		limit   int64
		path    string
		body    string
		chunked bool // no Content-Length: the limit must bite while reading
		want    int
	}{
		{"small body", 1024, "/raw", "hello", false, 200},
		{"exactly the limit", 1024, "/raw", strings.Repeat("x", 1024), false, 200},
		{"one byte over, declared", 1024, "/raw", strings.Repeat("x", 1025), false, 413},
		{"exactly the limit, chunked", 1024, "/raw", strings.Repeat("x", 1024), true, 200},
		{"one byte over, chunked", 1024, "/raw", strings.Repeat("x", 1025), true, 413},
		{"JSON over the limit, chunked, not a 400", 1024, "/json", jsonOf(4096), true, 413},
		{"JSON within the limit", 1024, "/json", jsonOf(1024), true, 200},
		{"default is 1 MiB", 0, "/raw", strings.Repeat("x", 1<<20), false, 200},
		{"default, one byte over", 0, "/raw", strings.Repeat("x", 1<<20+1), false, 413},
		{"oversized on a route without a POST", 1024, "/healthz", strings.Repeat("x", 2048), false, 413},
		{"oversized on an unknown path", 1024, "/nowhere", strings.Repeat("x", 2048), false, 413},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.chunked {
				req.Body = io.NopCloser(bytes.NewReader([]byte(tc.body)))
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			newServer(tc.limit).ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body.String())
			}
			if tc.want == 413 && !strings.HasPrefix(rec.Body.String(), "error handler: ") {
				t.Errorf("413 did not go through the error handler: %q", rec.Body.String())
			}
		})
	}
}
