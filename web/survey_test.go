package web_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

func TestSurveyFormRendersInTheChosenLanguage(t *testing.T) {
	f := webtest.New(t)
	tests := []struct {
		name   string
		query  string
		header []string
		want   []string
	}{
		{"default is bokmål", "", nil, []string{`lang="nb"`, "Hvem er du pårørende til?", "Send svarene", "Solbakken sykehjem"}},
		{"query chooses English", "?lang=en", nil, []string{`lang="en"`, "Whom are you a relative of?", "Send your answers"}},
		{"accept-language nynorsk", "", []string{"Accept-Language", "nn-NO,nn;q=0.9,en;q=0.5"}, []string{`lang="nn"`, "Send svara"}},
		{"cookie wins over accept-language", "", []string{"Cookie", "lang=en", "Accept-Language", "nb"}, []string{`lang="en"`}},
		{"unknown language falls back to bokmål", "?lang=xx", []string{"Accept-Language", "de"}, []string{`lang="nb"`}},
		// Headers of 4 KB with hundreds of tags: past what x/text parses in
		// one piece (1,000 subtags), or with one tag it cannot read.
		{"a 4 KB accept-language still picks nynorsk", "", []string{"Accept-Language", longAcceptLanguage("nn", "x-a-b-c-d-e")}, []string{`<html lang="nn"`, "Send svara"}},
		{"a 4 KB accept-language still picks English", "", []string{"Accept-Language", longAcceptLanguage("en", "x-a-b-c-d-e;q=0.5")}, []string{`<html lang="en"`, "Send your answers"}},
		{"an unreadable tag does not hide nynorsk", "", []string{"Accept-Language", "fr-FR;q=0.4,#!?,nn;q=0.9"}, []string{`<html lang="nn"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.Get(t, "/s/"+f.Open+tt.query, tt.header...)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", resp.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
	resp, _ := f.Get(t, "/s/"+f.Open+"?lang=en")
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "lang=en") || !strings.Contains(strings.ToLower(c), "httponly") {
		t.Errorf("choosing a language sets cookie %q, want lang=en, HttpOnly", c)
	}
}

func TestSurveySubmitStoresTheAnswer(t *testing.T) {
	f := webtest.New(t)
	_, body := f.Get(t, "/s/"+f.Open)
	form := webtest.FormTokens(t, body)
	form.Set("relation", "child")
	form.Set("info_given", "5")
	form.Set("has_children", "no")
	form.Set("children_info", "2") // hidden by its condition: must not be stored
	form.Set("age", "54")
	form.Set("important", "  Å bli lyttet til.  ")
	form.Set("_action", "submit")
	v := newVisitor(f)
	resp, body := v.Post(t, "/s/"+f.Open, form)
	if v.first.StatusCode != http.StatusSeeOther || resp.StatusCode != http.StatusOK || !strings.Contains(body, "Takk for at du svarte") {
		t.Fatalf("status %d then %d, thank-you page missing", v.first.StatusCode, resp.StatusCode)
	}
	var got bson.M
	raw, err := f.Filed(t).FindOne(context.Background(), bson.M{"_id": responseID(form.Get("_sid"))}).Raw()
	if err != nil {
		t.Fatalf("stored response: %v", err)
	}
	var nested struct{ Segments bson.M }
	if err := bson.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if err := bson.Unmarshal(raw, &nested); err != nil {
		t.Fatal(err)
	}
	var stored surveys.Response
	if err := bson.Unmarshal(raw, &stored); err != nil {
		t.Fatal(err)
	}
	answers := stored.Answers
	want := surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "info_given": surveys.ChoiceAnswer("5"),
		"has_children": surveys.ChoiceAnswer("no"), "age": surveys.NumberAnswer(54), "important": surveys.TextAnswer("Å bli lyttet til.")}
	for k, v := range want {
		if !reflect.DeepEqual(answers[k], v) {
			t.Errorf("answer %s = %#v, want %#v", k, answers[k], v)
		}
	}
	if _, ok := answers["children_info"]; ok {
		t.Error("an answer to a hidden question was stored")
	}
	if got["wave"] != "open" || got["unit"] != "solbakken" || got["instrument"] != "test@1" || got["lang"] != "nb" {
		t.Errorf("response metadata %v", got)
	}
	// Nothing that orders answers in time: no date, no batch.
	for _, k := range []string{"date", "batch", "created", "time"} {
		if _, ok := got[k]; ok {
			t.Errorf("the response carries %q: %v", k, got)
		}
	}
	if seg := nested.Segments; seg["relation"] != "child" {
		t.Errorf("segments %v, want relation=child", seg)
	}
	allowed := map[string]bool{"_id": true, "wave": true, "unit": true, "instrument": true, "lang": true,
		"date": true, "segments": true, "answers": true, "batch": true}
	for k := range got {
		if !allowed[k] {
			t.Errorf("response holds unexpected field %q", k)
		}
	}
}

func TestSurveySubmitIsIdempotent(t *testing.T) {
	f := webtest.New(t)
	_, body := f.Get(t, "/s/"+f.Open)
	form := webtest.FormTokens(t, body)
	form.Set("relation", "partner")
	form.Set("_action", "submit")
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Go(func() {
			resp, _ := f.Post(t, "/s/"+f.Open, form)
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusSeeOther {
			t.Errorf("post %d: status %d, want 303 (a retry must see the thank-you page)", i, s)
		}
	}
	n, err := f.Filed(t).CountDocuments(context.Background(), bson.M{})
	if err != nil || n != 1 {
		t.Fatalf("%d responses stored (err %v), want exactly 1", n, err)
	}
}

func TestSurveyBadInputKeepsEverythingEntered(t *testing.T) {
	f := webtest.New(t)
	_, body := f.Get(t, "/s/"+f.Open)
	tokens := webtest.FormTokens(t, body)
	long := strings.Repeat("lang tekst ", 500)
	tests := []struct {
		name  string
		edit  func(url.Values)
		want  []string
		avoid []string
	}{
		{"required missing", func(v url.Values) { v.Del("relation") },
			// The summary leads to the field itself, not the question around it.
			[]string{"Svar på dette spørsmålet.", `href="#relation-0"`, `id="relation-0"`, `value="4" checked`, "Min mening"}, nil},
		{"value not in the list", func(v url.Values) { v.Set("relation", "alien") },
			[]string{"Velg et av svaralternativene.", `value="4" checked`}, nil},
		{"number out of range", func(v url.Values) { v.Set("age", "340") },
			[]string{"Skriv et tall som er 120 eller mindre.", `value="340"`}, nil},
		{"text too long", func(v url.Values) { v.Set("important", long) },
			[]string{"Teksten er for lang", strings.TrimSpace(long[:200])}, nil},
		{"forged signature", func(v url.Values) { v.Set("_sig", "forged") },
			[]string{"Skjemaet var utløpt", `value="4" checked`, "Min mening"}, []string{"forged"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"_sid": {tokens.Get("_sid")}, "_sig": {tokens.Get("_sig")}, "_action": {"submit"},
				"relation": {"child"}, "info_given": {"4"}, "important": {"Min mening"}}
			tt.edit(form)
			resp, body := f.Post(t, "/s/"+f.Open, form)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			pageShows(t, body, tt.want, tt.avoid)
		})
	}
	if n, _ := f.Filed(t).CountDocuments(context.Background(), bson.M{}); n != 0 {
		t.Fatalf("%d responses stored from bad input, want 0", n)
	}
}

func TestSurveyPagesAroundTheForm(t *testing.T) {
	f := webtest.New(t)
	tests := []struct {
		name   string
		method string
		path   string
		status int
		want   string
	}{
		{"unknown link", http.MethodGet, "/s/nosuchlink", http.StatusNotFound, "Siden finnes ikke"},
		{"unknown link in English", http.MethodGet, "/s/nosuchlink?lang=en", http.StatusNotFound, "Page not found"},
		{"closed wave", http.MethodGet, "/s/" + f.Closed, http.StatusGone, "avsluttet"},
		{"post to closed wave", http.MethodPost, "/s/" + f.Closed, http.StatusGone, "avsluttet"},
		{"front page lists the open survey", http.MethodGet, "/", http.StatusOK, "/s/" + f.Open},
		{"unknown page", http.MethodGet, "/nowhere", http.StatusNotFound, "Siden finnes ikke"},
		{"admin needs login", http.MethodGet, "/admin", http.StatusSeeOther, ""},
		{"login page", http.MethodGet, "/login", http.StatusOK, "Logg inn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.path, nil)
			if tt.method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, body := f.Do(t, req)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("status %d (want %d), body contains %q: %v", resp.StatusCode, tt.status, tt.want, strings.Contains(body, tt.want))
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	f := webtest.New(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if resp, _ := f.Get(t, path); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200", path, resp.StatusCode)
		}
	}
}

// TestFormInALanguageTheInstrumentLacksIsMarkedUp: the test instrument has nb
// and en only; a Polish reader gets Polish buttons and the questions in
// bokmål, marked lang="nb" so a screen reader reads them in the right voice.
func TestFormInALanguageTheInstrumentLacksIsMarkedUp(t *testing.T) {
	f := webtest.New(t)
	_, body := f.Get(t, "/s/"+f.Open+"?lang=pl")
	for _, want := range []string{`<html lang="pl"`, `<h1 lang="nb" dir="ltr">Testundersøkelse</h1>`,
		`<span lang="nb" dir="ltr">Hvem er du pårørende til?</span>`, `lang="nb" dir="ltr">Barn</label>`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, body = f.Get(t, "/s/"+f.Open+"?lang=en")
	// The language picker names each language in itself; the rest is English.
	main := body[strings.Index(body, "<main"):]
	if i := strings.Index(main, ` lang="nb" dir=`); i >= 0 {
		t.Errorf("an English page marks English text as bokmål: %s", main[max(0, i-200):i+50])
	}
	form := webtest.FormTokens(t, body)
	form.Set("relation", "child")
	form.Set("_action", "submit")
	req, _ := http.NewRequest(http.MethodPost, "/s/"+f.Open+"?lang=pl", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f.Do(t, req)
	var r struct{ Lang string }
	if err := f.Filed(t).FindOne(context.Background(), bson.M{"_id": responseID(form.Get("_sid"))}).Decode(&r); err != nil || r.Lang != "nb" {
		t.Fatalf("stored language %q (%v), want nb: the language the questions were read in", r.Lang, err)
	}
}

// longAcceptLanguage is an Accept-Language header of 4,096 bytes: first, then
// filler repeated.
func longAcceptLanguage(first, filler string) string {
	h := first
	for len(h)+len(filler)+1 <= 4096 {
		h += "," + filler
	}
	return h + strings.Repeat(" ", 4096-len(h))
}
