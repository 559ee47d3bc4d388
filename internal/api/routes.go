package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/auth"
)

// Register adds every API route to g, which the caller mounts at the
// Options.Prefix (by default /api/v1). This is the one list of the API's
// URLs; the OpenAPI document describes the same set.
func (a *API) Register(g *echo.Group) {
	// The middleware is per route, not g.Use: a group middleware makes echo
	// answer every unmatched method under the group with 404, not 405.
	// Errors, including unmatched paths, get the same headers in HandleError.
	get := func(path string, h echo.HandlerFunc) {
		g.GET(path, h, a.headers)
		g.HEAD(path, h, a.headers)
		// Explicit OPTIONS routes: echo would answer OPTIONS on a GET-only
		// route itself, without any route middleware, so no CORS headers.
		g.OPTIONS(path, preflight, a.headers)
	}
	get("/products", a.listProducts)
	get("/products/:slug", a.showProduct)
	get("/products/:slug/dependencies", a.listDependencies)
	get("/products/:slug/dependents", a.listDependents)
	get("/impact", a.showImpact)
	get("/organizations", a.listOrganizations)
	get("/organizations/:slug", a.showOrganization)
	get("/categories", a.listCategories)
	get("/categories/:slug", a.showCategory)
	get("/openapi.json", a.showOpenAPI)
	// Submissions are private to a token's holder: a bearer token with the
	// scope, no CORS, never cached.
	read, write := a.requireToken(auth.ScopeSubmissionsRead), a.requireToken(auth.ScopeSubmissionsWrite)
	g.GET("/submissions", a.listSubmissions, read)
	g.POST("/submissions", a.createSubmission, write)
	g.GET("/submissions/:id", a.showSubmission, read)
	g.PATCH("/submissions/:id", a.updateSubmission, write)
}

// headers sets what every API response carries, errors included: open
// CORS (the data is public and no request uses credentials) and the data
// licence as a Link header.
func (a *API) headers(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setCommonHeaders(c.Response().Header())
		return next(c)
	}
}

func setCommonHeaders(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Link, X-Request-Id")
	h.Set("Link", "<"+DataLicenseURL+`>; rel="license"`)
}

// preflight answers a CORS preflight: any origin may GET, HEAD and OPTIONS,
// with any request header (there are no credentials to protect).
func preflight(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	if req := c.Request().Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	return c.NoContent(http.StatusNoContent)
}
