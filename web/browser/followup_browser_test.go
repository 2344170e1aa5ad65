package browser_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stemme/stemme/internal/webtest"
)

// TestAccessibilityOfFollowUpPages runs axe-core and the touch-target check
// on the follow-up queue, a case with its forms (and a refused close), the
// feedback list and the advisors' counts, in the staff languages.
func TestAccessibilityOfFollowUpPages(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	mine, _, _ := webtest.FollowUpCases(t, f)
	if err := webtest.FeedbackStore(t, f).MarkContacted(context.Background(), mine.ID, "x", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	admin := users["admin"]
	s := webtest.SignIn(t, f, &admin)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	pages := []struct {
		name, path string
		status     int64
		click      string
	}{
		{"queue", "/admin/followup", http.StatusOK, ""},
		{"closed cases", "/admin/followup?closed=1", http.StatusOK, ""},
		{"case", "/admin/followup/" + mine.ID, http.StatusOK, ""},
		{"close refused", "/admin/followup/" + mine.ID, http.StatusBadRequest, `form[action$="/close"] button`},
		{"feedback", "/admin/feedback", http.StatusOK, ""},
		{"counts", "/admin/feedback/stats", http.StatusOK, ""},
	}
	for _, lang := range []string{"nb", "nn", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
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
						status, err = clickAndWait(ctx, pg.click)
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
