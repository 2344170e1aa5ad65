package browser_test

import (
	"context"
	"net/http"
	"testing"

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
	b.checkArea(t, s.Cookie, []string{"nb", "nn", "en"}, []areaPage{
		{name: "waves", path: "/admin/waves", status: http.StatusOK},
		{name: "wave refused", path: "/admin/waves", status: http.StatusBadRequest, click: `form[action="/admin/waves/ready/open"] button`},
		{name: "plan", path: "/admin/plan", status: http.StatusOK},
		{name: "plan refused", path: "/admin/plan", status: http.StatusBadRequest, set: [2]string{"#overall_start_year", "20x6"}, click: `#change + form button[type=submit]`},
		{name: "instruments", path: "/admin/instruments", status: http.StatusOK},
		{name: "preview", path: "/admin/instruments/test@1/preview?language=en", status: http.StatusOK},
		{name: "preview with missing texts", path: "/admin/instruments/test@1/preview?language=ar", status: http.StatusOK},
	})
}
