package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// send writes v as JSON with a strong ETag over the exact bytes, so a
// client that revalidates with If-None-Match gets 304 and no body whenever
// nothing it could see has changed.
func (a *API) send(c echo.Context, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // URLs keep their "&"; the body is never HTML
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return a.sendBytes(c, echo.MIMEApplicationJSON, buf.Bytes())
}

// sendBytes writes a ready body with ETag and caching headers.
func (a *API) sendBytes(c echo.Context, contentType string, body []byte) error {
	tag := etag(body)
	h := c.Response().Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(a.maxAge))
	if noneMatch(c.Request().Header.Get("If-None-Match"), tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, contentType, body)
}

// etag is a strong validator: a quoted, truncated SHA-256 of the body.
// 144 bits keep collisions out of reach while the header stays short.
func etag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// noneMatch reports whether an If-None-Match header matches tag. RFC 9110
// prescribes the weak comparison here, so W/"x" matches "x".
func noneMatch(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}
