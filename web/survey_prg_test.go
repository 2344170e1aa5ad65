package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
)

var titleOf = regexp.MustCompile(`<title>([^<]*)</title>`)

func pageTitle(body string) string {
	if m := titleOf.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// TestStepsFollowPostRedirectGet: every move through the form is a post
// answered with a redirect to the page (?side=N), which a GET then shows from
// the journey with everything entered; no answer is ever in an address.
func TestStepsFollowPostRedirectGet(t *testing.T) {
	f := webtest.New(t)
	v := newVisitor(f)
	base := "/s/" + f.Paged
	_, body := v.Get(t, base)
	if got, want := pageTitle(body), "Side 1 av 3 – Om deg – Testundersøkelse – Stemme"; got != want {
		t.Errorf("first page's title %q, want %q", got, want)
	}
	_, body = walk(t, v, body, "next", map[string]string{"relation": "child", "info_given": "5"})
	if v.first.StatusCode != http.StatusSeeOther || len(v.hops) != 1 || v.hops[0] != base+"?side=2" {
		t.Fatalf("next answered %d → %v, want 303 to %s?side=2", v.first.StatusCode, v.hops, base)
	}
	if got, want := pageTitle(body), "Side 2 av 3 – Familien – Testundersøkelse – Stemme"; got != want {
		t.Errorf("second page's title %q, want %q", got, want)
	}
	var journey *http.Cookie
	for _, c := range v.first.Cookies() {
		if c.Name == "stemme_skjema" {
			journey = c
		}
	}
	if journey == nil || !journey.HttpOnly || journey.Path != base || journey.SameSite != http.SameSiteLaxMode {
		t.Fatalf("journey cookie %+v: want HttpOnly, SameSite=Lax, for this survey's path only", journey)
	}
	_, body = walk(t, v, body, "next", map[string]string{"has_children": "yes"})
	if !strings.Contains(body, "Del 3 av 4") {
		t.Fatal("the children's page is not shown after a yes")
	}
	for _, tt := range []struct {
		path string
		want []string
	}{
		{base + "?side=2", []string{"Del 2 av 4", `value="yes" checked`}}, // Back
		{base, []string{"Del 1 av 4", `value="child" checked`, `value="5" checked`}},
		{base + "?side=3", []string{"Del 3 av 4", "Fikk barna informasjon?"}}, // Forward
		{base + "?side=3", []string{"Del 3 av 4"}},                            // reload
		{base + "?side=99", []string{"Del 1 av 4", `value="child" checked`}},
	} {
		resp, body := v.Get(t, tt.path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: status %d, Cache-Control %q", tt.path, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tt.path, w)
			}
		}
	}
	for _, hop := range v.hops {
		if strings.Contains(hop, "child") || strings.Contains(hop, "yes") {
			t.Errorf("an answer is in the address %s", hop)
		}
	}
	// Another browser, without the cookie, sees a blank form, and a later
	// page says the answers are no longer kept.
	_, body = f.Get(t, base)
	if strings.Contains(body, "checked") {
		t.Error("another browser sees the answers")
	}
	if _, body = f.Get(t, base+"?side=3"); !strings.Contains(body, "er ikke lenger tatt vare på") {
		t.Error("a later page without its journey does not say the answers expired")
	}
}

// TestPageWithErrorsKeepsWhatWasTyped: a page sent back with errors (400)
// keeps what was typed in the journey, and names its own address for
// scripts to put in the history.
func TestPageWithErrorsKeepsWhatWasTyped(t *testing.T) {
	f := webtest.New(t)
	v := newVisitor(f)
	base := "/s/" + f.Paged
	_, body := v.Get(t, base)
	status, body := walk(t, v, body, "next", map[string]string{"info_given": "2"})
	if status != http.StatusBadRequest || !strings.Contains(body, `data-page-url="`+base+`?side=1"`) {
		t.Fatalf("next without the required answer: status %d, want 400 naming the page's address", status)
	}
	if got, want := pageTitle(body), "Feil: Side 1 av 3 – Om deg – Testundersøkelse – Stemme"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if _, body = v.Get(t, base+"?side=1"); !strings.Contains(body, `value="2" checked`) {
		t.Error("the page shown again lost what was typed before the error")
	}
}

// TestLanguageChangeKeepsAnswersAndPage: choosing another language on the
// third page (the picker's buttons send the form) shows the third page again
// in that language with every answer, those typed on the page included.
func TestLanguageChangeKeepsAnswersAndPage(t *testing.T) {
	f := webtest.New(t)
	v := newVisitor(f)
	base := "/s/" + f.Paged
	_, body := v.Get(t, base)
	if !strings.Contains(body, `<button type="submit" form="survey-form" name="_lang" value="ar"`) {
		t.Fatal("the picker on a form does not send the form")
	}
	_, body = walk(t, v, body, "next", map[string]string{"relation": "partner"})
	_, body = walk(t, v, body, "next", map[string]string{"has_children": "yes"})
	form := formOf(body)
	form.Set("children_info", "4") // typed, not yet sent
	form.Set("_lang", "ar")
	resp, body := v.Post(t, base, form)
	if v.first.StatusCode != http.StatusSeeOther || resp.StatusCode != http.StatusOK {
		t.Fatalf("choosing Arabic: %d then %d", v.first.StatusCode, resp.StatusCode)
	}
	for _, w := range []string{`<html lang="ar" dir="rtl">`, "الجزء 3 من 4", `name="children_info" value="4" checked`,
		`<input type="hidden" name="relation" value="partner">`} {
		if !strings.Contains(body, w) {
			t.Errorf("after choosing Arabic the page lacks %q", w)
		}
	}
	if _, body = v.Get(t, base); !strings.Contains(body, `value="partner" checked`) || !strings.Contains(body, `lang="ar"`) {
		t.Error("back on the first page, the answer or the language is lost")
	}
	// An unknown or absurd language is ignored: the page, the answers and
	// the language stay as they were, and nothing blames the server.
	form.Set("_lang", strings.Repeat("x", 4096))
	resp, body = v.Post(t, base, form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `lang="ar"`) || !strings.Contains(body, `value="4" checked`) {
		t.Fatalf("an unknown language: status %d", resp.StatusCode)
	}
	for _, hop := range v.hops {
		if strings.Contains(hop, "xxx") {
			t.Errorf("the unknown language is in the address %s", hop[:min(len(hop), 80)])
		}
	}
	resp, body = f.Get(t, base+"?lang="+strings.Repeat("x", 3000))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<html lang="nb"`) {
		t.Errorf("?lang= of 3,000 characters: status %d, want the form in bokmål", resp.StatusCode)
	}
}

// TestLongTextLimitIsStatedBeforehand: the 4,000-character limit of long
// text is said next to the field, tied to it, and the field stops there.
func TestLongTextLimitIsStatedBeforehand(t *testing.T) {
	f := webtest.New(t)
	_, body := f.Get(t, "/s/"+f.Open)
	for _, w := range []string{`<p class="help" id="limit-important">Du kan skrive opptil 4000 tegn.</p>`,
		`maxlength="4000"`, `aria-describedby="limit-important "`} {
		if !strings.Contains(body, w) {
			t.Errorf("form lacks %q", w)
		}
	}
}

// TestCodeErrorsAreTiedToTheirField: on the pages that ask for a code, an
// error is announced in the title, linked from the summary and tied to the
// field.
func TestCodeErrorsAreTiedToTheirField(t *testing.T) {
	f := webtest.New(t)
	for _, path := range []string{"/trekk", "/i", "/s/" + f.Open + "/fortsett"} {
		resp, body := f.Post(t, path, url.Values{"code": {"ZZZZ-ZZZZ-ZZZZ"}})
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
		if !strings.HasPrefix(pageTitle(body), "Feil: ") {
			t.Errorf("%s: title %q does not start with Feil:", path, pageTitle(body))
		}
		for _, w := range []string{`href="#code"`, `id="code-error"`, `code-error"`, `aria-invalid="true"`} {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		if !regexp.MustCompile(`<input id="code"[^>]*aria-describedby="[^"]*code-error"`).MatchString(body) {
			t.Errorf("%s: the field is not described by its error", path)
		}
	}
}
