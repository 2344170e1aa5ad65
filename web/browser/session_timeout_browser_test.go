package browser_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/web"
)

// TestSessionWarningInARealBrowser runs a staff session of eight idle
// seconds on the real clock: the dialog warns before the end, "stay signed
// in" extends the session without leaving the page, and once the time is
// up the dialog says so; the note typed meanwhile and sent after the end
// comes back after signing in again, and is saved when sent.
func TestSessionWarningInARealBrowser(t *testing.T) {
	chromium, axe := browserTools(t)
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	msg := messages(bundle, "nb")
	const idle = 8 * time.Second
	f := webtest.NewAt(t, "http://localhost:8080", func(c *web.Config) {
		c.Now = time.Now
		c.Sessions = staff.Lifetimes{Idle: idle, Absolute: time.Hour}
		c.SessionWarning = 5 * time.Second
	})

	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignInAt(t, f, &advisor, time.Now())
	id := webtest.InsertAction(t, f, "Faste samtaler")
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	ctx := bounded(t, b.tab(t))
	b.setCookies(t, ctx, s.Cookie, "nb")
	if err := chromedp.Do(ctx, phone.emulate()); err != nil {
		t.Fatal(err)
	}
	if status, err := load(ctx, b.base+"/admin/actions/"+id); err != nil || status != http.StatusOK {
		t.Fatalf("action page: %d, %v", status, err)
	}
	loaded := time.Now()
	waitFor := func(what, js string, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for evalString(t, ctx, `String(`+js+`)`) != "true" {
			if time.Now().After(deadline) {
				t.Fatalf("%s did not happen within %v", what, within)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	open := `document.getElementById('session-dialog').open`
	waitFor("the warning", open, idle)
	if at := time.Since(loaded); at > idle-2*time.Second {
		t.Errorf("the warning came %v after loading, with the session ending at %v", at, idle)
	}
	if got := evalString(t, ctx, `document.getElementById('session-dialog-title').textContent`); got != msg("session.warn_title") {
		t.Errorf("dialog title %q", got)
	}
	if got := evalString(t, ctx, `document.activeElement.hasAttribute('data-extend') ? 'extend' : document.activeElement.outerHTML`); got != "extend" {
		t.Errorf("focus is on %s, not on the button that extends", got)
	}
	b.checkAxe(t, ctx, phone)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#session-dialog [data-extend]`))); err != nil {
		t.Fatal(err)
	}
	waitFor("the dialog closing", `!`+open, 3*time.Second)
	// The server recorded the use: the session now ends a full idle limit
	// after the click, not at its first limit (read without using it).
	token := s.Cookie[strings.Index(s.Cookie, "stemme_session=")+len("stemme_session="):]
	var sess staff.Session
	if err := f.Store.DB.Collection("sessions").FindOne(context.Background(), bson.M{"_id": staff.HashToken(token)}).Decode(&sess); err != nil {
		t.Fatalf("the session is gone after extending: %v", err)
	}
	if !sess.LastSeen.After(loaded) {
		t.Errorf("extending did not record a use: last seen %v, page loaded %v", sess.LastSeen, loaded)
	}

	// Type a note; the time runs out while the page stays open.
	note := "Ringte sønnen, avtalt nytt møte torsdag."
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('session-dialog').close()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`textarea[name=note]`), note)); err != nil {
		t.Fatal(err)
	}
	waitFor("the dialog saying the session ended",
		`document.getElementById('session-dialog-title').textContent === `+jsString(msg("session.ended_title")), 2*idle)
	if got := evalString(t, ctx, `String(!document.querySelector('#session-dialog [data-login]').hidden)`); got != "true" {
		t.Error("the ended dialog offers no way to sign in again")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#session-dialog [data-close]`))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // past the end on the server too
	status, err := clickAndWait(ctx, `form[action$="/notes"] button[type=submit]`)
	if err != nil || status != http.StatusOK {
		t.Fatalf("sending the note after the end: %d, %v", status, err)
	}
	if got := evalString(t, ctx, `location.pathname + ' ' + (document.querySelector('.notice')?.textContent.trim() ?? '')`); got != "/login "+msg("session.expired_kept") {
		t.Fatalf("after sending late: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#email`), advisor.Email),
		chromedp.SendKeys(chromedp.CSS(`#password`), "korrekt hest batteri stift")); err != nil {
		t.Fatal(err)
	}
	if status, err := clickAndWait(ctx, `form[action="/login"] button[type=submit]`); err != nil || status != http.StatusOK {
		t.Fatalf("signing in again: %d, %v", status, err)
	}
	if got := evalString(t, ctx, `location.pathname`); got != "/admin/unsent" {
		t.Fatalf("signing in again leads to %s, not the kept note", got)
	}
	if got := evalString(t, ctx, `document.querySelector('main blockquote')?.textContent.trim() ?? ''`); got != note {
		t.Fatalf("the kept note reads %q", got)
	}
	b.checkAxe(t, ctx, phone, desktop)
	if status, err := clickAndWait(ctx, `main form button.primary`); err != nil || status != http.StatusOK {
		t.Fatalf("sending the note again: %d, %v", status, err)
	}
	if got := evalString(t, ctx, `document.querySelector('main').textContent`); !strings.Contains(got, note) {
		t.Error("the action page does not show the note sent again")
	}
}
