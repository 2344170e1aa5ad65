package browser_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

// arabicLink finds the language picker's link by the text a reader sees.
const arabicLink = `[...document.querySelectorAll('nav.langs a')].find(a => a.textContent.trim() === 'العربية')`

// codeShape is how a resume or receipt code is shown: three groups of four.
var codeShape = regexp.MustCompile(`^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$`)

// TestArabicWalkThroughInARealBrowser walks the four-page survey from start to
// withdrawal in Arabic, with scripts on, at a phone's width: the language is
// chosen in the picker and carried by its cookie, the answers are saved for
// later and resumed with a code typed the way people type it, the number is
// typed in Arabic-Indic digits, and the receipt withdraws the stored response.
// The instrument has no Arabic text, so its questions (and the stored
// content language) are bokmål while the interface is Arabic and right to left.
func TestArabicWalkThroughInARealBrowser(t *testing.T) {
	chromium, axe := browserTools(t)
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	msg := messages(bundle, "ar")
	f := webtest.New(t)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	ctx := bounded(t, b.tab(t))
	if err := chromedp.Do(ctx, phone.emulate()); err != nil {
		t.Fatal(err)
	}
	start, last := time.Now(), time.Now()
	lap := func(step string) {
		now := time.Now()
		t.Logf("%-40s %6.2fs (%.2fs in all)", step, now.Sub(last).Seconds(), now.Sub(start).Seconds())
		last = now
	}
	text := func(css string) string {
		t.Helper()
		q := jsString(css)
		return evalString(t, ctx, `document.querySelector(`+q+`)?.textContent.trim() ?? '(no element ' + `+q+` + ')'`)
	}
	checked := func(name, value string) bool {
		t.Helper()
		return evalString(t, ctx, `String(!!document.querySelector('input[name=`+name+`][value="`+value+`"]:checked'))`) == "true"
	}
	click := func(css string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
			t.Fatalf("%s: clicking %s: %v", where(t, ctx), css, err)
		}
	}
	typeInto := func(css, s string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(css), s)); err != nil {
			t.Fatalf("%s: typing into %s: %v", where(t, ctx), css, err)
		}
		if got := evalString(t, ctx, `document.querySelector(`+jsString(css)+`).value`); got != s {
			t.Fatalf("%s: %s holds %q after typing %q", where(t, ctx), css, got, s)
		}
	}
	submit := func(css string, want int64) {
		t.Helper()
		status, err := clickAndWait(ctx, css)
		if err != nil {
			t.Fatalf("%s: %v", where(t, ctx), err)
		}
		if status != want {
			t.Fatalf("after clicking %s: status %d, want %d on %s; notices: %q", css, status, want,
				where(t, ctx), text(`.notice, .error-summary`))
		}
	}
	progress := func(current, total int) string {
		s, err := i18n.NewLocalizer(bundle, "ar").Localize(&i18n.LocalizeConfig{MessageID: "survey.progress",
			TemplateData: map[string]any{"Current": current, "Total": total}})
		if err != nil {
			t.Fatalf("survey.progress in ar: %v", err)
		}
		return s
	}
	onPage := func(current, total int, question string) {
		t.Helper()
		checkArabic(t, ctx)
		if got, want := text("#progress"), progress(current, total); got != want {
			t.Fatalf("%s: progress %q, want %q (page %d of %d)", where(t, ctx), got, want, current, total)
		}
		if evalString(t, ctx, `String(!!document.getElementById('q-`+question+`'))`) != "true" {
			t.Fatalf("%s: page %d of %d has no question %s", where(t, ctx), current, total, question)
		}
	}

	// 1. Choose Arabic in the picker on the front page.
	if status, err := load(ctx, b.base+"/"); err != nil || status != http.StatusOK {
		t.Fatalf("front page: status %d, %v", status, err)
	}
	// Headless chromium asks for en-US; anything but Arabic will do here.
	if got := evalString(t, ctx, `document.documentElement.lang`); got == "ar" {
		t.Fatal("a fresh browser gets the front page in Arabic before choosing it")
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.JSPath(arabicLink)))
	if err != nil {
		t.Fatalf("clicking the picker's link العربية: %v", err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		t.Fatalf("the picker's link العربية gave no page or an error: %+v", resp)
	}
	checkArabic(t, ctx)
	lap("front page, Arabic chosen")

	// 2. The survey, without ?lang: the cookie carries the choice.
	if status, err := load(ctx, b.base+"/s/"+f.Paged); err != nil || status != http.StatusOK {
		t.Fatalf("survey: status %d, %v", status, err)
	}
	onPage(1, 3, "relation")
	for action, id := range map[string]string{"next": "survey.next", "save": "survey.save"} {
		if got, want := text(`.actions button[value=`+action+`]`), msg(id); got != want {
			t.Errorf("button %s says %q, want %q", action, got, want)
		}
	}
	if got := evalString(t, ctx, `document.getElementById('page-title').lang`); got != "nb" {
		t.Errorf("the instrument's page title is marked lang=%q, want nb (the instrument has no Arabic)", got)
	}
	lap("survey, page 1")

	// 3. Page 1, page 2 with children, and the children's page appears.
	click(relationRadio)
	submit(`button[value=next]`, http.StatusOK)
	onPage(2, 3, "has_children")
	click(`input[name=has_children][value=yes]`)
	submit(`button[value=next]`, http.StatusOK)
	onPage(3, 4, "children_info")
	if got := evalString(t, ctx, `String(document.getElementById('q-children_info').hidden)`); got != "false" {
		t.Fatalf("children_info is hidden (%s) on its own page although has_children is yes", got)
	}
	lap("pages 1–3")

	// 4. Save, and resume with the code typed in lower case with spaces.
	submit(`button[value=save]`, http.StatusOK)
	checkArabic(t, ctx)
	if got, want := text("h1"), msg("saved.heading"); got != want {
		t.Fatalf("after save the heading is %q, want %q", got, want)
	}
	code := text("p.code")
	if !codeShape.MatchString(code) {
		t.Fatalf("resume code %q is not shaped XXXX-XXXX-XXXX", code)
	}
	if status, err := load(ctx, b.base+"/s/"+f.Paged+"/fortsett"); err != nil || status != http.StatusOK {
		t.Fatalf("resume page: status %d, %v", status, err)
	}
	checkArabic(t, ctx)
	typeInto("#code", strings.ToLower(strings.ReplaceAll(code, "-", " ")))
	submit(submitButton, http.StatusOK)
	onPage(3, 4, "children_info")
	if got, want := text(".notice"), msg("resume.restored"); got != want {
		t.Errorf("after resuming the notice is %q, want %q", got, want)
	}
	if evalString(t, ctx, `String(!!document.querySelector('input[name=children_info]:checked'))`) != "false" {
		t.Error("children_info has an answer after resuming, though none was given")
	}
	submit(`button[value=back]`, http.StatusOK)
	onPage(2, 4, "has_children")
	if !checked("has_children", "yes") {
		t.Error("has_children is no longer yes after resuming")
	}
	submit(`button[value=next]`, http.StatusOK)
	onPage(3, 4, "children_info")
	lap("saved and resumed")

	// 5. The last page: Arabic-Indic digits and Arabic text; submit.
	click(`input[name=children_info][value="4"]`)
	submit(`button[value=next]`, http.StatusOK)
	onPage(4, 4, "age")
	if got, want := text(`.actions button[value=submit]`), msg("survey.submit"); got != want {
		t.Errorf("submit button says %q, want %q", got, want)
	}
	typeInto("#in-age", "٥٤")
	typeInto("#in-important", "نص تجريبي")
	submit(`button[value=submit]`, http.StatusOK)
	checkArabic(t, ctx)
	if got, want := text("h1"), msg("thanks.heading"); got != want {
		t.Fatalf("after submit the heading is %q, want %q; errors: %q", got, want, text(".error-summary"))
	}
	receipt := text("p.code")
	if !codeShape.MatchString(receipt) {
		t.Fatalf("receipt %q is not shaped XXXX-XXXX-XXXX", receipt)
	}
	lap("submitted")
	b.checkAxe(t, ctx, phone)
	lap("axe on the thank-you page")

	// 6. What was stored.
	dbctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	responses := f.Filed(t)
	cur, err := responses.Find(dbctx, bson.M{"wave": "paged"})
	if err != nil {
		t.Fatal(err)
	}
	var stored []surveys.Response
	if err := cur.All(dbctx, &stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 {
		t.Fatalf("%d responses stored for wave paged, want 1", len(stored))
	}
	r := stored[0]
	want := surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "has_children": surveys.ChoiceAnswer("yes"), "children_info": surveys.ChoiceAnswer("4"), "age": surveys.NumberAnswer(54), "important": surveys.TextAnswer("نص تجريبي")}
	for k, v := range want {
		if !reflect.DeepEqual(r.Answers[k], v) {
			t.Errorf("stored %s = %#v, want %#v", k, r.Answers[k], v)
		}
	}
	if r.Lang != "nb" {
		t.Errorf("stored content language %q, want nb (the instrument has no Arabic)", r.Lang)
	}
	if n, err := f.Store.DB.Collection("drafts").CountDocuments(dbctx, bson.M{}); err != nil || n != 0 {
		t.Errorf("%d drafts left after submitting the resumed form (%v)", n, err)
	}
	lap("database checked")

	// 7. Withdraw with the receipt.
	if status, err := load(ctx, b.base+"/trekk"); err != nil || status != http.StatusOK {
		t.Fatalf("withdraw page: status %d, %v", status, err)
	}
	checkArabic(t, ctx)
	typeInto("#code", receipt)
	submit(submitButton, http.StatusOK)
	checkArabic(t, ctx)
	if got, want := text(".notice p"), msg("withdraw.done"); got != want {
		t.Fatalf("after withdrawing the notice is %q, want %q", got, want)
	}
	if n, err := responses.CountDocuments(dbctx, bson.M{"wave": "paged"}); err != nil || n != 0 {
		t.Fatalf("%d responses for wave paged after the withdrawal (%v), want 0", n, err)
	}
	lap("withdrawn")

	// 8. The withdrawal's page in right-to-left at a phone's width.
	b.checkAxe(t, ctx, phone)
	lap("axe on the withdrawal page")
}

// checkArabic fails unless the page is <html lang="ar" dir="rtl">.
func checkArabic(t *testing.T, ctx context.Context) {
	t.Helper()
	got := evalString(t, ctx, `document.documentElement.lang + ' ' + document.documentElement.dir`)
	if got != "ar rtl" {
		t.Fatalf("%s: <html> has lang and dir %q, want \"ar rtl\"", where(t, ctx), got)
	}
}

// where names the tab's page for a failure message.
func where(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search + ' (' + document.title + ')'`))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "(the tab's time is up)"
		}
		return fmt.Sprintf("(page unknown: %v)", err)
	}
	return s
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
