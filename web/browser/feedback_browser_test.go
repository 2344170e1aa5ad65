package browser_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
)

// TestBrowserFeedbackWithoutJavaScript sends the feedback form with scripts
// off: a refused post keeps what was typed, a good one stores the feedback
// and its contact request. It also checks the form at 320 px (reflow).
func TestBrowserFeedbackWithoutJavaScript(t *testing.T) {
	chromium, axe := browserTools(t)
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	msg := messages(bundle, "en")
	f := webtest.New(t)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	ctx := bounded(t, b.tab(t))
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile, chromedp.EmulatePortrait)); err != nil {
		t.Fatal(err)
	}
	if _, err := load(ctx, b.base+"/tilbakemelding?lang=en"); err != nil {
		t.Fatal(err)
	}
	checkNoHorizontalScroll(t, ctx, "feedback form")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#fb-text"), "Ønsker mer informasjon."),
		chromedp.SetValue(chromedp.CSS("#fb-unit"), "solbakken"),
		chromedp.Click(chromedp.CSS("#fb-contact")), chromedp.SendKeys(chromedp.CSS("#fb-name"), "Kari Nordmann"),
		chromedp.SendKeys(chromedp.CSS("#fb-phone"), "12")); err != nil {
		t.Fatal(err)
	}
	status, err := clickAndWait(ctx, submitButton)
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusBadRequest {
		t.Fatalf("short phone number: status %d, want 400", status)
	}
	checkNoHorizontalScroll(t, ctx, "feedback form with errors")
	for js, want := range map[string]string{
		`document.querySelector('#fb-text').value`:                       "Ønsker mer informasjon.",
		`document.querySelector('#fb-unit').value`:                       "solbakken",
		`document.querySelector('#fb-name').value`:                       "Kari Nordmann",
		`document.querySelector('#fb-phone').value`:                      "12",
		`String(document.querySelector('#fb-contact').checked)`:          "true",
		`document.querySelector('.error-summary h2')?.textContent ?? ''`: msg("feedback.error.summary"),
	} {
		if got := evalString(t, ctx, js); got != want {
			t.Errorf("after the refused post, %s = %q, want %q", js, got, want)
		}
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#fb-phone"), "912 34 567")); err != nil {
		t.Fatal(err)
	}
	if status, err = clickAndWait(ctx, submitButton); err != nil || status != http.StatusOK {
		t.Fatalf("submit: status %d, %v", status, err)
	}
	if got, want := evalString(t, ctx, `document.querySelector('h1')?.textContent ?? ''`), msg("feedback.thanks_heading"); got != want {
		t.Fatalf("heading %q, want %q", got, want)
	}
	dbctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	for _, col := range []string{"feedback", "contact_requests"} {
		if n, err := f.Store.DB.Collection(col).CountDocuments(dbctx, map[string]any{"unit": "solbakken"}); err != nil || n != 1 {
			t.Errorf("%s: %d documents for solbakken, want 1 (%v)", col, n, err)
		}
	}
}
