package api

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"

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
)

// queryParams holds every parameter name the API knows, mapped to whether
// it may repeat: repeated facet values are alternatives within the facet,
// while a repeated scalar would be ambiguous and is refused.
var queryParams = map[string]bool{
	paramText: false, paramCategory: true, paramVendorCountry: true, paramHostingCountry: true,
	paramOpenSource: false, paramDeployment: true, paramKind: true, paramSort: false,
	paramPageSize: false, paramPageAfter: false,
}

// Parameter sets of the endpoints; everything else is refused, so a typo
// ("catgory=") fails loudly instead of silently returning everything.
var (
	productParams  = []string{paramText, paramCategory, paramVendorCountry, paramHostingCountry, paramOpenSource, paramDeployment, paramKind, paramSort, paramPageSize, paramPageAfter}
	categoryParams = []string{paramText, paramVendorCountry, paramHostingCountry, paramOpenSource, paramDeployment, paramKind, paramSort, paramPageSize, paramPageAfter}
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
