package web

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/docs"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/views"
)

// methodologyFiles maps a page language to its document in docs.FS.
var methodologyFiles = map[string]string{"de": "methodology.de.md", "en": "methodology.md"}

// methodologyLinks rewrites the documents' links to each other (written
// for reading them on a code forge) to the page in the other language.
var methodologyLinks = map[string]string{
	"methodology.de.md": "/methodology?lang=de",
	"methodology.md":    "/methodology?lang=en",
}

// methodologyDocs renders both documents once: they are embedded in the
// binary, so they cannot change while it runs.
var methodologyDocs = sync.OnceValues(func() (map[string]markdownDoc, error) {
	out := make(map[string]markdownDoc, len(methodologyFiles))
	for lang, file := range methodologyFiles {
		src, err := docs.FS.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("methodology: %w", err)
		}
		d, err := renderMarkdown(src, methodologyLinks)
		if err != nil {
			return nil, fmt.Errorf("methodology %s: %w", file, err)
		}
		out[lang] = d
	}
	return out, nil
})

// showMethodology renders the published methodology in the page language,
// with a table of contents, the current rule version and a link to the
// other language's version.
func (w *Web) showMethodology(c echo.Context) error {
	all, err := methodologyDocs()
	if err != nil {
		return err
	}
	p := w.page(c, "")
	d, ok := all[p.Lang]
	if !ok {
		d = all["de"]
	}
	other := "en"
	if p.Lang == "en" {
		other = "de"
	}
	p.Title = d.Title
	p.Description = p.T("methodology.description")
	return render(c, http.StatusOK, views.Methodology(p, views.MethodologyProps{
		Title: d.Title, HTML: d.HTML, TOC: d.TOC, RuleVersion: sovereignty.RuleVersion,
		OtherLang: other, OtherURL: methodologyLinks[methodologyFiles[other]],
	}))
}
