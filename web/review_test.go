package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

var reviewForm = regexp.MustCompile(`action="/admin/review/(survey|feedback)/([0-9a-f]+)"`)

func TestReviewQueueAndDecisions(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	webtest.AnswerTexts(t, f, "Ring meg på 912 34 567.", "Maten er god.", "Fint.", "Bra.", "Ok.", "Takk.")
	fb := webtest.FeedbackStore(t, f)
	sub := feedback.Submission{SID: "fb1", Unit: "solbakken", Text: "Jeg snakket med Sigrun.", Lang: "nb"}
	sub.Validate()
	if _, _, err := fb.Submit(context.Background(), sub, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)

	resp, body := f.Get(t, "/admin/review?lang=en", "Cookie", s.Cookie)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<mark>912 34 567") || !strings.Contains(body, "<mark>Sigrun") {
		t.Fatalf("queue: status %d, flagged parts not marked", resp.StatusCode)
	}
	if !strings.Contains(body, "Ring meg på […].</textarea>") {
		t.Error("the redaction form is not prefilled with the flagged parts replaced")
	}
	if n := len(reviewForm.FindAllString(body, -1)); n != 7 {
		t.Errorf("%d texts in the queue, want 7 (6 answers and 1 feedback)", n)
	}
	if resp, _ := f.Get(t, "/admin/review?status=bogus", "Cookie", s.Cookie); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad filter: status %d, want 400", resp.StatusCode)
	}

	rv := analysis.NewReviewer(f.Store.DB, fb)
	q, _ := rv.Queue(context.Background(), analysis.QueueFilter{Source: analysis.SourceSurvey, Flagged: true})
	if len(q.Items) != 1 {
		t.Fatalf("%d flagged survey texts, want 1", len(q.Items))
	}
	phone := "/admin/review/survey/" + q.Items[0].ID
	steps := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"redaction without text", url.Values{"decision": {"redacted"}, "redacted": {" "}, "rev": {"0"}}, http.StatusBadRequest, "redacted text before saving"},
		{"redact", url.Values{"decision": {"redacted"}, "redacted": {"Ring meg på […]."}, "rev": {"0"}, "back": {"status=all&wave=evil.example"}}, http.StatusSeeOther, ""},
		{"stale keeps what was typed", url.Values{"decision": {"redacted"}, "redacted": {"Mitt forslag"}, "rev": {"0"}}, http.StatusConflict, "Mitt forslag"},
		{"unknown decision", url.Values{"decision": {"pending"}, "rev": {"1"}}, http.StatusBadRequest, "Choose approve"},
		{"changed later", url.Values{"decision": {"hidden"}, "rev": {"1"}}, http.StatusSeeOther, ""},
	}
	for _, st := range steps {
		resp, body := staffPost(t, f, s, phone+"?lang=en", st.form)
		if resp.StatusCode != st.status || !strings.Contains(body, st.want) {
			t.Errorf("%s: status %d, want %d with %q", st.name, resp.StatusCode, st.status, st.want)
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther &&
			(!strings.HasPrefix(loc, "/admin/review?") || strings.Contains(loc, "evil")) {
			t.Errorf("%s: redirected to %q", st.name, loc)
		}
	}
	it, _ := rv.Item(context.Background(), analysis.SourceSurvey, q.Items[0].ID)
	if it.Status != analysis.TextHidden || it.Rev != 2 || it.ReviewedBy != "advisor@kommune.no" {
		t.Errorf("stored %s rev %d by %s", it.Status, it.Rev, it.ReviewedBy)
	}
	// Feedback goes to the feedback store.
	fq, _ := rv.Queue(context.Background(), analysis.QueueFilter{Source: analysis.SourceFeedback})
	if resp, _ := staffPost(t, f, s, "/admin/review/feedback/"+fq.Items[0].ID, url.Values{"decision": {"approved"}, "rev": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("feedback decision: status %d", resp.StatusCode)
	}
	if got, _ := fb.Feedback(context.Background(), fq.Items[0].ID); got.Review != feedback.ReviewApproved {
		t.Errorf("feedback review %q", got.Review)
	}
	if resp, _ := staffPost(t, f, s, "/admin/review/survey/ffff", url.Values{"decision": {"approved"}, "rev": {"0"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown text: status %d", resp.StatusCode)
	}
	log, _ := staff.NewStore(f.Store.DB).AuditLog(context.Background(), staff.AuditFilter{Action: staff.AuditTextReview})
	if len(log) != 3 {
		t.Errorf("%d review decisions audited, want 3", len(log))
	}
}

func TestReviewedTextsPageIsScoped(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.InsertUnit(ctx, surveys.Unit{ID: "annet", Name: "Annet hjem", Kind: surveys.KindNursingHome, Active: true}); err != nil {
		t.Fatal(err)
	}
	webtest.AnswerTexts(t, f, "Godkjent tekst.", "Venter fortsatt.", "a", "b", "c", "d")
	// Reviewed text appears once the wave's results do: when it is closed.
	if err := ss.CloseWave(ctx, "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
	rv := analysis.NewReviewer(f.Store.DB, webtest.FeedbackStore(t, f))
	q, _ := rv.Queue(ctx, analysis.QueueFilter{})
	for _, it := range q.Items {
		if it.Text == "Godkjent tekst." {
			if _, err := rv.Decide(ctx, analysis.Decision{Source: it.Source, ID: it.ID, Status: analysis.TextApproved, By: "x", At: webtest.FixedNow}); err != nil {
				t.Fatal(err)
			}
		}
	}
	st := staff.NewStore(f.Store.DB)
	other, err := st.CreateUser(ctx, staff.User{Email: "annen@kommune.no", Name: "Annen", Grants: []staff.Grant{{Role: staff.RoleUnitLeader, Units: []string{"annet"}}}}, "korrekt hest batteri stift")
	if err != nil {
		t.Fatal(err)
	}
	leader, council := users["unit_leader"], users["council"]
	tests := []struct {
		name   string
		user   *staff.User
		path   string
		status int
		shows  bool
	}{
		{"own unit", &leader, "/admin/texts?wave=open&unit=solbakken", http.StatusOK, true},
		{"chooser", &leader, "/admin/texts", http.StatusOK, false},
		{"another unit's leader", &other, "/admin/texts?wave=open&unit=solbakken", http.StatusNotFound, false},
		{"unit not in the wave", &leader, "/admin/texts?wave=open&unit=annet", http.StatusNotFound, false},
		{"council, unpublished", &council, "/admin/texts?wave=open", http.StatusNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := webtest.SignIn(t, f, tt.user)
			resp, body := f.Get(t, tt.path, "Cookie", s.Cookie)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if strings.Contains(body, "Godkjent tekst.") != tt.shows || strings.Contains(body, "Venter fortsatt.") {
				t.Errorf("approved text shown: %v, want %v (pending text never)", !tt.shows, tt.shows)
			}
		})
	}
	// A leader of two units, one in the wave: the other unit's page is refused.
	if err := st.UpdateUser(ctx, other.ID, other.Name, []staff.Grant{{Role: staff.RoleUnitLeader, Units: []string{"annet"}}}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.InsertWave(ctx, &surveys.Wave{ID: "two", Kind: surveys.WaveOverall, Name: "To", Instrument: "test@1",
		Units: []string{"solbakken", "annet"}, Languages: []string{"nb"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveClosed}); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
	s := webtest.SignIn(t, f, &other)
	if resp, _ := f.Get(t, "/admin/texts?wave=two&unit=solbakken", "Cookie", s.Cookie); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another unit of a shared wave: status %d, want 403", resp.StatusCode)
	}
	if resp, _ := f.Get(t, "/admin/texts?wave=two&unit=annet", "Cookie", s.Cookie); resp.StatusCode != http.StatusOK {
		t.Errorf("own unit of a shared wave: status %d, want 200", resp.StatusCode)
	}
}
