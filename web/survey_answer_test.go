package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web"
)

// stored counts the answers kept, filed or still waiting in the inbox.
func (f *fixture) stored(t *testing.T) int64 {
	t.Helper()
	n, err := f.filed(t).CountDocuments(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := f.st.DB.Collection("response_inbox").CountDocuments(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	return n + waiting
}

// addOptionalWave opens a wave whose questions may all be skipped, as in the
// built-in questionnaire, and returns its link.
func addOptionalWave(t *testing.T, f *fixture) string {
	t.Helper()
	ctx := context.Background()
	ss := surveys.NewStore(f.st.DB)
	in := testInstrument()
	in.Key = "optional"
	for i := range in.Pages[0].Questions {
		in.Pages[0].Questions[i].Required = false
	}
	if err := ss.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	links, err := ss.InsertWave(ctx, &surveys.Wave{ID: "optional", Kind: surveys.WaveUnit, Name: "Valgfri", Instrument: in.ID,
		Units: []string{"solbakken"}, Languages: []string{"nb", "en"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen})
	if err != nil {
		t.Fatal(err)
	}
	return links[0].ID
}

// TestOnlyAnswersAreStored: a response is stored only from the last page,
// with submit pressed and at least the wave's minimum of questions answered.
// Anything else stores nothing and gets the form back with a message and
// everything entered.
func TestOnlyAnswersAreStored(t *testing.T) {
	f := newFixture(t)
	optional := addOptionalWave(t, f)
	tokens := func(link string) url.Values {
		_, body := f.get(t, "/s/"+link)
		return formTokens(t, body)
	}
	tests := []struct {
		name  string
		link  func() string
		form  func(url.Values)
		want  []string
		avoid []string
	}{
		{"only the signed id and submit", func() string { return optional },
			func(v url.Values) { v.Set("_action", "submit") },
			[]string{"Svar på minst ett spørsmål før du sender. Ingenting er lagret ennå."}, nil},
		{"only the signed id and submit, a question required", func() string { return f.open },
			func(v url.Values) { v.Set("_action", "submit") },
			[]string{"Svar på dette spørsmålet."}, nil},
		{"only blanks", func() string { return optional },
			func(v url.Values) { v.Set("_action", "submit"); v.Set("important", "   "); v.Set("age", "") },
			[]string{"Svar på minst ett spørsmål"}, nil},
		{"first page without an action", func() string { return f.paged },
			func(v url.Values) { v.Set("relation", "child") },
			[]string{"Vi vet ikke hva du ville gjøre med skjemaet", `value="child" checked`}, nil},
		{"an unknown action", func() string { return f.paged },
			func(v url.Values) { v.Set("relation", "child"); v.Set("_action", "send") },
			[]string{"Vi vet ikke hva du ville gjøre med skjemaet"}, nil},
		{"submit from the first of four pages", func() string { return f.paged },
			func(v url.Values) {
				v.Set("_action", "submit")
				v.Set("relation", "child")
				v.Set("important", "Ikke ferdig ennå")
			},
			[]string{"Svarene sendes fra siste side", `value="child" checked`}, []string{"Takk for at du svarte"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := tokens(tt.link())
			tt.form(form)
			resp, body := f.post(t, "/s/"+tt.link(), form)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			if !strings.Contains(body, "<title>Feil:") {
				t.Error("the title does not start with Feil:")
			}
			pageShows(t, body, tt.want, tt.avoid)
		})
	}

	// A partial journey: two pages and a save for later.
	v := f.visitor()
	_, body := v.get(t, "/s/"+f.paged)
	_, body = walk(t, v, body, "next", map[string]string{"relation": "child"})
	_, body = walk(t, v, body, "next", map[string]string{"has_children": "no"})
	if _, body = walk(t, v, body, "save", map[string]string{"important": "Halvveis"}); !strings.Contains(body, `class="code"`) {
		t.Fatal("saving for later shows no code")
	}
	if n := f.stored(t); n != 0 {
		t.Fatalf("%d responses stored, want 0: none of these is an answer", n)
	}
}

// TestMinimumAnsweredIsTheWaves: a wave may ask for more than one answered
// question before a submission counts.
func TestMinimumAnsweredIsTheWaves(t *testing.T) {
	f := newFixture(t)
	optional := addOptionalWave(t, f)
	if _, err := f.st.DB.Collection("waves").UpdateOne(context.Background(), bson.D{{Key: "_id", Value: "optional"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "min_answered", Value: 2}}}}); err != nil {
		t.Fatal(err)
	}
	// The app's cache knows the wave as it was: a new app reads it afresh.
	app, err := web.New(web.Config{Store: f.st, BaseURL: "http://localhost:8080", Secret: testSecret,
		Now: func() time.Time { return fixedNow }, Tallier: f.tallier})
	if err != nil {
		t.Fatal(err)
	}
	f.app = app
	_, body := f.get(t, "/s/"+optional)
	form := formTokens(t, body)
	form.Set("_action", "submit")
	form.Set("relation", "child")
	resp, body := f.post(t, "/s/"+optional, form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Svar på minst 2 spørsmål") {
		t.Fatalf("one answer of a minimum of two: status %d", resp.StatusCode)
	}
	form.Set("info_given", surveys.DontKnow)
	if resp, _ := f.post(t, "/s/"+optional, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("two answers, one of them \"vet ikke\": status %d, want 303", resp.StatusCode)
	}
	if n := f.stored(t); n != 1 {
		t.Fatalf("%d responses stored, want 1", n)
	}
}
