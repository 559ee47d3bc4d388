package auth

import "errors"

// ErrUnknownRole is returned by ParseRole for a name that is not a Role.
var ErrUnknownRole = errors.New("auth: unknown role")
