package web_test

import (
	"context"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/internal/webtest"
)

// TestDashboardOpensWithWhatNeedsAttention reads the top of the advisor
// dashboard on the demo municipality against the results service: the
// weakest focus areas, the changes since the previous wave, the units that
// differ from the rest by Welch's test, the overdue contact request and
// the text awaiting review, then links to every part of the detail; and
// the hidden unit is named nowhere in it.
func TestDashboardOpensWithWhatNeedsAttention(t *testing.T) {
	f := webtest.NewDemoWith(t, true)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	ctx := context.Background()
	v, err := analysis.NewService(f.Store.DB).View(ctx, analysis.Reader{All: true}, webtest.DemoCurrent)
	if err != nil || v.Results == nil {
		t.Fatal(err)
	}
	r := v.Results
	total := r.Group(analysis.Municipality, analysis.AllSegment, "")

	resp, body := staffRequest(t, f, s, http.MethodGet, "/admin/results?wave="+webtest.DemoCurrent, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, f.Logs.String())
	}
	top := section(t, body, "attention", "in-page-heading")
	if strings.Index(body, `id="attention"`) > strings.Index(body, `id="summary"`) {
		t.Error("the attention section is not at the top")
	}

	// The weakest focus area of the total is the first of the list.
	weakest, low := "", math.Inf(1)
	for _, fa := range r.Instrument.FocusAreas {
		if it := total.Focus[fa.Key]; it != nil && !it.Hidden && it.Index.Mean < low {
			weakest, low = fa.Name.In("nb"), it.Index.Mean
		}
	}
	weakList := section(t, top, "attention-weakest", "attention-changes")
	if n := strings.Count(weakList, "<li>"); n != 3 {
		t.Errorf("%d weakest focus areas, want 3", n)
	}
	if want := "<li>" + weakest + ": indeks " + strconv.Itoa(int(math.Round(low))); !strings.Contains(weakList, want) {
		t.Errorf("the weakest area is not first (%q): %s", want, weakList)
	}

	changes := section(t, top, "attention-changes", "attention-differ")
	if r.Previous == nil || !strings.Contains(changes, "Sammenlignet med "+r.Previous.Name) || strings.Count(changes, "<li>") != 3 {
		t.Errorf("the changes since the previous wave are missing: %s", changes)
	}

	// The largest clear difference the service finds comes first.
	differ := section(t, top, "attention-differ", "attention-work")
	best, bestArea, bestSize := "", "", 0.0
	for _, u := range r.Wave.Units {
		g := r.Group(u, analysis.AllSegment, "")
		if g.Hidden {
			continue
		}
		for _, fa := range r.Instrument.FocusAreas {
			it := g.Focus[fa.Key]
			if it == nil || it.Hidden || it.VsRest == nil || !it.VsRest.Test.Significant {
				continue
			}
			if d := math.Abs(it.Index.Mean - it.VsRest.Other.Mean); d > bestSize {
				best, bestArea, bestSize = u, fa.Name.In("nb"), d
			}
		}
	}
	if best == "" {
		t.Fatal("the demo has no unit that differs clearly from the rest")
	}
	first := regexp.MustCompile(`<li><a href="/admin/results\?unit=([a-z_]+)&amp;wave=` + webtest.DemoCurrent + `#focus">[^<]+</a>: ([^<]+?) [0-9]+, de andre enhetene [0-9]+ – tydelig (høyere|lavere) \(p (&lt; )?0,[0-9]+\)</li>`).FindStringSubmatch(differ)
	if first == nil || first[1] != best || first[2] != bestArea {
		t.Errorf("the largest clear difference (%s, %s, %.1f points) is not first, with its test: %s", best, bestArea, bestSize, differ)
	}
	if n := strings.Count(differ, "<li>"); n < 2 || n > 5 {
		t.Errorf("%d differences listed, want 2–5", n)
	}

	work := top[strings.Index(top, `id="attention-work"`):]
	if !strings.Contains(work, "1 henvendelse er ikke besvart innen to virkedager") {
		t.Errorf("the overdue contact request is missing: %s", work)
	}
	pending := 0
	counts, err := analysis.TextCounts(ctx, f.Store.DB, webtest.DemoCurrent)
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range counts {
		if k.Status == analysis.TextPending && !r.Group(k.Unit, analysis.AllSegment, "").Hidden {
			pending += n
		}
	}
	if pending == 0 || !strings.Contains(work, `<a class="go" href="/admin/review?status=pending&amp;wave=`+webtest.DemoCurrent+`">`+strconv.Itoa(pending)+" fritekstsvar venter") {
		t.Errorf("%d texts awaiting review not shown: %s", pending, work)
	}

	if strings.Contains(top, "Lia avlastningssenter") || strings.Contains(top, "lia_avlastning") {
		t.Errorf("the hidden unit is named at the top: %s", top)
	}
	// The contents link to every part of the detail.
	nav := body[strings.Index(body, `id="in-page-heading"`):strings.Index(body, `id="summary"`)]
	links := regexp.MustCompile(`href="#([a-z-]+)"`).FindAllStringSubmatch(nav, -1)
	if len(links) < 7 {
		t.Errorf("%d links in the contents", len(links))
	}
	for _, m := range links {
		if !strings.Contains(body, `id="`+m[1]+`"`) {
			t.Errorf("the contents link to #%s, which is not on the page", m[1])
		}
	}

	// A unit leader's top covers the own unit only.
	leader := users["unit_leader"] // solbakken
	ls := webtest.SignIn(t, f, &leader)
	_, body = staffRequest(t, f, ls, http.MethodGet, "/admin/results?wave="+webtest.DemoCurrent, nil)
	top = section(t, body, "attention", "in-page-heading")
	for _, other := range []string{"Fjordtun", "Lia avlastningssenter", "/admin/review"} {
		if strings.Contains(top, other) {
			t.Errorf("a unit leader's top shows %q", other)
		}
	}
}
