package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// signOutEverywhere ends every session of the signed-in user, this one
// included, and returns to the start page signed out.
func (w *Web) signOutEverywhere(c echo.Context) error {
	ck, err := c.Cookie(sessionCookie)
	if err != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	if _, err := w.accounts.SignOutEverywhere(c.Request().Context(), ck.Value); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusSeeOther, "/")
}
