package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/web/charts"
)

// heatCellRE reads a heat-map cell: its bin class and what it shows.
var heatCellRE = regexp.MustCompile(`<td class="heat (heat-[a-z0-9]+)">([^<]*)</td>`)

// TestHeatMapColourCarriesTheMeaning reads the heat map of the advisor
// dashboard and of the council's report on the demo municipality, in every
// staff language: each cell prints its value and is shaded by the bin of
// that value (the weakest darkest), a suppressed cell is hatched and says so
// in words rather than taking a colour of the scale, and the legend names
// every bin with its range and word, and the hidden cells.
func TestHeatMapColourCarriesTheMeaning(t *testing.T) {
	f := webtest.NewDemo(t)
	users := webtest.StaffUsers(t, f)
	advisor, council := users["advisor"], users["council"]
	as, cs := webtest.SignIn(t, f, &advisor), webtest.SignIn(t, f, &council)
	if resp, _ := staffRequest(t, f, as, http.MethodPost, "/admin/results/"+webtest.DemoCurrent+"/publish", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publishing for the council: status %d", resp.StatusCode)
	}
	words := map[string]struct{ legend, weak, veryGood, hidden string }{
		"nb": {"jo mørkere rute, jo svakere resultat", "svakt, bør følges opp", "svært godt", "skjult for å beskytte små grupper"},
		"nn": {"di mørkare rute, di svakare resultat", "svakt, bør fylgjast opp", "svært godt", ""},
		"en": {"the darker the cell, the weaker the result", "weak, needs following up", "very good", ""},
	}
	for _, tt := range []struct {
		name, path string
		s          webtest.Session
		id         string
	}{
		{"dashboard", "/admin/results?wave=" + webtest.DemoCurrent, as, "heat"},
		{"council", "/admin/council/results?wave=" + webtest.DemoCurrent, cs, "council-heat"},
	} {
		for lang, w := range words {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				resp, body := staffRequest(t, f, tt.s, http.MethodGet, tt.path+"&lang="+lang, nil)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d", resp.StatusCode)
				}
				i := strings.Index(body, `id="`+tt.id+`-caption"`)
				if i < 0 {
					t.Fatal("no heat map")
				}
				heat := body[i:]
				heat = heat[:strings.Index(heat, "</ul>")]
				table := heat[:strings.Index(heat, "</table>")]
				cells := heatCellRE.FindAllStringSubmatch(table, -1)
				if len(cells) < 5*4 {
					t.Fatalf("%d heat-map cells, want one per unit shown and focus area", len(cells))
				}
				hidden, shaded := 0, map[string]bool{}
				for _, c := range cells {
					class, text := c[1], c[2]
					if class == charts.HeatHidden {
						hidden++
						if text == "" {
							t.Error("a hidden cell says nothing")
						}
						if w.hidden != "" && text != w.hidden {
							t.Errorf("a hidden cell says %q", text)
						}
						continue
					}
					v, err := strconv.Atoi(text)
					if err != nil {
						t.Errorf("a %s cell prints %q, not its value", class, text)
						continue
					}
					b, _ := charts.HeatBinOf(float64(v))
					if class != b.Class {
						t.Errorf("a cell of %d is %s, want %s (%d–%d)", v, class, b.Class, b.From, b.To)
					}
					shaded[class] = true
				}
				if hidden == 0 {
					t.Error("the demo's hidden unit has no hidden cells")
				}
				if len(shaded) < 2 {
					t.Errorf("the demo's cells fall in %d bins; the test would not see a wrong shade", len(shaded))
				}
				legend := heat[strings.Index(heat, "</table>"):]
				if !strings.Contains(legend, w.legend) {
					t.Errorf("the legend does not say how to read the colours: %s", legend)
				}
				for _, b := range charts.HeatBins {
					entry := `<li><span class="swatch heat ` + b.Class + `">` + strconv.Itoa(b.From) + "–" + strconv.Itoa(b.To) + `</span> `
					if !strings.Contains(legend, entry) {
						t.Errorf("the legend has no entry %q", entry)
					}
				}
				first, last := charts.HeatBins[0].Class, charts.HeatBins[len(charts.HeatBins)-1].Class
				if !strings.Contains(legend, first+`">0–49</span> `+w.weak+`</li>`) || !strings.Contains(legend, last+`">80–100</span> `+w.veryGood+`</li>`) {
					t.Errorf("the weakest bin is not named %q or the strongest %q: %s", w.weak, w.veryGood, legend)
				}
				if !strings.Contains(legend, `<span class="swatch heat heat-hidden" aria-hidden="true"></span>`) {
					t.Error("the legend has no entry for hidden cells")
				}
			})
		}
	}
}

// TestYearlyReportHeatMapHasItsLegend: the yearly report's heat map of units
// is shaded like the dashboard's, so it names every shade in words under it,
// in the report's language.
func TestYearlyReportHeatMapHasItsLegend(t *testing.T) {
	f := webtest.NewReport(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	for _, tt := range []struct{ lang, weak, veryGood string }{
		{"nb", "svakt, bør følges opp", "svært godt"},
		{"en", "weak, needs following up", "very good"},
	} {
		resp, body := staffRequest(t, f, s, http.MethodGet, "/admin/report?year=2026&lang="+tt.lang, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tt.lang, resp.StatusCode)
		}
		i := strings.Index(body, `<ul class="heat-legend" aria-labelledby="units-0-legend">`)
		if i < 0 || !strings.Contains(body, `id="units-0-legend"`) {
			t.Fatalf("%s: the report's heat map has no legend", tt.lang)
		}
		legend := body[i : i+strings.Index(body[i:], "</ul>")]
		for _, b := range charts.HeatBins {
			if !strings.Contains(legend, `class="swatch heat `+b.Class+`"`) {
				t.Errorf("%s: the legend lacks %s", tt.lang, b.Class)
			}
		}
		for _, w := range []string{tt.weak, tt.veryGood, charts.HeatHidden} {
			if !strings.Contains(legend, w) {
				t.Errorf("%s: the legend lacks %q", tt.lang, w)
			}
		}
	}
}
