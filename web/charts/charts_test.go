package charts

import (
	"encoding/xml"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
)

var nan = math.NaN()

// wellFormed parses the SVG as XML and returns its text content.
func wellFormed(t *testing.T, svg string) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var text strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			text.Write(tk)
			text.WriteByte('|')
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced elements")
	}
	return text.String()
}

// accessible checks the text alternative: role img, labelled by its title and desc.
func accessible(t *testing.T, svg, id, title, desc string) {
	t.Helper()
	for _, want := range []string{
		`role="img"`, `aria-labelledby="` + id + `-title ` + id + `-desc"`,
		`<title id="` + id + `-title">` + title + `</title>`, `<desc id="` + id + `-desc">` + desc + `</desc>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %s", want)
		}
	}
	// Every id in the chart starts with the chart's id, so two charts on a page never clash.
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(svg, -1) {
		if !strings.HasPrefix(m[1], id+"-") {
			t.Errorf("id %q does not start with %q", m[1], id)
		}
	}
}

func TestBars(t *testing.T) {
	for _, tt := range []struct {
		name      string
		bars      []Bar
		want      []string // texts that must be written
		absent    []string // texts that must not appear anywhere
		prevShown bool
	}{
		{name: "values, intervals and the previous wave",
			bars: []Bar{{Label: "Informasjon", Value: 72.4, Lo: 68, Hi: 77, Previous: 61},
				{Label: "Medvirkning", Value: 55.6, Lo: 50, Hi: 61, Previous: nan}},
			want: []string{"Informasjon", "72", "Medvirkning", "56", "Forrige"}, prevShown: true},
		{name: "a hidden bar shows no number",
			bars: []Bar{{Label: "Lia", Hidden: true, Value: 43.21, Lo: 30.5, Hi: 55.5, Previous: 38.7},
				{Label: "Solbakken", Value: 80, Lo: nan, Hi: nan, Previous: nan}},
			want: []string{"Lia", "for få svar", "Solbakken", "80"}, absent: []string{"43", "38", "55.5", "30.5"}},
		{name: "labels are escaped and long ones shortened",
			bars: []Bar{{Label: `<script>alert("x")</script> ` + strings.Repeat("lang ", 20), Value: 10, Lo: -5, Hi: 120, Previous: nan}},
			want: []string{`<script>alert("x")</script>`, "…"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svg := string(Bars(BarChart{ID: "fa", Title: "Indeks per område", Desc: "Høyest: Informasjon 72.",
				IndexLabel: "Indeks", IntervalLabel: "95 % intervall", PreviousLabel: "Forrige", HiddenLabel: "for få svar", Bars: tt.bars}))
			text := wellFormed(t, svg)
			accessible(t, svg, "fa", "Indeks per område", "Høyest: Informasjon 72.")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text %q not written; text: %s", w, text)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(text, a) || strings.Contains(svg, ">"+a+"<") {
					t.Errorf("%q appears; text: %s", a, text)
				}
			}
			if strings.Contains(svg, "<script") {
				t.Error("a label was not escaped")
			}
			if got := strings.Contains(text, "Forrige"); got != tt.prevShown {
				t.Errorf("previous-wave legend shown = %v, want %v", got, tt.prevShown)
			}
		})
	}
}

func TestHiddenBarDrawsNoGeometryFromItsValue(t *testing.T) {
	shown := string(Bars(BarChart{ID: "a", Bars: []Bar{{Label: "x", Value: 43.21, Lo: 30, Hi: 55, Previous: 38}}}))
	hidden := string(Bars(BarChart{ID: "a", Bars: []Bar{{Label: "x", Hidden: true, Value: 43.21, Lo: 30, Hi: 55, Previous: 38}}}))
	other := string(Bars(BarChart{ID: "a", Bars: []Bar{{Label: "x", Hidden: true, Value: 91, Lo: 80, Hi: 99, Previous: 10}}}))
	if hidden != other {
		t.Error("a hidden bar's drawing depends on its value")
	}
	if hidden == shown {
		t.Error("a hidden bar is drawn as a shown one")
	}
}

func TestStacked(t *testing.T) {
	cats := []string{"1", "2", "3", "4", "5", "6", "Vet ikke"}
	for _, tt := range []struct {
		name   string
		rows   []StackRow
		want   []string
		absent []string
	}{
		{name: "shares written in wide segments",
			rows: []StackRow{{Label: "Får du informasjon?", Shares: []float64{0.05, 0.05, 0.1, 0.2, 0.35, 0.2, 0.05}}},
			want: []string{"Får du informasjon?", "10 %", "20 %", "35 %", "Vet ikke"}, absent: []string{"5 %"}},
		{name: "a hidden row shows no share",
			rows: []StackRow{{Label: "Lia", Hidden: true, Shares: []float64{0.5, 0.5}},
				{Label: "Solbakken", Shares: []float64{0, 0, 0, 0.25, 0.75, 0, 0}}},
			want: []string{"for få svar", "25 %", "75 %"}, absent: []string{"50 %"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svg := string(Stacked(StackedChart{ID: "dist", Title: "Fordeling", Desc: "Svar fordelt på 1–6.",
				Categories: cats, HiddenLabel: "for få svar", Rows: tt.rows,
				Percent: func(s float64) string { return Whole(100*s) + " %" }}))
			text := wellFormed(t, svg)
			accessible(t, svg, "dist", "Fordeling", "Svar fordelt på 1–6.")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text %q not written; text: %s", w, text)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(text, "|"+a+"|") {
					t.Errorf("%q written; text: %s", a, text)
				}
			}
			// The low end is hatched and "don't know" dotted: not colour alone.
			if !strings.Contains(svg, "url(#dist-hatch)") || !strings.Contains(svg, "url(#dist-dots)") {
				t.Error("patterns missing")
			}
		})
	}
}

func TestCompare(t *testing.T) {
	for _, tt := range []struct {
		name   string
		ch     Change
		empty  bool
		thick  bool
		dashed bool
	}{
		{name: "significant", ch: Change{Now: 70, Previous: 61, Significant: true}, thick: true},
		{name: "may be chance", ch: Change{Now: 63, Previous: 61}, dashed: true},
		{name: "no previous", ch: Change{Now: 63, Previous: nan}, empty: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.ch.ID, tt.ch.Title, tt.ch.Desc = "c1", "Endring", "Fra 61 til 70."
			svg := string(Compare(tt.ch))
			if tt.empty {
				if svg != "" {
					t.Fatalf("drawn without a previous value: %s", svg)
				}
				return
			}
			wellFormed(t, svg)
			accessible(t, svg, "c1", "Endring", "Fra 61 til 70.")
			if strings.Contains(svg, `stroke-width="4"`) != tt.thick || strings.Contains(svg, "dasharray") != tt.dashed {
				t.Errorf("line style wrong: %s", svg)
			}
		})
	}
}
