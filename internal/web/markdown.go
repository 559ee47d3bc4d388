package web

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/sovereignty-registry/registry/views"
)

// markdownDoc is a Markdown document rendered for a page: the text of its
// first h1 (taken out of the body, the page renders it), the sanitized HTML
// of the rest and the h2/h3 headings for a table of contents.
type markdownDoc struct {
	Title string
	HTML  string
	TOC   []views.TOCEntry
}

// reservedIDs are element ids the layout and its components already use; a
// heading never takes one, so an anchor cannot collide with the page frame.
var reservedIDs = []string{"main", "search-q", "toc-heading"}

// renderMarkdown converts trusted-but-sanitized Markdown (our own docs)
// into HTML: GitHub tables, autolinks, stable heading ids ("section-4" for
// "4. Criteria …", so an anchor works in both languages), links rewritten
// by rewrite (e.g. "methodology.de.md" → "/methodology?lang=de"), then
// bluemonday's UGC policy, so even a careless edit of a doc can put neither
// script nor inline style (which our CSP would block anyway) on a page.
func renderMarkdown(src []byte, rewrite map[string]string) (markdownDoc, error) {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	ids := newHeadingIDs(reservedIDs...)
	root := md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(ids))))
	var doc markdownDoc
	var drop []ast.Node
	err := ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			title := plainText(n, src)
			if n.Level == 1 && doc.Title == "" {
				doc.Title = title
				drop = append(drop, n)
				return ast.WalkSkipChildren, nil
			}
			if n.Level == 2 || n.Level == 3 {
				id, _ := n.AttributeString("id")
				b, _ := id.([]byte)
				doc.TOC = append(doc.TOC, views.TOCEntry{ID: string(b), Text: title, Level: n.Level})
			}
		case *ast.Link:
			dest := string(n.Destination)
			path, frag, _ := strings.Cut(dest, "#")
			if to, ok := rewrite[path]; ok {
				if frag != "" {
					to += "#" + frag
				}
				n.Destination = []byte(to)
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return markdownDoc{}, fmt.Errorf("markdown: walk: %w", err)
	}
	for _, n := range drop {
		n.Parent().RemoveChild(n.Parent(), n)
	}
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, root); err != nil {
		return markdownDoc{}, fmt.Errorf("markdown: render: %w", err)
	}
	doc.HTML = markdownPolicy().Sanitize(buf.String())
	return doc, nil
}

// markdownPolicy is bluemonday's UGC policy (no script, no style, no event
// handlers, no class) with links that neither pass a referrer to the cited
// sites nor carry nofollow: the sources are citations we stand by. It is
// built once (building it costs more than sanitising a description) and
// only read: a policy is safe for concurrent use.
var markdownPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	return p
})

// plainText returns the text of n's inline content (text, code spans,
// emphasis), without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// headingIDs gives every heading a unique id: "section-N" for a heading
// that starts with its section number ("5. Inheritance" → "section-5",
// "5.2 …" → "section-5-2"), otherwise the text in lower case with umlauts
// spelled out and everything else but letters and digits as hyphens.
type headingIDs struct{ used map[string]bool }

func newHeadingIDs(reserved ...string) *headingIDs {
	h := &headingIDs{used: map[string]bool{}}
	for _, r := range reserved {
		h.used[r] = true
	}
	return h
}

// Generate implements parser.IDs.
func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := sectionID(string(value))
	if base == "" {
		base = slugID(string(value))
	}
	if base == "" {
		base = "heading"
	}
	id := base
	for i := 2; h.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs (an id given explicitly in the document).
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

// sectionID returns "section-5-2" for a heading starting "5.2" or "5.",
// and "" when the heading has no leading section number (a bare "2026" is
// a year, not a section).
func sectionID(s string) string {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	num := strings.Trim(s[:end], ".")
	if num == "" || !strings.Contains(s[:end], ".") || (end < len(s) && s[end] != ' ') {
		return ""
	}
	return "section-" + strings.ReplaceAll(num, ".", "-")
}

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue")

// slugID lower-cases s, spells out umlauts and joins the runs of ASCII
// letters and digits with single hyphens.
func slugID(s string) string {
	s = umlauts.Replace(strings.ToLower(s))
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		hyphen = true
	}
	return b.String()
}
