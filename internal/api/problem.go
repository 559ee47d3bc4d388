package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
)

// problemDTO is an RFC 9457 problem document, the body of every API error.
type problemDTO struct {
	Type      string        `json:"type"`
	Title     string        `json:"title"`
	Status    int           `json:"status"`
	Detail    string        `json:"detail"`
	Instance  string        `json:"instance"`
	RequestID string        `json:"request_id,omitempty"`
	Errors    []problemItem `json:"errors,omitempty"`
}

// problemItem names one invalid input: a query parameter, or a JSON pointer
// when the problem is not about a parameter.
type problemItem struct {
	Parameter string `json:"parameter,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Detail    string `json:"detail"`
}

// MIMEProblemJSON is the media type of problem documents (RFC 9457).
const MIMEProblemJSON = "application/problem+json"

// HandleError renders err as a problem document. The central echo error
// handler calls it for every path under /api/. The status comes from
// server.Status, the one mapping of errors to HTTP; a server error is
// logged here, once, with the request id, and its details never reach
// the client.
func (a *API) HandleError(err error, c echo.Context) {
	status := server.Status(err)
	req := c.Request()
	id := c.Response().Header().Get(echo.HeaderXRequestID)
	if id == "" {
		id = req.Header.Get(echo.HeaderXRequestID)
	}
	if status >= 500 {
		a.log.ErrorContext(req.Context(), "api request failed", "request_id", id,
			"method", req.Method, "path", req.URL.Path, "status", status, "err", err)
	}
	if c.Response().Committed {
		return // the status line is gone; nothing more can be said
	}
	var qe *queryError
	inQuery := errors.As(err, &qe)
	p := problemDTO{
		Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: problemDetail(err, status, inQuery), Instance: req.URL.EscapedPath(), RequestID: id,
	}
	if p.Title == "" {
		p.Title = "Error"
	}
	if status < 500 {
		for _, pr := range server.Problems(err) {
			p.Errors = append(p.Errors, problemItemOf(pr, inQuery))
		}
	}
	h := c.Response().Header()
	setCommonHeaders(h)
	h.Del("ETag") // a handler may have set it before failing
	h.Set("Cache-Control", "no-store")
	body, mErr := json.Marshal(p)
	if mErr != nil { // cannot happen for this struct; say something anyway
		body = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"","instance":""}`)
	}
	if wErr := c.Blob(status, MIMEProblemJSON, body); wErr != nil {
		a.log.WarnContext(req.Context(), "api: writing a problem failed", "request_id", id, "err", wErr)
	}
}

// problemDetail is a safe, human-readable explanation. Only 4xx errors
// say what went wrong; a 5xx says where to look instead.
func problemDetail(err error, status int, inQuery bool) string {
	var he *echo.HTTPError
	switch {
	case status >= 500:
		return "The server could not answer this request. Please try again later; if it persists, report the request id."
	case errors.As(err, &he):
		if msg, ok := he.Message.(string); ok && msg != "" {
			return msg
		}
	case status == http.StatusNotFound:
		return "Nothing is recorded under this address."
	case len(server.Problems(err)) > 0:
		var parts []string
		for _, pr := range server.Problems(err) {
			if name := paramName(pr.Path, inQuery); name != "" {
				parts = append(parts, name+": "+pr.Message)
			} else {
				parts = append(parts, pr.Message)
			}
		}
		return "The request is invalid: " + strings.Join(parts, "; ") + "."
	}
	return http.StatusText(status)
}

// indexSuffix matches the position the catalogue appends to a repeated
// parameter ("kind[1]"); clients know the parameter as "kind".
var indexSuffix = regexp.MustCompile(`\[\d+\]$`)

// paramName maps a problem path to the query parameter it is about, or ""
// when it is not about a parameter.
func paramName(path string, inQuery bool) string {
	if !inQuery {
		return ""
	}
	return indexSuffix.ReplaceAllString(path, "")
}

func problemItemOf(p catalog.Problem, inQuery bool) problemItem {
	if name := paramName(p.Path, inQuery); name != "" {
		return problemItem{Parameter: name, Detail: p.Message}
	}
	if p.Path == "" {
		return problemItem{Detail: p.Message}
	}
	// A JSON pointer (RFC 6901) to the field: "a.b[2]" → "/a/b/2".
	ptr := strings.NewReplacer("~", "~0", "/", "~1").Replace(p.Path)
	ptr = strings.NewReplacer(".", "/", "[", "/", "]", "").Replace(ptr)
	return problemItem{Pointer: "/" + ptr, Detail: p.Message}
}
