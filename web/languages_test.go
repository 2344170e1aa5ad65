package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

// TestAdvisorAddsLithuanianAndPublishes goes the whole way over HTTP: an
// advisor adds Lithuanian to a draft, has it translated through the
// translator's file, publishes, offers it in a wave, and a relative reads
// the form in Lithuanian with the page around it in English, each marked
// with its own language.
func TestAdvisorAddsLithuanianAndPublishes(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	post := func(path string, form url.Values) (*http.Response, string) {
		t.Helper()
		return staffRequest(t, f, s, http.MethodPost, path, form)
	}
	rev := func() string { return strconv.Itoa(mustRev(t, ss, "test@2")) }

	if resp, _ := post("/admin/instruments/test@1/draft", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new draft: status %d", resp.StatusCode)
	}
	// The editor suggests languages by name; any BCP 47 code will do.
	_, body := staffRequest(t, f, s, http.MethodGet, "/admin/instruments/test@2/edit", nil)
	if !strings.Contains(body, `<option value="Lithuanian (lt)">Lietuvių</option>`) {
		t.Fatal("the editor does not suggest Lithuanian")
	}
	resp, body := post("/admin/instruments/test@2/edit/languages", url.Values{"rev": {rev()}, "add": {"Klingonisch"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "«Klingonisch» er ikke en språkkode (BCP 47, som lt eller fa-AF).") {
		t.Fatalf("an unknown language: status %d", resp.StatusCode)
	}
	if resp, _ := post("/admin/instruments/test@2/edit/languages", url.Values{"rev": {rev()}, "add": {"Lithuanian (lt)"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding Lithuanian: status %d", resp.StatusCode)
	}
	draft, _ := ss.Instrument(ctx, "test@2")
	if !draft.HasLanguage("lt") || draft.LanguageInfo("lt").Name != "Lietuvių" {
		t.Fatalf("languages %+v", draft.Languages)
	}
	_, body = staffRequest(t, f, s, http.MethodGet, "/admin/instruments/test@2/edit?to=lt", nil)
	for _, want := range []string{`<span lang="lt" dir="ltr">Lietuvių</span> <code>lt</code>`, "Ikke før det er komplett",
		`href="/admin/instruments/test@2/translations.csv?to=lt"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the editor lacks %q", want)
		}
	}

	// The translator's file, filled in and uploaded.
	resp, body = staffRequest(t, f, s, http.MethodGet, "/admin/instruments/test@2/translations.csv?to=lt", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Disposition") != `attachment; filename="test-v2-lt.csv"` {
		t.Fatalf("translations file: %d %v", resp.StatusCode, resp.Header)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil || len(recs) < 10 {
		t.Fatalf("%d rows, %v", len(recs), err)
	}
	var filled bytes.Buffer
	cw := csv.NewWriter(&filled)
	cw.Comma = ';'
	for i, r := range recs {
		if i > 0 {
			r[2] = "LT " + r[1]
		}
		cw.Write(r)
	}
	cw.Flush()
	resp, body = postFile(t, f, s, "/admin/instruments/test@2/translations", "file", "test-v2-lt.csv", filled.Bytes(),
		map[string]string{"to": "lt", "rev": rev()})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Oversettelsene er lagret: "+strconv.Itoa(len(recs)-1)+" endret, 0 uendret.") {
		t.Fatalf("uploading the translations: status %d", resp.StatusCode)
	}
	draft, _ = ss.Instrument(ctx, "test@2")
	if missing := draft.MissingTexts("lt"); len(missing) != 0 {
		t.Fatalf("Lithuanian still lacks %v", missing)
	}

	if resp, _ := post("/admin/instruments/test@2/publish", url.Values{"rev": {rev()}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publishing: status %d", resp.StatusCode)
	}
	if in, _ := ss.Instrument(ctx, "test@2"); in.Status != surveys.InstrumentPublished {
		t.Fatal("not published")
	}
	_, body = staffRequest(t, f, s, http.MethodPost, "/admin/waves/new", url.Values{"op": {"refresh"}, "instrument": {"test@2"}})
	if !strings.Contains(body, `id="lang-lt"`) {
		t.Fatal("the new wave form does not offer Lithuanian")
	}
	links, err := ss.InsertWave(ctx, &surveys.Wave{ID: "lt", Kind: surveys.WaveUnit, Name: "Lietuvių", Year: 2026, Instrument: "test@2",
		Units: []string{"solbakken"}, Languages: []string{"nb", "lt"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen})
	if err != nil {
		t.Fatal(err)
	}

	// A relative picks Lietuvių: the questions in Lithuanian, the page in
	// English (Stemme has no Lithuanian interface), each marked.
	resp, body = f.Get(t, "/s/"+links[0].ID+"?lang=lt")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the form in Lithuanian: status %d", resp.StatusCode)
	}
	for _, want := range []string{`<html lang="en" dir="ltr">`, `<span lang="lt" dir="ltr">LT Hvem er du pårørende til?</span>`,
		`name="_lang" value="lt" lang="lt" dir="ltr" aria-current="true">Lietuvių</button>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	// The choice is remembered, as for the interface languages.
	cookie := resp.Header.Get("Set-Cookie")
	if !strings.HasPrefix(cookie, "lang=lt;") {
		t.Fatalf("Set-Cookie %q", cookie)
	}
	if _, body = f.Get(t, "/s/"+links[0].ID, "Cookie", "lang=lt"); !strings.Contains(body, `<span lang="lt" dir="ltr">LT Hvem er du pårørende til?</span>`) {
		t.Error("the remembered choice is not used")
	}
	// An answer given in Lithuanian is recorded as Lithuanian.
	form := webtest.FormTokens(t, body)
	form.Set("relation", "child")
	form.Set("_action", "submit")
	req, _ := http.NewRequest(http.MethodPost, "/s/"+links[0].ID, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "lang=lt")
	if resp, _ := f.Do(t, req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submitting in Lithuanian: status %d", resp.StatusCode)
	}
	var stored surveys.Response
	if err := f.Filed(t).FindOne(ctx, bson.M{"_id": responseID(form.Get("_sid"))}).Decode(&stored); err != nil || stored.Lang != "lt" {
		t.Errorf("stored language %q, %v", stored.Lang, err)
	}
	// Without it, bokmål as before.
	if _, body = f.Get(t, "/s/"+links[0].ID); !strings.Contains(body, `<html lang="nb"`) || strings.Contains(body, "LT Hvem") {
		t.Error("the form without a choice is not in bokmål")
	}
}

// TestStaleTranslationInTheEditor changes a bokmål text: the nynorsk
// translation is marked for checking, keeps nynorsk out of waves, and is
// cleared when the advisor confirms it.
func TestStaleTranslationInTheEditor(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.InsertInstrument(ctx, nynorskInstrument()); err != nil {
		t.Fatal(err)
	}
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	if resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/instruments/edtest@1/draft", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new draft: status %d", resp.StatusCode)
	}
	rev := func() string { return strconv.Itoa(mustRev(t, ss, "edtest@2")) }
	resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/instruments/edtest@2/edit/questions/info_given",
		questionValues(rev(), "nn", url.Values{"text.nb": {"Får du den informasjonen du trenger?"}, "text.nn": {"Får du informasjon? (nn)"}}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("changing the bokmål text: status %d", resp.StatusCode)
	}
	in, _ := ss.Instrument(ctx, "edtest@2")
	// English kept its words too, so it is stale as well; bokmål is the source.
	if !in.IsStale("nn", "question.info_given.text") || !in.IsStale("en", "question.info_given.text") || in.IsStale("nb", "question.info_given.text") {
		t.Fatalf("stale %v", in.Stale)
	}
	_, body := staffRequest(t, f, s, http.MethodGet, "/admin/instruments/edtest@2/edit/questions/info_given?to=nn", nil)
	for _, want := range []string{"Kildeteksten er endret etter at dette ble oversatt.", `name="confirm" value="nn question.info_given.text"`,
		"Teksten på Norsk nynorsk sier fortsatt det samme"} {
		if !strings.Contains(body, want) {
			t.Errorf("the question form lacks %q", want)
		}
	}
	if _, body = staffRequest(t, f, s, http.MethodGet, "/admin/instruments/edtest@2/edit?to=nn", nil); !strings.Contains(body, "Én oversettelse å kontrollere") {
		t.Error("the overview does not count the translation to check")
	}
	staffRequest(t, f, s, http.MethodPost, "/admin/instruments/edtest@2/publish", url.Values{"rev": {rev()}})
	if _, body = staffRequest(t, f, s, http.MethodPost, "/admin/waves/new", url.Values{"op": {"refresh"}, "instrument": {"edtest@2"}}); strings.Contains(body, `id="lang-nn"`) || !strings.Contains(body, `id="lang-nb"`) {
		t.Error("the new wave form offers a language with a translation to check")
	}
	w := &surveys.Wave{ID: "nn", Kind: surveys.WaveUnit, Name: "nn", Year: 2026, Instrument: "edtest@2", Units: []string{"solbakken"},
		Languages: []string{"nb", "nn"}, Opens: "2026-11-20", Closes: "2026-12-31", Status: surveys.WaveDraft}
	if _, err := ss.InsertWave(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := ss.OpenWave(ctx, "nn", webtest.FixedNow); err == nil || !strings.Contains(err.Error(), "before their source text changed") {
		t.Fatalf("opening a wave with a stale nn: %v", err)
	}
}

// TestEditorAddsFocusAreasListsAndChoices adds each in its source
// language; a repeated key is refused at the form.
func TestEditorAddsFocusAreasListsAndChoices(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	if _, err := ss.NewDraftFrom(ctx, "test@1"); err != nil {
		t.Fatal(err)
	}
	rev := func() string { return strconv.Itoa(mustRev(t, ss, "test@2")) }
	for _, tt := range []struct {
		path   string
		form   url.Values
		status int
		want   string
	}{
		{"/edit/focus-areas/new", url.Values{"key": {"safety"}, "name.nb": {"Trygghet"}}, http.StatusSeeOther, ""},
		{"/edit/focus-areas/new", url.Values{"key": {"safety"}, "name.nb": {"Igjen"}}, http.StatusBadRequest, "ugyldig eller gjentatt"},
		{"/edit/lists/new", url.Values{"name": {"often"}, "value": {"never"}, "label.nb": {"Aldri"}}, http.StatusSeeOther, ""},
		{"/edit/lists/2/choices", url.Values{"value": {"weekly"}, "label.nb": {"Hver uke"}}, http.StatusSeeOther, ""},
		{"/edit/lists/2/choices", url.Values{"value": {"Weekly!"}, "label.nb": {"Feil"}}, http.StatusBadRequest, "«Weekly!»"},
		{"/edit/lists/9/choices", url.Values{"value": {"x"}, "label.nb": {"X"}}, http.StatusNotFound, ""},
	} {
		form := url.Values{"rev": {rev()}}
		for k, v := range tt.form {
			form[k] = v
		}
		resp, body := staffRequest(t, f, s, http.MethodPost, "/admin/instruments/test@2"+tt.path, form)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s %v: status %d, want %d with %q", tt.path, tt.form, resp.StatusCode, tt.status, tt.want)
		}
	}
	in, _ := ss.Instrument(ctx, "test@2")
	l, ok := in.List("often")
	if !ok || len(l.Choices) != 2 || l.Choices[1].Label["nb"] != "Hver uke" || len(in.FocusAreas) != 2 {
		t.Fatalf("lists %+v, focus areas %+v", in.Lists, in.FocusAreas)
	}
	// English lacks the new texts until they are translated.
	if missing := in.MissingTexts("en"); len(missing) != 3 {
		t.Errorf("en lacks %v", missing)
	}
}
