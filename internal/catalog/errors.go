package catalog

import (
	"errors"
	"fmt"
	"strings"
)

// Domain errors. Adapters map them to HTTP status in exactly one place each
// (internal/web and internal/api) and wrap them with %w on the way up.
var (
	// ErrNotFound: the requested object does not exist or is hidden.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a write lost a race or collides with existing data.
	ErrConflict = errors.New("conflict")
)

// Problem is one invalid field. Path names the field relative to the object
// validated (e.g. "dependencies[1].on"); Message is a short English sentence
// and Key a translation key for the web layer.
type Problem struct {
	Path    string
	Key     string
	Message string
}

// ValidationError carries every problem found in one validation pass, so a
// form or a seed file can be fixed in one go.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Path + ": " + p.Message
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// problems collects validation problems under a path prefix.
type problems struct {
	prefix string
	list   *[]Problem
}

func newProblems() problems { return problems{list: new([]Problem)} }

func (p problems) at(format string, args ...any) problems {
	seg := fmt.Sprintf(format, args...)
	if p.prefix != "" && !strings.HasPrefix(seg, "[") {
		seg = "." + seg
	}
	return problems{prefix: p.prefix + seg, list: p.list}
}

func (p problems) add(key, format string, args ...any) {
	*p.list = append(*p.list, Problem{Path: p.prefix, Key: key, Message: fmt.Sprintf(format, args...)})
}

func (p problems) err() error {
	if len(*p.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: *p.list}
}
