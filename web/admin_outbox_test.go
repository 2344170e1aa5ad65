package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/web"
)

func TestWithoutMailSettingsMessagesWaitInTheOutbox(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	admin := users["admin"]
	s := webtest.SignIn(t, f, &admin)
	resp, body := staffRequest(t, f, s, http.MethodPost, "/admin/users", url.Values{"email": {"ny@kommune.no"}, "name": {"Ny Ansatt"}, "role": {"advisor"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "/passord/") {
		t.Fatalf("adding a user without mail settings: %d", resp.StatusCode)
	}
	_, body = staffRequest(t, f, s, http.MethodGet, "/admin/outbox?lang=en", nil)
	for _, want := range []string{"E-mail is not set up", "Password link", "ny@kommune.no", "waiting for settings", "1 messages waiting"} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("the outbox page lacks %q", want)
		}
	}
	if strings.Contains(body, "/passord/") {
		t.Error("the outbox page shows a message's content")
	}
}

// channelApp is the fixture's store served by an app that has e-mail and SMS.
func channelApp(t *testing.T, f *webtest.Fixture) *webtest.Fixture {
	t.Helper()
	app, err := web.New(web.Config{Store: f.Store, BaseURL: "http://localhost:8080", Secret: webtest.Secret,
		Now: func() time.Time { return webtest.FixedNow }, Tallier: f.Tallier, Channels: map[string]bool{outbox.Email: true, outbox.SMS: true}})
	if err != nil {
		t.Fatal(err)
	}
	g := *f
	g.App = app
	return &g
}

func TestInvitationsFromAnUploadedList(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	form := url.Values{"wave": {"open"}, "unit": {"solbakken"}, "lang": {"en"}, "channel": {"email"}}

	// Without mail settings nothing is taken in.
	resp, body := uploadFile(t, f, s, "/admin/invitations/send?lang=en", "list", "list.csv", []byte("kari@example.no\n"), form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "This channel is not set up") {
		t.Fatalf("unconfigured: %d", resp.StatusCode)
	}
	g := channelApp(t, f)
	bad := []byte("e-post\nkari@example.no\nnot an address\nKARI@example.no\n")
	resp, body = uploadFile(t, g, s, "/admin/invitations/send?lang=en", "list", "list.csv", bad, form)
	body = html.UnescapeString(body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Row 3: “not an address” is not a valid e-mail address") ||
		!strings.Contains(body, "Row 4: the same recipient as row 2") {
		t.Fatalf("a list with bad rows: %d\n%s", resp.StatusCode, truncateBody(body))
	}
	if n := len(auditEntries(t, f, "invitations.issue")); n != 0 {
		t.Fatalf("a refused list issued codes (%d audit entries)", n)
	}
	resp, body = uploadFile(t, g, s, "/admin/invitations/send?lang=en", "list", "list.csv", []byte("kari@example.no\nola@example.no\n"), form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "2 invitations were queued") {
		t.Fatalf("a good list: %d\n%s", resp.StatusCode, truncateBody(body))
	}
	if n := len(auditEntries(t, f, "invitations.issue")); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
}

func TestCouncilNoticeIsQueued(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/council/meetings", url.Values{"kind": {"council"}, "date": {"2026-12-10"}, "time": {"17:00"}, "place": {"Rådhuset"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/council/meetings/") {
		t.Fatalf("meeting: %d → %s", resp.StatusCode, loc)
	}
	id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/admin/council/meetings/")
	resp, _ = staffRequest(t, f, s, http.MethodPost, "/admin/council/meetings/"+id+"/notice", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "noticed=1") {
		t.Fatalf("notice: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := staffRequest(t, f, s, http.MethodGet, resp.Header.Get("Location")+"&lang=en", nil)
	if !strings.Contains(body, "The notice was queued for 1 members") {
		t.Fatal("the meeting page does not say the notice was queued")
	}
}
