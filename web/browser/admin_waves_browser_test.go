package browser_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

// TestAccessibilityOfAdvisorPages runs axe-core (WCAG 2.1 A and AA) and the
// touch-target check on the advisors' waves, plan and instrument pages, with
// the error states they re-render, in the staff languages.
func TestAccessibilityOfAdvisorPages(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	webtest.InsertDraft(t, f, "ready", "nb", "pl")
	if err := surveys.NewStore(f.Store.DB).SavePlan(context.Background(), surveys.Plan{OverallStartYear: 2026,
		Entries: []surveys.PlanEntry{{Unit: "solbakken", Year: 2026}}}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	pages := []struct {
		name, path string
		status     int64
		click      string // a button to press after loading, if any
	}{
		{"waves", "/admin/waves", http.StatusOK, ""},
		{"wave refused", "/admin/waves", http.StatusBadRequest, `form[action="/admin/waves/ready/open"] button`},
		{"plan", "/admin/plan", http.StatusOK, ""},
		{"plan refused", "/admin/plan", http.StatusBadRequest, `#change + form button[type=submit]`},
		{"instruments", "/admin/instruments", http.StatusOK, ""},
		{"preview", "/admin/instruments/test@1/preview?language=en", http.StatusOK, ""},
		{"preview with missing texts", "/admin/instruments/test@1/preview?language=ar", http.StatusOK, ""},
	}
	for _, lang := range []string{"nb", "nn", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel() // each language in a tab with its own cookies
			tab := b.tab(t)
			for _, pg := range pages {
				t.Run(pg.name, func(t *testing.T) {
					ctx := bounded(t, tab)
					b.setCookies(t, ctx, s.Cookie, lang)
					if err := chromedp.Do(ctx, phone.emulate()); err != nil {
						t.Fatal(err)
					}
					status, err := load(ctx, b.base+pg.path)
					if err == nil && pg.click != "" {
						if pg.name == "plan refused" {
							err = chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#overall_start_year"), "20x6"))
						}
						if err == nil {
							status, err = clickAndWait(ctx, pg.click)
						}
					}
					if err != nil {
						t.Fatal(err)
					}
					if status != pg.status {
						t.Errorf("status %d, want %d", status, pg.status)
					}
					b.checkAxe(t, ctx, phone, desktop)
					checkTouchTargets(t, ctx, phone, desktop)
				})
			}
		})
	}
}
