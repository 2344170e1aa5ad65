package web_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/web"
)

// clockApp rebuilds the fixture's app with a clock the test moves, as
// authenticator codes change every 30 seconds.
func clockApp(t *testing.T, f *webtest.Fixture, require2FA bool) *atomic.Int64 {
	t.Helper()
	var clock atomic.Int64
	clock.Store(webtest.FixedNow.UnixNano())
	app, err := web.New(web.Config{Store: f.Store, Logger: f.Logger(), BaseURL: "http://localhost:8080", Secret: webtest.Secret,
		Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }, Tallier: f.Tallier, Login: webtest.LoginPolicy,
		Require2FA: require2FA})
	if err != nil {
		t.Fatal(err)
	}
	f.App = app
	return &clock
}

var (
	totpSecret    = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`)
	recoveryCodes = regexp.MustCompile(`<li><code>([0-9a-z-]{17})</code></li>`)
)

// cookieValue returns a cookie the response sets.
func cookieValue(resp *http.Response, name string) string {
	for _, c := range resp.Cookies() {
		if c.Name == name && c.MaxAge >= 0 {
			return c.Value
		}
	}
	return ""
}

func TestSecondFactorFromSetUpToSignIn(t *testing.T) {
	f := webtest.New(t)
	clock := clockApp(t, f, false)
	at := func(d time.Duration) time.Time { return webtest.FixedNow.Add(d) }
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)

	// Set up: a secret, its QR code from this origin, then a code from the app.
	if resp, _ := staffPost(t, f, s, "/admin/2fa/setup", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: status %d", resp.StatusCode)
	}
	_, page := f.Get(t, "/admin/2fa?lang=en", "Cookie", s.Cookie)
	m := totpSecret.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `<img src="/admin/2fa/qr.png"`) {
		t.Fatal("the set-up page shows no QR code or no key")
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	resp, qr := f.Get(t, "/admin/2fa/qr.png", "Cookie", s.Cookie)
	if _, err := png.Decode(bytes.NewReader([]byte(qr))); err != nil || resp.Header.Get("Content-Type") != "image/png" ||
		resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "img-src 'self'") {
		t.Fatalf("QR code: %v, %q, %q", err, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
	if resp, body := staffPost(t, f, s, "/admin/2fa/enable?lang=en", url.Values{"code": {"123456"}}); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "The code is wrong") {
		t.Fatalf("wrong first code: status %d", resp.StatusCode)
	}
	first, _ := totp.GenerateCode(secret, at(0))
	resp, body := staffPost(t, f, s, "/admin/2fa/enable?lang=en", url.Values{"code": {first}})
	codes := recoveryCodes.FindAllStringSubmatch(body, -1)
	if resp.StatusCode != http.StatusOK || len(codes) != 10 || auditCount(t, f, staff.AuditTOTPEnable, advisor.Email) != 1 {
		t.Fatalf("enable: status %d, %d recovery codes shown", resp.StatusCode, len(codes))
	}

	// Sign in: the password leads to the second step, not to a session.
	login := func(code string) (*http.Response, string) {
		t.Helper()
		anon := webtest.SignIn(t, f, nil)
		v := url.Values{"_csrf": {anon.AnonCSRF}, "email": {advisor.Email}, "password": {"korrekt hest batteri stift"}, "next": {"/admin/plan"}}
		req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", anon.Cookie)
		resp, _ := f.Do(t, req)
		challenge := cookieValue(resp, "stemme_2fa")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login/2fa") ||
			challenge == "" || cookieValue(resp, "stemme_session") != "" {
			t.Fatalf("password: status %d → %q; want the second step and no session", resp.StatusCode, resp.Header.Get("Location"))
		}
		cookie := anon.Cookie + "; stemme_2fa=" + challenge
		if resp, page := f.Get(t, "/login/2fa?lang=en", "Cookie", cookie); resp.StatusCode != http.StatusOK || !strings.Contains(page, `autocomplete="one-time-code"`) {
			t.Fatalf("second step page: status %d", resp.StatusCode)
		}
		v = url.Values{"_csrf": {anon.AnonCSRF}, "code": {code}, "next": {"/admin/plan"}}
		req, _ = http.NewRequest(http.MethodPost, "/login/2fa?lang=en", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", cookie)
		return f.Do(t, req)
	}
	if resp, body := login(first); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "already used") {
		t.Fatalf("the code already used to enable: status %d", resp.StatusCode)
	}
	clock.Store(at(30 * time.Second).UnixNano())
	next, _ := totp.GenerateCode(secret, at(30*time.Second))
	resp, _ = login(next)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/plan" || cookieValue(resp, "stemme_session") == "" {
		t.Fatalf("right code: status %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := login(next); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the same code again: status %d, want 401", resp.StatusCode)
	}
	// Without the phone, a recovery code, once.
	if resp, _ := login(codes[0][1]); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: status %d", resp.StatusCode)
	}
	if resp, _ := login(codes[0][1]); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("recovery code twice: status %d", resp.StatusCode)
	}
	var entry bson.M
	_ = f.Store.DB.Collection("audit").FindOne(context.Background(), bson.M{"action": staff.AuditLogin, "detail": staff.MethodRecovery}).Decode(&entry)
	if entry == nil {
		t.Error("the recovery login is not audited as such")
	}

	// An admin removes it for a lost phone; the user can set up again.
	admin := users["admin"]
	if resp, _ := staffPost(t, f, webtest.SignIn(t, f, &admin), "/admin/users/"+advisor.ID+"/2fa/reset", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: status %d", resp.StatusCode)
	}
	if u, _ := staff.NewStore(f.Store.DB).User(context.Background(), advisor.ID); u.HasTOTP() || auditCount(t, f, staff.AuditTOTPDisable, advisor.Email) != 1 {
		t.Fatal("the reset did not remove the second factor, or was not audited")
	}

	// Nothing secret reaches the logs.
	for _, secretText := range []string{secret, first, next, codes[0][1], codes[1][1]} {
		if strings.Contains(f.Logs.String(), secretText) {
			t.Errorf("logs contain %q", secretText)
		}
	}
}

func TestSecondStepIsRateLimitedAndEnds(t *testing.T) {
	f := webtest.New(t)
	clockApp(t, f, false)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	st := withTOTP(t, f, advisor.ID)
	ctx := context.Background()
	anon := webtest.SignIn(t, f, nil)
	post := func(challenge, code string) *http.Response {
		v := url.Values{"_csrf": {anon.AnonCSRF}, "code": {code}}
		req, _ := http.NewRequest(http.MethodPost, "/login/2fa", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", anon.Cookie+"; stemme_2fa="+challenge)
		resp, _ := f.Do(t, req)
		return resp
	}
	challenge, _ := st.StartChallenge(ctx, advisor.ID, webtest.FixedNow)
	for i := 1; i < staff.MaxChallengeAttempts; i++ {
		if resp := post(challenge, "000000"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: status %d", i, resp.StatusCode)
		}
	}
	if resp := post(challenge, "000000"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?done=again") {
		t.Fatalf("last wrong code: status %d → %q, want back to the password", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Ten posts a minute per client, whatever the challenge.
	var last *http.Response
	for range 6 {
		last = post("no-such-challenge", "000000")
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th post in a minute: status %d, want 429", last.StatusCode)
	}
}

// TestRequiredSecondFactorComesFirst: with STEMME_REQUIRE_2FA, an admin or
// advisor without a second factor reaches only its set-up and signing out;
// other roles are not held up.
func TestRequiredSecondFactorComesFirst(t *testing.T) {
	f := webtest.New(t)
	clockApp(t, f, true)
	users := webtest.StaffUsers(t, f)
	advisor, council := users["advisor"], users["council"]
	// signIn learns the CSRF token from /admin, which now sends the advisor on.
	s := webtest.SignIn(t, f, nil)
	token, _ := staff.NewStore(f.Store.DB).StartSession(context.Background(), advisor.ID, webtest.FixedNow)
	s.Cookie += "; stemme_session=" + token
	if resp, _ := f.Get(t, "/admin", "Cookie", s.Cookie); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/2fa" {
		t.Fatalf("/admin before set-up: status %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := f.Get(t, "/admin/2fa", "Cookie", s.Cookie)
	s.CSRF = webtest.CSRFField.FindStringSubmatch(page)[1]
	if resp, _ := f.Get(t, "/admin/plan", "Cookie", s.Cookie); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/2fa" {
		t.Fatalf("a page before set-up: status %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := staffPost(t, f, s, "/admin/plan", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a post before set-up: status %d", resp.StatusCode)
	}
	if resp, body := f.Get(t, "/admin/2fa?lang=en", "Cookie", s.Cookie); resp.StatusCode != http.StatusOK || !strings.Contains(body, "requires two-factor") {
		t.Fatalf("set-up page: status %d", resp.StatusCode)
	}
	if resp, _ := f.Get(t, "/admin/texts", "Cookie", webtest.SignIn(t, f, &council).Cookie); resp.StatusCode != http.StatusOK {
		t.Fatalf("council member: status %d", resp.StatusCode)
	}
	if resp, _ := staffPost(t, f, s, "/logout", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout before set-up: status %d", resp.StatusCode)
	}
}
