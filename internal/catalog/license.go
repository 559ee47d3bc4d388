package catalog

import (
	"regexp"
	"strings"
)

// ProprietaryLicense is the SPDX reference the registry uses for closed licences.
const ProprietaryLicense = "LicenseRef-Proprietary"

var licenseID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-]*\+?$`)

// ValidLicense reports whether s is a syntactically valid SPDX licence
// expression (identifiers joined by AND, OR, WITH and parentheses). Whether
// each identifier is on the SPDX list is checked at the edges (seed loader),
// which keeps this package free of third-party code.
func ValidLicense(s string) bool {
	toks := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s))
	if len(toks) == 0 {
		return false
	}
	p := &spdxParser{toks: toks}
	return p.expr() && p.pos == len(toks)
}

type spdxParser struct {
	toks []string
	pos  int
}

func (p *spdxParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

// expr := term { OR term }
func (p *spdxParser) expr() bool {
	if !p.term() {
		return false
	}
	for p.peek() == "OR" {
		p.pos++
		if !p.term() {
			return false
		}
	}
	return true
}

// term := factor { AND factor }
func (p *spdxParser) term() bool {
	if !p.factor() {
		return false
	}
	for p.peek() == "AND" {
		p.pos++
		if !p.factor() {
			return false
		}
	}
	return true
}

// factor := "(" expr ")" | id [ WITH id ]
func (p *spdxParser) factor() bool {
	switch t := p.peek(); {
	case t == "(":
		p.pos++
		if !p.expr() || p.peek() != ")" {
			return false
		}
		p.pos++
		return true
	case isOperator(t) || t == ")" || !licenseID.MatchString(t):
		return false
	}
	p.pos++
	if p.peek() == "WITH" {
		p.pos++
		if t := p.peek(); isOperator(t) || !licenseID.MatchString(t) {
			return false
		}
		p.pos++
	}
	return true
}

func isOperator(t string) bool { return t == "AND" || t == "OR" || t == "WITH" }
