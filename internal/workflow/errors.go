package workflow

import (
	"errors"
	"fmt"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// Sentinel errors. Apply wraps them with %w and a reason, so callers test
// with errors.Is and log the message; a bad proposal is reported as a
// *catalog.ValidationError instead.
var (
	// ErrForbidden: the actor may not take this action on this submission.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalidTransition: the action is not allowed in the current state.
	ErrInvalidTransition = errors.New("invalid transition")
	// ErrConflict: the submission changed since it was read (optimistic
	// locking). It is catalog.ErrConflict itself, so the store's conflicts
	// and the workflow's map to the same status in one place.
	ErrConflict = catalog.ErrConflict
)

// CheckVersion reports ErrConflict when the version a form or API request
// was based on is not the submission's current version.
func CheckVersion(s Submission, expected int) error {
	if s.Version != expected {
		return fmt.Errorf("%w: submission %d is at version %d, the request was based on %d", ErrConflict, s.ID, s.Version, expected)
	}
	return nil
}
