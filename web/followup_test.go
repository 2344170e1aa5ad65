package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

// staffPost posts a staff form with the session's CSRF token.
func staffPost(t *testing.T, f *webtest.Fixture, s webtest.Session, path string, v url.Values) (*http.Response, string) {
	t.Helper()
	v.Set("_csrf", s.CSRF)
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", s.Cookie)
	return f.Do(t, req)
}

func auditCount(t *testing.T, f *webtest.Fixture, action, target string) int64 {
	t.Helper()
	n, err := f.Store.DB.Collection("audit").CountDocuments(context.Background(), bson.M{"action": action, "target": target})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFollowUpAccessIsPerUnitAndAudited(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	mine, other, overdue := webtest.FollowUpCases(t, f)
	fu := users["follow_up"] // follow-up for solbakken
	s := webtest.SignIn(t, f, &fu)

	// The queue: own unit only, by deadline, overdue marked, no contact data.
	_, body := f.Get(t, "/admin/followup?lang=en", "Cookie", s.Cookie)
	if !strings.Contains(body, "/admin/followup/"+mine.ID) || !strings.Contains(body, "/admin/followup/"+overdue.ID) {
		t.Fatal("the queue lacks the unit's cases")
	}
	if strings.Contains(body, other.ID) {
		t.Error("the queue shows another unit's case")
	}
	if strings.Index(body, overdue.ID) > strings.Index(body, mine.ID) {
		t.Error("the queue is not sorted by deadline")
	}
	if !strings.Contains(body, "Overdue") {
		t.Error("the overdue case is not marked")
	}
	for _, name := range []string{"Kari", "Lise", "912 34 567", "example.no"} {
		if strings.Contains(body, name) {
			t.Errorf("the queue shows contact data %q", name)
		}
	}

	// The case: contact data shown, the view audited.
	resp, body := f.Get(t, "/admin/followup/"+mine.ID+"?lang=en", "Cookie", s.Cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("own case: status %d", resp.StatusCode)
	}
	for _, w := range []string{"Kari Nordmann", `href="tel:91234567"`, "kari@example.no", "Polski", "Before 12 noon", "Mor blir ikke hørt.", "Respectful treatment"} {
		if !strings.Contains(body, w) {
			t.Errorf("case page lacks %q", w)
		}
	}
	if n := auditCount(t, f, staff.AuditContactView, mine.ID); n != 1 {
		t.Errorf("%d audit entries for the view, want 1", n)
	}

	// Another unit's case: 403, nothing shown, nothing decrypted.
	resp, body = f.Get(t, "/admin/followup/"+other.ID, "Cookie", s.Cookie)
	if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Per Fjord") {
		t.Fatalf("another unit's case: status %d", resp.StatusCode)
	}
	for _, action := range []string{"contacted", "close", "conversation"} {
		if resp, _ := staffPost(t, f, s, "/admin/followup/"+other.ID+"/"+action, url.Values{"note": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s on another unit's case: status %d", action, resp.StatusCode)
		}
	}
	if r, _ := webtest.FeedbackStore(t, f).Request(context.Background(), other.ID); r.Status != feedback.StatusNew {
		t.Error("a refused post changed another unit's case")
	}

	// Admins see every unit; advisors and unit leaders no case at all.
	admin := users["admin"]
	if resp, body := f.Get(t, "/admin/followup/"+other.ID, "Cookie", webtest.SignIn(t, f, &admin).Cookie); resp.StatusCode != 200 || !strings.Contains(body, "Per Fjord") {
		t.Errorf("admin: status %d", resp.StatusCode)
	}
	for _, role := range []string{"advisor", "unit_leader", "council"} {
		u := users[role]
		if resp, body := f.Get(t, "/admin/followup/"+mine.ID, "Cookie", webtest.SignIn(t, f, &u).Cookie); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Kari") {
			t.Errorf("%s: status %d", role, resp.StatusCode)
		}
	}
}

func TestFollowUpCaseFlow(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	mine, _, _ := webtest.FollowUpCases(t, f)
	fu := users["follow_up"]
	s := webtest.SignIn(t, f, &fu)
	path := "/admin/followup/" + mine.ID
	st := webtest.FeedbackStore(t, f)

	if resp, _ := staffPost(t, f, s, path+"/contacted", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("contacted: status %d", resp.StatusCode)
	}
	r, _ := st.Request(context.Background(), mine.ID)
	if r.Status != feedback.StatusContacted || !r.InTime() || r.ContactedBy != "follow_up@kommune.no" {
		t.Fatalf("after contact: %+v", r)
	}
	if resp, body := staffPost(t, f, s, path+"/contacted?lang=en", url.Values{}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "already changed status") {
		t.Errorf("contacted twice: status %d", resp.StatusCode)
	}

	// A conversation in the future is refused with the typed values kept.
	resp, body := staffPost(t, f, s, path+"/conversation?lang=en", url.Values{"date": {"2027-01-01"}, "by": {"Ola Hansen"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="2027-01-01"`) || !strings.Contains(body, `value="Ola Hansen"`) {
		t.Errorf("future conversation: status %d", resp.StatusCode)
	}
	if resp, _ := staffPost(t, f, s, path+"/conversation", url.Values{"date": {"2026-11-18"}, "by": {"Ola Hansen"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("conversation: status %d", resp.StatusCode)
	}
	_, body = f.Get(t, path+"?lang=en", "Cookie", s.Cookie)
	if !strings.Contains(body, "<td>2026-11-18</td><td>Ola Hansen</td>") || !strings.Contains(body, "Next follow-up conversation: 18.5.2027") {
		t.Error("the case page does not show the conversation and the next due date")
	}
	_, body = f.Get(t, "/admin/followup?lang=en", "Cookie", s.Cookie)
	if !strings.Contains(body, "2027-05-18") {
		t.Error("the queue does not list the next conversation")
	}

	// Closing needs a note; a refused close keeps what was typed.
	long := strings.Repeat("x", 1001)
	resp, body = staffPost(t, f, s, path+"/close?lang=en", url.Values{"note": {long}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, long+"</textarea>") {
		t.Errorf("long note: status %d", resp.StatusCode)
	}
	if resp, _ := staffPost(t, f, s, path+"/close", url.Values{"note": {"Avtalt oppfølging."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: status %d", resp.StatusCode)
	}
	_, body = f.Get(t, path+"?lang=en", "Cookie", s.Cookie)
	if !strings.Contains(body, "Avtalt oppfølging.") || strings.Contains(body, `action="`+path+`/close"`) {
		t.Error("the closed case does not show its note, or still offers to close")
	}
	if n := auditCount(t, f, staff.AuditContactChange, mine.ID); n != 2 {
		t.Errorf("%d audit entries for changes, want 2 (contacted, closed)", n)
	}
	if n := auditCount(t, f, staff.AuditConversation, mine.ID); n != 1 {
		t.Errorf("%d audit entries for conversations, want 1", n)
	}
	_, body = f.Get(t, "/admin/followup?closed=1&lang=en", "Cookie", s.Cookie)
	if !strings.Contains(body, path) {
		t.Error("the closed case is not in the closed list")
	}
}

func TestFeedbackListAndStats(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	mine, _, _ := webtest.FollowUpCases(t, f)
	if err := webtest.FeedbackStore(t, f).MarkContacted(context.Background(), mine.ID, "x", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	fu := users["follow_up"]
	_, body := f.Get(t, "/admin/feedback?lang=en", "Cookie", webtest.SignIn(t, f, &fu).Cookie)
	if !strings.Contains(body, "Mor blir ikke hørt.") || strings.Contains(body, "Fjordtun-saken.") || !strings.Contains(body, "Not reviewed") {
		t.Error("the feedback list is not limited to the user's units or lacks the review state")
	}

	adv := users["advisor"]
	resp, body := f.Get(t, "/admin/feedback/stats?lang=en&from=2026-11-01&to=2026-11-30", "Cookie", webtest.SignIn(t, f, &adv).Cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stats: status %d", resp.StatusCode)
	}
	// Solbakken: one contacted in time, one overdue → 50%; fjordtun's is still within its deadline.
	for _, w := range []string{"50% (1 of 2)", "<td>2026-11</td><td>Solbakken sykehjem</td><td>Respectful treatment</td><td>2</td>", "<td>fjordtun</td>"} {
		if !strings.Contains(body, w) {
			t.Errorf("stats lack %q", w)
		}
	}
	for _, w := range []string{"Mor blir", "Kari", "912 34"} {
		if strings.Contains(body, w) {
			t.Errorf("stats show %q", w)
		}
	}
	if resp, _ := f.Get(t, "/admin/feedback/stats?from=2026-13-01", "Cookie", webtest.SignIn(t, f, &adv).Cookie); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad period: status %d", resp.StatusCode)
	}
}
