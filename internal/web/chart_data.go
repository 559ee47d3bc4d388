package web

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/sovereignty-registry/registry/internal/catalog"
	"github.com/sovereignty-registry/registry/views"
)

// levelChart turns the per-category level counts into chart rows (slot 5:
// not classified), one per category of cats that has products.
func levelChart(cats []catalog.CategoryCount, counts []catalog.LevelCount, lang, perspective string) views.LevelChartProps {
	rows := make([]views.ChartRow, len(cats))
	at := make(map[string]int, len(cats))
	for i, c := range cats {
		rows[i] = views.ChartRow{Slug: c.Slug, Name: c.Name(lang)}
		at[c.Slug] = i
	}
	for _, lc := range counts {
		i, ok := at[lc.Category]
		if !ok {
			continue
		}
		slot := 5
		if lc.Level >= 0 && lc.Level <= 4 {
			slot = lc.Level
		}
		rows[i].Counts[slot] += lc.Count
	}
	kept := rows[:0]
	for _, r := range rows {
		if r.Total() > 0 {
			kept = append(kept, r)
		}
	}
	// Alphabetical in the page language ("Übersetzung" after "Soziales
	// Netzwerk"), so a category is found where a reader looks for it.
	coll := collate.New(language.Make(lang), collate.Loose)
	slices.SortStableFunc(kept, func(a, b views.ChartRow) int { return coll.CompareString(a.Name, b.Name) })
	return views.LevelChartProps{Perspective: perspectiveLabel(perspective, lang), Rows: kept}
}

// perspectiveLabel returns the translated name of a perspective ("EU/EWR").
func perspectiveLabel(name, lang string) string {
	for _, p := range catalog.Perspectives() {
		if p.Name == name {
			if l := p.Label[lang]; l != "" {
				return l
			}
			return p.Label["en"]
		}
	}
	return name
}
