package browser_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

// TestAccessibilityOfReviewPages runs axe-core and the touch-target check
// on the review queue, one text's redact form (also refused), the reviewed
// text page and the API tokens page, in the staff languages.
func TestAccessibilityOfReviewPages(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	webtest.AnswerTexts(t, f, "Ring Sigrun på 912 34 567.", "Maten er god.", "a", "b", "c", "d")
	// Reviewed text is shown once the wave's results are final.
	if err := surveys.NewStore(f.Store.DB).CloseWave(context.Background(), "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
	rv := analysis.NewReviewer(f.Store.DB, webtest.FeedbackStore(t, f))
	q, err := rv.Queue(context.Background(), analysis.QueueFilter{Flagged: true})
	if err != nil || len(q.Items) == 0 {
		t.Fatalf("no flagged text: %v", err)
	}
	item := "/admin/review/survey/" + q.Items[0].ID
	admin := users["admin"]
	s := webtest.SignIn(t, f, &admin)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	pages := []struct {
		name, path string
		status     int64
		click      string
	}{
		{"queue", "/admin/review", http.StatusOK, ""},
		{"redact form", item, http.StatusOK, ""},
		// The redaction emptied: the form comes back with the message.
		{"redaction refused", item, http.StatusBadRequest, `#clear-then-redact`},
		{"reviewed text", "/admin/texts?wave=open", http.StatusOK, ""},
		{"tokens", "/admin/tokens", http.StatusOK, ""},
		{"token created", "/admin/tokens", http.StatusOK, `form[action="/admin/tokens"] button`},
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
					switch {
					case err != nil:
					case pg.click == `#clear-then-redact`:
						err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('textarea').value = ' '`))
						if err == nil {
							status, err = clickAndWait(ctx, `button[value="redacted"]`)
						}
					case pg.click != "":
						err = chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#token-name"), "Power BI "+lang))
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
