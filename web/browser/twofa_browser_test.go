package browser_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

// TestAccessibilityOfSecurityPages runs axe-core (WCAG 2.1 A and AA) and the
// touch-target check on the pages of issue 21 in the staff languages: the
// second step of the login, the second-factor page before, during and after
// set-up, "log out everywhere" with a token, and the page for a request too
// large.
func TestAccessibilityOfSecurityPages(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	ctx := context.Background()
	st, _ := staff.NewStore(f.Store.DB).WithSecret(webtest.Secret)
	admin, advisor, council := users["admin"], users["advisor"], users["council"]
	if err := st.BeginTOTP(ctx, advisor.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.BeginTOTP(ctx, admin.ID); err != nil {
		t.Fatal(err)
	}
	u, _ := st.User(ctx, admin.ID)
	key, _ := st.PendingTOTP(u)
	code, _ := totp.GenerateCode(key.Secret(), webtest.FixedNow)
	if _, err := st.EnableTOTP(ctx, admin.ID, code, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateToken(ctx, council.ID, "Power BI", time.Time{}, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	pages := []struct {
		name, role, path string
		status           int64
	}{
		{"second factor, not set up", "council", "/admin/2fa", http.StatusOK},
		{"second factor, scan the code", "advisor", "/admin/2fa", http.StatusOK},
		{"second factor, on", "admin", "/admin/2fa", http.StatusOK},
		{"log out everywhere", "council", "/logout/everywhere", http.StatusOK},
		{"second step of the login", "", "/login/2fa", http.StatusOK},
		{"request too large", "", "/?lang=" + strings.Repeat("x", 10_000), http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, lang := range []string{"nb", "nn", "en"} {
		t.Run(lang, func(t *testing.T) {
			tab := b.tab(t)
			for _, pg := range pages {
				t.Run(pg.name, func(t *testing.T) {
					cookie := "stemme_csrf=seed-" + strings.Repeat("y", 20)
					if pg.role != "" {
						u := users[pg.role]
						cookie = webtest.SignIn(t, f, &u).Cookie
					} else {
						challenge, err := st.StartChallenge(ctx, admin.ID, webtest.FixedNow)
						if err != nil {
							t.Fatal(err)
						}
						cookie += "; stemme_2fa=" + challenge
					}
					ctx := bounded(t, tab)
					b.setCookies(t, ctx, cookie, lang)
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
