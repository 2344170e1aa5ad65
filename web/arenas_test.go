package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

var signUpLink = regexp.MustCompile(`href="(/delta/pamelding/[0-9a-f]+)"`)

func TestArenasOnDeltaWithSignUp(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	admin := users["admin"]
	s := webtest.SignIn(t, f, &admin)
	resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/arenas/sections/school", url.Values{"intro": {"Fire kvelder om demens, våren 2027."},
		"contact": {"Kari, tlf 69 00 00 00"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("section: %d", resp.StatusCode)
	}
	resp, body := staffRequest(t, f, s, http.MethodPost, "/admin/arenas/events?lang=en", url.Values{"kind": {"school"}, "title": {""}, "date": {"2026-12-02"}, "place": {"Biblioteket"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Enter a title") {
		t.Fatalf("an event without a title: %d", resp.StatusCode)
	}
	resp, _ = staffRequest(t, f, s, http.MethodPost, "/admin/arenas/events", url.Values{"kind": {"school"}, "title": {"Pårørendeskole, kveld 1"},
		"date": {"2026-12-02"}, "time": {"18:00"}, "place": {"Biblioteket"}, "signup": {"yes"}, "capacity": {"20"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("event: %d", resp.StatusCode)
	}
	for _, lang := range []string{"nb", "ar", "so"} {
		_, delta := f.Get(t, "/delta?lang="+lang)
		if !strings.Contains(delta, "Fire kvelder om demens") || !strings.Contains(delta, "Pårørendeskole, kveld 1") || signUpLink.FindString(delta) == "" {
			t.Fatalf("%s: /delta lacks the arena\n%s", lang, truncateBody(delta))
		}
	}
	_, delta := f.Get(t, "/delta")
	link := signUpLink.FindStringSubmatch(delta)[1]
	_, form := f.Get(t, link+"?lang=en")
	tokens := webtest.FormTokens(t, form)
	tokens.Set("name", "Kari Nordmann")
	tokens.Set("phone", "12")
	resp, body = f.Post(t, link+"?lang=en", tokens)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "8 to 15 digits") || !strings.Contains(body, `value="Kari Nordmann"`) {
		t.Fatalf("a bad phone: %d", resp.StatusCode)
	}
	// The error summary leads into the field, as on every other form.
	if !regexp.MustCompile(`<div class="error-summary"[^>]*>.*?<li><a href="#s-phone">[^<]*8 to 15 digits`).MatchString(body) ||
		!strings.Contains(body, `id="s-phone"`) {
		t.Fatalf("the error summary does not link to the phone field:\n%s", truncateBody(body[strings.Index(body, "<main"):]))
	}
	tokens.Set("phone", "912 34 567")
	resp, body = f.Post(t, link+"?lang=en", tokens)
	if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), "You are signed up") {
		t.Fatalf("sign-up: %d", resp.StatusCode)
	}
	f.Post(t, link, tokens) // the same form again stores nothing twice
	_, list := staffRequest(t, f, s, http.MethodGet, "/admin/arenas?lang=en", nil)
	if !strings.Contains(list, ">1 / 20</a>") {
		t.Fatalf("the admin page does not count one sign-up:\n%s", truncateBody(list))
	}
	views := len(auditEntries(t, f, staff.AuditContactView))
	id := strings.TrimPrefix(link, "/delta/pamelding/")
	_, people := staffRequest(t, f, s, http.MethodGet, "/admin/arenas/events/"+id, nil)
	if !strings.Contains(people, "Kari Nordmann") || len(auditEntries(t, f, staff.AuditContactView)) != views+1 {
		t.Fatal("the sign-up list is shown and audited")
	}
	if n := len(auditEntries(t, f, staff.AuditArena)); n != 2 {
		t.Fatalf("%d arena audit entries, want 2", n)
	}
}
