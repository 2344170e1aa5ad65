package charts

import (
	"regexp"
	"strings"
	"testing"
)

func TestCounts(t *testing.T) {
	svg := string(Counts(CountChart{ID: "themes", Title: "Tilbakemeldinger per tema", Desc: "Flest om informasjon.",
		Counts: []Count{{"Informasjon", 12}, {"Støtte & avlastning", 6}, {"Uten tema", 0}}}))
	text := wellFormed(t, svg)
	accessible(t, svg, "themes", "Tilbakemeldinger per tema", "Flest om informasjon.")
	for _, want := range []string{"Informasjon|", "12|", "Støtte & avlastning|", "6|", "Uten tema|", "0|"} {
		if !strings.Contains(text, want) {
			t.Errorf("the chart lacks %q: %s", want, text)
		}
	}
	// The longest bar is the largest count; half the count, half the bar;
	// a count of 0 draws no bar.
	var widths []string
	for _, m := range regexp.MustCompile(`<rect [^>]* width="([0-9.]+)"`).FindAllStringSubmatch(svg, -1) {
		widths = append(widths, m[1])
	}
	if len(widths) != 2 || widths[0] != "300" || widths[1] != "150" {
		t.Errorf("bar widths %v, want [300 150]", widths)
	}
}
