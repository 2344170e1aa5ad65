package browser_test

import (
	"context"
	"net/http"
	"testing"

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
	b.checkArea(t, s.Cookie, []string{"nb", "nn", "en"}, []areaPage{
		{name: "queue", path: "/admin/followup", status: http.StatusOK},
		{name: "closed cases", path: "/admin/followup?closed=1", status: http.StatusOK},
		{name: "case", path: "/admin/followup/" + mine.ID, status: http.StatusOK},
		{name: "close refused", path: "/admin/followup/" + mine.ID, status: http.StatusBadRequest, click: `form[action$="/close"] button`},
		{name: "feedback", path: "/admin/feedback", status: http.StatusOK},
		{name: "counts", path: "/admin/feedback/stats", status: http.StatusOK},
	})
}
