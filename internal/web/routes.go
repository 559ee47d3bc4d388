package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/auth"
)

// Register adds every HTML route. This table and registerEditorial are the
// map of the site.
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
	g.GET("/methodology/reference", w.showReference)
	g.GET("/products/:slug/history", w.showHistory)
	// Signing in and out (only when an identity provider is configured).
	g.GET("/login", w.startLogin)
	g.GET("/auth/callback", w.finishLogin)
	g.POST("/logout", w.logout)
	w.registerEditorial(g)
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

// registerEditorial adds the editorial pages. Every one needs a signed-in
// user and checks the CSRF token of every form; each group then needs the
// permission the table in internal/auth grants (finer rules, such as own
// organisation and four eyes, are the workflow's).
func (w *Web) registerEditorial(g *echo.Group) {
	signedIn := []echo.MiddlewareFunc{w.requireAccount, w.checkCSRF}
	vendor := w.require(auth.PermSubmissionCreate)

	acc := g.Group("/account", signedIn...)
	acc.GET("", w.showAccount)
	acc.POST("/sessions/revoke", w.signOutEverywhere)
	tokens := acc.Group("/tokens", vendor)
	tokens.GET("", w.listTokens)
	tokens.POST("", w.createToken)
	tokens.POST("/:id/revoke", w.revokeToken)

	sub := g.Group("/submissions", append(signedIn, w.requireAny(auth.PermSubmissionCreate, auth.PermSubmissionReview, auth.PermAuditRead))...)
	sub.GET("/new", w.newSubmission, vendor)
	sub.POST("", w.createSubmission, vendor)
	sub.GET("/:id", w.showSubmission)
	sub.GET("/:id/edit", w.editSubmission, vendor)
	sub.POST("/:id", w.updateSubmission, vendor)
	sub.POST("/:id/actions", w.actOnSubmission)
	sub.POST("/:id/comments", w.commentOnSubmission)

	review := g.Group("/review", append(signedIn, w.require(auth.PermSubmissionReview))...)
	review.GET("", w.showInbox)
	review.POST("/products/:slug/verify", w.verifyProduct)

	admin := g.Group("/admin", signedIn...)
	admin.GET("", w.showAdmin, w.requireAny(auth.PermUsersManage, auth.PermCategoriesManage, auth.PermAuditRead, auth.PermPolicyManage))
	users := admin.Group("/users", w.require(auth.PermUsersManage))
	users.GET("", w.listUsers)
	users.POST("/:id", w.updateUser)
	cats := admin.Group("/categories", w.require(auth.PermCategoriesManage))
	cats.GET("", w.listCategoriesAdmin)
	cats.POST("", w.createCategory)
	cats.POST("/:slug", w.updateCategory)
	policy := admin.Group("/policy", w.require(auth.PermPolicyManage))
	policy.GET("", w.showPolicy)
	policy.POST("", w.updatePolicy)
	audit := admin.Group("/audit", w.require(auth.PermAuditRead))
	audit.GET("", w.showAudit)
	audit.GET("/export", w.exportAudit)
}
