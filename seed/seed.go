// Package seed embeds the registry's curated catalogue (YAML files of real,
// sourced entries; format in FORMAT.md) and turns them into a validated
// catalog.Dataset. Problems are reported with file and line, so a curator
// can fix a seed file without reading Go.
package seed

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

//go:embed categories.yaml catalog/*.yaml
var embedded embed.FS

// Files returns the embedded seed files.
func Files() fs.FS { return embedded }

// FileProblem is one problem in one seed file.
type FileProblem struct {
	File    string
	Line    int
	Path    string
	Message string
}

func (p FileProblem) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Path, p.Message)
}

// Error lists every problem found in the seed files.
type Error struct {
	Problems []FileProblem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "seed data refused:\n  " + strings.Join(lines, "\n  ")
}

// origin remembers where a dataset entry was read from.
type origin struct {
	file  string
	index int // position in that file's list
	ast   *ast.File
}

// loader accumulates entries and their origins across files.
type loader struct {
	data     catalog.Dataset
	origins  map[string][]origin // list name → origin per dataset index
	problems []FileProblem
}

// Load reads categories.yaml and every catalog/*.yaml file of fsys, then
// validates the whole dataset. It returns *Error listing every problem.
func Load(fsys fs.FS) (catalog.Dataset, error) {
	l := &loader{origins: map[string][]origin{}}
	names, err := fs.Glob(fsys, "catalog/*.yaml")
	if err != nil {
		return catalog.Dataset{}, fmt.Errorf("list seed files: %w", err)
	}
	sort.Strings(names)
	for _, name := range append([]string{"categories.yaml"}, names...) {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return catalog.Dataset{}, fmt.Errorf("read seed file: %w", err)
		}
		l.readFile(name, data)
	}
	if len(l.problems) == 0 {
		l.validate()
	}
	if len(l.problems) > 0 {
		return catalog.Dataset{}, &Error{Problems: l.problems}
	}
	return l.data, nil
}

func (l *loader) readFile(name string, data []byte) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		l.problems = append(l.problems, FileProblem{File: name, Line: errorLine(err), Path: "$", Message: firstLine(err)})
		return
	}
	var doc fileDoc
	if err := yaml.UnmarshalWithOptions(data, &doc, yaml.DisallowUnknownField()); err != nil {
		l.problems = append(l.problems, FileProblem{File: name, Line: errorLine(err), Path: "$", Message: firstLine(err)})
		return
	}
	conv := &converter{}
	add := func(list string, n int) {
		for i := 0; i < n; i++ {
			l.origins[list] = append(l.origins[list], origin{file: name, index: i, ast: file})
		}
	}
	for i, s := range doc.Sources {
		l.data.Sources = append(l.data.Sources, conv.source(fmt.Sprintf("sources[%d]", i), s))
	}
	add("sources", len(doc.Sources))
	for _, c := range doc.Categories {
		l.data.Categories = append(l.data.Categories, catalog.Category{Slug: c.Slug, NameDE: c.NameDE, NameEN: c.NameEN})
	}
	add("categories", len(doc.Categories))
	for i, o := range doc.Organizations {
		l.data.Organizations = append(l.data.Organizations, conv.organization(fmt.Sprintf("organizations[%d]", i), o))
	}
	add("organizations", len(doc.Organizations))
	for i, p := range doc.Products {
		l.data.Products = append(l.data.Products, conv.product(fmt.Sprintf("products[%d]", i), p))
	}
	add("products", len(doc.Products))
	for _, p := range conv.problems {
		l.problems = append(l.problems, FileProblem{File: name, Line: lineOf(file, p.Path), Path: p.Path, Message: p.Message})
	}
}

var indexed = regexp.MustCompile(`^([a-z_]+)\[(\d+)\](.*)$`)

// validate runs the domain's validation over the merged dataset and maps each
// problem back to the file and line of the entry it concerns.
func (l *loader) validate() {
	err := l.data.Validate()
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		return
	}
	for _, p := range ve.Problems {
		fp := FileProblem{File: "(dataset)", Path: p.Path, Message: p.Message}
		if m := indexed.FindStringSubmatch(p.Path); m != nil {
			i, _ := strconv.Atoi(m[2])
			if os := l.origins[m[1]]; i < len(os) {
				o := os[i]
				fp.File = o.file
				fp.Path = fmt.Sprintf("%s[%d]%s", m[1], o.index, m[3])
				fp.Line = lineOf(o.ast, fp.Path)
			}
		}
		l.problems = append(l.problems, fp)
	}
}

// lineOf finds the line of a path like "products[3].license.sources[0]",
// walking up to the nearest existing node when the field itself is missing.
func lineOf(file *ast.File, p string) int {
	for p != "" {
		if yp, err := yaml.PathString("$." + p); err == nil {
			if node, err := yp.FilterFile(file); err == nil && node != nil {
				return node.GetToken().Position.Line
			}
		}
		cut := strings.LastIndexAny(p, ".[")
		if cut <= 0 {
			break
		}
		p = p[:cut]
	}
	return 1
}

var lineInError = regexp.MustCompile(`\[(\d+):(\d+)\]`)

func errorLine(err error) int {
	if m := lineInError.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// checkLicense reports SPDX identifiers that are not on the SPDX list.
// LicenseRef-* identifiers are the registry's own and always allowed.
func checkLicense(expr string) error {
	if strings.HasPrefix(expr, "LicenseRef-") {
		return nil
	}
	if ok, invalid := spdxexp.ValidateLicenses([]string{expr}); !ok {
		return fmt.Errorf("%s is not a valid SPDX licence expression", strings.Join(invalid, ", "))
	}
	return nil
}
