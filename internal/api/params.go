package api

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
)

// Query parameters of the product listings.
const (
	paramText           = "q"
	paramCategory       = "category"
	paramVendorCountry  = "vendor_country"
	paramHostingCountry = "hosting_country"
	paramOpenSource     = "open_source"
	paramDeployment     = "deployment"
	paramKind           = "kind"
	paramSort           = "sort"
	paramPageSize       = "page[size]"
	paramPageAfter      = "page[after]"
	paramLevel          = "level"
	paramPerspective    = "perspective"
	paramDepth          = "depth"
	paramFailed         = "failed"
)

// queryParams holds every parameter name the API knows, mapped to whether
// it may repeat: repeated facet values are alternatives within the facet,
// while a repeated scalar would be ambiguous and is refused.
var queryParams = map[string]bool{
	paramText: false, paramCategory: true, paramVendorCountry: true, paramHostingCountry: true,
	paramOpenSource: false, paramDeployment: true, paramKind: true, paramSort: false,
	paramPageSize: false, paramPageAfter: false, paramLevel: true, paramPerspective: false,
	paramDepth: false, paramFailed: true,
}

// Parameter sets of the endpoints; everything else is refused, so a typo
// ("catgory=") fails loudly instead of silently returning everything.
var (
	productParams  = []string{paramText, paramCategory, paramVendorCountry, paramHostingCountry, paramOpenSource, paramDeployment, paramKind, paramLevel, paramPerspective, paramSort, paramPageSize, paramPageAfter}
	categoryParams = []string{paramText, paramVendorCountry, paramHostingCountry, paramOpenSource, paramDeployment, paramKind, paramLevel, paramPerspective, paramSort, paramPageSize, paramPageAfter}
	// showParams are those of a single product or organisation, whose
	// levels depend on the perspective.
	showParams   = []string{paramPerspective}
	treeParams   = []string{paramDepth}
	impactParams = []string{paramFailed}
)

// Bounds of the depth parameter of the dependency trees: the default shows
// the usual hosting → infrastructure chains, the maximum keeps a tree of a
// hub finite in practice.
const (
	DefaultDepth = 3
	MaxDepth     = 10
)

// queryValues parses the query string strictly: malformed encoding, unknown
// parameters and repeated scalars are reported, all at once.
func queryValues(c echo.Context, allowed []string) (url.Values, error) {
	vals, err := url.ParseQuery(c.Request().URL.RawQuery)
	if err != nil {
		return nil, invalidQuery(catalog.Problem{Key: "error.query",
			Message: "the query string is not well-formed (check its percent-encoding; separate parameters with &)"})
	}
	var probs []catalog.Problem
	for _, name := range sortedKeys(vals) {
		switch {
		case !slices.Contains(allowed, name):
			probs = append(probs, catalog.Problem{Path: name, Key: "error.parameter",
				Message: fmt.Sprintf("unknown query parameter %q", name)})
		case !queryParams[name] && len(vals[name]) > 1:
			probs = append(probs, catalog.Problem{Path: name, Key: "error.parameter",
				Message: "this parameter may be given only once"})
		}
	}
	if len(probs) > 0 {
		return nil, invalidQuery(probs...)
	}
	return vals, nil
}

// searchQuery turns listing parameters into a catalogue query and validates
// it completely before the store is asked: the catalogue's own rules
// (Query.Normalize) plus what only the API checks, page size syntax and
// that every category exists.
func (a *API) searchQuery(ctx context.Context, vals url.Values) (catalog.Query, error) {
	q := catalog.Query{
		Text:        vals.Get(paramText),
		Categories:  vals[paramCategory],
		OpenSource:  catalog.Tri(vals.Get(paramOpenSource)),
		Deployments: vals[paramDeployment],
		Sort:        catalog.Sort(vals.Get(paramSort)),
		After:       vals.Get(paramPageAfter),
	}
	for _, v := range vals[paramVendorCountry] {
		q.VendorCountries = append(q.VendorCountries, catalog.Country(v))
	}
	for _, v := range vals[paramHostingCountry] {
		q.HostingCountries = append(q.HostingCountries, catalog.Country(v))
	}
	for _, v := range vals[paramKind] {
		q.Kinds = append(q.Kinds, catalog.Kind(v))
	}
	var probs []catalog.Problem
	if s, ok := vals[paramPageSize]; ok {
		// Normalize treats 0 as "default"; the API refuses it, and any
		// non-number, itself.
		n, err := strconv.Atoi(s[0])
		if err != nil || n < 1 || n > catalog.MaxPageSize {
			probs = append(probs, catalog.Problem{Path: paramPageSize, Key: "error.page_size",
				Message: fmt.Sprintf("page size must be a whole number from 1 to %d", catalog.MaxPageSize)})
		} else {
			q.Limit = n
		}
	}
	for _, v := range vals[paramLevel] {
		// Only the bare digits: "RSL-3" or "03" would work by accident and
		// then be relied upon.
		if len(v) != 1 || v[0] < '0' || v[0] > '4' {
			probs = append(probs, catalog.Problem{Path: paramLevel, Key: "error.facet",
				Message: fmt.Sprintf("%q is not a level from 0 to 4", v)})
			continue
		}
		q.Levels = append(q.Levels, int(v[0]-'0'))
	}
	persp, prob := perspectiveOf(vals)
	probs = append(probs, prob...)
	q.Perspective = persp
	if _, err := q.Normalize(); err != nil {
		more := server.Problems(err)
		if more == nil {
			return q, fmt.Errorf("validate query: %w", err)
		}
		probs = append(probs, more...)
	}
	if len(q.Categories) > 0 {
		missing, err := a.unknownCategories(ctx, q.Categories)
		if err != nil {
			return q, err
		}
		probs = append(probs, missing...)
	}
	if len(probs) > 0 {
		return q, invalidQuery(probs...)
	}
	return q, nil
}

// perspectiveOf returns the perspective a request names, or the default
// when it names none. An empty or unknown name is a problem, never the
// default in disguise: levels under the wrong perspective look plausible.
func perspectiveOf(vals url.Values) (string, []catalog.Problem) {
	v, ok := vals[paramPerspective]
	if !ok {
		return catalog.DefaultPerspective, nil
	}
	if v[0] != "" {
		if p, err := catalog.ValidPerspective(v[0]); err == nil {
			return p, nil
		}
	}
	names := make([]string, 0, len(catalog.Perspectives()))
	for _, p := range catalog.Perspectives() {
		names = append(names, p.Name)
	}
	return catalog.DefaultPerspective, []catalog.Problem{{Path: paramPerspective, Key: "error.perspective",
		Message: fmt.Sprintf("%q is not a perspective (one of %s)", v[0], strings.Join(names, ", "))}}
}

// showPerspective parses the query of a single resource whose levels
// depend on a perspective.
func showPerspective(c echo.Context) (string, error) {
	vals, err := queryValues(c, showParams)
	if err != nil {
		return "", err
	}
	persp, probs := perspectiveOf(vals)
	if len(probs) > 0 {
		return "", invalidQuery(probs...)
	}
	return persp, nil
}

// depthOf parses the depth of a dependency tree.
func depthOf(vals url.Values) (int, error) {
	v, ok := vals[paramDepth]
	if !ok {
		return DefaultDepth, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < 1 || n > MaxDepth {
		return 0, invalidQuery(catalog.Problem{Path: paramDepth, Key: "error.depth",
			Message: fmt.Sprintf("depth must be a whole number from 1 to %d", MaxDepth)})
	}
	return n, nil
}

// failedOf collects the products of an outage simulation: comma-separated
// and/or repeated. Empty items ("a,,b", a trailing comma) are dropped; the
// service refuses an empty list, unknown slugs and too many.
func failedOf(vals url.Values) []string {
	var out []string
	for _, v := range vals[paramFailed] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// unknownCategories reports the well-formed category slugs that name no
// category (malformed ones Normalize has reported already).
func (a *API) unknownCategories(ctx context.Context, slugs []string) ([]catalog.Problem, error) {
	cats, err := a.cat.Categories(ctx)
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	var probs []catalog.Problem
	for _, s := range slugs {
		known := slices.ContainsFunc(cats, func(c catalog.CategoryCount) bool { return c.Slug == s })
		if catalog.ValidSlug(s) && !known {
			probs = append(probs, catalog.Problem{Path: paramCategory, Key: "error.facet",
				Message: fmt.Sprintf("%q is not a category", s)})
		}
	}
	return probs, nil
}

// queryError marks validation problems whose paths are query parameter
// names, so the problem document can say "parameter" rather than guess.
// It unwraps to the catalogue's ValidationError, which server.Status maps.
type queryError struct{ ve *catalog.ValidationError }

func (e *queryError) Error() string { return "query: " + e.ve.Error() }
func (e *queryError) Unwrap() error { return e.ve }

func invalidQuery(probs ...catalog.Problem) error {
	return &queryError{&catalog.ValidationError{Problems: probs}}
}

func sortedKeys(vals url.Values) []string {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
