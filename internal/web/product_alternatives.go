package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// showAlternatives renders "Alternativen zu X": the products recorded as
// replacing X, then the other products of X's category as candidates, each
// with its level under the requested perspective (unknown: 400).
func (w *Web) showAlternatives(c echo.Context) error {
	persp, err := perspective(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := w.cat.Product(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	cats, err := w.cat.Categories(ctx)
	if err != nil {
		return err
	}
	p := w.page(c, "")
	props := views.AlternativesProps{Product: d.Product, Category: d.Category, Categories: map[string]string{}}
	for _, cc := range cats {
		props.Categories[cc.Slug] = cc.Name(p.Lang)
	}
	seen := map[string]bool{d.Product.Slug: true}
	for _, r := range d.ReplacedBy {
		alt, err := w.cat.Product(ctx, r.Slug)
		if err != nil {
			return err
		}
		seen[r.Slug] = true
		props.Recorded = append(props.Recorded, summaryOf(alt))
	}
	if err := w.relevel(ctx, props.Recorded, persp); err != nil {
		return err
	}
	res, err := w.cat.Search(ctx, catalog.Query{Categories: []string{d.Category.Slug}, Limit: catalog.MaxPageSize, Perspective: persp})
	if err != nil {
		return err
	}
	for _, s := range res.Items {
		if !seen[s.Slug] {
			props.SameCategory = append(props.SameCategory, s)
		}
	}
	p.Title = p.T("alternatives.title", "Name", d.Product.Name)
	p.Description = p.T("alternatives.description", "Name", d.Product.Name)
	return render(c, http.StatusOK, views.Alternatives(p, props))
}

// summaryOf condenses a product detail to a listing entry, so recorded
// alternatives show the same tags as search results.
func summaryOf(d catalog.ProductDetail) catalog.ProductSummary {
	pr := d.Product
	return catalog.ProductSummary{
		Slug: pr.Slug, Name: pr.Name, VendorSlug: d.Vendor.Slug, VendorName: d.Vendor.Name,
		VendorCountry: d.Vendor.HQCountry.Value, CategorySlug: d.Category.Slug, Kind: pr.Kind,
		DescriptionDE: pr.DescriptionDE, DescriptionEN: pr.DescriptionEN,
		OpenSource: catalog.OpenSource(pr), VendorHosted: triOf(pr.VendorHosted), SelfHostable: triOf(pr.SelfHostable),
		HostingCountries: catalog.HostingCountries(pr), UpdatedAt: pr.UpdatedAt,
	}
}

func triOf(f catalog.Fact[catalog.Tri]) catalog.Tri {
	if !f.Known {
		return catalog.Unknown
	}
	return f.Value
}
