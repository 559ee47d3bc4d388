package workflow

import "errors"

// Sentinel errors. Apply wraps them with %w and a reason, so callers test
// with errors.Is and log the message; a bad proposal is reported as a
// *catalog.ValidationError instead.
var (
	// ErrForbidden: the actor may not take this action on this submission.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalidTransition: the action is not allowed in the current state.
	ErrInvalidTransition = errors.New("invalid transition")
	// ErrConflict: the submission changed since it was read (optimistic
	// locking). The store reports the same condition as catalog.ErrConflict;
	// IsConflict accepts either.
	ErrConflict = errors.New("conflict")
)
