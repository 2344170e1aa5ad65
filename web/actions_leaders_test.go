package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

func TestOwnersAndUnitLeadersWorkOnTheirActions(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	ctx := context.Background()
	elsewhere, err := staff.NewStore(f.Store.DB).CreateUser(ctx, staff.User{Email: "leder.annet@kommune.no", Name: "Leder annet",
		Grants: []staff.Grant{{Role: staff.RoleUnitLeader, Units: []string{"annet"}}}}, "korrekt hest batteri stift")
	if err != nil {
		t.Fatal(err)
	}
	as := actions.NewStore(f.Store.DB)
	own := &actions.Action{Title: "Faste samtaler", Owner: "Virksomhetsleder", Period: "2026", Units: []string{"solbakken"}}
	// Owned by a leader of another unit, for solbakken.
	other := &actions.Action{Title: "Annet sted", Owner: "Rådet", Period: "2026", Units: []string{"solbakken2"}, OwnerUser: elsewhere.ID}
	wide := &actions.Action{Title: "Hele kommunen", Owner: "Kommunalsjef", Period: "2026"}
	for _, a := range []*actions.Action{own, other, wide} {
		if err := as.Insert(ctx, a, webtest.FixedNow); err != nil {
			t.Fatal(err)
		}
	}
	leader, followUp := users["unit_leader"], users["follow_up"]
	for _, tt := range []struct {
		name   string
		user   staff.User
		path   string
		form   url.Values
		status int
	}{
		{"leader sets the status of an action of their unit", leader, "/admin/actions/" + own.ID,
			url.Values{"status": {"in_progress"}, "title": {"Endret tittel"}}, http.StatusSeeOther},
		{"leader adds a note", leader, "/admin/actions/" + own.ID + "/notes", url.Values{"note": {"Startet i november."}}, http.StatusSeeOther},
		{"leader and another unit's action", leader, "/admin/actions/" + other.ID, url.Values{"status": {"done"}}, http.StatusForbidden},
		{"leader and a municipality-wide action", leader, "/admin/actions/" + wide.ID + "/notes", url.Values{"note": {"x"}}, http.StatusForbidden},
		{"the owner, though not a leader of its units", elsewhere, "/admin/actions/" + other.ID, url.Values{"status": {"done"}}, http.StatusSeeOther},
		{"the council", users["council"], "/admin/actions/" + own.ID, url.Values{"status": {"done"}}, http.StatusForbidden},
		{"follow-up staff", followUp, "/admin/actions/" + own.ID + "/notes", url.Values{"note": {"x"}}, http.StatusForbidden},
		{"a status that is none", leader, "/admin/actions/" + own.ID, url.Values{"status": {"maybe"}}, http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.user
			resp, _ := staffRequest(t, f, webtest.SignIn(t, f, &u), http.MethodPost, tt.path, tt.form)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
	got, _ := as.Get(ctx, own.ID)
	if got.Status != actions.InProgress || got.Title != "Faste samtaler" {
		t.Fatalf("a leader changed more than the status: %+v", got)
	}
	if notes, _ := as.Notes(ctx, own.ID); len(notes) != 1 || notes[0].Author != leader.Email {
		t.Fatalf("notes %+v", notes)
	}
	if got, _ := as.Get(ctx, other.ID); got.Status != actions.Done {
		t.Fatalf("the owner's change: %+v", got)
	}
	_, page := staffRequest(t, f, webtest.SignIn(t, f, &leader), http.MethodGet, "/admin/actions/"+own.ID, nil)
	if !strings.Contains(page, `action="/admin/actions/`+own.ID+`/notes"`) || strings.Contains(page, `name="title"`) {
		t.Fatal("a leader's action page offers notes and status, not the advisor's whole form")
	}
}

func TestReviewedFeedbackReachesUnitLeadersAndBecomesAnAction(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	ctx := context.Background()
	fb, _ := feedback.NewStore(f.Store.DB, webtest.Secret)
	submit := func(sid, unit, text, review, redacted string) string {
		got, _, err := fb.Submit(ctx, feedback.Submission{SID: sid, Unit: unit, Text: text, Lang: "nb", Focus: "information"}, webtest.FixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if review != feedback.ReviewPending {
			if err := fb.SetReviewBy(ctx, got.ID, review, redacted, "", "", 0); err != nil {
				t.Fatal(err)
			}
		}
		return got.ID
	}
	approved := submit("a", "solbakken", "Flott personale på Solbakken", feedback.ReviewApproved, "")
	submit("b", "solbakken", "Sykepleier Hansen var sur", feedback.ReviewRedacted, "En sykepleier var sur")
	submit("c", "solbakken", "Ikke gjennomgått ennå", feedback.ReviewPending, "")
	submit("d", "annet", "Et annet sted", feedback.ReviewApproved, "")

	leader := users["unit_leader"]
	resp, body := staffRequest(t, f, webtest.SignIn(t, f, &leader), http.MethodGet, "/admin/texts/feedback", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Flott personale") || !strings.Contains(body, "En sykepleier var sur") {
		t.Fatalf("leader: %d\n%s", resp.StatusCode, truncateBody(body))
	}
	for _, hidden := range []string{"Hansen", "Ikke gjennomgått", "Et annet sted", "/admin/actions/new"} {
		if strings.Contains(body, hidden) {
			t.Errorf("a unit leader sees %q", hidden)
		}
	}
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	_, form := staffRequest(t, f, s, http.MethodGet, "/admin/actions/new?feedback="+approved, nil)
	if !strings.Contains(form, "Flott personale på Solbakken") || !strings.Contains(form, `name="from_feedback" value="`+approved+`"`) {
		t.Fatalf("the action form is not prefilled from the feedback:\n%s", truncateBody(form))
	}
	resp, _ = staffRequest(t, f, s, http.MethodPost, "/admin/actions", url.Values{"title": {"Fortell personalet"}, "owner": {"Virksomhetsleder"},
		"period": {"2026"}, "units": {"solbakken"}, "from_feedback": {approved}, "owner_user": {leader.ID}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	list, _ := actions.NewStore(f.Store.DB).List(ctx)
	if len(list) != 1 || list[0].FromFeedback != approved || list[0].OwnerUser != leader.ID {
		t.Fatalf("stored %+v", list)
	}
}
