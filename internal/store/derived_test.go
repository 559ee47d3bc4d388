package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/internal/store"
	"github.com/sovereignty-registry/registry/internal/store/storetest"
)

// TestImport_RefreshesDerivedColumns changes what the products' derived
// columns (vendor country, search text) come from — an organisation's
// name and headquarters, a category's name — and checks that an import
// brings exactly the affected products in step and leaves the others.
func TestImport_RefreshesDerivedColumns(t *testing.T) {
	ctx := context.Background()
	s := storetest.Seeded(t)
	d := mustSeed(t)
	for i := range d.Organizations {
		if d.Organizations[i].Slug == "nextcloud" {
			d.Organizations[i].Name = "Nextcloud Renamed GmbH"
			d.Organizations[i].HQCountry = catalog.KnownFact[catalog.Country]("AT", d.Organizations[i].HQCountry.Sources...)
		}
	}
	for i := range d.Categories {
		if d.Categories[i].Slug == "video-conferencing" {
			d.Categories[i].NameEN = "Video meetings renamed"
		}
	}
	otherBefore := derived(t, ctx, s, "onlyoffice")
	if _, err := catalog.NewService(s).Import(ctx, d); err != nil {
		t.Fatalf("import: %v", err)
	}
	if got := derived(t, ctx, s, "nextcloud"); got.country != "AT" || !strings.Contains(got.search, "Nextcloud Renamed GmbH") {
		t.Errorf("nextcloud: vendor country %q, search text %q; want AT and the organisation's new name", got.country, got.search)
	}
	if got := derived(t, ctx, s, "jitsi-meet"); !strings.Contains(got.search, "Video meetings renamed") {
		t.Errorf("jitsi-meet: search text %q lacks its category's new name", got.search)
	}
	if got := derived(t, ctx, s, "onlyoffice"); got != otherBefore {
		t.Errorf("onlyoffice changed: %+v, was %+v", got, otherBefore)
	}
}

type derivedColumns struct{ country, search string }

func derived(t *testing.T, ctx context.Context, s *store.Store, slug string) derivedColumns {
	t.Helper()
	var d derivedColumns
	if err := s.DB().QueryRowContext(ctx, `SELECT vendor_country, coalesce(search_extra, '') FROM products WHERE slug = $1`, slug).
		Scan(&d.country, &d.search); err != nil {
		t.Fatalf("derived columns of %s: %v", slug, err)
	}
	return d
}
