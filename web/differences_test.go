package web_test

import (
	"context"
	"html/template"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

// markedDifference is the mark of a clear difference in a table row.
const markedDifference = `<strong class="sig">`

// TestDashboardMarksOnlyDifferencesThatMatter reads the advisor dashboard
// on the demo municipality against the results service: a change since the
// previous wave that is significant but smaller than
// analysis.MeaningfulChange is shown in words without a mark, a
// significant one at least that large is marked "Klart bedre/svakere", the
// same holds for a unit against the rest, the page explains the marks
// once, and the word "Signifikant" is nowhere on it, in any staff language.
func TestDashboardMarksOnlyDifferencesThatMatter(t *testing.T) {
	f := webtest.NewDemo(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	v, err := analysis.NewService(f.Store.DB).View(context.Background(), analysis.Reader{All: true}, webtest.DemoCurrent)
	if err != nil || v.Results == nil {
		t.Fatal(err)
	}
	r := v.Results

	// rows are the scale questions and focus areas of a group by the name
	// its table row carries, with the difference shown and its test.
	type measured struct {
		name        string
		diff        float64
		significant bool
	}
	rows := func(g *analysis.Group, cmp func(*analysis.Item) *analysis.Comparison) (small, large []measured) {
		add := func(name string, it *analysis.Item) {
			if it == nil || it.Hidden || math.IsNaN(it.Index.Mean) {
				return
			}
			c := cmp(it)
			if c == nil || math.IsNaN(c.Other.Mean) || !c.Test.Significant {
				return
			}
			d := math.Round(it.Index.Mean) - math.Round(c.Other.Mean)
			m := measured{template.HTMLEscapeString(name), d, true}
			switch {
			case math.Abs(d) >= analysis.MeaningfulChange:
				large = append(large, m)
			case math.Abs(d) >= 1:
				small = append(small, m)
			}
		}
		for _, fa := range r.Instrument.FocusAreas {
			add(fa.Name.In("nb"), g.Focus[fa.Key])
		}
		for _, q := range r.Instrument.Questions() {
			if q.Type == surveys.TypeScale {
				add(q.Text.In("nb"), g.Items[q.Key])
			}
		}
		return small, large
	}
	check := func(t *testing.T, body string, small, large []measured, words func(up bool) string, column func(row string) string) {
		t.Helper()
		detail := body[strings.Index(body, `id="focus"`):]
		for _, m := range small {
			cell := column(row(t, detail, m.name))
			if strings.Contains(cell, markedDifference) || strings.Contains(cell, "▲") || strings.Contains(cell, "▼") {
				t.Errorf("%q moved a significant but small %+.0f points and is marked: %s", m.name, m.diff, cell)
			}
			if !strings.Contains(cell, "liten endring") && !strings.Contains(cell, "Litt ") {
				t.Errorf("%q: the small difference is not called small: %s", m.name, cell)
			}
		}
		for _, m := range large {
			cell := column(row(t, detail, m.name))
			arrow := "▼"
			if m.diff > 0 {
				arrow = "▲"
			}
			if want := markedDifference + `<span aria-hidden="true">` + arrow + ` </span>` + words(m.diff > 0); !strings.Contains(cell, want) {
				t.Errorf("%q moved a significant %+.0f points and is not marked %q: %s", m.name, m.diff, want, cell)
			}
		}
	}
	// comparison is the cell of a row that compares: the one before the
	// action link.
	comparison := func(row string) string {
		c := strings.Split(row, "<td")[1:]
		return c[len(c)-2]
	}

	t.Run("since the previous wave", func(t *testing.T) {
		total := r.Group(analysis.Municipality, analysis.AllSegment, "")
		small, large := rows(total, func(it *analysis.Item) *analysis.Comparison { return it.VsPrevious })
		if len(small) == 0 || len(large) == 0 {
			t.Fatalf("the demo has %d small and %d large significant changes; the test needs both", len(small), len(large))
		}
		_, body := staffRequest(t, f, s, http.MethodGet, "/admin/results?wave="+webtest.DemoCurrent, nil)
		check(t, body, small, large, func(up bool) string {
			if up {
				return "Klart bedre enn forrige gang"
			}
			return "Klart svakere enn forrige gang"
		}, comparison)
	})
	t.Run("against the rest", func(t *testing.T) {
		smalls, larges := 0, 0
		for _, u := range r.Wave.Units {
			g := r.Group(u, analysis.AllSegment, "")
			if g == nil || g.Hidden {
				continue
			}
			small, large := rows(g, func(it *analysis.Item) *analysis.Comparison { return it.VsRest })
			if len(small)+len(large) == 0 {
				continue
			}
			smalls, larges = smalls+len(small), larges+len(large)
			_, body := staffRequest(t, f, s, http.MethodGet, "/admin/results?wave="+webtest.DemoCurrent+"&unit="+u, nil)
			check(t, body, small, large, func(up bool) string {
				if up {
					return "Klart bedre enn de andre enhetene"
				}
				return "Klart svakere enn de andre enhetene"
			}, comparison)
		}
		// Units of 30–80 answers differ significantly only by more than
		// MeaningfulChange in the demo, so the small case is checked where
		// the demo has one (the change since the previous wave always does).
		if larges == 0 {
			t.Fatalf("the demo's units have %d small and no large significant differences from the rest", smalls)
		}
	})

	for _, lang := range []string{"nb", "nn", "en"} {
		t.Run("no jargon/"+lang, func(t *testing.T) {
			for _, path := range []string{"/admin/results?wave=" + webtest.DemoCurrent, "/admin/results?wave=" + webtest.DemoCurrent + "&unit=solbakken"} {
				resp, body := staffRequest(t, f, s, http.MethodGet, path+"&lang="+lang, nil)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d", resp.StatusCode)
				}
				if i := strings.Index(strings.ToLower(body), "signifikant"); i >= 0 {
					t.Errorf("%s says %q", path, body[max(0, i-80):i+40])
				}
				if i := strings.Index(strings.ToLower(body), "significant"); i >= 0 {
					t.Errorf("%s says %q", path, body[max(0, i-80):i+40])
				}
				if n := strings.Count(body, `id="reading-differences"`); n != 1 {
					t.Errorf("%s explains the marks %d times, want once", path, n)
				}
			}
		})
	}
}
