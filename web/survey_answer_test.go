package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web"
)

// addOptionalWave opens a wave whose questions may all be skipped, as in the
// built-in questionnaire, and returns its link.
func addOptionalWave(t *testing.T, f *webtest.Fixture) string {
	t.Helper()
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	in := webtest.Instrument()
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
	f := webtest.New(t)
	optional := addOptionalWave(t, f)
	tokens := func(link string) url.Values {
		_, body := f.Get(t, "/s/"+link)
		return webtest.FormTokens(t, body)
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
		{"only the signed id and submit, a question required", func() string { return f.Open },
			func(v url.Values) { v.Set("_action", "submit") },
			[]string{"Svar på dette spørsmålet."}, nil},
		{"only blanks", func() string { return optional },
			func(v url.Values) { v.Set("_action", "submit"); v.Set("important", "   "); v.Set("age", "") },
			[]string{"Svar på minst ett spørsmål"}, nil},
		{"first page without an action", func() string { return f.Paged },
			func(v url.Values) { v.Set("relation", "child") },
			[]string{"Vi vet ikke hva du ville gjøre med skjemaet", `value="child" checked`}, nil},
		{"an unknown action", func() string { return f.Paged },
			func(v url.Values) { v.Set("relation", "child"); v.Set("_action", "send") },
			[]string{"Vi vet ikke hva du ville gjøre med skjemaet"}, nil},
		{"submit from the first of four pages", func() string { return f.Paged },
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
			resp, body := f.Post(t, "/s/"+tt.link(), form)
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
	v := newVisitor(f)
	_, body := v.Get(t, "/s/"+f.Paged)
	_, body = walk(t, v, body, "next", map[string]string{"relation": "child"})
	_, body = walk(t, v, body, "next", map[string]string{"has_children": "no"})
	if _, body = walk(t, v, body, "save", map[string]string{"important": "Halvveis"}); !strings.Contains(body, `class="code"`) {
		t.Fatal("saving for later shows no code")
	}
	if n := f.Stored(t); n != 0 {
		t.Fatalf("%d responses stored, want 0: none of these is an answer", n)
	}
}

// TestMinimumAnsweredIsTheWaves: a wave may ask for more than one answered
// question before a submission counts.
func TestMinimumAnsweredIsTheWaves(t *testing.T) {
	f := webtest.New(t)
	optional := addOptionalWave(t, f)
	if _, err := f.Store.DB.Collection("waves").UpdateOne(context.Background(), bson.D{{Key: "_id", Value: "optional"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "min_answered", Value: 2}}}}); err != nil {
		t.Fatal(err)
	}
	// The app's cache knows the wave as it was: a new app reads it afresh.
	app, err := web.New(web.Config{Store: f.Store, BaseURL: "http://localhost:8080", Secret: webtest.Secret,
		Now: func() time.Time { return webtest.FixedNow }, Tallier: f.Tallier})
	if err != nil {
		t.Fatal(err)
	}
	f.App = app
	_, body := f.Get(t, "/s/"+optional)
	form := webtest.FormTokens(t, body)
	form.Set("_action", "submit")
	form.Set("relation", "child")
	resp, body := f.Post(t, "/s/"+optional, form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Svar på minst 2 spørsmål") {
		t.Fatalf("one answer of a minimum of two: status %d", resp.StatusCode)
	}
	form.Set("info_given", surveys.DontKnow)
	if resp, _ := f.Post(t, "/s/"+optional, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("two answers, one of them \"vet ikke\": status %d, want 303", resp.StatusCode)
	}
	if n := f.Stored(t); n != 1 {
		t.Fatalf("%d responses stored, want 1", n)
	}
}
