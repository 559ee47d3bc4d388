package views

import "strconv"

// LevelChartProps is the data of the levels-per-category chart: one row per
// category with its products counted by overall level under Perspective.
type LevelChartProps struct {
	// Perspective is the translated name of the perspective, e.g. "EU/EWR".
	Perspective string
	Rows        []ChartRow
}

// ChartRow is one category of the chart. Counts[0] … Counts[4] are the
// products at RSL-0 … RSL-4, Counts[5] those not classified.
type ChartRow struct {
	Slug, Name string
	Counts     [6]int
}

// Total is the number of products in the row.
func (r ChartRow) Total() int {
	n := 0
	for _, c := range r.Counts {
		n += c
	}
	return n
}

// Totals sums the rows per level (index 5: not classified).
func (c LevelChartProps) Totals() [6]int {
	var t [6]int
	for _, r := range c.Rows {
		for i, n := range r.Counts {
			t[i] += n
		}
	}
	return t
}

// Total is the number of products in the chart.
func (c LevelChartProps) Total() int {
	n := 0
	for _, v := range c.Totals() {
		n += v
	}
	return n
}

// Chart geometry in viewBox units. Each category's name stands above its
// bar, so the chart stays narrow and its text legible on a phone; the SVG
// scales to its container and the numbers fix only proportions.
const (
	chartWidth   = 480
	chartBarX    = 0
	chartBarMax  = 430 // the longest bar; the rest leaves room for its total
	chartRowH    = 46
	chartLabelY  = 15 // baseline of the name, from the row's top
	chartBarTop  = 21 // the bar, from the row's top
	chartBarH    = 18
	chartPadTop  = 2
	chartMinText = 18 // narrower segments carry no count (the table has it)
)

// chartSlots lists the chart's segments in drawing order: RSL-0 … RSL-4,
// then not classified (slot 5).
var chartSlots = [6]int{0, 1, 2, 3, 4, 5}

// chartFill is the fill of a segment. The colours are darker variants of
// the badge accents, so a white count on them has at least 4.5:1 contrast.
func chartFill(slot int) string {
	return [6]string{"#b91c1c", "#c2410c", "#8a5a00", "#4d6b00", "#1b7a3a", "#5f6b77"}[slot]
}

// chartSegment is one coloured part of a bar.
type chartSegment struct {
	Slot  int
	Count int
	X, W  float64
}

// chartHeight is the viewBox height for n rows.
func chartHeight(n int) int { return chartPadTop*2 + n*chartRowH }

// rowY is the top of row i's bar.
func rowY(i int) int { return chartPadTop + i*chartRowH + chartBarTop }

// labelY is the baseline of row i's category name.
func labelY(i int) int { return chartPadTop + i*chartRowH + chartLabelY }

// chartScale is the width of one product: the largest row fills chartBarMax.
func (c LevelChartProps) chartScale() float64 {
	max := 0
	for _, r := range c.Rows {
		if t := r.Total(); t > max {
			max = t
		}
	}
	if max == 0 {
		return 0
	}
	return float64(chartBarMax) / float64(max)
}

// segments lays out row r's non-empty segments from chartBarX.
func (c LevelChartProps) segments(r ChartRow) []chartSegment {
	scale := c.chartScale()
	x := float64(chartBarX)
	var out []chartSegment
	for _, s := range chartSlots {
		if n := r.Counts[s]; n > 0 {
			w := float64(n) * scale
			out = append(out, chartSegment{Slot: s, Count: n, X: x, W: w})
			x += w
		}
	}
	return out
}

// barEnd is where row r's bar ends (its total is written after it).
func (c LevelChartProps) barEnd(r ChartRow) float64 {
	return float64(chartBarX) + float64(r.Total())*c.chartScale()
}

// slotLabel is "RSL-n Label" for a level slot, or "not classified".
func (p Page) slotLabel(slot int) string {
	if slot > 4 {
		return p.T("chart.unclassified")
	}
	return "RSL-" + itoa(slot) + " " + p.levelLabel(slot, true)
}

// segmentTitle is the tooltip and accessible name of a segment.
func (p Page) segmentTitle(r ChartRow, s chartSegment) string {
	return r.Name + ": " + p.slotLabel(s.Slot) + " – " + p.T("chart.products", s.Count)
}

// fnum formats a viewBox coordinate with one decimal.
func fnum(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
