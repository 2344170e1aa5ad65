package report

import (
	"math"
	"strconv"

	"codeberg.org/go-pdf/fpdf"
)

// Charts in the PDF draw the figures of the tables beside them: the same
// bars and marks as the page's SVG charts (a bar, its interval as a
// whisker, the previous wave as a hollow diamond), and a suppressed bar as
// a hatched band saying so, with no geometry taken from its value.

const (
	chartLabel = 0.36 // share of the width for the labels
	chartRow   = 6.5
	chartBar   = 3.8
)

func known(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// indexChart draws measures on the 0–100 index scale.
func (d *doc) indexChart(title string, ms []Measure, previous string) {
	f := d.f
	h := float64(len(ms))*chartRow + 18
	d.room(h)
	d.font("B", smallSize, colInk)
	f.MultiCell(d.width, 4, title, "", "L", false)
	x0, y0 := marginSide+chartLabel*d.width, f.GetY()+4
	plot := d.width*(1-chartLabel) - 10
	xOf := func(v float64) float64 { return x0 + math.Max(0, math.Min(100, v))/100*plot }
	// Grid every 25 points, numbered above.
	f.SetDrawColor(colLine[0], colLine[1], colLine[2])
	f.SetLineWidth(0.1)
	f.SetDashPattern([]float64{0.6, 0.8}, 0)
	d.font("", 6.5, colMuted)
	for v := 0.0; v <= 100; v += 25 {
		f.Line(xOf(v), y0-1, xOf(v), y0+float64(len(ms))*chartRow)
		f.Text(xOf(v)-1.2, y0-1.8, strconv.Itoa(int(v)))
	}
	f.SetDashPattern(nil, 0)
	for i, m := range ms {
		y := y0 + float64(i)*chartRow + (chartRow-chartBar)/2
		d.font("", 7.5, colInk)
		label := m.Name
		for len(label) > 3 && f.GetStringWidth(label) > chartLabel*d.width-3 {
			label = string([]rune(label)[:len([]rune(label))-2]) + "…"
		}
		f.Text(marginSide, y+chartBar-0.6, label)
		if m.Hidden || !known(m.Value) {
			d.hatch(x0, y, plot, chartBar)
			d.font("", 7, colInk)
			f.Text(x0+2, y+chartBar-0.8, d.r.T("report.hidden"))
			continue
		}
		f.SetFillColor(colBar[0], colBar[1], colBar[2])
		f.Rect(x0, y, xOf(m.Value)-x0, chartBar, "F")
		f.SetDrawColor(colInk[0], colInk[1], colInk[2])
		f.SetLineWidth(0.35)
		if known(m.Lo) && known(m.Hi) {
			f.Line(xOf(m.Lo), y+chartBar/2, xOf(m.Hi), y+chartBar/2)
			f.Line(xOf(m.Lo), y+0.6, xOf(m.Lo), y+chartBar-0.6)
			f.Line(xOf(m.Hi), y+0.6, xOf(m.Hi), y+chartBar-0.6)
		}
		if known(m.Previous) {
			d.diamond(xOf(m.Previous), y+chartBar/2, 1.5)
		}
		d.font("B", 7.5, colInk)
		f.Text(xOf(math.Max(m.Value, m.Hi))+1.5, y+chartBar-0.6, m.Index)
	}
	f.SetY(y0 + float64(len(ms))*chartRow + 1.5)
	d.legend(previous)
}

// legend explains the bar, the whisker and the diamond.
func (d *doc) legend(previous string) {
	f := d.f
	x, y := marginSide, f.GetY()
	d.font("", 7, colMuted)
	f.SetFillColor(colBar[0], colBar[1], colBar[2])
	f.Rect(x, y, 5, 2.6, "F")
	s := d.r.T("report.chart.bar")
	f.Text(x+6.5, y+2.4, s)
	x += 10 + f.GetStringWidth(s)
	f.SetDrawColor(colInk[0], colInk[1], colInk[2])
	f.SetLineWidth(0.35)
	f.Line(x, y+1.3, x+5, y+1.3)
	s = d.r.T("report.chart.interval")
	f.Text(x+6.5, y+2.4, s)
	x += 10 + f.GetStringWidth(s)
	if previous != "" {
		d.diamond(x+2, y+1.3, 1.5)
		f.Text(x+5, y+2.4, d.r.T("report.chart.previous", "Wave", previous))
	}
	f.SetY(y + 6)
}

func (d *doc) diamond(x, y, r float64) {
	d.f.SetFillColor(255, 255, 255)
	d.f.SetDrawColor(colInk[0], colInk[1], colInk[2])
	d.f.SetLineWidth(0.35)
	d.f.Polygon([]fpdf.PointType{{X: x, Y: y - r}, {X: x + r, Y: y}, {X: x, Y: y + r}, {X: x - r, Y: y}}, "FD")
}

// hatch fills a band with diagonal lines on the page tint: a suppressed figure.
func (d *doc) hatch(x, y, w, h float64) {
	f := d.f
	f.SetFillColor(colTint[0], colTint[1], colTint[2])
	f.Rect(x, y, w, h, "F")
	f.ClipRect(x, y, w, h, false)
	f.SetDrawColor(colLine[0], colLine[1], colLine[2])
	f.SetLineWidth(0.15)
	for sx := x - h; sx < x+w; sx += 1.5 {
		f.Line(sx, y+h, sx+h, y)
	}
	f.ClipEnd()
}

// countChart draws counts as bars against the largest, each with its number.
func (d *doc) countChart(title string, counts []Count) {
	f := d.f
	most := 0
	for _, c := range counts {
		most = max(most, c.Value)
	}
	d.room(float64(len(counts))*chartRow + 10)
	d.font("B", smallSize, colInk)
	f.MultiCell(d.width, 4, title, "", "L", false)
	x0, y0 := marginSide+chartLabel*d.width, f.GetY()+1
	plot := d.width*(1-chartLabel) - 12
	for i, c := range counts {
		y := y0 + float64(i)*chartRow + (chartRow-chartBar)/2
		d.font("", 7.5, colInk)
		f.Text(marginSide, y+chartBar-0.6, c.Name)
		w := 0.0
		if most > 0 {
			w = float64(c.Value) / float64(most) * plot
		}
		if w > 0 {
			f.SetFillColor(colBar[0], colBar[1], colBar[2])
			f.Rect(x0, y, w, chartBar, "F")
		}
		d.font("B", 7.5, colInk)
		f.Text(x0+w+1.5, y+chartBar-0.6, c.N)
	}
	f.SetY(y0 + float64(len(counts))*chartRow + 3)
}
