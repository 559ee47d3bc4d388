package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/server"
	"github.com/sovereignty-registry/registry/internal/sovereignty"
)

// showBadge serves /badges/{slug}.svg: an embeddable SVG badge with the
// product's overall level ("Souveränität | RSL-2 …"; ?lang=en, and
// ?perspective= for another perspective than EU/EEA). Every answer is an
// SVG, also an error (an unknown product shows "unbekannt" with 404), so an
// <img> on another site never breaks into an HTML page.
func (w *Web) showBadge(c echo.Context) error {
	lang := "de"
	if strings.HasPrefix(strings.ToLower(c.QueryParam("lang")), "en") {
		lang = "en"
	}
	slug, ok := strings.CutSuffix(c.Param("file"), ".svg")
	b, status, err := w.badgeFor(c, slug, ok, lang)
	if err != nil {
		return err
	}
	return writeBadge(c, status, b)
}

// badgeFor finds what the badge of slug says, and its status.
func (w *Web) badgeFor(c echo.Context, slug string, isSVG bool, lang string) (badge, int, error) {
	ctx := c.Request().Context()
	subject := map[string]string{"de": "Souveränität", "en": "Sovereignty"}[lang]
	failure := func(status int, de, en string) (badge, int, error) {
		v := map[string]string{"de": de, "en": en}[lang]
		return badge{Subject: subject, Value: v, Title: subject + ": " + v, Lang: lang, Colours: unknownColours}, status, nil
	}
	persp, err := perspective(c)
	if err != nil {
		return failure(server.Status(err), "ungültige Perspektive", "invalid perspective")
	}
	if persp != catalog.DefaultPerspective {
		subject += " (" + perspectiveLabel(persp, lang) + ")"
	}
	if !isSVG || !catalog.ValidSlug(slug) {
		return failure(http.StatusNotFound, "unbekannt", "unknown")
	}
	g, err := w.cat.Graph(ctx)
	if err != nil {
		return badge{}, 0, err
	}
	if !g.Has(slug) {
		return failure(http.StatusNotFound, "unbekannt", "unknown")
	}
	lv, err := w.cat.Level(ctx, slug, persp)
	if errors.Is(err, catalog.ErrNotFound) {
		// The product exists but has not been classified yet.
		return failure(http.StatusOK, "nicht bewertet", "not assessed")
	} else if err != nil {
		return badge{}, 0, err
	}
	if lv.Overall < 0 || lv.Overall > 4 {
		return failure(http.StatusOK, "nicht bewertet", "not assessed")
	}
	l := sovereignty.Level(lv.Overall)
	value := l.String() + " " + l.Label(lang)
	title := subject + ": " + value
	if lv.Provisional {
		title += map[string]string{"de": " (vorläufig)", "en": " (provisional)"}[lang]
	}
	title += " – " + map[string]string{"de": "Regelversion ", "en": "rule version "}[lang] + lv.RuleVersion
	return badge{Subject: subject, Value: value, Title: title, Lang: lang, Colours: levelColours[lv.Overall]}, http.StatusOK, nil
}

// writeBadge sends the SVG with an ETag over its bytes (a conditional
// request gets 304). A level can change with the catalogue, so the badge
// is cached for an hour; an error badge for five minutes.
func writeBadge(c echo.Context, status int, b badge) error {
	body := b.svg()
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "image/svg+xml")
	h.Set("ETag", etag)
	if status == http.StatusOK {
		h.Set("Cache-Control", "public, max-age=3600")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if status == http.StatusOK && etagMatch(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	return c.Blob(status, "image/svg+xml", body)
}

// etagMatch reports whether an If-None-Match header names etag (or *).
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
