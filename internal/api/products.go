package api

import (
	"fmt"
	"net/url"

	"github.com/labstack/echo/v4"
)

// listProducts answers GET /products: the catalogue search with facets,
// one cursor page at a time.
func (a *API) listProducts(c echo.Context) error {
	vals, err := queryValues(c, productParams)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	q, err := a.searchQuery(ctx, vals)
	if err != nil {
		return err
	}
	res, err := a.cat.Search(ctx, q)
	if err != nil {
		return fmt.Errorf("search products: %w", err)
	}
	m := newMeta()
	m.Total, m.Facets, m.Perspective = &res.Total, toFacets(res.Facets), q.Perspective
	return a.send(c, document{
		Data:  a.toProductSummaries(res.Items),
		Links: a.pageLinks("/products", vals, res.Next),
		Meta:  m,
	})
}

// pageLinks builds the links of a listing page from its parsed parameters,
// re-encoded in a canonical order so equal queries have equal links (and
// equal ETags).
func (a *API) pageLinks(path string, vals url.Values, next string) pageLinks {
	l := pageLinks{Self: a.withQuery(path, vals)}
	if next != "" {
		nv := url.Values{}
		for k, v := range vals {
			nv[k] = v
		}
		nv.Set(paramPageAfter, next)
		n := a.withQuery(path, nv)
		l.Next = &n
	}
	return l
}

func (a *API) withQuery(path string, vals url.Values) string {
	if len(vals) == 0 {
		return a.link(path)
	}
	return a.link(path) + "?" + vals.Encode()
}
