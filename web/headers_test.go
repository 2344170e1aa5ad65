package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
)

func TestSecurityHeadersOnEveryKindOfResponse(t *testing.T) {
	f := webtest.New(t)
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'",
		"Referrer-Policy":         "no-referrer",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Permissions-Policy":      "camera=()",
	}
	for _, path := range []string{"/", "/s/" + f.Open, "/nowhere", "/static/stemme.css", "/static/missing.css", "/login", "/healthz"} {
		resp, _ := f.Get(t, path)
		for h, v := range want {
			if got := resp.Header.Get(h); !strings.Contains(got, v) {
				t.Errorf("%s (status %d): %s = %q, want it to contain %q", path, resp.StatusCode, h, got, v)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if resp.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent over plain http", path)
		}
	}
}

func TestRateLimitKeepsTheFormAndSays429(t *testing.T) {
	f := webtest.New(t)
	_, body := f.Get(t, "/s/"+f.Open)
	form := webtest.FormTokens(t, body)
	form.Set("important", "Dette vil jeg ikke miste")
	var last *http.Response
	for range 121 {
		form.Del("relation") // invalid on purpose: every post is answered 400 and stores nothing
		last, body = f.Post(t, "/s/"+f.Open+"?lang=en", form)
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("121st post in a minute: status %d, want 429", last.StatusCode)
	}
	for _, w := range []string{"You have sent many forms", "Dette vil jeg ikke miste"} {
		if !strings.Contains(body, w) {
			t.Errorf("429 page lacks %q", w)
		}
	}
	if last.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	s := webtest.SignIn(t, f, nil)
	var resp *http.Response
	for range 11 {
		v := url.Values{"_csrf": {s.AnonCSRF}, "email": {"x@kommune.no"}, "password": {"feil passord"}}
		req, _ := http.NewRequest(http.MethodPost, "/login?lang=en", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", s.Cookie)
		resp, body = f.Do(t, req)
	}
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many attempts") {
		t.Fatalf("11th login in a minute: status %d, want a translated 429 page", resp.StatusCode)
	}
}

func TestHTTPSDeploymentHardensCookiesAndSendsHSTS(t *testing.T) {
	f := webtest.NewAt(t, "https://stemme.kommune.no")
	resp, body := f.Get(t, "/login")
	if hsts := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=31536000") {
		t.Errorf("HSTS %q", hsts)
	}
	var csrf *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-stemme_csrf" {
			csrf = c
		}
	}
	if csrf == nil || !csrf.Secure || !csrf.HttpOnly || csrf.Path != "/" || csrf.Domain != "" || csrf.SameSite != http.SameSiteStrictMode {
		t.Fatalf("CSRF cookie %+v, want __Host- prefixed, Secure, HttpOnly, Path=/, no Domain, SameSite=Strict", csrf)
	}
	webtest.StaffUsers(t, f)
	token := webtest.CSRFField.FindStringSubmatch(body)[1]
	v := url.Values{"_csrf": {token}, "email": {"advisor@kommune.no"}, "password": {"korrekt hest batteri stift"}}
	req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "__Host-stemme_csrf="+csrf.Value)
	resp, _ = f.Do(t, req)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login over https: status %d", resp.StatusCode)
	}
	found := false
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-stemme_session" {
			found = c.Secure && c.HttpOnly && c.Path == "/" && c.SameSite == http.SameSiteLaxMode
		}
	}
	if !found {
		t.Fatalf("session cookie not __Host-stemme_session with Secure, HttpOnly, Path=/, SameSite=Lax: %v", resp.Cookies())
	}
}
