package browser_test

import (
	"context"
	"net/http"
	"testing"

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
	b.checkArea(t, s.Cookie, []string{"nb", "nn", "en"}, []areaPage{
		{name: "queue", path: "/admin/review", status: http.StatusOK},
		{name: "redact form", path: item, status: http.StatusOK},
		// The redaction emptied: the form comes back with the message.
		{name: "redaction refused", path: item, status: http.StatusBadRequest, set: [2]string{"textarea", " "}, click: `button[value="redacted"]`},
		{name: "reviewed text", path: "/admin/texts?wave=open", status: http.StatusOK},
		{name: "tokens", path: "/admin/tokens", status: http.StatusOK},
		{name: "token created", path: "/admin/tokens", status: http.StatusOK, set: [2]string{"#token-name", "Power BI"}, click: `form[action="/admin/tokens"] button`},
	})
}
