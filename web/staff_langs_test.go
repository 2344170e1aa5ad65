package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/internal/webtest"
)

var (
	htmlLang   = regexp.MustCompile(`<html lang="([^"]*)" dir="([^"]*)"`)
	pickerLink = regexp.MustCompile(`<li><a href="([^"]*)" lang="([^"]*)" hreflang`)
)

// picker returns the language picker's links of a page by language code.
func picker(t *testing.T, body string) map[string]string {
	t.Helper()
	links := map[string]string{}
	for _, m := range pickerLink.FindAllStringSubmatch(body, -1) {
		links[m[2]] = strings.ReplaceAll(m[1], "&amp;", "&")
	}
	return links
}

// TestStaffPagesAreInStaffLanguagesOnly: staff messages exist in nb, nn and
// en, so a staff page is never served in another language (Norwegian text
// marked as Arabic), its picker offers those three, and each choice keeps
// the page's query.
func TestStaffPagesAreInStaffLanguagesOnly(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	admin := users["admin"]
	s := webtest.SignIn(t, f, &admin)
	for _, tt := range []struct {
		name, path, cookie, accept string
		want                       string
	}{
		{"?lang=ar", "/admin/actions?lang=ar", "", "", "nb"},
		{"cookie ar", "/admin/actions", "ar", "", "nb"},
		{"cookie ur, Accept-Language en", "/admin/actions", "ur", "ur, en;q=0.8", "en"},
		{"?lang=nn", "/admin/actions?lang=nn", "", "", "nn"},
		{"login in Somali", "/login?lang=so", "", "", "nb"},
		{"login, Accept-Language en", "/login", "", "ar, en;q=0.5", "en"},
		{"staff 404", "/admin/nosuchpage?lang=ar", "", "", "nb"},
		{"public page keeps Arabic", "/delta?lang=ar", "", "", "ar"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			header := []string{"Cookie", s.Cookie}
			if strings.HasPrefix(tt.path, "/login") {
				header[1] = "x=y" // signed in, /login sends one on
			}
			if tt.cookie != "" {
				header[1] += "; lang=" + tt.cookie
			}
			if tt.accept != "" {
				header = append(header, "Accept-Language", tt.accept)
			}
			_, body := f.Get(t, tt.path, header...)
			m := htmlLang.FindStringSubmatch(body)
			if m == nil || m[1] != tt.want {
				t.Fatalf("<html> lang %v, want %s", m, tt.want)
			}
			links := picker(t, body)
			if staff := !strings.HasPrefix(tt.path, "/delta"); staff && len(links) != 3 {
				t.Errorf("the staff picker offers %d languages, want nb, nn and en: %v", len(links), links)
			} else if !staff && len(links) != 9 {
				t.Errorf("the public picker offers %d languages, want 9", len(links))
			}
		})
	}

	t.Run("query kept", func(t *testing.T) {
		path := "/admin/council/findings/closed?unit=solbakken&item=info_given"
		_, body := f.Get(t, path, "Cookie", s.Cookie)
		links := picker(t, body)
		for _, code := range []string{"nb", "nn", "en"} {
			got := links[code]
			if !strings.HasPrefix(got, "/admin/council/findings/closed?") || !strings.Contains(got, "unit=solbakken") ||
				!strings.Contains(got, "item=info_given") || !strings.Contains(got, "lang="+code) {
				t.Errorf("picker link for %s is %q: the finding's query is lost", code, got)
			}
		}
		// The login page keeps where to go after signing in.
		_, body = f.Get(t, "/login?next=%2Fadmin%2Factions%3Fstatus%3Dopen")
		if got := picker(t, body)["nn"]; !strings.Contains(got, "next=%2Fadmin%2Factions%3Fstatus%3Dopen") {
			t.Errorf("login's picker link %q drops next", got)
		}
	})
}

// TestNorwegianTextIsMarkedOnOtherLanguagesPages: what staff wrote (arena
// dates, places, unit names) keeps lang="nb" on a page in another language,
// and dates are written the Norwegian way.
func TestNorwegianTextIsMarkedOnOtherLanguagesPages(t *testing.T) {
	f := webtest.New(t)
	as, err := arenas.NewStore(f.Store.DB, webtest.Secret)
	if err != nil {
		t.Fatal(err)
	}
	e := &arenas.Event{Kind: arenas.KindCafe, Title: "Pårørendekafé (høst)", Date: "2026-12-02", Time: "18:00",
		Place: "Biblioteket, 2. etasje", SignUp: true}
	if err := as.AddEvent(context.Background(), e, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ar", "so", "ur", "en"} {
		t.Run(lang, func(t *testing.T) {
			for _, tt := range []struct{ path, text string }{
				{"/delta", "Pårørendekafé (høst)"},
				{"/delta", "Biblioteket, 2. etasje"},
				{"/delta/pamelding/" + e.ID, "Pårørendekafé (høst)"},
				{"/kontakt", "Solbakken sykehjem"},
				{"/", "Solbakken sykehjem"},
				{"/tilbakemelding/solbakken", "Solbakken sykehjem"},
			} {
				resp, body := f.Get(t, tt.path+"?lang="+lang)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: status %d", tt.path, resp.StatusCode)
				}
				marked := `lang="nb" dir="ltr">` + tt.text
				if !strings.Contains(body, marked) {
					t.Errorf("%s in %s: %q is not marked lang=\"nb\"", tt.path, lang, tt.text)
				}
			}
			_, body := f.Get(t, "/delta?lang="+lang)
			if !strings.Contains(body, ">2.12.2026</time>") || strings.Contains(body, ">2026-12-02<") {
				t.Errorf("/delta in %s does not write the date as 2.12.2026", lang)
			}
		})
	}
}
