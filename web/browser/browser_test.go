package browser_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

const (
	submitButton  = `form[method=post] button[type=submit]`
	relationRadio = `input[type=radio][name=relation][value=child]`
)

// publicPage is one page a relative can reach, and how to reach it in a tab.
type publicPage struct {
	name   string
	status int64
	// open brings the tab to the page in the language and returns the HTTP status.
	open func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error)
	// check, if set, looks at the page once it is open.
	check func(t *testing.T, ctx context.Context, msg func(id string) string)
	// staff pages are written in nb, nn and en only.
	staff bool
}

func visit(path string) func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
	return func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
		return load(ctx, base+strings.ReplaceAll(path, "{open}", f.Open)+"?lang="+lang)
	}
}

var publicPages = []publicPage{
	{name: "front page", status: http.StatusOK, open: visit("/")},
	{name: "take part (Delta)", status: http.StatusOK, open: visit("/delta")},
	{name: "published results", status: http.StatusOK, open: visit("/resultater")},
	{name: "results of a published wave", status: http.StatusOK,
		// The closed wave has no answers: every group shows "too few answers".
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if err := surveys.NewStore(f.Store.DB).PublishResults(context.Background(), "closed", webtest.FixedNow); err != nil {
				return 0, err
			}
			return load(ctx, base+"/resultater/closed?lang="+lang)
		}},
	{name: "survey form", status: http.StatusOK, open: visit("/s/{open}")},
	{name: "survey form with errors", status: http.StatusBadRequest,
		// Submitting without answering the required question.
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if _, err := load(ctx, base+"/s/"+f.Open+"?lang="+lang); err != nil {
				return 0, err
			}
			return clickAndWait(ctx, submitButton)
		},
		check: func(t *testing.T, ctx context.Context, msg func(string) string) {
			want := msg("survey.error.summary")
			if got := evalString(t, ctx, `document.querySelector('.error-summary h2')?.textContent ?? ''`); got != want {
				t.Errorf("error summary heading %q, want %q", got, want)
			}
		}},
	{name: "thank-you page", status: http.StatusOK,
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if _, err := load(ctx, base+"/s/"+f.Open+"?lang="+lang); err != nil {
				return 0, err
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(relationRadio))); err != nil {
				return 0, err
			}
			return clickAndWait(ctx, submitButton)
		},
		check: func(t *testing.T, ctx context.Context, msg func(string) string) {
			if got, want := evalString(t, ctx, `document.querySelector('h1')?.textContent ?? ''`), msg("thanks.heading"); got != want {
				t.Errorf("heading %q, want %q", got, want)
			}
		}},
	{name: "thank-you page after its receipt's time", status: http.StatusOK, open: visit("/s/{open}/takk")},
	{name: "closed survey", status: http.StatusGone,
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			return load(ctx, base+"/s/"+f.Closed+"?lang="+lang)
		}},
	{name: "page not found", status: http.StatusNotFound, open: visit("/s/nosuchlink")},
	{name: "staff login", status: http.StatusOK, open: visit("/login"), staff: true},
	{name: "privacy statement", status: http.StatusOK, open: visit("/personvern")},
	{name: "accessibility statement", status: http.StatusOK, open: visit("/tilgjengelighet")},
	{name: "withdraw an answer", status: http.StatusOK, open: visit("/trekk")},
	{name: "answer with an invitation code", status: http.StatusOK, open: visit("/i")},
	{name: "withdraw with an unknown code", status: http.StatusNotFound,
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if _, err := load(ctx, base+"/trekk?lang="+lang); err != nil {
				return 0, err
			}
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#code"), "AAAA-BBBB-CCCC")); err != nil {
				return 0, err
			}
			return clickAndWait(ctx, submitButton)
		}},
	{name: "resume with a code", status: http.StatusOK, open: visit("/s/{open}/fortsett")},
	{name: "paged form, second page", status: http.StatusOK,
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if _, err := load(ctx, base+"/s/"+f.Paged+"?lang="+lang); err != nil {
				return 0, err
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(relationRadio))); err != nil {
				return 0, err
			}
			return clickAndWait(ctx, submitButton)
		}},
	{name: "answers saved for later", status: http.StatusOK,
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if _, err := load(ctx, base+"/s/"+f.Paged+"?lang="+lang); err != nil {
				return 0, err
			}
			return clickAndWait(ctx, `button[value="save"]`)
		}},
	{name: "contact details of the services", status: http.StatusOK, open: visit("/kontakt")},
	{name: "sign-up for an arena", status: http.StatusOK, open: openSignUp},
	{name: "sign-up for an arena with errors", status: http.StatusBadRequest,
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if _, err := openSignUp(ctx, f, base, lang); err != nil {
				return 0, err
			}
			return clickAndWait(ctx, submitButton)
		}},
	{name: "feedback form", status: http.StatusOK, open: visit("/tilbakemelding")},
	{name: "feedback form for young relatives", status: http.StatusOK,
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			return load(ctx, base+"/tilbakemelding/solbakken?ung=1&lang="+lang)
		}},
	{name: "feedback form with errors", status: http.StatusBadRequest,
		// Asking to be contacted without a name or a way to be reached.
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if _, err := load(ctx, base+"/tilbakemelding?lang="+lang); err != nil {
				return 0, err
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#fb-contact"))); err != nil {
				return 0, err
			}
			return clickAndWait(ctx, submitButton)
		},
		check: func(t *testing.T, ctx context.Context, msg func(string) string) {
			if got, want := evalString(t, ctx, `document.querySelector('.error-summary h2')?.textContent ?? ''`), msg("feedback.error.summary"); got != want {
				t.Errorf("error summary heading %q, want %q", got, want)
			}
		}},
	{name: "feedback thank-you page", status: http.StatusOK,
		open: func(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
			if _, err := load(ctx, base+"/tilbakemelding/solbakken?lang="+lang); err != nil {
				return 0, err
			}
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#fb-text"), "Mer informasjon, takk."),
				chromedp.Click(chromedp.CSS("#fb-contact")), chromedp.SendKeys(chromedp.CSS("#fb-name"), "Kari Nordmann"),
				chromedp.SendKeys(chromedp.CSS("#fb-phone"), "912 34 567")); err != nil {
				return 0, err
			}
			return clickAndWait(ctx, submitButton)
		},
		check: func(t *testing.T, ctx context.Context, msg func(string) string) {
			if got, want := evalString(t, ctx, `document.querySelector('h1')?.textContent ?? ''`), msg("feedback.thanks_heading"); got != want {
				t.Errorf("heading %q, want %q", got, want)
			}
		}},
}

// openSignUp adds an arena date with sign-up and opens its form.
func openSignUp(ctx context.Context, f *webtest.Fixture, base, lang string) (int64, error) {
	as, err := arenas.NewStore(f.Store.DB, webtest.Secret)
	if err != nil {
		return 0, err
	}
	e := &arenas.Event{Kind: arenas.KindSchool, Title: "Pårørendeskole " + lang, Date: "2026-12-02", Time: "18:00",
		Place: "Biblioteket", SignUp: true}
	if err := as.AddEvent(context.Background(), e, webtest.FixedNow); err != nil {
		return 0, err
	}
	return load(ctx, base+"/delta/pamelding/"+e.ID+"?lang="+lang)
}

// TestAccessibilityOfPublicPages runs axe-core (WCAG 2.1 A and AA) on every
// public page in every shipped UI language, at a phone and a desktop width,
// and checks the project's 44 px touch targets at both.
func TestAccessibilityOfPublicPages(t *testing.T) {
	chromium, axe := browserTools(t)
	bundle, langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	f := webtest.New(t)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	for _, l := range langs {
		msg := messages(bundle, l.Code)
		t.Run(l.Code, func(t *testing.T) {
			// Languages run in parallel, each in a tab with its own cookie
			// jar; the pages of one language load in that tab in order.
			t.Parallel()
			tab := b.tab(t)
			for _, pg := range publicPages {
				t.Run(pg.name, func(t *testing.T) {
					ctx := bounded(t, tab)
					if err := chromedp.Do(ctx, phone.emulate()); err != nil {
						t.Fatal(err)
					}
					status, err := pg.open(ctx, f, b.base, l.Code)
					if err != nil {
						t.Fatal(err)
					}
					if status != pg.status {
						t.Errorf("status %d, want %d", status, pg.status)
					}
					got := evalString(t, ctx, `document.documentElement.lang`)
					if pg.staff && !slices.Contains([]string{"nb", "nn", "en"}, l.Code) {
						// A staff page in a language staff texts do not exist in
						// is in one of those that do, marked as such.
						if !slices.Contains([]string{"nb", "nn", "en"}, got) {
							t.Fatalf("staff page language %q, want nb, nn or en", got)
						}
					} else if got != l.Code {
						t.Fatalf("page language %q, want %q", got, l.Code)
					}
					wantDir := "ltr"
					if l.RTL && !pg.staff {
						wantDir = "rtl"
					}
					if got := evalString(t, ctx, `document.documentElement.dir`); got != wantDir {
						t.Errorf("page direction %q, want %q", got, wantDir)
					}
					if pg.check != nil {
						pg.check(t, ctx, msg)
					}
					b.checkAxe(t, ctx, phone, desktop)
					checkTouchTargets(t, ctx, phone, desktop)
				})
			}
		})
	}
}

// overflow measures horizontal overflow and names the first elements that
// stick out of the page on its inline-end side (left in a right-to-left
// page), or whose content spills out there, in page coordinates.
const overflow = `(() => {
  const d = document.documentElement, w = d.clientWidth, rtl = getComputedStyle(d).direction === 'rtl';
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0) return false;
    const x0 = r.left + scrollX, x1 = r.right + scrollX;
    const spill = getComputedStyle(e).overflowX === 'visible' ? Math.max(0, e.scrollWidth - e.clientWidth) : 0;
    return rtl ? x0 - spill < -0.5 : x1 + spill > w + 0.5;
  }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
  return {scrollWidth: d.scrollWidth, clientWidth: w, wide};
})()`

// TestFormWorksAtNarrowWidthWithoutHorizontalScroll loads the form, and the
// form with errors, at 320 CSS pixels (WCAG 1.4.10 reflow) in every language,
// for the test survey and for one whose title, questions and answers are the
// long compound words real surveys have.
func TestFormWorksAtNarrowWidthWithoutHorizontalScroll(t *testing.T) {
	chromium, axe := browserTools(t)
	_, langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	f := webtest.New(t)
	long := addLongWordsWave(t, f)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	for _, l := range langs {
		t.Run(l.Code, func(t *testing.T) {
			t.Parallel()
			ctx := bounded(t, b.tab(t))
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile, chromedp.EmulatePortrait)); err != nil {
				t.Fatal(err)
			}
			if _, err := load(ctx, b.base+"/?lang="+l.Code); err != nil {
				t.Fatal(err)
			}
			checkNoHorizontalScroll(t, ctx, "front page")
			for _, link := range []string{f.Open, long} {
				if _, err := load(ctx, b.base+"/s/"+link+"?lang="+l.Code); err != nil {
					t.Fatal(err)
				}
				checkNoHorizontalScroll(t, ctx, "form "+link)
				status, err := clickAndWait(ctx, submitButton)
				if err != nil {
					t.Fatal(err)
				}
				if status != http.StatusBadRequest {
					t.Fatalf("form %s: submit without the required answer: status %d, want 400", link, status)
				}
				checkNoHorizontalScroll(t, ctx, "form "+link+" with errors")
			}
		})
	}
}

// addLongWordsWave opens a second survey whose texts are long words that
// cannot break at a space, and returns its link.
func addLongWordsWave(t *testing.T, f *webtest.Fixture) string {
	t.Helper()
	const (
		title    = "Pårørendeundersøkelsen"            // the built-in survey's title
		word     = "Pårørendeundersøkelsesresultatene" // 33 letters, no break
		question = "Hvordan opplever du dagaktivitetstilbudet og " + word + "?"
	)
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	ss := surveys.NewStore(f.Store.DB)
	in := webtest.Instrument()
	in.Key = "long"
	in.Title = webtest.Text(title, title)
	in.Pages[0].Title = webtest.Text(word, word)
	in.Pages[0].Questions[0].Text = webtest.Text(question, question)
	in.Pages[0].Questions[0].Help = webtest.Text(word, word)
	for i := range in.Lists {
		for j := range in.Lists[i].Choices {
			in.Lists[i].Choices[j].Label = webtest.Text(word, word)
		}
	}
	if err := ss.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	links, err := ss.InsertWave(ctx, &surveys.Wave{ID: "long", Kind: surveys.WaveUnit, Name: word, Instrument: in.ID,
		Units: []string{"solbakken"}, Languages: []string{"nb", "en"}, Opens: "2026-11-01", Closes: "2026-11-30",
		Status: surveys.WaveOpen})
	if err != nil {
		t.Fatal(err)
	}
	return links[0].ID
}

func checkNoHorizontalScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	m, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		ScrollWidth int      `json:"scrollWidth"`
		ClientWidth int      `json:"clientWidth"`
		Wide        []string `json:"wide"`
	}](overflow))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if m.ClientWidth != 320 {
		t.Errorf("%s: layout viewport is %d px wide, want 320", what, m.ClientWidth)
	}
	if m.ScrollWidth > m.ClientWidth {
		t.Errorf("%s: scrolls horizontally at 320 px: scrollWidth %d > clientWidth %d; too wide: %v",
			what, m.ScrollWidth, m.ClientWidth, m.Wide)
	}
}

// TestFormWorksWithoutJavaScript answers the survey with scripts turned off:
// a submit without the required answer shows the errors, and answering it
// stores the response and shows the thank-you page.
func TestFormWorksWithoutJavaScript(t *testing.T) {
	chromium, axe := browserTools(t)
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	msg := messages(bundle, locales.Default)
	f := webtest.New(t)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	ctx := bounded(t, b.tab(t))
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := load(ctx, b.base+"/s/"+f.Open+"?lang="+locales.Default); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `document.querySelector('h1')?.textContent ?? ''`); got != "Testundersøkelse" {
		t.Fatalf("form heading %q", got)
	}

	status, err := clickAndWait(ctx, submitButton)
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusBadRequest {
		t.Errorf("submit without the required answer: status %d, want 400", status)
	}
	if got, want := evalString(t, ctx, `document.querySelector('.error-summary h2')?.textContent ?? ''`), msg("survey.error.summary"); got != want {
		t.Errorf("error summary %q, want %q", got, want)
	}
	// stemme.js would move focus to the summary; without scripts nothing does.
	if got := evalString(t, ctx, `document.activeElement?.className ?? ''`); got == "error-summary" {
		t.Error("the error summary has focus, so scripts ran")
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(relationRadio))); err != nil {
		t.Fatal(err)
	}
	status, err = clickAndWait(ctx, submitButton)
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK {
		t.Errorf("submit: status %d, want 200", status)
	}
	if got, want := evalString(t, ctx, `document.querySelector('h1')?.textContent ?? ''`), msg("thanks.heading"); got != want {
		t.Fatalf("after submit the heading is %q, want %q", got, want)
	}

	dbctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	n, err := f.Filed(t).CountDocuments(dbctx, bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d responses stored, want 1", n)
	}
	var r surveys.Response
	if err := f.Filed(t).FindOne(dbctx, bson.M{}).Decode(&r); err != nil {
		t.Fatal(err)
	}
	if r.Wave != "open" || r.Unit != "solbakken" || r.Lang != locales.Default || r.Answers["relation"].String() != `"child"` {
		t.Errorf("stored response: wave %q, unit %q, lang %q, answers %v", r.Wave, r.Unit, r.Lang, r.Answers)
	}
}

// messages localizes message ids in one UI language; a missing id gives a
// marker no page shows, so the comparison that uses it fails.
func messages(bundle *i18n.Bundle, lang string) func(id string) string {
	loc := i18n.NewLocalizer(bundle, lang)
	return func(id string) string {
		s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id})
		if err != nil {
			return "(missing message " + id + " in " + lang + ")"
		}
		return s
	}
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return s
}

// TestConditionalQuestionAppearsWithJavaScript: with scripts on, a question
// whose condition depends on an answer on the same page is hidden until the
// answer makes it relevant (the server decides again on submit).
func TestConditionalQuestionAppearsWithJavaScript(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	ctx := bounded(t, b.tab(t))
	if _, err := load(ctx, b.base+"/s/"+f.Open+"?lang=nb"); err != nil {
		t.Fatal(err)
	}
	hidden := `String(document.getElementById('q-children_info').hidden)`
	if got := evalString(t, ctx, hidden); got != "true" {
		t.Fatalf("conditional question hidden=%s before the answer, want true", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=has_children][value=yes]`))); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, hidden); got != "false" {
		t.Fatalf("conditional question hidden=%s after yes, want false", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=has_children][value=no]`))); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, hidden); got != "true" {
		t.Fatalf("conditional question hidden=%s after no, want true", got)
	}
}
