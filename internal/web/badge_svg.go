package web

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"unicode"
)

// badgeColours are a badge's right-hand side: background, text and accent
// strip, the same pairs as the level badges of the pages (app.css), so the
// text keeps at least 7:1 contrast.
type badgeColours struct{ bg, fg, accent string }

var levelColours = [5]badgeColours{
	{"#fde2e0", "#5e0e0e", "#b91c1c"},
	{"#ffe3d1", "#5a1e00", "#c2410c"},
	{"#fdf0c4", "#4a3200", "#a46a00"},
	{"#e6f1cf", "#2c4300", "#5b8700"},
	{"#dcf2e3", "#0d3b1c", "#1b7a3a"},
}

var unknownColours = badgeColours{"#eceef1", "#24292f", "#5f6b77"}

// badge is what an SVG badge says: the subject on the left, the value on
// the right and the longer title for tooltips and screen readers.
type badge struct {
	Subject, Value, Title, Lang string
	Colours                     badgeColours
}

// Badge geometry (px) in the shields.io manner: 20 px high, 11 px text.
const (
	badgeHeight  = 20
	badgePad     = 6
	badgeAccent  = 4
	badgeFont    = `Verdana, "DejaVu Sans", "Bitstream Vera Sans", Geneva, Arial, sans-serif`
	badgeFontPx  = 11
	badgeTextTop = 14
)

// svg renders the badge as a self-contained SVG document: no fonts, no
// style element or attribute (the CSP would block them), only presentation
// attributes. Text widths are estimated and pinned with textLength, so the
// text fits its box whatever font the viewer has.
func (b badge) svg() []byte {
	sw, vw := textWidth(b.Subject), textWidth(b.Value)*11/10 // the value is bold
	lw := sw + 2*badgePad
	rw := vw + 2*badgePad + badgeAccent
	w := lw + rw
	var buf bytes.Buffer
	buf.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + svgInt(w) + `" height="` + svgInt(badgeHeight) +
		`" viewBox="0 0 ` + svgInt(w) + ` ` + svgInt(badgeHeight) + `" role="img" aria-label="` + esc(b.Title) + `" lang="` + esc(b.Lang) + `">`)
	buf.WriteString(`<title>` + esc(b.Title) + `</title>`)
	buf.WriteString(`<rect width="` + svgInt(lw) + `" height="20" fill="#3d4451"/>`)
	buf.WriteString(`<rect x="` + svgInt(lw) + `" width="` + svgInt(rw) + `" height="20" fill="` + b.Colours.bg + `"/>`)
	buf.WriteString(`<rect x="` + svgInt(lw) + `" width="` + svgInt(badgeAccent) + `" height="20" fill="` + b.Colours.accent + `"/>`)
	buf.WriteString(`<g font-family="` + esc(badgeFont) + `" font-size="` + svgInt(badgeFontPx) + `">`)
	buf.WriteString(`<text x="` + svgInt(badgePad) + `" y="` + svgInt(badgeTextTop) + `" fill="#ffffff" textLength="` +
		svgInt(sw) + `" lengthAdjust="spacingAndGlyphs">` + esc(b.Subject) + `</text>`)
	buf.WriteString(`<text x="` + svgInt(lw+badgeAccent+badgePad) + `" y="` + svgInt(badgeTextTop) + `" fill="` + b.Colours.fg +
		`" font-weight="bold" textLength="` + svgInt(vw) + `" lengthAdjust="spacingAndGlyphs">` + esc(b.Value) + `</text>`)
	buf.WriteString(`</g></svg>`)
	return buf.Bytes()
}

// textWidth estimates the width of s in 11 px Verdana, the widest of the
// usual badge fonts, so the box is never too small (textLength then pins
// the text to it).
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		switch {
		case r == ' ':
			w += 3.9
		case r == 'i' || r == 'l' || r == 'j' || r == '.' || r == ',' || r == ':' || r == ';' || r == '\'' || r == '|' || r == '!':
			w += 3.4
		case r == 'f' || r == 't' || r == 'r' || r == 'I' || r == '(' || r == ')' || r == '-' || r == '/':
			w += 4.9
		case r == 'm' || r == 'w' || r == 'M' || r == 'W':
			w += 10.4
		case unicode.IsUpper(r) || unicode.IsDigit(r):
			w += 7.6
		default:
			w += 6.9
		}
	}
	return int(w + 0.999)
}

// esc escapes text for an XML attribute or element.
func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func svgInt(n int) string { return strconv.Itoa(n) }
