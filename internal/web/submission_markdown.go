package web

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/workflow"
	"github.com/sovereignty-registry/registry/views"
)

// userMarkdown renders Markdown that a vendor typed (a product
// description) for display. Unlike our own docs (renderMarkdown) it is
// untrusted: goldmark leaves raw HTML out, bluemonday's policy removes
// whatever else could script or style the page, and headings become bold
// paragraphs, so the text can neither break the page's heading order nor
// take an element id.
func userMarkdown(src string) string {
	md := userMarkdownParser()
	source := []byte(src)
	root := md.Parser().Parse(text.NewReader(source))
	var headings []*ast.Heading
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			headings = append(headings, h)
		}
		return ast.WalkContinue, nil
	})
	for _, h := range headings {
		para, strong := ast.NewParagraph(), ast.NewEmphasis(2)
		for c := h.FirstChild(); c != nil; {
			next := c.NextSibling()
			strong.AppendChild(strong, c)
			c = next
		}
		para.AppendChild(para, strong)
		h.Parent().ReplaceChild(h.Parent(), h, para)
	}
	var buf bytes.Buffer
	w := markdownWriters.Get().(*bufio.Writer)
	defer func() {
		w.Reset(nil) // hold on to no document
		markdownWriters.Put(w)
	}()
	w.Reset(&buf)
	// goldmark flushes the writer when it is done.
	if err := md.Renderer().Render(w, source, root); err != nil {
		// Rendering into memory does not fail; should it, the text is
		// still shown, escaped by the template.
		return ""
	}
	return strings.TrimSpace(markdownPolicy().Sanitize(buf.String()))
}

// markdownWriters recycles the buffered writers goldmark renders through:
// given any other writer it allocates one of 4 KiB per document, and
// every product page renders its description.
var markdownWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// markdownText is the text of userMarkdown's HTML on one line, for a meta
// description: no tags, no Markdown syntax.
func markdownText(html string) string {
	return strings.Join(strings.Fields(stdhtml.UnescapeString(textPolicy().Sanitize(html))), " ")
}

// textPolicy strips every tag; built once, like markdownPolicy.
var textPolicy = sync.OnceValue(bluemonday.StrictPolicy)

// userMarkdownParser is the goldmark instance of userMarkdown, built once:
// its parsers and renderers keep no state between documents (the AST is
// per document), so one instance serves concurrent requests.
var userMarkdownParser = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Linkify))
})

// changeRows prepares a diff for display: sources by title with their
// address, descriptions as sanitized Markdown, unknown facts marked.
// sources resolves the keys the diff names.
func changeRows(changes []workflow.FieldChange, sources map[string]catalog.Source) []views.ChangeRow {
	out := make([]views.ChangeRow, 0, len(changes))
	for _, c := range changes {
		out = append(out, views.ChangeRow{
			Path: c.Path, Op: c.Op,
			Before: changeValue(c, c.Before, sources),
			After:  changeValue(c, c.After, sources),
		})
	}
	return out
}

// changeValue prepares one side of a change.
func changeValue(c workflow.FieldChange, v string, sources map[string]catalog.Source) views.ChangeValue {
	last := c.Path[strings.LastIndex(c.Path, ".")+1:]
	switch {
	case v == "":
		return views.ChangeValue{}
	case last == "sources" || c.Path == "sources":
		s, ok := sources[v]
		if !ok {
			return views.ChangeValue{Text: v}
		}
		cv := views.ChangeValue{Text: s.Title}
		if catalog.ValidHTTPURL(s.URL) {
			cv.URL = s.URL
		}
		return cv
	case last == "description_de" || last == "description_en":
		return views.ChangeValue{Text: v, HTML: userMarkdown(v)}
	case strings.HasSuffix(c.Path, "]") && c.Op != workflow.OpChanged:
		return views.ChangeValue{Text: v, Code: true} // a whole entry, as data
	case v == "unknown":
		return views.ChangeValue{Unknown: true}
	}
	return views.ChangeValue{Text: v}
}

// mergeSources joins source maps; later ones win.
func mergeSources(maps ...map[string]catalog.Source) map[string]catalog.Source {
	out := map[string]catalog.Source{}
	for _, m := range maps {
		for k, s := range m {
			out[k] = s
		}
	}
	return out
}

// sourceMap indexes sources by key.
func sourceMap(list []catalog.Source) map[string]catalog.Source {
	out := make(map[string]catalog.Source, len(list))
	for _, s := range list {
		out[s.Key] = s
	}
	return out
}
