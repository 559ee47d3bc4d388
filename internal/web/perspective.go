package web

import (
	"context"

	"github.com/sovereignty-registry/registry/internal/catalog"
)

// relevel sets the stored level under perspective persp on listing
// entries that were loaded with another perspective's level (or none):
// every card of a page shows the page's perspective. Entries already
// carrying persp's level are left alone; an unclassified product gets nil.
func (w *Web) relevel(ctx context.Context, items []catalog.ProductSummary, persp string) error {
	var missing []string
	for _, it := range items {
		if l := it.Level; l == nil || l.Perspective != persp {
			missing = append(missing, it.Slug)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	levels, err := w.cat.Levels(ctx, missing, persp)
	if err != nil {
		return err
	}
	for i := range items {
		if l := items[i].Level; l != nil && l.Perspective == persp {
			continue
		}
		if l, ok := levels[items[i].Slug]; ok {
			items[i].Level = &l
		} else {
			items[i].Level = nil
		}
	}
	return nil
}
