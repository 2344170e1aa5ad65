package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLogsHoldNoPersonalData captures the logs of a login and a survey
// submission and looks for anything that could identify a person or reveal
// an answer, a password or a code.
func TestLogsHoldNoPersonalData(t *testing.T) {
	f := newFixture(t)
	staffUsers(t, f)
	const agent = "SecretAgent/7.0 (Personal Phone)"
	const answer = "Min mor heter Kari Nordmann"

	s := signIn(t, f, nil)
	for _, pw := range []string{"feil passord her", "korrekt hest batteri stift"} {
		v := url.Values{"_csrf": {s.anonCSRF}, "email": {"advisor@kommune.no"}, "password": {pw}}
		req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", s.cookie)
		req.Header.Set("User-Agent", agent)
		req.Header.Set("X-Forwarded-For", "203.0.113.77")
		f.do(t, req)
	}
	_, body := f.get(t, "/s/"+f.open+"?code=INVITE-1234", "User-Agent", agent)
	form := formTokens(t, body)
	form.Set("relation", "child")
	form.Set("important", answer)
	form.Set("_action", "submit")
	req, _ := http.NewRequest(http.MethodPost, "/s/"+f.open+"?code=INVITE-1234", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", agent)
	if resp, _ := f.do(t, req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "route=/s/:link") {
		t.Fatalf("the request log is missing, so this test proves nothing:\n%s", logs)
	}
	for _, secret := range []string{agent, "SecretAgent", "203.0.113.77", "0.0.0.0", "127.0.0.1", "korrekt hest", "feil passord",
		"INVITE-1234", f.open, answer, "Kari", form.Get("_sid"), "advisor@kommune.no"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
	// The audit log names the staff member, as it must, but nothing else personal.
	var entries []map[string]any
	cur, _ := f.st.DB.Collection("audit").Find(context.Background(), map[string]any{})
	_ = cur.All(context.Background(), &entries)
	if len(entries) < 2 {
		t.Fatalf("%d audit entries, want the failed and the successful login", len(entries))
	}
	for _, e := range entries {
		for _, v := range e {
			if s, ok := v.(string); ok && (strings.Contains(s, "203.0.113.77") || strings.Contains(s, "passord") || strings.Contains(s, "hest")) {
				t.Errorf("audit entry holds %q", s)
			}
		}
	}
}
