package browser_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stemme/stemme/internal/webtest"
)

// postCounter stands between the browser and the app and counts the forms
// the browser sends: a Back or a reload that sends a form again shows up.
func postCounter(t *testing.T, base string) (string, *atomic.Int64) {
	t.Helper()
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &posts
}

// flowBrowser starts the app, the post counter in front of it, a browser and a tab.
func flowBrowser(t *testing.T) (*webtest.Fixture, *browser, tabAt, *atomic.Int64) {
	t.Helper()
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	base, posts := postCounter(t, webtest.Listen(t, f))
	b := newBrowser(t, base, chromium, axe)
	return f, b, tabAt{ctx: bounded(t, b.tab(t)), t: t}, posts
}

// tabAt is the state of a page in a tab as a reader meets it.
type tabAt struct {
	ctx context.Context
	t   *testing.T
}

func (a tabAt) eval(js string) string {
	a.t.Helper()
	return evalString(a.t, a.ctx, js)
}

func (a tabAt) click(css string) {
	a.t.Helper()
	if err := chromedp.Do(a.ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		a.t.Fatalf("%s: clicking %s: %v", where(a.t, a.ctx), css, err)
	}
}

// nav runs a navigation (a click, Back, reload) and returns the document's status.
func (a tabAt) nav(what string, action chromedp.Action[chromedp.Void]) int64 {
	a.t.Helper()
	resp, err := chromedp.RunResponse(a.ctx, action)
	if err != nil {
		a.t.Fatalf("%s: %s: %v", where(a.t, a.ctx), what, err)
	}
	if resp == nil {
		return 0 // restored from the back-forward cache
	}
	return resp.Status
}

// scripts turns the page's scripts on or off.
func (a tabAt) scripts(on bool) {
	a.t.Helper()
	if _, err := chromedp.Call(a.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		a.t.Fatal(err)
	}
}

func (a tabAt) checked(name, value string) bool {
	a.t.Helper()
	return a.eval(`String(!!document.querySelector('input[name=`+name+`][value="`+value+`"]:checked'))`) == "true"
}

// at fails unless the tab shows the page at path+query, reached by the
// navigation type given, with the form (no browser error page).
func (a tabAt) at(pathAndQuery, navType string) {
	a.t.Helper()
	got := a.eval(`location.pathname + location.search + ' ' + performance.getEntriesByType('navigation')[0].type + ' ' + String(!!document.getElementById('survey-form'))`)
	if want := pathAndQuery + " " + navType + " true"; got != want {
		a.t.Fatalf("tab shows %q, want %q", got, want)
	}
}

// TestBackForwardAndReloadKeepAnswersWithoutResubmitting walks the four-page
// form with scripts on: page 1 → Neste → Neste, then Back, Back, Forward and
// reload. Every page comes back with its answers, and the browser never
// sends a form again (it would ask "Confirm Form Resubmission" first).
func TestBackForwardAndReloadKeepAnswersWithoutResubmitting(t *testing.T) {
	f, b, a, posts := flowBrowser(t)
	base := b.base
	path := "/s/" + f.Paged

	if status, err := load(a.ctx, base+path+"?lang=nb"); err != nil || status != http.StatusOK {
		t.Fatalf("form: %d %v", status, err)
	}
	// A page sent back with an error: the script gives its history entry the page's address.
	a.click(`input[name=info_given][value="5"]`)
	if status := a.nav("next without an answer", chromedp.Click(chromedp.CSS(`.actions button[value=next]`))); status != http.StatusBadRequest {
		t.Fatalf("next without the required answer: %d, want 400", status)
	}
	if got := a.eval(`location.pathname + location.search + ' | ' + document.title`); !strings.HasPrefix(got, path+"?side=1 | Feil: Side 1 av 3") {
		t.Fatalf("the page with errors is at %q", got)
	}
	a.click(`input[name=relation][value=child]`)
	a.nav("next", chromedp.Click(chromedp.CSS(`.actions button[value=next]`)))
	a.click(`input[name=has_children][value=yes]`)
	a.nav("next", chromedp.Click(chromedp.CSS(`.actions button[value=next]`)))
	a.at(path+"?side=3", "navigate")
	sent := posts.Load()
	if sent != 3 {
		t.Fatalf("%d forms sent, want 3", sent)
	}

	a.nav("Back", chromedp.NavigateBack())
	a.at(path+"?side=2", "back_forward")
	if !a.checked("has_children", "yes") || !strings.HasPrefix(a.eval(`document.title`), "Side 2 av 4 – Familien") {
		t.Errorf("Back to page 2: has_children yes %v, title %q", a.checked("has_children", "yes"), a.eval(`document.title`))
	}
	a.nav("Back", chromedp.NavigateBack())
	a.at(path+"?side=1", "back_forward")
	if !a.checked("relation", "child") || !a.checked("info_given", "5") {
		t.Error("Back to page 1 lost its answers")
	}
	if a.eval(`String(!!document.querySelector('.error-summary'))`) != "false" {
		t.Error("Back to page 1 shows the old errors")
	}
	a.nav("Forward", chromedp.NavigateForward())
	a.at(path+"?side=2", "back_forward")
	a.nav("reload", chromedp.Reload())
	a.at(path+"?side=2", "reload")
	if !a.checked("has_children", "yes") {
		t.Error("reloading page 2 lost its answer")
	}
	if n := posts.Load(); n != sent {
		t.Fatalf("Back, Forward and reload sent %d forms again", n-sent)
	}
	b.checkAxe(t, a.ctx, phone)
}

// TestLanguageEnterAndThankYouWithoutJavaScript: with scripts off, choosing
// another language on a page keeps what was typed there and the page; Enter
// in a text field sends the form as its main button does, not the picker;
// reloading the thank-you page or changing its language shows the receipt
// again and sends nothing.
func TestLanguageEnterAndThankYouWithoutJavaScript(t *testing.T) {
	f, b, a, posts := flowBrowser(t)
	base := b.base
	a.scripts(false)
	path := "/s/" + f.Open
	if _, err := load(a.ctx, base+path+"?lang=nb"); err != nil {
		t.Fatal(err)
	}
	a.click(`input[name=relation][value=partner]`)
	if err := chromedp.Do(a.ctx, chromedp.SendKeys(chromedp.CSS("#in-important"), "Skrevet før språkbyttet")); err != nil {
		t.Fatal(err)
	}
	const arabic = `nav.langs button[value=ar]`
	if status := a.nav("choosing العربية", chromedp.Click(chromedp.CSS(arabic))); status != http.StatusOK {
		t.Fatalf("choosing Arabic: %d", status)
	}
	checkArabic(t, a.ctx)
	if !a.checked("relation", "partner") || a.eval(`document.getElementById('in-important').value`) != "Skrevet før språkbyttet" {
		t.Fatal("choosing Arabic lost what was entered on the page")
	}

	// Enter in the number field sends the form with its main button: submit.
	if status := a.nav("Enter in a text field", chromedp.SendKeys(chromedp.CSS("#in-age"), "54"+kb.Enter)); status != http.StatusOK {
		t.Fatalf("Enter: %d", status)
	}
	checkArabic(t, a.ctx)
	if got := a.eval(`location.pathname`); got != path+"/takk" {
		t.Fatalf("Enter led to %s, want the thank-you page", got)
	}
	receipt := a.eval(`document.querySelector('p.code')?.textContent ?? ''`)
	if !codeShape.MatchString(receipt) {
		t.Fatalf("receipt %q", receipt)
	}
	sent := posts.Load()
	a.nav("reload", chromedp.Reload())
	if got := a.eval(`document.querySelector('p.code')?.textContent ?? ''`); got != receipt {
		t.Errorf("after a reload the receipt is %q, want %q", got, receipt)
	}
	a.nav("English", chromedp.Click(chromedp.CSS(`nav.langs a[hreflang=en]`)))
	if got := a.eval(`document.documentElement.lang + ' ' + (document.querySelector('p.code')?.textContent ?? '')`); got != "en "+receipt {
		t.Errorf("in English the thank-you page shows %q, want the receipt %s", got, receipt)
	}
	if n := posts.Load(); n != sent {
		t.Errorf("reloading the thank-you page sent %d forms", n-sent)
	}
	if n := f.Stored(t); n != 1 {
		t.Fatalf("%d answers stored, want 1", n)
	}
	a.scripts(true) // axe-core is a script: allowed again to check the page as it is
	b.checkAxe(t, a.ctx, phone)
}
