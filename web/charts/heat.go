package charts

import (
	"fmt"
	"math"
	"strconv"
)

// The heat map is an HTML table (a table is its own text alternative) on the
// advisor dashboard, the council's report and the yearly report, and a
// table in the yearly report's PDF. Each cell holds its number and is shaded
// by the bin that number falls in.
//
// The colour carries one meaning: how much attention a result needs. The
// scale is sequential in a single hue (orange, the hue of the low end of
// the answer distributions), and the WEAKEST bin is the darkest and most
// saturated, the strongest the palest: "low = strong" as issue 19 puts it,
// so that the cells to act on are the ones the eye finds first, and a
// table of good results stays quiet. Lightness falls monotonically as the
// index falls, so the order survives greyscale printing and every common
// colour-vision deficiency.
//
// Colour is never the only carrier: the number is in every cell and the
// legend names each bin in words. Every bin has its own text colour with a
// contrast of at least 4.5:1 on its background (heat_test.go computes it).
// A suppressed cell is no bin at all: it is hatched grey and says "hidden"
// in words; a cell without a value (only "don't know" answers) shows a dash.

// HeatHidden is the class of a suppressed cell, HeatNone of one without a value.
const (
	HeatHidden = "heat-hidden"
	HeatNone   = "heat-none"
)

// HeatBin is one shade of the heat map: the whole indices it covers, its
// class in the stylesheet, the colours the stylesheet gives that class, and
// Word, the last part of the message key naming it ("heatmap.bin." + Word).
type HeatBin struct {
	Class      string
	From, To   int
	Word       string
	Background string
	Ink        string
}

// HeatBins are the shades, weakest first. Their edges are the ones the
// pages have always used: below 50, steps of ten, 80 and above.
var HeatBins = []HeatBin{
	{Class: "heat-1", From: 0, To: 49, Word: "weak", Background: "#7f2704", Ink: "#ffffff"},
	{Class: "heat-2", From: 50, To: 59, Word: "fairly_weak", Background: "#a63603", Ink: "#ffffff"},
	{Class: "heat-3", From: 60, To: 69, Word: "middling", Background: "#f16913", Ink: "#1b1b1b"},
	{Class: "heat-4", From: 70, To: 79, Word: "good", Background: "#fdae6b", Ink: "#1b1b1b"},
	{Class: "heat-5", From: 80, To: 100, Word: "very_good", Background: "#fff5eb", Ink: "#1b1b1b"},
}

// HeatBinOf is the bin of an index 0–100, false when the index is unknown
// (NaN or infinite). The bin is chosen by the whole number the cell shows
// (Whole rounds half to even), clamped to the scale, so that a cell reading
// 50 is always in the bin "50–59" whatever decimals lie behind it.
func HeatBinOf(index float64) (HeatBin, bool) {
	if !known(index) {
		return HeatBin{}, false
	}
	v := int(math.RoundToEven(clamp(index)))
	for _, b := range HeatBins {
		if v <= b.To {
			return b, true
		}
	}
	return HeatBins[len(HeatBins)-1], true
}

// HeatClass is the class shading a cell with an index 0–100 (HeatNone when
// unknown).
func HeatClass(index float64) string {
	if b, ok := HeatBinOf(index); ok {
		return b.Class
	}
	return HeatNone
}

// RGB reads a colour written #rrggbb.
func RGB(hex string) ([3]int, error) {
	var c [3]int
	if len(hex) != 7 || hex[0] != '#' {
		return c, fmt.Errorf("charts: colour %q is not #rrggbb", hex)
	}
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return c, fmt.Errorf("charts: colour %q: %w", hex, err)
		}
		c[i] = int(v)
	}
	return c, nil
}

// contrast is the WCAG 2.1 contrast ratio of two colours, 1 to 21.
func contrast(a, b [3]int) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG's relative luminance of an sRGB colour.
func luminance(c [3]int) float64 {
	lin := func(v int) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}
