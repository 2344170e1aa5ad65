package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// section cuts the part of a page from one id to another.
func section(t *testing.T, body, from, to string) string {
	t.Helper()
	i, j := strings.Index(body, `id="`+from+`"`), strings.Index(body, `id="`+to+`"`)
	if i < 0 || j < i {
		t.Fatalf("page has no section %s … %s", from, to)
	}
	return body[i:j]
}

// row returns the table row headed by name in a part of a page.
func row(t *testing.T, html, name string) string {
	t.Helper()
	i := strings.Index(html, `<th scope="row">`+name+`</th>`)
	if i < 0 {
		t.Fatalf("no row %q", name)
	}
	return html[i : i+strings.Index(html[i:], "</tr>")]
}

var figureCell = regexp.MustCompile(`<td[^>]*>[^<]*[0-9]`)

func TestDashboardNeverShowsASuppressedUnit(t *testing.T) {
	f := webtest.NewDemo(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	v, err := analysis.NewService(f.Store.DB).View(context.Background(), analysis.Reader{All: true}, webtest.DemoCurrent)
	if err != nil || v.Results == nil {
		t.Fatal(err)
	}
	r := v.Results
	if !r.Group("lia_avlastning", "", "").Hidden || r.Group("solbakken", "", "").Hidden {
		t.Fatal("the demo no longer has Lia hidden and Solbakken shown")
	}
	// What the hidden unit's figures are, from its raw tallies.
	tallies, err := analysis.Tallies(context.Background(), f.Store.DB, webtest.DemoCurrent)
	if err != nil {
		t.Fatal(err)
	}
	var lia *analysis.Tally
	for _, tl := range tallies {
		if tl.Unit == "lia_avlastning" && tl.Segment == analysis.AllSegment {
			lia = tl
		}
	}
	if lia == nil || lia.N == 0 {
		t.Fatal("Lia has no answers in the demo")
	}

	resp, body := staffRequest(t, f, s, http.MethodGet, "/admin/results?wave="+webtest.DemoCurrent, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("municipality: status %d", resp.StatusCode)
	}
	for _, part := range []string{section(t, body, "heat", "rates"), section(t, body, "rates", "texts")} {
		lrow := row(t, part, "Lia avlastningssenter")
		if figureCell.MatchString(lrow) || !strings.Contains(lrow, "skjult for å beskytte små grupper") {
			t.Errorf("Lia's row shows figures: %s", lrow)
		}
		if srow := row(t, part, "Solbakken sykehjem"); !figureCell.MatchString(srow) {
			t.Errorf("Solbakken's row shows no figures: %s", srow)
		}
	}

	resp, body = staffRequest(t, f, s, http.MethodGet, "/admin/results?wave="+webtest.DemoCurrent+"&unit=lia_avlastning", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Lia: status %d", resp.StatusCode)
	}
	own := section(t, body, "summary", "breakdown")
	if m := figureCell.FindString(own); m != "" {
		t.Errorf("Lia's page shows a figure: %s", m)
	}
	for _, item := range []string{"info_contact", "overall_services"} {
		m := lia.Items[item]
		if m.N == 0 {
			continue
		}
		mean := strings.Replace(strconv.FormatFloat(m.Sum/float64(m.N), 'f', 1, 64), ".", ",", 1)
		if strings.Contains(own, ">"+mean+"<") {
			t.Errorf("Lia's mean of %s (%s) is on the page", item, mean)
		}
	}
	if !strings.Contains(body, "/admin/results/"+webtest.DemoCurrent+"/publish") {
		t.Error("a closed, unpublished wave does not offer to publish")
	}
	// The open wave shows only how many have answered, in steps of five.
	resp, body = staffRequest(t, f, s, http.MethodGet, "/admin/results?wave="+webtest.DemoOpen, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="participation"`) ||
		strings.Contains(body, `id="summary"`) || strings.Contains(body, "/publish") {
		t.Errorf("open wave: status %d, or it shows results", resp.StatusCode)
	}
	if p := section(t, body, "participation", "participation-caption"); p == "" {
		t.Error("no participation section")
	}
	if !regexp.MustCompile(`<td>(5|10)–(9|14)</td>`).MatchString(body) {
		t.Errorf("participation not in steps: %s", section(t, body, "participation", "participation-caption"))
	}
}

func TestUnitLeaderSeesOnlyTheirUnits(t *testing.T) {
	f := webtest.NewDemo(t)
	users := webtest.StaffUsers(t, f)
	leader := users["unit_leader"] // solbakken
	s := webtest.SignIn(t, f, &leader)
	for _, tt := range []struct {
		name, path string
		status     int
	}{
		{"own unit by default", "/admin/results?wave=" + webtest.DemoCurrent, http.StatusOK},
		{"own unit", "/admin/results?wave=" + webtest.DemoCurrent + "&unit=solbakken", http.StatusOK},
		{"another unit", "/admin/results?wave=" + webtest.DemoCurrent + "&unit=fjordtun", http.StatusForbidden},
		// The total of the units shown is everyone's baseline.
		{"the total", "/admin/results?wave=" + webtest.DemoCurrent + "&unit=", http.StatusOK},
		{"no such wave", "/admin/results?wave=nope", http.StatusNotFound},
		{"a draft wave", "/admin/results?wave=lia_avlastning_2026", http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := staffRequest(t, f, s, http.MethodGet, tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status != http.StatusOK {
				return
			}
			if strings.Contains(body, "Fjordtun") {
				t.Error("a unit leader sees another unit")
			}
			if !strings.Contains(body, `<th scope="row">Solbakken sykehjem</th>`) {
				t.Error("the unit leader's own unit is missing")
			}
			if strings.Contains(body, "/publish") {
				t.Error("a unit leader is offered to publish")
			}
		})
	}
}

func TestCouncilSeesOnlyPublishedResults(t *testing.T) {
	f := webtest.NewDemo(t)
	users := webtest.StaffUsers(t, f)
	advisor, council := users["advisor"], users["council"]
	as, cs := webtest.SignIn(t, f, &advisor), webtest.SignIn(t, f, &council)
	get := func(path string) (int, string) {
		resp, body := staffRequest(t, f, cs, http.MethodGet, path, nil)
		return resp.StatusCode, body
	}

	if code, body := get("/admin/council/results"); code != http.StatusOK || !strings.Contains(body, "Ingen resultater er publisert") {
		t.Fatalf("nothing published: status %d", code)
	}
	for _, w := range []string{webtest.DemoClosed, webtest.DemoCurrent, "nope"} {
		if code, _ := get("/admin/council/results?wave=" + w); code != http.StatusNotFound {
			t.Errorf("unpublished %s: status %d, want 404", w, code)
		}
	}
	// The council cannot reach the advisor dashboard at all.
	if resp, _ := staffRequest(t, f, cs, http.MethodGet, "/admin/results?wave="+webtest.DemoClosed, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("council on the advisor dashboard: status %d", resp.StatusCode)
	}

	// An open wave cannot be published: the advisor is told why.
	resp, body := staffRequest(t, f, as, http.MethodPost, "/admin/results/"+webtest.DemoOpen+"/publish", nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Bare resultatene av en avsluttet undersøkelse") {
		t.Fatalf("publishing an open wave: status %d", resp.StatusCode)
	}
	// This year's wave is closed: publish it. The council sees it, but not
	// the changes since four years ago: that wave is not published.
	resp, _ = staffRequest(t, f, as, http.MethodPost, "/admin/results/"+webtest.DemoCurrent+"/publish", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publishing: status %d", resp.StatusCode)
	}
	if es := auditEntries(t, f, staff.AuditResultsPublish); len(es) != 1 || es[0].Target != webtest.DemoCurrent || es[0].Actor != advisor.Email {
		t.Fatalf("audit of publishing: %+v", es)
	}
	code, body := get("/admin/council/results?wave=" + webtest.DemoCurrent)
	if code != http.StatusOK {
		t.Fatalf("published: status %d", code)
	}
	for _, want := range []string{"Dette er pårørende mest fornøyd med", "Dette er pårørende minst fornøyd med",
		"Ingen tiltak er knyttet", "indeks fra 0 til 100"} {
		if !strings.Contains(body, want) {
			t.Errorf("council page lacks %q", want)
		}
	}
	if strings.Contains(body, "Pårørendeundersøkelsen 2022") {
		t.Error("the council sees a comparison with an unpublished wave")
	}
	// Publish the earlier wave too: now the changes show.
	resp, _ = staffRequest(t, f, as, http.MethodPost, "/admin/results/"+webtest.DemoClosed+"/publish", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publishing %s: status %d", webtest.DemoClosed, resp.StatusCode)
	}
	if code, body = get("/admin/council/results?wave=" + webtest.DemoCurrent); code != http.StatusOK {
		t.Fatalf("published: status %d", code)
	}
	for _, want := range []string{"Størst endring siden sist", "Pårørendeundersøkelsen 2022"} {
		if !strings.Contains(body, want) {
			t.Errorf("council page lacks %q", want)
		}
	}
	best := section(t, body, "best", "worst")
	if n := strings.Count(best, "<li>"); n != 3 {
		t.Errorf("most satisfied: %d items, want 3", n)
	}
	if n := strings.Count(section(t, body, "changes", "areas"), "<li>"); n == 0 {
		t.Error("no changes since the previous wave listed")
	}
	if lrow := row(t, section(t, body, "units", "actions"), "Lia avlastningssenter"); figureCell.MatchString(lrow) {
		t.Errorf("Lia's row shows figures to the council: %s", lrow)
	}
	if strings.Contains(body, "/publish") || strings.Contains(body, "Lag tiltak") {
		t.Error("the council page offers staff actions")
	}

	// Withdrawn, it is gone again.
	resp, _ = staffRequest(t, f, as, http.MethodPost, "/admin/results/"+webtest.DemoCurrent+"/withdraw", nil)
	if resp.StatusCode != http.StatusSeeOther || len(auditEntries(t, f, staff.AuditResultsWithdraw)) != 1 {
		t.Fatalf("withdrawing: status %d", resp.StatusCode)
	}
	if code, _ := get("/admin/council/results?wave=" + webtest.DemoCurrent); code != http.StatusNotFound {
		t.Errorf("withdrawn: status %d, want 404", code)
	}
}

// TestOpenWaveShowsOnlyParticipationInSteps: while a wave is open, its
// dashboard shows how many have answered per unit in steps of five, and no
// result; a reader who reloads after each answer learns no more than that
// someone answered. Once it is closed and counted, the results show, and
// stay the same.
func TestOpenWaveShowsOnlyParticipationInSteps(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	submit := func(n int) {
		for i := range n {
			_, body := f.Get(t, "/s/"+f.Open)
			form := webtest.FormTokens(t, body)
			form.Set("relation", "child")
			form.Set("info_given", strconv.Itoa(1+i%6))
			form.Set("has_children", "no")
			form.Set("_action", "submit")
			if resp, _ := f.Post(t, "/s/"+f.Open, form); resp.StatusCode >= 400 {
				t.Fatalf("submitting: status %d", resp.StatusCode)
			}
		}
		f.Filed(t)
	}
	page := func() string {
		resp, body := staffRequest(t, f, s, http.MethodGet, "/admin/results?wave=open&unit=solbakken", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		return body
	}
	for _, step := range []struct {
		add  int
		want string
	}{{3, "0–4"}, {1, "0–4"}, {2, "5–9"}, {1, "5–9"}} {
		submit(step.add)
		body := page()
		if !strings.Contains(body, "<td>"+step.want+"</td>") || strings.Contains(body, `id="summary"`) {
			t.Fatalf("after %d more answers: want the step %s and no results", step.add, step.want)
		}
	}
	if err := surveys.NewStore(f.Store.DB).CloseWave(context.Background(), "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
	first := page()
	m := regexp.MustCompile(`<dd>([0-9]+)</dd>`).FindStringSubmatch(section(t, first, "summary", "focus"))
	if m == nil || m[1] != "7" {
		t.Fatalf("closed: respondents %v, want 7", m)
	}
	if again := page(); again != first {
		t.Error("a closed wave's results changed between two views")
	}
}
