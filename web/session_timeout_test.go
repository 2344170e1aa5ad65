package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/web"
)

// clock is a time tests move forward.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestTimedOutNoteSurvivesLogin: every staff page says until when the
// session lasts and extends it on request (JSON for the dialog, a redirect
// back without JavaScript); a note sent after the session ended is kept
// sealed for its author, shown once after signing in again, and sent by
// the author; another user signing in on that browser gets nothing.
func TestTimedOutNoteSurvivesLogin(t *testing.T) {
	clk := &clock{now: webtest.FixedNow}
	f := webtest.NewAt(t, "http://localhost:8080", func(c *web.Config) {
		c.Now = clk.Now
		c.Sessions = staff.Lifetimes{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}
	})

	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	id := webtest.InsertAction(t, f, "Faste samtaler")
	page := "/admin/actions/" + id

	_, body := f.Get(t, page, "Cookie", s.Cookie)
	// fixedNow is 13:00 in Oslo; thirty idle minutes end at 13:30.
	for _, want := range []string{`data-expires-in="1800"`, `data-warn="120"`, "13:30", `action="/admin/session/extend"`, `id="session-dialog"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}

	clk.add(20 * time.Minute)
	req, _ := http.NewRequest(http.MethodPost, "/admin/session/extend",
		strings.NewReader(url.Values{"_csrf": {s.CSRF}, "next": {page}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Cookie", s.Cookie)
	resp, body := f.Do(t, req)
	var ext struct {
		ExpiresIn int    `json:"expiresIn"`
		Note      string `json:"note"`
	}
	if err := json.Unmarshal([]byte(body), &ext); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("extend: status %d, %s (%v)", resp.StatusCode, body, err)
	}
	if ext.ExpiresIn != 1800 || !strings.Contains(ext.Note, "13:50") {
		t.Errorf("after extending at 13:20: %+v, want 1800 s, until 13:50", ext)
	}
	// Without JavaScript the form goes back to the page; a foreign next does not.
	for next, want := range map[string]string{page: page, "https://evil.example/": "/admin"} {
		resp, _ = staffPost(t, f, s, "/admin/session/extend", url.Values{"next": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("extend with next %s: %d to %q, want %s", next, resp.StatusCode, loc, want)
		}
	}

	// 35 minutes without a request: the note is sent too late.
	clk.add(35 * time.Minute)
	note := "Snakket med sønnen, avtalt nytt møte 3. desember."
	resp, _ = staffPost(t, f, s, page+"/notes", url.Values{"note": {note}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?") {
		t.Fatalf("a note after the timeout: %d to %q, want the login page", resp.StatusCode, loc)
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(loc, "/login?"))
	if q.Get("next") != "/admin/unsent" || q.Get("done") != "expired" {
		t.Errorf("login is sent %v, want next=/admin/unsent and done=expired", q)
	}
	kept := cookieValue(resp, "stemme_unsent")
	if kept == "" {
		t.Fatal("no cookie finds the kept note")
	}
	if n, _ := actions.NewStore(f.Store.DB).Notes(context.Background(), id); len(n) != 0 {
		t.Fatalf("the note was saved without a session: %v", n)
	}
	_, body = f.Get(t, loc)
	if !strings.Contains(body, `name="next" value="/admin/unsent"`) {
		t.Error("the login form does not carry next")
	}

	// Another user signing in on this browser gets nothing.
	other := users["admin"]
	so := webtest.SignInAt(t, f, &other, clk.Now())
	_, body = f.Get(t, "/admin/unsent", "Cookie", so.Cookie+"; stemme_unsent="+kept)
	if strings.Contains(body, note) || strings.Contains(body, `action="`+page+`/notes"`) {
		t.Fatal("another user was shown the kept note")
	}

	// The author signs in again and sees it, once.
	s2 := webtest.SignInAt(t, f, &advisor, clk.Now())
	_, body = f.Get(t, "/admin/unsent", "Cookie", s2.Cookie+"; stemme_unsent="+kept)
	if !strings.Contains(body, note) || !strings.Contains(body, `action="`+page+`/notes"`) {
		t.Fatalf("the author is not shown the kept note:\n%s", truncateBody(body))
	}
	if _, again := f.Get(t, "/admin/unsent", "Cookie", s2.Cookie+"; stemme_unsent="+kept); strings.Contains(again, note) {
		t.Error("the kept note is shown twice")
	}
	resp, _ = staffPost(t, f, s2, page+"/notes", url.Values{"note": {note}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sending the note again: %d", resp.StatusCode)
	}
	if n, _ := actions.NewStore(f.Store.DB).Notes(context.Background(), id); len(n) != 1 || n[0].Text != note {
		t.Errorf("notes after sending again: %+v", n)
	}
}
