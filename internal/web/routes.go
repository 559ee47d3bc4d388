package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Register adds every HTML route. This table is the map of the public site;
// every page is public (read-only) for now.
func (w *Web) Register(e *echo.Echo) {
	e.GET("/static/*", w.serveStatic)
	g := e.Group("", w.negotiateLanguage, w.loadAccount)
	g.GET("/", w.showHome)
	g.GET("/products", w.listProducts)
	g.GET("/products/:slug", w.showProduct)
	g.GET("/products/:slug/alternatives", w.showAlternatives)
	g.GET("/organizations", w.listOrganizations)
	g.GET("/organizations/:slug", w.showOrganization)
	g.GET("/categories", w.listCategories)
	g.GET("/categories/:slug", w.showCategory)
	g.GET("/impact", w.showImpact)
	g.GET("/methodology", w.showMethodology)
	// Signing in and out (only when an identity provider is configured).
	g.GET("/login", w.startLogin)
	g.GET("/auth/callback", w.finishLogin)
	g.POST("/logout", w.logout)
	// Badges are embedded on other sites: no language negotiation, no frame ban.
	e.GET("/badges/:file", w.showBadge)
}

// serveStatic serves the embedded assets. A request carrying the current
// content hash (?v=) may be cached for a year.
func (w *Web) serveStatic(c echo.Context) error {
	name := strings.TrimPrefix(c.Param("*"), "/")
	if hash, ok := w.assets.Hash(name); ok && c.QueryParam("v") == hash {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
	}
	return echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(w.assets.FS()))))(c)
}
