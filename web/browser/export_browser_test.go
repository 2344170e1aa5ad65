package browser_test

import (
	"net/http"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
)

// TestAccessibilityOfExportPage runs axe-core (WCAG 2.1 A and AA) and the
// touch-target check on the export form, as advisors and unit leaders see
// it and with a refused choice, in the staff languages.
func TestAccessibilityOfExportPage(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	cookie := func(role string) string { u := users[role]; return webtest.SignIn(t, f, &u).Cookie }
	advisor := cookie("advisor")
	b.checkArea(t, advisor, []string{"nb", "nn", "en"}, []areaPage{
		{name: "advisor", path: "/admin/export", status: http.StatusOK},
		{name: "unit leader", path: "/admin/export", status: http.StatusOK, cookie: cookie("unit_leader")},
		{name: "refused", path: "/admin/export?wave=open&format=pdf", status: http.StatusBadRequest},
	})
}
