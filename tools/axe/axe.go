// Package axe embeds axe-core (MPL-2.0, see LICENSE), the accessibility
// engine the browser tests inject into pages to check WCAG 2.1 AA. The file
// is copied here by tools/frontend/vendor.sh; it is never served to users.
package axe

import (
	_ "embed"
	"strings"
)

//go:embed axe.min.js
var source string

//go:embed VERSION
var version string

// Source returns the axe-core script, ready to be evaluated in a page.
func Source() string { return source }

// Version returns the vendored axe-core version, e.g. "4.14.1".
func Version() string { return strings.TrimSpace(version) }
