package charts

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHeatBinEdges checks every edge of every bin, from both sides, the
// ends of the scale and past them, and values without a number.
func TestHeatBinEdges(t *testing.T) {
	for _, tt := range []struct {
		index float64
		want  string // class; HeatNone when there is no bin
	}{
		{nan, HeatNone}, {math.Inf(1), HeatNone}, {math.Inf(-1), HeatNone},
		{-3, "heat-1"}, {0, "heat-1"}, {49, "heat-1"}, {49.4, "heat-1"},
		// 49.5 is shown as 50 and so is in the bin 50–59.
		{49.5, "heat-2"}, {50, "heat-2"}, {59, "heat-2"}, {59.49, "heat-2"},
		{59.5, "heat-3"}, {60, "heat-3"}, {69, "heat-3"},
		{69.5, "heat-4"}, {70, "heat-4"}, {79, "heat-4"}, {79.4999, "heat-4"},
		{79.5, "heat-5"}, {80, "heat-5"}, {100, "heat-5"}, {104, "heat-5"},
	} {
		b, ok := HeatBinOf(tt.index)
		if got := HeatClass(tt.index); got != tt.want {
			t.Errorf("HeatClass(%v) = %s, want %s", tt.index, got, tt.want)
		}
		if ok != (tt.want != HeatNone) {
			t.Errorf("HeatBinOf(%v) ok = %v", tt.index, ok)
			continue
		}
		if !ok {
			continue
		}
		// The bin holds the number the cell shows.
		shown, err := strconv.Atoi(Whole(clamp(tt.index)))
		if err != nil || shown < b.From || shown > b.To {
			t.Errorf("HeatBinOf(%v) = %d–%d, but the cell shows %q", tt.index, b.From, b.To, Whole(clamp(tt.index)))
		}
	}
}

// TestHeatBinsCoverTheScale: the bins cover 0–100 in order without gaps or
// overlaps, each has a word, and lightness falls with the index, so the
// weakest bin is the darkest.
func TestHeatBinsCoverTheScale(t *testing.T) {
	next := 0
	prev := -1.0
	for i, b := range HeatBins {
		if b.From != next || b.To < b.From {
			t.Errorf("bin %d is %d–%d, want it to start at %d", i, b.From, b.To, next)
		}
		next = b.To + 1
		if b.Word == "" || b.Class == "" {
			t.Errorf("bin %d has no word or class", i)
		}
		c, err := RGB(b.Background)
		if err != nil {
			t.Fatal(err)
		}
		if l := luminance(c); l <= prev {
			t.Errorf("bin %d (%s) is no lighter than the weaker bin before it", i, b.Background)
		} else {
			prev = l
		}
	}
	if next != 101 {
		t.Errorf("the bins end at %d, want 100", next-1)
	}
}

// TestHeatTextContrast: the number in every cell is readable, at least
// 4.5:1 (WCAG 1.4.3) against the bin's background, and the hidden cell's
// words against the darkest stripe of its hatching.
func TestHeatTextContrast(t *testing.T) {
	type pair struct{ name, ink, background string }
	pairs := []pair{{"hidden", "#1b1b1b", "#f3f2f1"}, {"hidden stripe", "#1b1b1b", hiddenStripe}, {"none", "#1b1b1b", "#ffffff"}}
	for _, b := range HeatBins {
		pairs = append(pairs, pair{b.Class, b.Ink, b.Background})
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			ink, err := RGB(p.ink)
			if err != nil {
				t.Fatal(err)
			}
			bg, err := RGB(p.background)
			if err != nil {
				t.Fatal(err)
			}
			if c := contrast(ink, bg); c < 4.5 {
				t.Errorf("%s on %s: contrast %.2f:1, want at least 4.5:1", p.ink, p.background, c)
			}
		})
	}
}

// hiddenStripe is the tint under the hatching's 12 % black: the darkest
// point of a hidden cell.
const hiddenStripe = "#d6d5d4"

// TestContrastKnownValues pins the formula to WCAG's own examples.
func TestContrastKnownValues(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21}, {"#ffffff", "#ffffff", 1}, {"#767676", "#ffffff", 4.54},
	} {
		a, _ := RGB(tt.a)
		b, _ := RGB(tt.b)
		if got := contrast(a, b); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
	for _, bad := range []string{"", "fff", "#ffff", "#gg0000", "#1234567"} {
		if _, err := RGB(bad); err == nil {
			t.Errorf("RGB(%q) took a bad colour", bad)
		}
	}
}

// TestStylesheetUsesTheBins: the stylesheet gives each bin's class exactly
// the colours tested above, so a palette changed in the CSS alone fails here.
func TestStylesheetUsesTheBins(t *testing.T) {
	css, err := os.ReadFile("../static/stemme.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range HeatBins {
		re := regexp.MustCompile(`(?m)^\.` + b.Class + ` \{([^}]*)\}`)
		m := re.FindSubmatch(css)
		if m == nil {
			t.Errorf("the stylesheet has no rule .%s", b.Class)
			continue
		}
		rule := strings.ToLower(string(m[1]))
		ink := regexp.MustCompile(`(^|[\s;])color: ` + b.Ink + `;`)
		if !strings.Contains(rule, "background-color: "+b.Background+";") || !ink.MatchString(rule) {
			t.Errorf(".%s is {%s}, want background %s and text %s", b.Class, m[1], b.Background, b.Ink)
		}
	}
}
