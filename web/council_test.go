package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// as sends a request in a signed-in session; form (if any) gets the CSRF token.
func staffAs(t *testing.T, f *webtest.Fixture, s webtest.Session, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var req *http.Request
	if form != nil {
		form.Set("_csrf", s.CSRF)
		req, _ = http.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequest(method, path, nil)
	}
	req.Header.Set("Cookie", s.Cookie)
	return f.Do(t, req)
}

// answerClosedWave gives the closed wave answers at Solbakken as a wave
// gets them: it is opened again (behind the store's back), answered,
// counted, closed and counted again, so that its results are final.
func answerClosedWave(t *testing.T, f *webtest.Fixture, values ...string) {
	t.Helper()
	ss := surveys.NewStore(f.Store.DB)
	if _, err := f.Store.DB.Collection("waves").UpdateOne(context.Background(), bson.D{{Key: "_id", Value: "closed"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: surveys.WaveOpen}, {Key: "final", Value: false}}}}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		// Its closing date has passed, so the app may have closed it already.
		if err := ss.CloseWave(context.Background(), "closed", webtest.FixedNow); err != nil && !errors.Is(err, surveys.ErrBadTransition) {
			t.Fatal(err)
		}
		f.Filed(t)
	}()
	for i, v := range values {
		r := &surveys.Response{ID: fmt.Sprintf("closed-%d", i), Wave: "closed", Unit: "solbakken", Instrument: "test@1",
			Lang: "nb", Answers: surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "info_given": surveys.ChoiceAnswer(v)}}
		if err := ss.SaveResponse(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	f.Filed(t)
}

func publish(t *testing.T, f *webtest.Fixture, wave string) {
	t.Helper()
	if err := surveys.NewStore(f.Store.DB).PublishResults(context.Background(), wave, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
}

func TestCouncilSeesOnlyPublishedSuppressedResults(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	member := users["council"]
	s := webtest.SignIn(t, f, &member)
	answerClosedWave(t, f, "2", "3", "4", "5", "6", "4", "3")
	a := &actions.Action{Title: "Informasjonsmøte", Owner: "Virksomhetsleder", Period: "2026",
		Findings: nil}
	st := actions.NewStore(f.Store.DB)
	if err := st.Insert(context.Background(), a, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	if err := st.AddFinding(context.Background(), a.ID, actions.Finding{Wave: "closed", Unit: "solbakken", Item: "info_given", Index: 53, N: 7}, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	finding := "/admin/council/findings/closed?unit=solbakken&item=info_given"

	// Before publication the council sees neither the finding nor the
	// result, and the public page has nothing.
	if resp, _ := staffAs(t, f, s, http.MethodGet, finding, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished finding: status %d, want 404", resp.StatusCode)
	}
	if _, body := staffAs(t, f, s, http.MethodGet, "/admin/council/actions/"+a.ID+"?lang=en", nil); strings.Contains(body, "Whom") ||
		strings.Contains(body, "Lukket") || !strings.Contains(body, "not linked to any finding") {
		t.Error("the council's action page shows a finding of an unpublished wave")
	}
	if resp, _ := f.Get(t, "/resultater/closed"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished /resultater/closed: status %d, want 404", resp.StatusCode)
	}
	if _, body := f.Get(t, "/resultater?lang=en"); strings.Contains(body, "Lukket") {
		t.Error("/resultater lists an unpublished wave")
	}
	// Other roles' pages are closed to the council.
	for _, path := range []string{"/admin/actions", "/admin/waves", "/admin/actions/" + a.ID, "/admin/followup"} {
		if resp, _ := staffAs(t, f, s, http.MethodGet, path, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("council on %s: status %d, want 403", path, resp.StatusCode)
		}
	}

	publish(t, f, "closed")
	resp, body := staffAs(t, f, s, http.MethodGet, finding+"&lang=en", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "7 answers") {
		t.Fatalf("published finding: status %d, no value with its n", resp.StatusCode)
	}
	if _, body := staffAs(t, f, s, http.MethodGet, "/admin/council/actions/"+a.ID+"?lang=en", nil); !strings.Contains(body, "Not measured again yet") {
		t.Error("the council's action page does not show the published finding's effect")
	}
	// The council comments on the finding.
	resp, _ = staffAs(t, f, s, http.MethodPost, "/admin/council/findings/closed/comments?unit=solbakken&item=info_given", url.Values{"text": {"Bra at dette følges opp"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("comment: status %d", resp.StatusCode)
	}
	if _, body := staffAs(t, f, s, http.MethodGet, finding, nil); !strings.Contains(body, "Bra at dette følges opp") {
		t.Error("the comment is not shown")
	}
	resp, body = staffAs(t, f, s, http.MethodPost, "/admin/council/actions/"+a.ID+"/comments?lang=en", url.Values{"text": {"  "}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Write a comment") {
		t.Errorf("empty comment: status %d, want 400 with a message", resp.StatusCode)
	}
}

func TestPublicResultsAreSuppressed(t *testing.T) {
	f := webtest.New(t)
	answerClosedWave(t, f, "5", "6", "4") // three answers: below the threshold
	publish(t, f, "closed")
	resp, body := f.Get(t, "/resultater/closed?lang=en")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(body, "Hidden to protect small groups") || strings.Contains(body, "3 answers") || strings.Contains(body, "out of 100") {
		t.Error("a group below the threshold is shown")
	}
	if _, body := f.Get(t, "/resultater?lang=en"); !strings.Contains(body, `href="/resultater/closed"`) {
		t.Error("/resultater does not list the published wave")
	}
}

func TestPublicResultsShowShownGroupsAndActions(t *testing.T) {
	f := webtest.New(t)
	answerClosedWave(t, f, "2", "3", "4", "5", "6", "4")
	publish(t, f, "closed")
	st := actions.NewStore(f.Store.DB)
	a := &actions.Action{Title: "Pårørendekafé hver måned", Owner: "Virksomhetsleder", Period: "2026", Status: actions.InProgress}
	if err := st.Insert(context.Background(), a, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	_ = st.AddFinding(context.Background(), a.ID, actions.Finding{Wave: "closed", Focus: "information"}, webtest.FixedNow)
	_, body := f.Get(t, "/resultater/closed?lang=en")
	for _, want := range []string{"6 answers", "out of 100", "Pårørendekafé hver måned", "In progress"} {
		if !strings.Contains(body, want) {
			t.Errorf("public results lack %q", want)
		}
	}
}

func TestDeltaShowsEveryWayToTakePart(t *testing.T) {
	f := webtest.New(t)
	cs := council.NewStore(f.Store.DB)
	if err := cs.SaveSettings(context.Background(), council.Settings{Contact: "Skriv til rådets leder.", Email: "parorenderad@kommune.no"}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []council.Meeting{{Kind: council.KindDialogue, Date: "2026-12-03", Place: "Biblioteket"},
		{Kind: council.KindDialogue, Date: "2025-05-01", Place: "Gammelt sted"},
		{Kind: council.KindCouncil, Date: "2026-12-10", Place: "Lukket rådsmøte"}} {
		if _, err := cs.AddMeeting(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	resp, body := f.Get(t, "/delta?lang=en")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"/s/" + f.Open, `href="/tilbakemelding"`, "Skriv til rådets leder.", "mailto:parorenderad@kommune.no", "Biblioteket", `href="/resultater"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/delta lacks %q", want)
		}
	}
	for _, not := range []string{"Gammelt sted", "Lukket rådsmøte", "/s/" + f.Closed} {
		if strings.Contains(body, not) {
			t.Errorf("/delta shows %q", not)
		}
	}
	_, home := f.Get(t, "/")
	if !strings.Contains(home, `href="/delta"`) {
		t.Error("the front page does not link to /delta")
	}
	// Both list the surveys open today alike: each unit's link by its name.
	for _, page := range []string{home, body} {
		if !strings.Contains(page, `href="/s/`+f.Open+`"`) || !strings.Contains(page, "Solbakken sykehjem") || strings.Contains(page, "/s/"+f.Closed) {
			t.Errorf("a page does not list the open survey of Solbakken sykehjem alone:\n%.2000s", page)
		}
	}
}

func TestActionFromFindingStoresTheValueAtLinking(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	adv := users["advisor"]
	s := webtest.SignIn(t, f, &adv)
	answerClosedWave(t, f, "2", "3", "4", "5", "6", "4")
	link := "/admin/actions/new?wave=closed&unit=solbakken&item=info_given&lang=en"
	resp, body := staffAs(t, f, s, http.MethodGet, link, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "linked to this finding") || !strings.Contains(body, `name="item" value="info_given"`) {
		t.Fatalf("new action from a finding: status %d, not prefilled", resp.StatusCode)
	}
	form := url.Values{"title": {"Informasjonsmøter"}, "owner": {""}, "period": {"2026–2027"}, "status": {"planned"},
		"units": {"solbakken"}, "wave": {"closed"}, "unit": {"solbakken"}, "item": {"info_given"}}
	resp, body = staffAs(t, f, s, http.MethodPost, "/admin/actions?lang=en", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Write who is responsible") || !strings.Contains(body, `value="Informasjonsmøter"`) {
		t.Fatalf("missing owner: status %d, want 400 keeping the title", resp.StatusCode)
	}
	form.Set("owner", "Virksomhetsleder")
	resp, _ = staffAs(t, f, s, http.MethodPost, "/admin/actions", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", resp.StatusCode)
	}
	list, _ := actions.NewStore(f.Store.DB).List(context.Background())
	if len(list) != 1 || len(list[0].Findings) != 1 {
		t.Fatalf("stored %+v", list)
	}
	// Mean of 2,3,4,5,6,4 is 4: index (4−1)/5·100 = 60.
	if got := list[0].Findings[0]; got.Index != 60 || got.N != 6 || got.Unit != "solbakken" {
		t.Errorf("finding %+v, want index 60 of 6 answers", got)
	}
	if _, body := staffAs(t, f, s, http.MethodGet, "/admin/actions?lang=en", nil); !strings.Contains(body, "Informasjonsmøter") || !strings.Contains(body, "not measured again yet") {
		// The open wave measures the same question for the same unit, but
		// an open wave has no results: nothing measures the effect yet.
		t.Error("the overview lacks the action or its effect")
	}
}

func TestActionFromHiddenFindingIsRefused(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	adv := users["advisor"]
	s := webtest.SignIn(t, f, &adv)
	answerClosedWave(t, f, "2", "3")
	form := url.Values{"title": {"x"}, "owner": {"y"}, "period": {"2026"}, "wave": {"closed"}, "unit": {"solbakken"}, "item": {"info_given"}}
	resp, body := staffAs(t, f, s, http.MethodPost, "/admin/actions?lang=en", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "too few answers") {
		t.Fatalf("hidden finding: status %d, want 400", resp.StatusCode)
	}
	if list, _ := actions.NewStore(f.Store.DB).List(context.Background()); len(list) != 0 {
		t.Errorf("an action was stored: %+v", list)
	}
}

// upload posts a file to the import form.
func upload(t *testing.T, f *webtest.Fixture, s webtest.Session, data []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", s.CSRF)
	fw, _ := w.CreateFormFile("plan", "plan.xlsx")
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, "/admin/actions/import?lang=en", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Cookie", s.Cookie)
	return f.Do(t, req)
}

func planFile(t *testing.T, rows [][]string) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, row := range rows {
		for j, v := range row {
			c, _ := excelize.CoordinatesToCellName(j+1, i+1)
			_ = x.SetCellStr("Sheet1", c, v)
		}
	}
	b, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportActionPlan(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	adv := users["advisor"]
	s := webtest.SignIn(t, f, &adv)
	st := actions.NewStore(f.Store.DB)

	resp, body := upload(t, f, s, []byte("Tiltak;Ansvarlig eier;Tid\n"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "cannot be read as an Excel workbook") {
		t.Fatalf("malformed file: status %d, want 400 with a translated message", resp.StatusCode)
	}
	bad := planFile(t, [][]string{{"Innsatsområde 1 Informasjon"}, {"Tiltak", "Ansvarlig eier", "Tid"}, {"Møter", "", "snart"}})
	resp, body = upload(t, f, s, bad)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Sheet Sheet1, row 3, column B") || strings.Contains(body, "Import the actions") {
		t.Fatalf("plan with problems: status %d, want 400 listing positions and no import button", resp.StatusCode)
	}
	if list, _ := st.List(context.Background()); len(list) != 0 {
		t.Fatalf("a refused file stored %d actions", len(list))
	}

	good := planFile(t, [][]string{
		{"Innsatsområde 1 Informasjon og veiledning"},
		{"Tiltak", "Ansvarlig eier", "Tid"},
		{"Informasjonsmøter for nye pårørende", "Virksomhetsleder", "2025-2026"},
		{"Innsatsområde 2 Noe helt annet"},
		{"Tiltak", "Ansvarlig eier", "Tid"},
		{"Pårørendekafé", "Frivilligsentralen", "Løpende"},
	})
	resp, body = upload(t, f, s, good)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Informasjonsmøter for nye pårørende") {
		t.Fatalf("preview: status %d", resp.StatusCode)
	}
	if list, _ := st.List(context.Background()); len(list) != 0 {
		t.Fatal("the preview stored actions")
	}
	plan := htmlUnescape(between(body, `name="plan" value="`, `"`))
	confirm := url.Values{"plan": {plan}, "area_0": {"information"}, "area_1": {"_choose"}}
	resp, body = staffAs(t, f, s, http.MethodPost, "/admin/actions/import/confirm?lang=en", confirm)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Choose a focus area for every heading") {
		t.Fatalf("unconfirmed heading: status %d", resp.StatusCode)
	}
	confirm.Set("area_1", "")
	resp, _ = staffAs(t, f, s, http.MethodPost, "/admin/actions/import/confirm", confirm)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: status %d", resp.StatusCode)
	}
	list, _ := st.List(context.Background())
	if len(list) != 2 {
		t.Fatalf("%d actions imported, want 2", len(list))
	}
	for _, a := range list {
		if a.Title == "Informasjonsmøter for nye pårørende" && (a.FocusArea != "information" || a.Period != "2025-2026") {
			t.Errorf("imported %+v", a)
		}
	}
	entries, _ := staff.NewStore(f.Store.DB).AuditLog(context.Background(), staff.AuditFilter{Action: staff.AuditAction})
	if len(entries) == 0 {
		t.Error("the import is not in the audit log")
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

func htmlUnescape(s string) string {
	r := strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&")
	return r.Replace(s)
}
