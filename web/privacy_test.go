package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestLogsHoldNoPersonalData captures the logs of a login and a survey
// submission and looks for anything that could identify a person or reveal
// an answer, a password or a code.
func TestLogsHoldNoPersonalData(t *testing.T) {
	f := webtest.New(t)
	// Behind a trusted proxy, so the address below is the client's own and
	// reaches the rate limits and login counters.
	behindProxy(t, f, webtest.LoginPolicy)
	webtest.StaffUsers(t, f)
	const agent = "SecretAgent/7.0 (Personal Phone)"
	const answer = "Min mor heter Kari Nordmann"

	s := webtest.SignIn(t, f, nil)
	for _, pw := range []string{"feil passord her", "korrekt hest batteri stift"} {
		v := url.Values{"_csrf": {s.AnonCSRF}, "email": {"advisor@kommune.no"}, "password": {pw}}
		req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", s.Cookie)
		req.Header.Set("User-Agent", agent)
		req.Header.Set("X-Forwarded-For", "203.0.113.77")
		f.Do(t, req)
	}
	_, body := f.Get(t, "/s/"+f.Open+"?code=INVITE-1234", "User-Agent", agent)
	form := webtest.FormTokens(t, body)
	form.Set("relation", "child")
	form.Set("important", answer)
	form.Set("_action", "submit")
	req, _ := http.NewRequest(http.MethodPost, "/s/"+f.Open+"?code=INVITE-1234", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", agent)
	if resp, _ := f.Do(t, req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	logs := f.Logs.String()
	if !strings.Contains(logs, "route=/s/:link") {
		t.Fatalf("the request log is missing, so this test proves nothing:\n%s", logs)
	}
	for _, secret := range []string{agent, "SecretAgent", "203.0.113.77", "0.0.0.0", "127.0.0.1", "korrekt hest", "feil passord",
		"INVITE-1234", f.Open, answer, "Kari", form.Get("_sid"), "advisor@kommune.no"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
	// The audit log names the staff member, as it must, but nothing else personal.
	var entries []map[string]any
	cur, _ := f.Store.DB.Collection("audit").Find(context.Background(), map[string]any{})
	_ = cur.All(context.Background(), &entries)
	if len(entries) < 2 {
		t.Fatalf("%d audit entries, want the failed and the successful login", len(entries))
	}
	// No collection holds the address, the user agent or a password: not
	// the audit log, not the login counters, not the sessions.
	ctx := context.Background()
	names, err := f.Store.DB.ListCollectionNames(ctx, bson.D{})
	if err != nil || !slices.Contains(names, "login_throttle") {
		t.Fatalf("collections %v, %v: the login counters are missing, so this test proves nothing", names, err)
	}
	for _, name := range names {
		cur, err := f.Store.DB.Collection(name).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		for cur.Next(ctx) {
			doc := cur.Current.String()
			for _, secret := range []string{"203.0.113.77", "203.0.113", "SecretAgent", "korrekt hest", "feil passord"} {
				if strings.Contains(doc, secret) {
					t.Errorf("%s holds %q: %.300s", name, secret, doc)
				}
			}
		}
		_ = cur.Close(ctx)
	}
}
