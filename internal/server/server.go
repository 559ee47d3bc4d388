package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Pinger reports whether a dependency (the database) is ready.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options configure New.
type Options struct {
	Logger   *slog.Logger
	Registry *prometheus.Registry // metrics registry; /metrics serves it
	Ready    Pinger
	// BodyLimit caps request bodies, in bytes; a larger one gets 413 through
	// ErrorHandler. Zero (or less) means DefaultBodyLimit, 1 MiB.
	BodyLimit int64
	// ErrorHandler renders errors (HTML or problem+json, by route).
	ErrorHandler echo.HTTPErrorHandler
	// FormActions are other origins a form may lead to: the OpenID
	// provider, whose logout the sign-out form redirects to (browsers
	// apply form-action to the redirects after a form post too).
	FormActions []string
}

// New returns an echo instance with the shared middleware and the
// operational endpoints /healthz, /readyz and /metrics. Surfaces register
// their own routes on it afterwards.
func New(opts Options) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = opts.ErrorHandler
	// The client's address (c.RealIP, which limits failed API tokens per
	// client): the peer's, or the last one a reverse proxy on the same host
	// adds to X-Forwarded-For. Headers from anywhere else are not trusted,
	// so a client cannot choose its own address.
	e.IPExtractor = echo.ExtractIPFromXFFHeader(echo.TrustLoopback(true), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
	if opts.BodyLimit <= 0 {
		opts.BodyLimit = DefaultBodyLimit
	}
	m := newMetrics(opts.Registry)
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(
		middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: newRequestID}),
		accessLog(opts.Logger, m),
		middleware.Recover(), // its error reaches the error handler, which logs it once
		securityHeaders(contentSecurityPolicy(opts.FormActions)),
		bodyLimit(opts.BodyLimit),
	)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", func(c echo.Context) error {
		if err := opts.Ready.Ping(c.Request().Context()); err != nil {
			opts.Logger.Warn("not ready", "err", err)
			return c.String(http.StatusServiceUnavailable, "database unavailable\n")
		}
		return c.String(http.StatusOK, "ready\n")
	})
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(opts.Registry, promhttp.HandlerOpts{})))
	return e
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// contentSecurityPolicy allows nothing from other hosts and no inline
// script or style: the pages need neither. Forms may lead only here and to
// formActions.
func contentSecurityPolicy(formActions []string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
		strings.Join(append([]string{"form-action 'self'"}, formActions...), " ") + "; frame-ancestors 'none'"
}

func securityHeaders(csp string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			if !strings.HasPrefix(c.Request().URL.Path, "/badges/") {
				h.Set("X-Frame-Options", "DENY")
			}
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			if c.Request().TLS != nil {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			return next(c)
		}
	}
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "registry_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "registry_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// accessLog logs one structured line per request and records metrics. The
// route label is echo's route pattern, never the raw path, so metrics stay
// bounded.
func accessLog(log *slog.Logger, m *metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err) // renders the error now, so the status below is final
			}
			status := c.Response().Status
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			m.requests.WithLabelValues(c.Request().Method, route, strconv.Itoa(status)).Inc()
			m.duration.WithLabelValues(c.Request().Method, route).Observe(elapsed.Seconds())
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			attrs := []any{
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "path", c.Request().URL.Path, "route", route,
				"status", status, "duration_ms", float64(elapsed.Microseconds()) / 1000,
				"bytes", c.Response().Size,
			}
			log.Log(c.Request().Context(), level, "request", attrs...)
			return nil
		}
	}
}
