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
	pages := []struct {
		name, role, path string
		status           int64
	}{
		{"advisor", "advisor", "/admin/export", http.StatusOK},
		{"unit leader", "unit_leader", "/admin/export", http.StatusOK},
		{"refused", "advisor", "/admin/export?wave=open&format=pdf", http.StatusBadRequest},
	}
	for _, lang := range []string{"nb", "nn", "en"} {
		t.Run(lang, func(t *testing.T) {
			tab := b.tab(t)
			for _, pg := range pages {
				t.Run(pg.name, func(t *testing.T) {
					u := users[pg.role]
					s := webtest.SignIn(t, f, &u)
					ctx := bounded(t, tab)
					b.setCookies(t, ctx, s.Cookie, lang)
					status, err := load(ctx, b.base+pg.path)
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
