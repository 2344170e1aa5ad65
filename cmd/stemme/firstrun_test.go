package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browserish is an HTTP client with cookies that fills in each form's CSRF
// token from the page it last read, as a browser does.
type browserish struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func newBrowserish(t *testing.T, base string) *browserish {
	jar, _ := cookiejar.New(nil)
	return &browserish{t: t, base: base, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browserish) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(body)
}

func (b *browserish) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	form.Set("_csrf", b.csrf)
	resp, err := b.client.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// TestRealInstallReachesAnOpenWaveThroughTheUI starts Stemme as a
// municipality going live would (no demo), and uses only the web pages to
// add its units and staff and open its first wave.
func TestRealInstallReachesAnOpenWaveThroughTheUI(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.Demo = false
	cfg.AdminPassword = "korrekt hest batteri stift"
	s := startServe(t, cfg, nil)
	defer s.stop(t)
	if out := s.out.String(); !strings.Contains(out, "Installed the built-in questionnaires: parorende, parorende_ung") ||
		strings.Contains(out, "Seeded the demo") {
		t.Fatalf("start-up output:\n%s", out)
	}
	b := newBrowserish(t, "http://"+s.addr)
	b.get("/login")
	if code, loc, _ := b.post("/login", url.Values{"email": {"admin@example.no"}, "password": {cfg.AdminPassword}}); code != http.StatusSeeOther || loc != "/admin" {
		t.Fatalf("login: %d → %s", code, loc)
	}
	_, home := b.get("/admin?lang=en")
	if strings.Count(home, `class="todo"`) != 3 || !strings.Contains(home, `href="/admin/units"`) {
		t.Fatalf("a fresh installation's /admin does not show the three open steps:\n%s", home)
	}

	b.get("/admin/units")
	for _, u := range []url.Values{
		{"id": {"fjordvik"}, "name": {"Fjordvik kommune"}, "kind": {"municipality"}},
		{"id": {"helse"}, "name": {"Helse og omsorg"}, "kind": {"sector"}, "parent": {"fjordvik"}},
		{"id": {"fjell"}, "name": {"Fjell sykehjem"}, "kind": {"nursing_home"}, "parent": {"helse"}, "visiting_hours": {"11–19"}},
		{"id": {"lia"}, "name": {"Lia avlastning"}, "kind": {"respite"}, "parent": {"helse"}},
	} {
		if code, _, body := b.post("/admin/units", u); code != http.StatusSeeOther {
			t.Fatalf("adding unit %s: %d\n%s", u.Get("id"), code, body)
		}
	}
	b.get("/admin/users")
	code, _, body := b.post("/admin/users", url.Values{"email": {"kari@fjordvik.kommune.no"}, "name": {"Kari Nordmann"},
		"role": {"follow_up", "unit_leader"}, "units_follow_up": {"fjell"}, "units_unit_leader": {"fjell"}})
	if code != http.StatusOK || !strings.Contains(body, "/passord/") {
		t.Fatalf("adding staff: %d", code)
	}

	b.get("/admin/waves/new")
	code, loc, body := b.post("/admin/waves/new", url.Values{"kind": {"unit"}, "name": {"Pårørendeundersøkelsen Fjell"},
		"year": {time.Now().Format("2006")}, "instrument": {"parorende@1"}, "language": {"nb"}, "unit": {"fjell"},
		"population.fjell": {"40"}, "opens": {time.Now().Format(time.DateOnly)},
		"closes": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}, "threshold": {"5"}})
	if code != http.StatusSeeOther || loc != "/admin/waves" {
		t.Fatalf("creating the wave: %d → %s\n%s", code, loc, body)
	}
	_, waves := b.get("/admin/waves")
	m := regexp.MustCompile(`action="/admin/waves/([^/"]+)/open"`).FindStringSubmatch(waves)
	if m == nil {
		t.Fatalf("no wave to open on /admin/waves:\n%s", waves)
	}
	if code, _, body := b.post("/admin/waves/"+m[1]+"/open", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("opening the wave: %d\n%s", code, body)
	}

	_, home = b.get("/admin?lang=en")
	if strings.Contains(home, "checklist-h") {
		t.Fatal("the checklist is still shown after units, staff and an open wave")
	}
	_, front := b.get("/")
	link := regexp.MustCompile(`href="(/s/[A-Za-z0-9]+)"`).FindStringSubmatch(front)
	if link == nil || !strings.Contains(front, "Fjell sykehjem") {
		t.Fatalf("the front page offers no survey at Fjell:\n%s", front)
	}
	if code, form := b.get(link[1]); code != http.StatusOK || !strings.Contains(form, "<form") {
		t.Fatalf("the survey at %s: %d", link[1], code)
	}
}
