package api

import (
	_ "embed"

	"github.com/labstack/echo/v4"
)

// openAPI is the API's contract, an OpenAPI 3.0 document. Tests validate
// every response against it, so it cannot drift from the handlers.
//
//go:embed openapi.json
var openAPI []byte

// showOpenAPI answers GET /openapi.json.
func (a *API) showOpenAPI(c echo.Context) error {
	if _, err := queryValues(c, nil); err != nil {
		return err
	}
	return a.sendBytes(c, echo.MIMEApplicationJSON, openAPI)
}
