package oidc

import (
	"net/url"
	"strings"
)

// maxNext bounds the length of a next target kept in the session.
const maxNext = 2048

// SafeNext returns raw if it is a local path of this site (starting with a
// single slash, no scheme, no host, no backslash, no control character) and
// "/" otherwise, so a login cannot be turned into an open redirect.
func SafeNext(raw string) string {
	if raw == "" || len(raw) > maxNext || !localPath(raw) {
		return "/"
	}
	// An escaped slash or backslash may be decoded by some later hop; check the
	// decoded form as well.
	if dec, err := url.PathUnescape(raw); err != nil || !localPath(dec) {
		return "/"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return raw
}

// localPath applies the textual checks of SafeNext.
func localPath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return false
	}
	for _, r := range s {
		if r == '\\' || r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
