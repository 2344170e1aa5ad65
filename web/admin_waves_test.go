package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// staffRequest sends a request as the session, with the form (and its CSRF
// token) on a POST.
func staffRequest(t *testing.T, f *webtest.Fixture, s webtest.Session, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, path, nil)
	if method == http.MethodPost {
		v := url.Values{"_csrf": {s.CSRF}}
		for k, vs := range form {
			v[k] = vs
		}
		req, _ = http.NewRequest(method, path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Cookie", s.Cookie)
	return f.Do(t, req)
}

func auditEntries(t *testing.T, f *webtest.Fixture, action string) []staff.AuditEntry {
	t.Helper()
	es, err := staff.NewStore(f.Store.DB).AuditLog(context.Background(), staff.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestWaveLifecycleFromTheList(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	link := webtest.InsertDraft(t, f, "ready", "nb", "en")
	webtest.InsertDraft(t, f, "lacking", "nb", "pl")

	for _, tt := range []struct {
		name, path string
		status     int
		want       []string
	}{
		{"open a draft", "/admin/waves/ready/open", http.StatusSeeOther, nil},
		{"reopen a closed wave", "/admin/waves/closed/open", http.StatusConflict,
			[]string{"En lukket bølge kan ikke åpnes igjen"}},
		{"open an open wave", "/admin/waves/open/open", http.StatusConflict, []string{"Bølgen er allerede åpen."}},
		{"close a draft", "/admin/waves/lacking/close", http.StatusConflict, []string{"Bare en åpen bølge kan lukkes."}},
		{"open a draft with a missing language", "/admin/waves/lacking/open", http.StatusBadRequest,
			[]string{"Bølgen kan ikke åpnes før dette er rettet:", "Språk: test@1 finnes ikke på «pl»."}},
		{"no such wave", "/admin/waves/nowhere/open", http.StatusNotFound, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := staffRequest(t, f, s, http.MethodPost, tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}

	w, err := surveys.NewStore(f.Store.DB).Wave(context.Background(), "ready")
	if err != nil || w.Status != surveys.WaveOpen {
		t.Fatalf("wave after opening: %+v, %v", w, err)
	}
	es := auditEntries(t, f, staff.AuditWave)
	if len(es) != 1 || es[0].Target != "ready" || es[0].Detail != "open" || es[0].Actor != "advisor@kommune.no" {
		t.Fatalf("audit entries %+v, want one: advisor opened ready", es)
	}
	if l, _ := surveys.NewStore(f.Store.DB).Wave(context.Background(), "closed"); l.Status != surveys.WaveClosed {
		t.Fatalf("the closed wave is %s", l.Status)
	}

	// The list confirms the change and shows the new wave's open link to print.
	_, body := staffRequest(t, f, s, http.MethodGet, "/admin/waves?open=ready", nil)
	for _, want := range []string{"Bølgen «Utkast ready» er åpnet.", "http://localhost:8080/s/" + link.ID,
		`action="/admin/waves/ready/close"`, `action="/admin/waves/lacking/open"`, "Solbakken sykehjem"} {
		if !strings.Contains(body, want) {
			t.Errorf("wave list lacks %q", want)
		}
	}
	if strings.Contains(body, `action="/admin/waves/closed/`) {
		t.Error("a closed wave has a button")
	}

	// Closing works the same way.
	if resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/waves/ready/close", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: status %d", resp.StatusCode)
	}
	if es := auditEntries(t, f, staff.AuditWave); len(es) != 2 || es[0].Detail+es[1].Detail != "openclose" && es[0].Detail+es[1].Detail != "closeopen" {
		t.Fatalf("audit after closing: %+v", es)
	}
}

func TestPlanPage(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.SavePlan(context.Background(), surveys.Plan{OverallStartYear: 2026,
		Entries: []surveys.PlanEntry{{Unit: "solbakken", Year: 2026}}}); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name, path string
		status     int
		want       []string
	}{
		{"this year", "/admin/plan", http.StatusOK, []string{"Undersøkelsesplan for 2026",
			"Den overordnede undersøkelsen skal gjennomføres i 2026.", "Ingen bølge er laget ennå.",
			"Virksomheter planlagt for undersøkelse i 2026", "Solbakken sykehjem", "Aldri", `value="2026"`}},
		{"another year", "/admin/plan?year=2027", http.StatusOK, []string{
			"Den overordnede undersøkelsen skal ikke gjennomføres i 2027. Neste gang er i 2030.",
			"Ingen virksomheter er planlagt for 2027."}},
		{"a year out of range", "/admin/plan?year=1999", http.StatusBadRequest, []string{"Året må være et tall fra 2000 til 2100"}},
		{"in English", "/admin/plan?lang=en", http.StatusOK, []string{"The overall survey is due in 2026.",
			"Not surveyed for more than 3 years"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := staffRequest(t, f, s, http.MethodGet, tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}

	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"bad start year", url.Values{"overall_start_year": {"20x6"}}, http.StatusBadRequest, "Skriv startåret som et tall"},
		{"bad entry year", url.Values{"overall_start_year": {"2026"}, "unit": {"solbakken"}, "year": {"1900"}},
			http.StatusBadRequest, "Skriv året for undersøkelsen"},
		{"unknown unit", url.Values{"overall_start_year": {"2026"}, "unit": {"nowhere"}, "year": {"2027"}},
			http.StatusBadRequest, "Velg en aktiv virksomhet"},
		{"already planned", url.Values{"overall_start_year": {"2026"}, "unit": {"solbakken"}, "year": {"2026"}},
			http.StatusBadRequest, "allerede planlagt"},
		{"add an entry", url.Values{"overall_start_year": {"2026"}, "unit": {"solbakken"}, "year": {"2028"}, "view": {"2028"}},
			http.StatusSeeOther, ""},
		{"remove an entry", url.Values{"remove_unit": {"solbakken"}, "remove_year": {"2026"}}, http.StatusSeeOther, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := staffRequest(t, f, s, http.MethodPost, "/admin/plan", tt.form)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("status %d, want %d with %q", resp.StatusCode, tt.status, tt.want)
			}
		})
	}
	pl, _ := ss.GetPlan(context.Background())
	if len(pl.Entries) != 1 || pl.Entries[0] != (surveys.PlanEntry{Unit: "solbakken", Year: 2028}) || pl.OverallStartYear != 2026 {
		t.Fatalf("plan after the posts: %+v", pl)
	}
	if es := auditEntries(t, f, "plan.change"); len(es) != 2 || !strings.Contains(es[0].Detail+es[1].Detail, "add solbakken 2028") {
		t.Fatalf("plan audit entries %+v", es)
	}
	if _, body := staffRequest(t, f, s, http.MethodGet, "/admin/plan?year=2028&saved=1", nil); !strings.Contains(body, "Planen er lagret.") {
		t.Error("no confirmation after saving")
	}
}

func TestInstrumentsAndPreview(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	// A second questionnaire in bokmål only: its English cell is empty.
	nbOnly := webtest.Instrument()
	nbOnly.Key, nbOnly.Languages = "nbonly", nbOnly.Languages[:1]
	if err := surveys.NewStore(f.Store.DB).InsertInstrument(context.Background(), nbOnly); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path string
		status     int
		want, not  []string
	}{
		{"list", "/admin/instruments", http.StatusOK, []string{"<code>test</code>", "Ingen tekster mangler.",
			"/admin/instruments/test@1/preview?language=en", "Ikke tilbudt"}, nil},
		{"a complete language", "/admin/instruments/test@1/preview?language=en", http.StatusOK,
			[]string{`lang="en"`, "Whom are you a relative of?", "Don&#39;t know", "${has_children} = &#39;yes&#39;", "Information"},
			[]string{"[mangler"}},
		{"a language the instrument lacks", "/admin/instruments/test@1/preview?language=pl", http.StatusOK,
			[]string{"[mangler: pl]", "Spørreskjemaet finnes ikke på Polski.", "Hvem er du pårørende til?"}, nil},
		{"an unknown language", "/admin/instruments/test@1/preview?language=xx", http.StatusBadRequest, nil, nil},
		{"no such instrument", "/admin/instruments/none@9/preview", http.StatusNotFound, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := staffRequest(t, f, s, http.MethodGet, tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
}

func TestAdvisorPagesAreClosedToUnitLeaders(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	leader := users["unit_leader"]
	s := webtest.SignIn(t, f, &leader)
	webtest.InsertDraft(t, f, "ready", "nb")
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/admin/waves"},
		{http.MethodPost, "/admin/waves/ready/open"},
		{http.MethodPost, "/admin/waves/open/close"},
		{http.MethodGet, "/admin/plan"},
		{http.MethodPost, "/admin/plan"},
		{http.MethodGet, "/admin/instruments"},
		{http.MethodGet, "/admin/instruments/test@1/preview?language=nb"},
	} {
		resp, _ := staffRequest(t, f, s, tt.method, tt.path, url.Values{"overall_start_year": {"2026"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s: status %d, want 403", tt.method, tt.path, resp.StatusCode)
		}
	}
	if w, _ := surveys.NewStore(f.Store.DB).Wave(context.Background(), "ready"); w.Status != surveys.WaveDraft {
		t.Fatalf("a refused post opened the wave: %s", w.Status)
	}
	if _, body := staffRequest(t, f, s, http.MethodGet, "/admin", nil); strings.Contains(body, `href="/admin/waves"`) {
		t.Error("a unit leader's menu links to the waves")
	}
}

// TestPopulationIsTheDenominator: the number of relatives an advisor
// records per unit is the response rate's denominator; invitations do not
// change it; a bad number is refused with what was typed kept; once the
// results are published it cannot change.
func TestPopulationIsTheDenominator(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	resp, body := staffRequest(t, f, s, http.MethodPost, "/admin/waves/open/population", url.Values{"population.solbakken": {"12x"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="12x"`) || !strings.Contains(body, "helt tall") {
		t.Fatalf("a bad number: status %d, want 400 with the number kept and a message", resp.StatusCode)
	}
	if resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/waves/open/population", url.Values{"population.solbakken": {"8"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving: status %d", resp.StatusCode)
	}
	// Five invitations for the unit change nothing.
	if resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/invitations",
		url.Values{"wave": {"open"}, "unit": {"solbakken"}, "count": {"5"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("invitations: status %d", resp.StatusCode)
	}
	for i := range 6 {
		if code, _ := answerOnce(t, f, f.Open, strconv.Itoa(1+i%6)); code >= 400 {
			t.Fatalf("answer %d: status %d", i, code)
		}
	}
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.CloseWave(context.Background(), "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
	// 6 answers of 8: 75 %, not 6 of 5 invitations.
	_, body = staffRequest(t, f, s, http.MethodGet, "/admin/results?wave=open&unit=solbakken", nil)
	if rates := section(t, body, "rates", "texts"); !strings.Contains(rates, "<td>75") || strings.Contains(rates, "120") {
		t.Errorf("response rate is not 6 of 8:\n%s", rates)
	}
	// More answers than relatives recorded: no rate, a message instead.
	if resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/waves/open/population", url.Values{"population.solbakken": {"4"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving 4: status %d", resp.StatusCode)
	}
	_, body = staffRequest(t, f, s, http.MethodGet, "/admin/results?wave=open&unit=solbakken", nil)
	if rates := section(t, body, "rates", "texts"); !strings.Contains(rates, "mindre enn antall svar") || strings.Contains(rates, "150") {
		t.Errorf("a rate over 100 %% is shown:\n%s", rates)
	}
	if err := ss.PublishResults(context.Background(), "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	if resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/waves/open/population", url.Values{"population.solbakken": {"6"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("after publication: status %d, want 409", resp.StatusCode)
	}
}
