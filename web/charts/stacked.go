package charts

import (
	"fmt"
	"html/template"
)

// StackRow is one distribution: the shares (0–1) of each category, in the
// order of the chart's categories.
type StackRow struct {
	Label  string
	Shares []float64
	Hidden bool
}

// StackedChart draws distributions over the 1–6 scale and "don't know" as
// stacked horizontal bars.
type StackedChart struct {
	ID          string
	Title, Desc string
	// Categories name the steps, low to high, "don't know" last (seventh).
	Categories  []string
	HiddenLabel string
	Rows        []StackRow
	// Percent writes a share as the page's language does ("23 %"); nil
	// writes a whole number and "%".
	Percent func(share float64) string
	// RTL draws the chart right to left (a page in Arabic or Urdu).
	RTL bool
}

const (
	stackRow    = 44.0
	stackHeight = 18.0
	// stackLabelMin is the narrowest segment (share) that has its percentage written in it.
	stackLabelMin = 0.08
)

// fill returns the colour of category i and the pattern laid over it: the
// two lowest steps are hatched and "don't know" (the seventh) dotted, so
// the ends of the scale are told apart without colour.
func (c *chart) fill(i int) (colour, pattern string) {
	colour = stepColours[i%len(stepColours)]
	switch {
	case i < 2:
		pattern = "url(#" + c.id + "-hatch)"
	case i == 6:
		pattern = "url(#" + c.id + "-dots)"
	}
	return colour, pattern
}

func (c *chart) segment(x, y, w, h float64, i int) {
	colour, pattern := c.fill(i)
	fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" stroke-width="0.5"/>`,
		num(c.rx(x, w)), num(y), num(w), num(h), colour, ink)
	if pattern != "" {
		fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="0.45"/>`,
			num(c.rx(x, w)), num(y), num(w), num(h), pattern)
	}
}

// Stacked draws the chart: per row its label, then the bar with the share
// of each wide enough segment written in it, and a legend of the categories.
func Stacked(sc StackedChart) template.HTML {
	c := &chart{id: sc.ID, rtl: sc.RTL}
	percent := sc.Percent
	if percent == nil {
		percent = func(s float64) string { return Whole(100*s) + "%" }
	}
	legendRows := legendLayout(sc.Categories, barPlot+40)
	height := 8 + float64(len(sc.Rows))*stackRow + 10 + float64(len(legendRows))*18
	c.open(barWidth, height, sc.Title, sc.Desc)
	c.patterns()
	plotW := barWidth - 2*barLeft
	for i, r := range sc.Rows {
		y := 8 + float64(i)*stackRow
		c.text(barLeft, y+12, 13, "start", shorten(r.Label, labelChars), "")
		top := y + 17
		if r.Hidden {
			fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#%s-hatch)" fill-opacity="0.35" stroke="%s"/>`,
				num(c.rx(barLeft, plotW)), num(top), num(plotW), num(stackHeight), sc.ID, line)
			c.text(barLeft+6, top+13, 12, "start", sc.HiddenLabel, halo)
			continue
		}
		x := barLeft
		for j, s := range r.Shares {
			if !known(s) || s <= 0 {
				continue
			}
			w := s * plotW
			c.segment(x, top, w, stackHeight, j)
			if s >= stackLabelMin {
				c.text(x+w/2, top+13, 11, "middle", percent(s), halo)
			}
			x += w
		}
	}
	y := 8 + float64(len(sc.Rows))*stackRow + 14
	for _, row := range legendRows {
		x := barLeft
		for _, item := range row {
			c.segment(x, y-10, 14, 12, item.index)
			c.text(x+18, y, 11, "start", item.label, "")
			x += item.width
		}
		y += 18
	}
	return c.close()
}

type legendItem struct {
	index int
	label string
	width float64
}

// legendLayout wraps the legend's entries into rows no wider than width.
func legendLayout(labels []string, width float64) [][]legendItem {
	var rows [][]legendItem
	var cur []legendItem
	used := 0.0
	for i, l := range labels {
		w := 18 + legendWidth(l) + 12
		if used+w > width && len(cur) > 0 {
			rows = append(rows, cur)
			cur, used = nil, 0
		}
		cur = append(cur, legendItem{i, l, w})
		used += w
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	return rows
}
