package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
)

// Status maps an error to its HTTP status. It is the only place that does:
// the HTML error page and the API's problem+json both ask it.
func Status(err error) int {
	var he *echo.HTTPError
	var ve *catalog.ValidationError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &he):
		return he.Code
	case errors.As(err, &ve):
		return http.StatusBadRequest
	case errors.Is(err, catalog.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, catalog.ErrConflict), errors.Is(err, workflow.ErrInvalidTransition):
		return http.StatusConflict
	case errors.Is(err, workflow.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// Problems returns the validation problems inside err, if any.
func Problems(err error) []catalog.Problem {
	var ve *catalog.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}
