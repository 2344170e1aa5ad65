package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

func TestFollowUpRegisterInTheBrowser(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	fu := users["follow_up"]
	s := webtest.SignIn(t, f, &fu)
	form := url.Values{"unit": {"solbakken"}, "interval": {"12m"}, "started": {"2026-11-02"}, "name": {"Kari Nordmann"},
		"phone": {"912 34 567"}, "lang": {"pl"}, "about": {"datter til beboer på avdeling 2"}}

	resp, body := staffRequest(t, f, s, http.MethodPost, "/admin/register?lang=en", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "only with the relative&#39;s consent") || !strings.Contains(body, `value="Kari Nordmann"`) {
		t.Fatalf("without consent: %d\n%s", resp.StatusCode, truncateBody(body))
	}
	form.Set("consent", "yes")
	resp, _ = staffRequest(t, f, s, http.MethodPost, "/admin/register", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/register/") {
		t.Fatalf("enrol: %d → %s", resp.StatusCode, loc)
	}
	_, list := staffRequest(t, f, s, http.MethodGet, "/admin/register", nil)
	if !strings.Contains(list, "2027-11-02") || strings.Contains(list, "Kari") {
		t.Fatal("the register list must show the next date and no names")
	}
	views := len(auditEntries(t, f, staff.AuditContactView))
	_, entry := staffRequest(t, f, s, http.MethodGet, loc, nil)
	if !strings.Contains(entry, "Kari Nordmann") || len(auditEntries(t, f, staff.AuditContactView)) != views+1 {
		t.Fatal("opening an entry shows the contact and is audited")
	}
	if resp, _ := staffRequest(t, f, s, http.MethodPost, loc+"/conversation", url.Values{"date": {"2026-11-17"}, "by": {"Ola"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("conversation: %d", resp.StatusCode)
	}
	if resp, _ := staffRequest(t, f, s, http.MethodPost, loc+"/conversation", url.Values{"date": {"2027-01-01"}, "by": {"Ola"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a conversation in the future: %d", resp.StatusCode)
	}
	// A unit leader without the follow-up role, and follow-up staff of another unit, may not.
	other, _ := staff.NewStore(f.Store.DB).CreateUser(context.Background(), staff.User{Email: "annen@kommune.no", Name: "Annen",
		Grants: []staff.Grant{{Role: staff.RoleFollowUp, Units: []string{"annet"}}}}, "korrekt hest batteri stift")
	if resp, _ := staffRequest(t, f, webtest.SignIn(t, f, &other), http.MethodGet, loc, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("another unit's follow-up staff: %d", resp.StatusCode)
	}
	if resp, _ := staffRequest(t, f, s, http.MethodPost, loc+"/withdraw", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", resp.StatusCode)
	}
	if resp, _ := staffRequest(t, f, s, http.MethodGet, loc, nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a withdrawn entry: %d", resp.StatusCode)
	}
	fb, _ := feedback.NewStore(f.Store.DB, webtest.Secret)
	if es, _ := fb.Enrolments(context.Background(), nil, true); len(es) != 0 {
		t.Fatalf("%d active after withdrawal", len(es))
	}
}
