package charts

import (
	"fmt"
	"html/template"
)

// Bar is one row of a bar chart: an index 0–100 with its 95% interval.
type Bar struct {
	Label string
	// Value, Lo and Hi are on the index scale; NaN when unknown.
	Value, Lo, Hi float64
	// Previous is the same measure in the previous wave, NaN when none.
	Previous float64
	// Hidden bars are suppressed: drawn as a placeholder without numbers.
	Hidden bool
}

// BarChart is a horizontal bar chart of indices with interval whiskers.
type BarChart struct {
	// ID is unique on the page; element ids inside the chart start with it.
	ID          string
	Title, Desc string
	// Legend labels: the bar, its whisker and the previous wave's marker.
	IndexLabel, IntervalLabel, PreviousLabel string
	// HiddenLabel is written in a suppressed bar ("too few answers").
	HiddenLabel string
	Bars        []Bar
	// RTL draws the chart right to left (a page in Arabic or Urdu).
	RTL bool
}

// Layout of a bar chart, in view-box units.
const (
	barWidth   = 400.0
	barLeft    = 8.0
	barPlot    = 330.0
	barTop     = 24.0
	barRow     = 42.0
	barHeight  = 16.0
	labelChars = 50
)

func barX(v float64) float64 { return barLeft + clamp(v)/100*barPlot }

// Bars draws the chart. Each row has its label above the bar, the value
// written after the whisker, and the previous wave as a hollow diamond.
func Bars(bc BarChart) template.HTML {
	c := &chart{id: bc.ID, rtl: bc.RTL}
	hasPrev := false
	for _, b := range bc.Bars {
		hasPrev = hasPrev || (!b.Hidden && known(b.Previous))
	}
	height := barTop + float64(len(bc.Bars))*barRow + 30
	c.open(barWidth, height, bc.Title, bc.Desc)
	c.patterns()
	// The scale: grid lines every 25 points, numbered above the plot.
	plotBottom := barTop + float64(len(bc.Bars))*barRow
	for v := 0.0; v <= 100; v += 25 {
		x := barX(v)
		fmt.Fprintf(&c.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="0.5" stroke-dasharray="2 3"/>`,
			num(c.x(x)), num(barTop-4), num(c.x(x)), num(plotBottom), line)
		c.text(x, barTop-8, 11, "middle", Whole(v), "")
	}
	for i, b := range bc.Bars {
		y := barTop + float64(i)*barRow
		c.text(barLeft, y+13, 13, "start", shorten(b.Label, labelChars), "")
		top := y + 18
		mid := top + barHeight/2
		if b.Hidden || !known(b.Value) {
			fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#%s-hatch)" fill-opacity="0.35" stroke="%s"/>`,
				num(c.rx(barLeft, barPlot)), num(top), num(barPlot), num(barHeight), bc.ID, line)
			c.text(barLeft+6, mid+4, 12, "start", bc.HiddenLabel, halo)
			continue
		}
		fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" stroke-width="0.5"/>`,
			num(c.rx(barLeft, barX(b.Value)-barLeft)), num(top), num(barX(b.Value)-barLeft), num(barHeight), blue, ink)
		end := barX(b.Value)
		if known(b.Lo) && known(b.Hi) {
			lo, hi := barX(b.Lo), barX(b.Hi)
			fmt.Fprintf(&c.b, `<path d="M%s %sV%sM%s %sH%sM%s %sV%s" stroke="%s" stroke-width="2" fill="none"/>`,
				num(c.x(lo)), num(mid-5), num(mid+5), num(c.x(lo)), num(mid), num(c.x(hi)), num(c.x(hi)), num(mid-5), num(mid+5), ink)
			end = max(end, hi)
		}
		if known(b.Previous) {
			p := barX(b.Previous)
			c.diamond(p, mid, 7, 6)
			end = max(end, p+6)
		}
		c.text(end+5, mid+5, 13, "start", Whole(b.Value), ` font-weight="700"`)
	}
	// The legend names the three marks.
	ly := plotBottom + 18
	fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="14" height="10" fill="%s"/>`, num(c.rx(barLeft, 14)), num(ly-9), blue)
	x := barLeft + 18
	c.text(x, ly, 11, "start", bc.IndexLabel, "")
	x += legendWidth(bc.IndexLabel) + 10
	fmt.Fprintf(&c.b, `<path d="M%s %sV%sM%s %sH%sM%s %sV%s" stroke="%s" stroke-width="2" fill="none"/>`,
		num(c.x(x)), num(ly-9), num(ly+1), num(c.x(x)), num(ly-4), num(c.x(x+14)), num(c.x(x+14)), num(ly-9), num(ly+1), ink)
	x += 18
	c.text(x, ly, 11, "start", bc.IntervalLabel, "")
	x += legendWidth(bc.IntervalLabel) + 10
	if hasPrev {
		c.diamond(x+6, ly-4, 6, 6)
		c.text(x+16, ly, 11, "start", bc.PreviousLabel, "")
	}
	return c.close()
}

// diamond draws the previous wave's hollow diamond centred on (x, y).
func (c *chart) diamond(x, y, half, halfWidth float64) {
	fmt.Fprintf(&c.b, `<path d="M%s %sL%s %sL%s %sL%s %sZ" fill="%s" stroke="%s" stroke-width="2"/>`,
		num(c.x(x)), num(y-half), num(c.x(x+halfWidth)), num(y), num(c.x(x)), num(y+half), num(c.x(x-halfWidth)), num(y), paper, ink)
}

// legendWidth estimates the width of a legend label at font size 11.
func legendWidth(s string) float64 { return float64(len([]rune(s))) * 6 }
