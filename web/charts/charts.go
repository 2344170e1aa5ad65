// Package charts draws the result charts as inline SVG on the server, so
// they need no JavaScript and print as they are shown. Every chart is an
// image with a text alternative (role="img", a <title> and a <desc> named
// by aria-labelledby); the page shows the same numbers in a table beside it.
//
// Colours come from the Okabe–Ito palette, which stays distinguishable
// with every common colour-vision deficiency, and nothing is told by colour
// alone: bars carry their value as text, the low end of a distribution is
// hatched and "don't know" dotted, the previous wave is a hollow diamond
// where the current one is a bar or a dot, and a significant change is a
// solid thick line where any other is dashed.
//
// The package holds no user-visible words: every label, title and summary
// comes from the caller, translated. Numbers are written as whole numbers,
// which read the same in every language Stemme serves. A hidden
// (suppressed) value is never written: a hidden bar or row is drawn as a
// hatched placeholder with the caller's "too few answers" label only.
package charts

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// Okabe–Ito colours, and the page's ink and lines.
const (
	orange     = "#E69F00"
	skyBlue    = "#56B4E9"
	green      = "#009E73"
	yellow     = "#F0E442"
	blue       = "#0072B2"
	vermillion = "#D55E00"
	grey       = "#BBBBBB"
	ink        = "#1b1b1b"
	line       = "#6f777b"
	paper      = "#ffffff"
)

// stepColours colour a 1–6 distribution from the low end (vermillion) to the
// high end (blue), with "don't know" grey.
var stepColours = []string{vermillion, orange, yellow, skyBlue, green, blue, grey}

// chart is an SVG document being written. Its code places things left to
// right; a right-to-left chart mirrors every x (x and rx), so bars grow
// from the right, labels start at the right edge and legends run leftwards,
// while the text itself is never mirrored.
type chart struct {
	b     strings.Builder
	id    string
	rtl   bool
	width float64
}

// x is where a left-to-right position lies in the chart.
func (c *chart) x(v float64) float64 {
	if c.rtl {
		return c.width - v
	}
	return v
}

// rx is the left edge of a box from v to v+w, mirrored when right to left.
func (c *chart) rx(v, w float64) float64 {
	if c.rtl {
		return c.width - v - w
	}
	return v
}

// open starts an SVG of the given view box with its text alternative. The
// direction is the chart's own, whatever the page around it: text-anchor
// "start" means the left end of a left-to-right chart's text and the right
// end of a right-to-left one's.
func (c *chart) open(width, height float64, title, desc string) {
	c.width = width
	direction := "ltr"
	if c.rtl {
		direction = "rtl"
	}
	fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %s %s" `+
		`direction="%s" aria-labelledby="%s-title %s-desc" focusable="false">`, num(width), num(height), direction, c.id, c.id)
	fmt.Fprintf(&c.b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`,
		c.id, esc(title), c.id, esc(desc))
}

// patterns defines the hatch and dot fills, named after the chart so that
// two charts on one page never share an id.
func (c *chart) patterns() {
	fmt.Fprintf(&c.b, `<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`+
		`<line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="2"/></pattern>`, c.id, ink)
	fmt.Fprintf(&c.b, `<pattern id="%s-dots" width="5" height="5" patternUnits="userSpaceOnUse">`+
		`<circle cx="2.5" cy="2.5" r="1.1" fill="%s"/></pattern></defs>`, c.id, ink)
}

func (c *chart) close() template.HTML {
	c.b.WriteString(`</svg>`)
	// Every text written went through esc; the rest is numbers and constants.
	return template.HTML(c.b.String())
}

func (c *chart) text(x, y float64, size int, anchor, s string, extra string) {
	fmt.Fprintf(&c.b, `<text x="%s" y="%s" font-size="%d" text-anchor="%s" fill="%s"%s>%s</text>`,
		num(c.x(x)), num(y), size, anchor, ink, extra, esc(s))
}

// halo makes text readable on any fill: a white outline under dark letters.
const halo = ` stroke="#ffffff" stroke-width="3" paint-order="stroke" font-weight="700"`

func esc(s string) string { return template.HTMLEscapeString(s) }

// num writes a coordinate with at most two decimals.
func num(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// Whole writes a value as a whole number, "" when unknown.
func Whole(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return fmt.Sprintf("%.0f", x)
}

// clamp keeps an index on its 0–100 scale (an interval may pass its ends).
func clamp(x float64) float64 { return math.Max(0, math.Min(100, x)) }

func known(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// shorten cuts a label to n characters, marking the cut: the full text is
// in the table beside the chart.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
