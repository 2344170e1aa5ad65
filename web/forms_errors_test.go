package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pquerna/otp/totp"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/staff"
)

// publicLangs are the languages every page for relatives is written in.
var publicLangs = []string{"nb", "nn", "en", "pl", "ar", "so", "ti", "uk", "ur"}

var loadBundle = sync.OnceValues(func() (*i18n.Bundle, error) {
	b, _, err := locales.Load()
	return b, err
})

// message is a message of the app in a language, as the pages render it.
func message(t *testing.T, lang, id string, args ...any) string {
	t.Helper()
	b, err := loadBundle()
	if err != nil {
		t.Fatal(err)
	}
	return html.EscapeString(locales.Localize(i18n.NewLocalizer(b, lang), id, args...))
}

// tagWithID returns the opening tag of the element with an id, and where it starts.
func tagWithID(body, id string) (string, int) {
	re := regexp.MustCompile(`<[a-z]+\b[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>`)
	loc := re.FindStringIndex(body)
	if loc == nil {
		return "", -1
	}
	return body[loc[0]:loc[1]], loc[0]
}

func attr(tag, name string) (string, bool) {
	m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return "", false
	}
	return m[1], true
}

var summaryRE = regexp.MustCompile(`(?s)<div class="error-summary"[^>]*>(.*?)</div>`)

// summaryTargets are the ids the error summary's links lead to.
func summaryTargets(body string) []string {
	m := summaryRE.FindStringSubmatch(body)
	if m == nil {
		return nil
	}
	var ids []string
	for _, l := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(m[1], -1) {
		ids = append(ids, l[1])
	}
	return ids
}

// fieldHasError checks that an input is marked invalid, described by the
// error message with errID, and that the message is shown beside it: in
// the same question, before the input.
func fieldHasError(t *testing.T, body, inputID, errID, message string) {
	t.Helper()
	in, i := tagWithID(body, inputID)
	if in == "" {
		t.Fatalf("no element with id %q", inputID)
	}
	if v, _ := attr(in, "aria-invalid"); v != "true" {
		t.Errorf("%s: aria-invalid %q, want true: %s", inputID, v, in)
	}
	if v, _ := attr(in, "aria-describedby"); !strings.Contains(" "+v+" ", " "+errID+" ") {
		t.Errorf("%s: aria-describedby %q does not name %q", inputID, v, errID)
	}
	errTag, e := tagWithID(body, errID)
	if errTag == "" {
		t.Fatalf("no error message with id %q", errID)
	}
	if !strings.Contains(body[e:e+len(errTag)+400], message) {
		t.Errorf("error %q does not say %q", errID, message)
	}
	if e > i {
		t.Errorf("the error of %s comes after the field", inputID)
	} else if between := body[e:i]; strings.Contains(between, `class="question`) {
		t.Errorf("the error of %s is in another question than the field", inputID)
	}
}

// targetsAreInputs checks that each link of the error summary leads to a
// field that takes the focus: an input, a textarea or a select.
func targetsAreInputs(t *testing.T, body string, want int) {
	t.Helper()
	ids := summaryTargets(body)
	if len(ids) != want {
		t.Errorf("error summary has %d links %v, want %d", len(ids), ids, want)
	}
	for _, id := range ids {
		tag, _ := tagWithID(body, id)
		if !strings.HasPrefix(tag, "<input") && !strings.HasPrefix(tag, "<textarea") && !strings.HasPrefix(tag, "<select") {
			t.Errorf("error summary links to #%s, which is %q, not a field", id, tag)
		}
	}
}

// TestCodeFormsTieTheirErrorToTheField: a wrong code on /trekk, /i and the
// resume page is answered 4xx in every public language with the message
// beside the field, tied to it, the summary leading to the field, and a
// title that starts with the translated "Feil:".
func TestCodeFormsTieTheirErrorToTheField(t *testing.T) {
	f := webtest.New(t)
	// Each case comes from its own client, under the limit of ten codes a minute.
	behindProxy(t, f, webtest.LoginPolicy)
	client := 0
	for _, tt := range []struct {
		name, path, errID string
		status            int
	}{
		{"withdraw", "/trekk", "withdraw.error.unknown", http.StatusNotFound},
		{"invitation", "/i", "invite.error.unknown", http.StatusNotFound},
		{"resume", "/s/" + f.Paged + "/fortsett", "resume.error.unknown", http.StatusNotFound},
		{"withdraw, not a code", "/trekk", "withdraw.error.unknown", http.StatusBadRequest},
	} {
		for _, lang := range publicLangs {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				code := "WRON-GCOD-EXXX"
				if tt.status == http.StatusBadRequest {
					code = strings.Repeat("A", 41) // longer than any code
				}
				client++
				req := webtest.PostRequest(tt.path+"?lang="+lang, url.Values{"code": {code}})
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", client))
				resp, body := f.Do(t, req)
				if resp.StatusCode != tt.status {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
				}
				if prefix := message(t, lang, "survey.error.title_prefix") + " "; !strings.HasPrefix(pageTitle(body), prefix) {
					t.Errorf("title %q does not start with %q", pageTitle(body), prefix)
				}
				fieldHasError(t, body, "code", "code-error", message(t, lang, tt.errID))
				targetsAreInputs(t, body, 1)
				if in, _ := tagWithID(body, "code"); !strings.Contains(in, `value="`+html.EscapeString(code)+`"`) {
					t.Errorf("the code typed is not kept: %s", in)
				}
			})
		}
	}
	// Without an error, nothing says there is one.
	for _, path := range []string{"/trekk", "/i", "/s/" + f.Paged + "/fortsett"} {
		_, body := f.Get(t, path)
		if strings.HasPrefix(pageTitle(body), "Feil:") || strings.Contains(body, `aria-invalid`) {
			t.Errorf("GET %s: an error is marked on a fresh form", path)
		}
	}
}

// TestStaffLoginTiesItsErrorToTheFields: a wrong password marks both fields
// (which one was wrong is not said) with the message beside the first, and
// the title starts with "Feil:"; the address typed is kept. A wrong code at
// the second step is tied to the code field, and a new password that breaks
// a rule, or differs from its repetition, to that field.
func TestStaffLoginTiesItsErrorToTheFields(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	anon := webtest.SignIn(t, f, nil)
	post := func(path string, form url.Values, cookie string) (*http.Response, string) {
		form.Set("_csrf", anon.AnonCSRF)
		req := webtest.PostRequest(path, form)
		req.Header.Set("Cookie", anon.Cookie+cookie)
		return f.Do(t, req)
	}

	for _, lang := range []string{"nb", "en"} {
		t.Run("password/"+lang, func(t *testing.T) {
			resp, body := post("/login?lang="+lang, url.Values{"email": {"advisor@kommune.no"}, "password": {"feil passord her"}}, "")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", resp.StatusCode)
			}
			want := message(t, lang, "survey.error.title_prefix") + " " + message(t, lang, "login.title")
			if !strings.HasPrefix(pageTitle(body), want) {
				t.Errorf("title %q, want it to start with %q", pageTitle(body), want)
			}
			failed := message(t, lang, "login.error.failed")
			fieldHasError(t, body, "email", "login-error", failed)
			// The one message, beside the address, describes the password too.
			pw, _ := tagWithID(body, "password")
			if v, _ := attr(pw, "aria-describedby"); v != "login-error" || !strings.Contains(pw, `aria-invalid="true"`) {
				t.Errorf("the password field is not tied to the error: %s", pw)
			}
			targetsAreInputs(t, body, 1)
			if in, _ := tagWithID(body, "email"); !strings.Contains(in, `value="advisor@kommune.no"`) {
				t.Errorf("the address typed is not kept: %s", in)
			}
		})
	}
	_, body := f.Get(t, "/login")
	if strings.Contains(body, "aria-invalid") || strings.HasPrefix(pageTitle(body), "Feil:") {
		t.Error("a fresh login form says there is an error")
	}

	t.Run("second step", func(t *testing.T) {
		advisor := users["advisor"]
		challenge, _ := withTOTP(t, f, advisor.ID).StartChallenge(context.Background(), advisor.ID, webtest.FixedNow)
		resp, body := post("/login/2fa", url.Values{"code": {"000000"}}, "; stemme_2fa="+challenge)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
		if !strings.HasPrefix(pageTitle(body), "Feil: ") {
			t.Errorf("title %q", pageTitle(body))
		}
		fieldHasError(t, body, "code", "code-error", message(t, "nb", "login.second.error.code"))
		if in, _ := tagWithID(body, "code"); !strings.Contains(in, `aria-describedby="code-hint code-error"`) {
			t.Errorf("the hint no longer describes the field: %s", in)
		}
		targetsAreInputs(t, body, 1)
	})

	t.Run("new password", func(t *testing.T) {
		token, err := staff.NewStore(f.Store.DB).IssuePasswordLink(context.Background(), users["council"].ID, webtest.FixedNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, pw, again, field string
		}{
			{"they differ", "korrekt hest batteri stift", "korrekt hest batteri", "password_again"},
			{"too short", "kort", "kort", "password"},
		} {
			resp, body := post("/passord/"+token, url.Values{"password": {tt.pw}, "password_again": {tt.again}}, "")
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("%s: status %d, want 400", tt.name, resp.StatusCode)
			}
			if !strings.HasPrefix(pageTitle(body), "Feil: ") {
				t.Errorf("%s: title %q", tt.name, pageTitle(body))
			}
			fieldHasError(t, body, tt.field, tt.field+"-error", "")
			if strings.Count(body, `aria-invalid="true"`) != 1 {
				t.Errorf("%s: %d fields marked invalid, want only %s", tt.name, strings.Count(body, `aria-invalid="true"`), tt.field)
			}
			if ids := summaryTargets(body); len(ids) != 1 || ids[0] != tt.field {
				t.Errorf("%s: summary links to %v, want %s", tt.name, ids, tt.field)
			}
		}
	})
}

// TestErrorSummariesLeadIntoTheField: every link of the survey's and the
// feedback form's error summaries leads to the first input of its
// question (a radio button, not the fieldset around it), so following it
// puts the focus in the field.
func TestErrorSummariesLeadIntoTheField(t *testing.T) {
	f := webtest.New(t)
	_, body := f.Get(t, "/s/"+f.Open)
	form := webtest.FormTokens(t, body)
	form.Set("_action", "submit")
	form.Set("info_given", "9")                         // a scale: radio buttons
	form.Set("has_children", "maybe")                   // yes/no: radio buttons
	form.Set("age", "340")                              // a text input
	form.Set("important", strings.Repeat("ord ", 1100)) // a textarea, over the limit
	resp, body := f.Post(t, "/s/"+f.Open, form)         // relation, required, is missing
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("survey: status %d, want 400", resp.StatusCode)
	}
	targetsAreInputs(t, body, 5)
	for _, id := range []string{"relation-0", "info_given-0", "has_children-0", "in-age", "in-important"} {
		if !strings.Contains(body, `href="#`+id+`"`) {
			t.Errorf("survey: the summary does not lead to #%s", id)
		}
	}

	form = feedbackForm(t, f, "/tilbakemelding", map[string]string{"text": strings.Repeat("a", 4001), "contact": "yes", "phone": "12ab",
		"email": "kari@", "contact_time": "midnight", "follow_up": "weekly"})
	resp, body = f.Post(t, "/tilbakemelding", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("feedback: status %d, want 400", resp.StatusCode)
	}
	ids := summaryTargets(body)
	targetsAreInputs(t, body, len(ids))
	for _, id := range []string{"fb-text", "fb-contact_time-" + firstChoice(t, body, "contact_time"), "fb-follow_up-" + firstChoice(t, body, "follow_up")} {
		if !strings.Contains(body, `href="#`+id+`"`) {
			t.Errorf("feedback: the summary does not lead to #%s (links: %v)", id, ids)
		}
	}
}

// firstChoice is the value of the first radio button of a group.
func firstChoice(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<input type="radio" id="fb-` + name + `-([^"]+)" name="` + name + `"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no radio buttons named %s", name)
	}
	return m[1]
}

// withTOTP gives a user an authenticator app, as if set up at fixedNow,
// and returns the store that can check its codes.
func withTOTP(t *testing.T, f *webtest.Fixture, userID string) *staff.Store {
	t.Helper()
	st, _ := staff.NewStore(f.Store.DB).WithSecret(webtest.Secret)
	ctx := context.Background()
	if err := st.BeginTOTP(ctx, userID); err != nil {
		t.Fatal(err)
	}
	u, _ := st.User(ctx, userID)
	key, _ := st.PendingTOTP(u)
	code, _ := totp.GenerateCode(key.Secret(), webtest.FixedNow)
	if _, err := st.EnableTOTP(ctx, userID, code, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	return st
}
