package webtest

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/surveys"
)

// NewReport is the demo municipality as the server seeds it: both overall
// waves counted and published, actions, the council and feedback.
func NewReport(t testing.TB) *Fixture {
	t.Helper()
	return NewDemoWith(t, true)
}

// InsertDraft adds a draft unit wave of the test instrument that can open.
func InsertDraft(t testing.TB, f *Fixture, id string, langs ...string) surveys.Link {
	t.Helper()
	links, err := surveys.NewStore(f.Store.DB).InsertWave(context.Background(), &surveys.Wave{ID: id, Kind: surveys.WaveUnit,
		Name: "Utkast " + id, Year: 2026, Instrument: "test@1", Units: []string{"solbakken"}, Languages: langs,
		Opens: "2026-11-20", Closes: "2026-12-31", Status: surveys.WaveDraft})
	if err != nil {
		t.Fatal(err)
	}
	return links[0]
}

// InsertAction adds an action of the municipality and returns its id.
func InsertAction(t testing.TB, f *Fixture, title string) string {
	t.Helper()
	a := &actions.Action{Title: title, Owner: "Kvalitetsrådgiver", Period: "2026", Status: actions.Planned}
	if err := actions.NewStore(f.Store.DB).Insert(context.Background(), a, FixedNow); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// FeedbackStore is the fixture's store of feedback and contact requests.
func FeedbackStore(t testing.TB, f *Fixture) *feedback.Store {
	t.Helper()
	s, err := feedback.NewStore(f.Store.DB, Secret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// FollowUpCases stores a contact request for solbakken (the follow-up
// user's unit) and one for fjordtun (not theirs), both received on Monday
// 16 November 2026, so the fixture's Wednesday is within the deadline; and
// an overdue one for solbakken from the week before.
func FollowUpCases(t testing.TB, f *Fixture) (mine, other, overdue feedback.ContactRequest) {
	t.Helper()
	fb := FeedbackStore(t, f)
	add := func(sid, unit, name, text string, at time.Time) feedback.ContactRequest {
		sub := feedback.Submission{SID: sid, Unit: unit, Focus: "respect", Text: text, Lang: "nb", WantsContact: true,
			FollowUp: feedback.FollowUpHalfYear, Contact: feedback.Contact{Name: name, Phone: "912 34 567",
				Email: strings.ToLower(strings.Fields(name)[0]) + "@example.no", Lang: "pl", Time: "morning"}}
		if errs := sub.Validate(); len(errs) > 0 {
			t.Fatal(errs)
		}
		_, r, err := fb.Submit(context.Background(), sub, at)
		if err != nil {
			t.Fatal(err)
		}
		return *r
	}
	monday := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	mine = add("m", "solbakken", "Kari Nordmann", "Mor blir ikke hørt.", monday)
	other = add("o", "fjordtun", "Per Fjord", "Fjordtun-saken.", monday)
	overdue = add("d", "solbakken", "Lise Sen", "Ingen ringte.", monday.AddDate(0, 0, -7))
	return
}

var hiddenField = regexp.MustCompile(`name="(_sid|_sig)" value="([^"]+)"`)

// FormTokens returns the hidden submission id and signature of a rendered form.
func FormTokens(t testing.TB, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], m[2])
	}
	if v.Get("_sid") == "" || v.Get("_sig") == "" {
		t.Fatalf("form has no submission id or signature")
	}
	return v
}

// AnswerTexts submits one answer per text to the open wave (relation
// "child" except the last, "partner") and waits until they are counted
// and queued for review.
func AnswerTexts(t testing.TB, f *Fixture, texts ...string) {
	t.Helper()
	for i, text := range texts {
		_, body := f.Get(t, "/s/"+f.Open)
		form := FormTokens(t, body)
		form.Set("relation", "child")
		if i == len(texts)-1 {
			form.Set("relation", "partner")
		}
		form.Set("info_given", "5")
		form.Set("has_children", "no")
		form.Set("important", text)
		form.Set("_action", "submit")
		if resp, _ := f.Post(t, "/s/"+f.Open, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer %d: status %d", i, resp.StatusCode)
		}
	}
	f.Filed(t)
}
