package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/sovereignty"
	"github.com/sovereignty-registry/registry/views"
)

// showReference lists the reference data the rules of the current rule
// version use: exposure regimes, adequacy decisions, perspectives and the
// OSI-approved licences. It is read-only on purpose: the reference data is
// versioned with the rules and changes only through a new rule version.
func (w *Web) showReference(c echo.Context) error {
	ref := sovereignty.DefaultReference()
	p := w.page(c, "")
	p.Title = p.T("reference.title")
	p.Description = p.T("reference.description")
	return render(c, http.StatusOK, views.Reference(p, views.ReferenceProps{
		RuleVersion:  sovereignty.RuleVersion,
		Reference:    ref,
		Perspectives: sovereignty.Perspectives(ref),
		Licenses:     sovereignty.OSIApprovedLicenses(),
		LicenseList:  sovereignty.OSIListSource,
	}))
}
