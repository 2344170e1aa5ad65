package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web"
)

// TestAccessibilityStatementSaysWhereToReport: the statement gives the
// municipality's e-mail and phone as links when they are configured, asks
// relatives to contact the municipality when they are not, and always
// leads to Uutilsynet's complaint route, in every public language.
func TestAccessibilityStatementSaysWhereToReport(t *testing.T) {
	configured := webtest.NewAt(t, "http://localhost:8080", func(c *web.Config) {
		c.OrgContactEmail, c.OrgContactPhone = "postmottak@eksempel.kommune.no", "+47 12 34 56 78"
	})

	bare := webtest.New(t)
	for _, lang := range publicLangs {
		t.Run(lang, func(t *testing.T) {
			resp, body := configured.Get(t, "/tilgjengelighet?lang="+lang)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			pageShows(t, body, []string{
				message(t, lang, "a11y.contact.intro"), message(t, lang, "a11y.contact.email"), message(t, lang, "a11y.contact.phone"),
				`<a href="mailto:postmottak@eksempel.kommune.no" dir="ltr">postmottak@eksempel.kommune.no</a>`,
				`<a href="tel:&#43;4712345678" dir="ltr">&#43;47 12 34 56 78</a>`, // html/template writes + as &#43;
				message(t, lang, "a11y.complaint"), `<a href="https://www.uutilsynet.no/">` + message(t, lang, "a11y.complaint_link") + `</a>`,
			}, []string{message(t, lang, "a11y.contact.unset"), "a11y.", "ZgotmplZ"})

			_, body = bare.Get(t, "/tilgjengelighet?lang="+lang)
			pageShows(t, body, []string{message(t, lang, "a11y.contact.unset"), `href="https://www.uutilsynet.no/"`},
				[]string{"mailto:", "tel:", message(t, lang, "a11y.contact.email"), "a11y."})
		})
	}
}

// TestEachSurveyStepHasItsOwnTitle: every step of a form says which it is
// in the title, in every public language, and no two steps share one.
func TestEachSurveyStepHasItsOwnTitle(t *testing.T) {
	f := webtest.New(t)
	for _, lang := range publicLangs {
		t.Run(lang, func(t *testing.T) {
			v := newVisitor(f)
			_, body := v.Get(t, "/s/"+f.Paged+"?lang="+lang)
			seen := map[string]bool{}
			answers := []map[string]string{{"relation": "child"}, {"has_children": "yes"}, {"children_info": "4"}, nil}
			// The children's page counts once the family has children.
			totals := []int{3, 3, 4, 4}
			for step := 1; step <= 4; step++ {
				title := pageTitle(body)
				if want := message(t, lang, "survey.flow.title", "Current", step, "Total", totals[step-1]) + " – "; !strings.HasPrefix(title, want) {
					t.Fatalf("step %d: title %q does not start with %q", step, title, want)
				}
				if seen[title] {
					t.Fatalf("step %d repeats the title %q", step, title)
				}
				seen[title] = true
				if step < 4 {
					_, body = walk(t, v, body, "next", answers[step-1])
				}
			}
		})
	}
}

// TestTextLimitIsStatedBeforeTyping: the 4,000-character limit of the
// survey's long answers and of the feedback text is said beside the field,
// tied to it, in every public language, before anything is typed.
func TestTextLimitIsStatedBeforeTyping(t *testing.T) {
	f := webtest.New(t)
	for _, lang := range publicLangs {
		t.Run(lang, func(t *testing.T) {
			_, body := f.Get(t, "/s/"+f.Open+"?lang="+lang)
			limit := message(t, lang, "survey.flow.long_limit", "Max", surveys.MaxLongText)
			hint, h := tagWithID(body, "limit-important")
			area, a := tagWithID(body, "in-important")
			if hint == "" || !strings.Contains(body[h:h+len(hint)+len(limit)+10], limit) {
				t.Fatalf("no hint %q beside the long answer", limit)
			}
			if d, _ := attr(area, "aria-describedby"); !strings.Contains(d, "limit-important") || a < h {
				t.Errorf("the textarea is not tied to the hint that comes before it: %s", area)
			}
			if !strings.Contains(area, `maxlength="4000"`) {
				t.Errorf("textarea %s", area)
			}

			_, body = f.Get(t, "/tilbakemelding?lang="+lang)
			help := message(t, lang, "feedback.text_help", "Max", feedback.MaxText)
			if !strings.Contains(help, "4000") || !strings.Contains(body, `<p class="help" id="help-text">`+help+`</p>`) {
				t.Errorf("the feedback form does not state %q", help)
			}
			if area, _ := tagWithID(body, "fb-text"); !strings.Contains(area, `aria-describedby="help-text"`) {
				t.Errorf("the feedback text is not tied to its hint: %s", area)
			}
		})
	}
}

// TestLongLanguageValuesAreUnknownLanguages: a 4 KB lang value in the
// query, a cookie, Accept-Language or a form is an unknown language: the
// page comes in Norwegian (or the language the header also names), never
// a 5xx and never a text that blames the server.
func TestLongLanguageValuesAreUnknownLanguages(t *testing.T) {
	f := webtest.New(t)
	big := strings.Repeat("x", 4096)
	blame := []string{message(t, "nb", "error.generic.body"), message(t, "nb", "error.503.body"), "a11y.", "survey."}
	for _, tt := range []struct {
		name, path string
		header     []string
		lang       string
	}{
		{"query", "/?lang=" + big, nil, "nb"},
		{"query on a form", "/s/%s?lang=" + big, nil, "nb"},
		{"cookie", "/trekk", []string{"Cookie", "lang=" + big}, "nb"},
		{"Accept-Language", "/i", []string{"Accept-Language", big}, "nb"},
		{"Accept-Language of many tags", "/tilbakemelding", []string{"Accept-Language", strings.Repeat("zz-ZZ;q=0.5,", 340) + "en"}, "nb"},
		{"Accept-Language with a long tag", "/tilgjengelighet", []string{"Accept-Language", "en-" + strings.Repeat("a", 4000)}, "nb"},
		{"staff page", "/login", []string{"Cookie", "lang=" + big}, "nb"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := strings.Replace(tt.path, "%s", f.Open, 1)
			resp, body := f.Get(t, path, tt.header...)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<html lang="`+tt.lang+`"`) {
				t.Fatalf("status %d, want 200 in %s: %.300s", resp.StatusCode, tt.lang, body)
			}
			pageShows(t, body, nil, append(blame, big[:100]))
		})
	}

	// A language button of the form that sends 4 KB: the page comes back
	// with everything entered, in the language it was in.
	v := newVisitor(f)
	_, body := v.Get(t, "/s/"+f.Paged+"?lang=en")
	form := formOf(body)
	form.Set("relation", "partner")
	form.Set("_lang", big)
	resp, body := v.Post(t, "/s/"+f.Paged, form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<html lang="en"`) || !strings.Contains(body, `value="partner" checked`) {
		t.Fatalf("_lang of 4 KB: status %d, want the page again in English with the answer", resp.StatusCode)
	}
	pageShows(t, body, nil, append(blame, big[:100]))

	// The contact language of a feedback: 400, the field's own message, nothing lost.
	form = feedbackForm(t, f, "/tilbakemelding", map[string]string{"text": "Dette er viktig for meg.", "contact": "yes",
		"name": "Kari", "phone": "912 34 567", "contact_lang": big, "contact_time": "any", "follow_up": "no"})
	resp, body = f.Post(t, "/tilbakemelding", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("contact language of 4 KB: status %d, want 400", resp.StatusCode)
	}
	targetsAreInputs(t, body, 1)
	pageShows(t, body, []string{"Dette er viktig for meg.", `value="912 34 567"`, `href="#fb-contact_lang"`}, append(blame, big[:100]))
}
