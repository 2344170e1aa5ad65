package charts

import (
	"fmt"
	"html/template"
	"strconv"
)

// Count is one bar of a count chart.
type Count struct {
	Label string
	N     int
}

// CountChart is a horizontal bar chart of counts (feedback by theme), each
// bar as long as its count against the largest, with its number written.
type CountChart struct {
	ID          string
	Title, Desc string
	Counts      []Count
}

// Counts draws the chart; the caller shows the same counts in a table.
func Counts(cc CountChart) template.HTML {
	c := &chart{id: cc.ID}
	most := 0
	for _, n := range cc.Counts {
		most = max(most, n.N)
	}
	c.open(barWidth, barTop/2+float64(len(cc.Counts))*barRow, cc.Title, cc.Desc)
	for i, n := range cc.Counts {
		y := barTop/2 + float64(i)*barRow
		c.text(barLeft, y+13, 13, "start", shorten(n.Label, labelChars), "")
		top := y + 18
		w := 0.0
		if most > 0 {
			w = float64(n.N) / float64(most) * (barPlot - 30)
		}
		if w > 0 {
			fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" stroke-width="0.5"/>`,
				num(barLeft), num(top), num(w), num(barHeight), blue, ink)
		}
		c.text(barLeft+w+5, top+barHeight/2+5, 13, "start", strconv.Itoa(n.N), ` font-weight="700"`)
	}
	return c.close()
}
