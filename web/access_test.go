package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

// Outcomes of a request in the access matrix.
const (
	allow = "allow" // reached the handler
	login = "login" // anonymous, sent to the login page
	deny  = "deny"  // signed in without the role: 403
	// unauth is the API's answer without a token: 401, never a login page.
	unauth = "unauth"
)

var roles = []string{"anonymous", "admin", "advisor", "unit_leader", "follow_up", "council"}

// public, anyStaff and adminOnly are the expected outcome per role, in the order of roles.
var (
	public    = []string{allow, allow, allow, allow, allow, allow}
	anyStaff  = []string{login, allow, allow, allow, allow, allow}
	adminOnly = []string{login, allow, deny, deny, deny, deny}
	// advisorOrAdmin: planning pages for quality advisors (and admins).
	advisorOrAdmin = []string{login, allow, allow, deny, deny, deny}
	// metricsOnly: a scraper on loopback or with the metrics token; no session opens it.
	metricsOnly = []string{deny, deny, deny, deny, deny, deny}
	// followUpOrAdmin: contact requests and unreviewed feedback text.
	followUpOrAdmin = []string{login, allow, deny, deny, allow, deny}
	// readers: reviewed text and API tokens, for everyone who reads results.
	readers = []string{login, allow, allow, allow, deny, allow}
	// apiToken: the JSON API, reached with each role's API token instead
	// of a session; follow-up staff read no results.
	apiToken = []string{unauth, allow, allow, allow, deny, allow}
	// actionReaders: actions, read by unit leaders for their own units.
	actionReaders = []string{login, allow, allow, allow, deny, deny}
	// councilOrAdvisor: the council workspace.
	councilOrAdvisor = []string{login, allow, allow, deny, deny, allow}
	// resultsReaders: exports, narrowed further inside (see export_test.go).
	resultsReaders = []string{login, allow, allow, allow, deny, allow}
	// resultsViewers: the advisor dashboard; unit leaders see their own units.
	resultsViewers = []string{login, allow, allow, allow, deny, deny}
	// councilReaders: the council's report of published results.
	councilReaders = []string{login, allow, allow, deny, deny, allow}
	// secondStep: the code after the password, open to anyone, but without
	// the cookie that a right password sets it sends everyone to /login.
	secondStep = []string{login, allow, allow, allow, allow, allow}
)

// accessMatrix lists every route. A route added to the router without a line
// here fails TestAccessMatrix, so nobody can add a page and forget its rule.
var accessMatrix = map[string][]string{
	"GET /healthz":                       public,
	"GET /readyz":                        public,
	"GET /metrics":                       metricsOnly,
	"GET /static/*":                      public,
	"GET /":                              public,
	"GET /s/:link":                       public,
	"POST /s/:link":                      public,
	"GET /s/:link/takk":                  public,
	"GET /s/:link/lagret":                public,
	"GET /s/:link/fortsett":              public,
	"POST /s/:link/fortsett":             public,
	"GET /trekk":                         public,
	"GET /i":                             public,
	"POST /i":                            public,
	"GET /personvern":                    public,
	"GET /tilgjengelighet":               public,
	"POST /trekk":                        public,
	"GET /login":                         public,
	"POST /login":                        public,
	"GET /passord/:token":                public,
	"POST /passord/:token":               public,
	"GET /login/2fa":                     secondStep,
	"POST /login/2fa":                    secondStep,
	"POST /logout":                       anyStaff,
	"GET /logout/everywhere":             anyStaff,
	"POST /logout/everywhere":            anyStaff,
	"GET /admin/2fa":                     anyStaff,
	"GET /admin/2fa/qr.png":              anyStaff,
	"POST /admin/2fa/setup":              anyStaff,
	"POST /admin/2fa/enable":             anyStaff,
	"POST /admin/2fa/disable":            anyStaff,
	"POST /admin/2fa/recovery":           anyStaff,
	"POST /admin/users/:id/2fa/reset":    adminOnly,
	"GET /admin":                         anyStaff,
	"POST /admin/session/extend":         anyStaff,
	"GET /admin/unsent":                  anyStaff,
	"GET /admin/users":                   adminOnly,
	"POST /admin/users":                  adminOnly,
	"GET /admin/users/:id":               adminOnly,
	"POST /admin/users/:id":              adminOnly,
	"POST /admin/users/:id/link":         adminOnly,
	"GET /admin/audit":                   adminOnly,
	"GET /admin/waves":                   advisorOrAdmin,
	"POST /admin/waves/:id/open":         advisorOrAdmin,
	"POST /admin/waves/:id/close":        advisorOrAdmin,
	"GET /admin/waves/:id/population":    advisorOrAdmin,
	"POST /admin/waves/:id/population":   advisorOrAdmin,
	"GET /admin/plan":                    advisorOrAdmin,
	"POST /admin/plan":                   advisorOrAdmin,
	"GET /admin/instruments":             advisorOrAdmin,
	"GET /admin/instruments/:id/preview": advisorOrAdmin,
	"GET /admin/invitations":             advisorOrAdmin,
	"POST /admin/invitations":            advisorOrAdmin,
	"GET /admin/invitations/send":        advisorOrAdmin,
	"POST /admin/invitations/send":       advisorOrAdmin,
	"GET /admin/outbox":                  adminOnly,
	"GET /admin/posters/:link":           advisorOrAdmin,
	// XLSForm in and out, and files for translators.
	"GET /admin/instruments/import":                        advisorOrAdmin,
	"POST /admin/instruments/import":                       advisorOrAdmin,
	"POST /admin/instruments/import/:token":                advisorOrAdmin,
	"GET /admin/instruments/:id/xlsform":                   advisorOrAdmin,
	"GET /admin/instruments/:id/translations.csv":          advisorOrAdmin,
	"POST /admin/instruments/:id/translations":             advisorOrAdmin,
	"POST /admin/instruments/:id/edit/focus-areas/new":     advisorOrAdmin,
	"POST /admin/instruments/:id/edit/lists/new":           advisorOrAdmin,
	"POST /admin/instruments/:id/edit/lists/:list/choices": advisorOrAdmin,
	// Units and their public overview.
	"GET /admin/units":                 advisorOrAdmin,
	"POST /admin/units":                advisorOrAdmin,
	"GET /admin/units/import":          advisorOrAdmin,
	"POST /admin/units/import":         advisorOrAdmin,
	"POST /admin/units/import/confirm": advisorOrAdmin,
	"GET /admin/units/:id":             advisorOrAdmin,
	"POST /admin/units/:id":            advisorOrAdmin,
	"POST /admin/units/:id/active":     advisorOrAdmin,
	"GET /kontakt":                     public,
	// The instrument editor and new waves.
	"POST /admin/instruments/:id/draft":               advisorOrAdmin,
	"GET /admin/instruments/:id/edit":                 advisorOrAdmin,
	"POST /admin/instruments/:id/edit/title":          advisorOrAdmin,
	"POST /admin/instruments/:id/edit/languages":      advisorOrAdmin,
	"POST /admin/instruments/:id/edit/focus-areas":    advisorOrAdmin,
	"POST /admin/instruments/:id/edit/lists/:list":    advisorOrAdmin,
	"POST /admin/instruments/:id/edit/pages":          advisorOrAdmin,
	"POST /admin/instruments/:id/edit/pages/:page":    advisorOrAdmin,
	"GET /admin/instruments/:id/edit/questions/new":   advisorOrAdmin,
	"POST /admin/instruments/:id/edit/questions":      advisorOrAdmin,
	"GET /admin/instruments/:id/edit/questions/:key":  advisorOrAdmin,
	"POST /admin/instruments/:id/edit/questions/:key": advisorOrAdmin,
	"POST /admin/instruments/:id/publish":             advisorOrAdmin,
	"GET /admin/waves/new":                            advisorOrAdmin,
	"POST /admin/waves/new":                           advisorOrAdmin,

	"GET /tilbakemelding":                   public,
	"GET /tilbakemelding/:unit":             public,
	"POST /tilbakemelding":                  public,
	"GET /admin/followup":                   followUpOrAdmin,
	"GET /admin/followup/:id":               followUpOrAdmin,
	"POST /admin/followup/:id/contacted":    followUpOrAdmin,
	"POST /admin/followup/:id/close":        followUpOrAdmin,
	"POST /admin/followup/:id/conversation": followUpOrAdmin,
	"GET /admin/feedback":                   followUpOrAdmin,
	"GET /admin/register":                   followUpOrAdmin,
	"GET /admin/register/new":               followUpOrAdmin,
	"POST /admin/register":                  followUpOrAdmin,
	"GET /admin/register/:id":               followUpOrAdmin,
	"POST /admin/register/:id/:change":      followUpOrAdmin,
	"GET /admin/feedback/stats":             advisorOrAdmin,

	"GET /admin/review":                           advisorOrAdmin,
	"GET /admin/review/:source/:id":               advisorOrAdmin,
	"POST /admin/review/:source/:id":              advisorOrAdmin,
	"GET /admin/texts":                            readers,
	"GET /admin/texts/feedback":                   actionReaders,
	"GET /admin/tokens":                           readers,
	"POST /admin/tokens":                          readers,
	"POST /admin/tokens/:ref/revoke":              readers,
	"GET /api/v1/waves":                           apiToken,
	"GET /api/v1/units":                           apiToken,
	"GET /api/v1/waves/:wave/results":             apiToken,
	"GET /api/v1/waves/:wave/focus-areas":         apiToken,
	"GET /api/v1/waves/:wave/items/:item":         apiToken,
	"GET /admin/actions":                          actionReaders,
	"GET /admin/actions/new":                      advisorOrAdmin,
	"POST /admin/actions":                         advisorOrAdmin,
	"GET /admin/actions/import":                   advisorOrAdmin,
	"POST /admin/actions/import":                  advisorOrAdmin,
	"POST /admin/actions/import/confirm":          advisorOrAdmin,
	"GET /admin/actions/:id":                      actionReaders,
	"POST /admin/actions/:id":                     actionReaders,
	"POST /admin/actions/:id/notes":               actionReaders,
	"GET /admin/council":                          councilOrAdvisor,
	"POST /admin/council/settings":                adminOnly,
	"POST /admin/council/members":                 advisorOrAdmin,
	"POST /admin/council/members/:id/remove":      advisorOrAdmin,
	"POST /admin/council/meetings":                advisorOrAdmin,
	"GET /admin/council/meetings/:id":             councilOrAdvisor,
	"POST /admin/council/meetings/:id/agenda":     advisorOrAdmin,
	"POST /admin/council/meetings/:id/minutes":    advisorOrAdmin,
	"POST /admin/council/meetings/:id/decisions":  advisorOrAdmin,
	"POST /admin/council/meetings/:id/notice":     advisorOrAdmin,
	"POST /admin/council/decisions/:id/done":      advisorOrAdmin,
	"GET /admin/council/actions/:id":              councilOrAdvisor,
	"POST /admin/council/actions/:id/comments":    councilOrAdvisor,
	"GET /admin/council/findings/:wave":           councilOrAdvisor,
	"POST /admin/council/findings/:wave/comments": councilOrAdvisor,
	"GET /resultater":                             public,
	"GET /resultater/:wave":                       public,
	"GET /delta":                                  public,
	"GET /delta/pamelding/:event":                 public,
	"POST /delta/pamelding/:event":                public,
	"GET /admin/arenas":                           adminOnly,
	"POST /admin/arenas/sections/:kind":           adminOnly,
	"POST /admin/arenas/events":                   adminOnly,
	"GET /admin/arenas/events/:id":                adminOnly,
	"POST /admin/arenas/events/:id/remove":        adminOnly,
	"GET /logo":                                   public,
	"GET /admin/branding":                         adminOnly,
	"POST /admin/branding":                        adminOnly,
	"POST /admin/branding/remove":                 adminOnly,
	"GET /admin/export":                           resultsReaders,
	"GET /admin/results":                          resultsViewers,
	"POST /admin/results/:id/publish":             advisorOrAdmin,
	"POST /admin/results/:id/withdraw":            advisorOrAdmin,
	"GET /admin/council/results":                  councilReaders,
	"GET /admin/report":                           councilReaders,
	"GET /admin/report/pdf":                       councilReaders,
}

func TestAccessMatrix(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	params := map[string]string{":link": f.Open, ":token": "no-such-token", ":id": users["council"].ID, "*": "stemme.css", ":unit": "solbakken",
		":source": "survey", ":ref": "no-such-ref", ":wave": "open", ":item": "info_given", ":change": "end", ":event": "no-such-event", ":kind": "cafe"}
	tokens := map[string]string{}
	for role, u := range users {
		token, _, err := staff.NewStore(f.Store.DB).CreateToken(context.Background(), u.ID, role, time.Time{}, webtest.FixedNow)
		if err != nil {
			t.Fatal(err)
		}
		tokens[role] = token
	}

	seen := map[string]bool{}
	for _, r := range f.App.GetRoutes(true) {
		if r.Method == http.MethodHead {
			continue
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		want, ok := accessMatrix[key]
		if !ok {
			t.Errorf("route %s has no line in the access matrix", key)
			continue
		}
		path := r.Path
		for p, v := range params {
			path = strings.ReplaceAll(path, p, v)
		}
		for i, role := range roles {
			var u *staff.User
			if role != "anonymous" {
				x := users[role]
				u = &x
			}
			if strings.HasPrefix(path, "/api/") {
				req, _ := http.NewRequest(r.Method, path, nil)
				if u != nil {
					req.Header.Set("Authorization", "Bearer "+tokens[role])
				}
				resp, _ := f.Do(t, req)
				got := allow
				switch resp.StatusCode {
				case http.StatusForbidden:
					got = deny
				case http.StatusUnauthorized:
					got = unauth
				}
				if got != want[i] {
					t.Errorf("%s as %s: %s (status %d), want %s", key, role, got, resp.StatusCode, want[i])
				}
				continue
			}
			s := webtest.SignIn(t, f, u)
			req, _ := http.NewRequest(r.Method, path, nil)
			if r.Method == http.MethodPost {
				token := s.CSRF
				if strings.HasPrefix(path, "/login") || strings.HasPrefix(path, "/passord") {
					token = s.AnonCSRF
				}
				req, _ = http.NewRequest(r.Method, path, strings.NewReader(url.Values{"_csrf": {token}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			req.Header.Set("Cookie", s.Cookie)
			resp, _ := f.Do(t, req)
			got := allow
			switch {
			case resp.StatusCode == http.StatusForbidden:
				got = deny
			case u == nil && resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/login"):
				got = login
			}
			if got != want[i] {
				t.Errorf("%s as %s: %s (status %d), want %s", key, role, got, resp.StatusCode, want[i])
			}
		}
	}
	for key := range accessMatrix {
		if !seen[key] {
			t.Errorf("access matrix lists %s, which is not a route", key)
		}
	}
}

func TestStaffPostsWithoutCSRFTokenAreRefused(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	admin := users["admin"]
	st := staff.NewStore(f.Store.DB)
	before, _ := st.CountUsers(context.Background())
	form := url.Values{"email": {"ny@kommune.no"}, "name": {"Ny"}, "role": {"advisor"}}
	for _, tt := range []struct{ name, path, token string }{
		{"no token", "/admin/users", ""},
		{"forged token", "/admin/users", "forged"},
		{"another session's token", "/admin/users", webtest.SignIn(t, f, &admin).CSRF},
		{"logout without token", "/logout", ""},
		{"login without token", "/login", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := webtest.SignIn(t, f, &admin)
			v := url.Values{}
			for k, vs := range form {
				v[k] = vs
			}
			if tt.token != "" {
				v.Set("_csrf", tt.token)
			}
			req, _ := http.NewRequest(http.MethodPost, tt.path, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", s.Cookie)
			if resp, _ := f.Do(t, req); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
			if _, _, err := st.Session(context.Background(), strings.TrimPrefix(s.Cookie[strings.Index(s.Cookie, "stemme_session="):], "stemme_session="), webtest.FixedNow, staff.DefaultLifetimes); err != nil {
				t.Fatal("a refused logout still ended the session")
			}
		})
	}
	after, _ := st.CountUsers(context.Background())
	if after != before {
		t.Fatalf("users %d → %d: a refused post changed something", before, after)
	}
	// With the token, the same post works: the refusals above were the token's doing.
	s := webtest.SignIn(t, f, &admin)
	form.Set("_csrf", s.CSRF)
	req, _ := http.NewRequest(http.MethodPost, "/admin/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", s.Cookie)
	if resp, body := f.Do(t, req); resp.StatusCode != http.StatusOK || !strings.Contains(body, "/passord/") {
		t.Fatalf("valid post: status %d, no password link shown", resp.StatusCode)
	}
}

func TestCrossSitePostsAreRefused(t *testing.T) {
	f := webtest.New(t)
	_, body := f.Get(t, "/s/"+f.Open)
	form := webtest.FormTokens(t, body)
	form.Set("relation", "child")
	form.Set("_action", "submit")
	for _, h := range [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		req, _ := http.NewRequest(http.MethodPost, "/s/"+f.Open, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(h[0], h[1])
		if resp, _ := f.Do(t, req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %s → status %d, want 403", h[0], h[1], resp.StatusCode)
		}
	}
	if n, _ := f.Filed(t).CountDocuments(context.Background(), map[string]any{}); n != 0 {
		t.Fatalf("a cross-site post stored %d responses", n)
	}
}

func TestLoginStartsAFreshSession(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	st := staff.NewStore(f.Store.DB)
	// An attacker plants a session id of their own before the victim logs in.
	planted, _ := st.StartSession(context.Background(), users["council"].ID, webtest.FixedNow)
	s := webtest.SignIn(t, f, nil)
	cookie := s.Cookie + "; stemme_session=" + planted
	form := url.Values{"_csrf": {s.CSRF}, "email": {"advisor@kommune.no"}, "password": {"korrekt hest batteri stift"}}
	req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", cookie)
	resp, _ := f.Do(t, req)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
		t.Fatalf("login: status %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var fresh string
	for _, c := range resp.Cookies() {
		if c.Name == "stemme_session" {
			fresh = c.Value
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie HttpOnly=%v SameSite=%v", c.HttpOnly, c.SameSite)
			}
		}
	}
	if fresh == "" || fresh == planted {
		t.Fatalf("session id after login %q, want a new one", fresh)
	}
	if _, _, err := st.Session(context.Background(), planted, webtest.FixedNow, staff.DefaultLifetimes); err == nil {
		t.Fatal("the planted session still works after login")
	}
	if _, u, err := st.Session(context.Background(), fresh, webtest.FixedNow.Add(time.Minute), staff.DefaultLifetimes); err != nil || u.Email != "advisor@kommune.no" {
		t.Fatalf("new session: %v, %v", u.Email, err)
	}
}

func TestWrongPasswordIsRefusedPolitely(t *testing.T) {
	f := webtest.New(t)
	webtest.StaffUsers(t, f)
	s := webtest.SignIn(t, f, nil)
	form := url.Values{"_csrf": {s.CSRF}, "email": {"advisor@kommune.no"}, "password": {"feil passord her"}}
	req, _ := http.NewRequest(http.MethodPost, "/login?lang=en", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", s.Cookie)
	resp, body := f.Do(t, req)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Wrong email address or password") ||
		!strings.Contains(body, `value="advisor@kommune.no"`) {
		t.Fatalf("status %d; want 401 with a translated message and the address kept", resp.StatusCode)
	}
}
