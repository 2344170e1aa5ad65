package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

// TestLogoutEverywhereOffersToRevokeTokens: the page lists the user's API
// tokens with their last use and, when asked, revokes them with the
// sessions, audited; without the box ticked the tokens keep working.
func TestLogoutEverywhereOffersToRevokeTokens(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	st := staff.NewStore(f.Store.DB)
	ctx := context.Background()
	for _, tt := range []struct {
		role   string
		revoke bool
	}{{"advisor", true}, {"council", false}} {
		u := users[tt.role]
		token, _, err := st.CreateToken(ctx, u.ID, "Power BI", time.Time{}, webtest.FixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.TokenUser(ctx, token, webtest.FixedNow.Add(90*time.Second)); err != nil {
			t.Fatal(err)
		}
		s := webtest.SignIn(t, f, &u)
		other, _ := st.StartSession(ctx, u.ID, webtest.FixedNow) // another device

		resp, body := f.Get(t, "/logout/everywhere?lang=en", "Cookie", s.Cookie)
		// Last use to the minute, in Norwegian time (fixedNow is 12:00 UTC, 13:00 in Oslo).
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Power BI (last used: 2026-11-18 13:01)") ||
			!strings.Contains(body, `name="revoke_tokens"`) {
			t.Fatalf("%s: status %d; want the token with its last use and the box to revoke it", tt.role, resp.StatusCode)
		}
		form := url.Values{}
		if tt.revoke {
			form.Set("revoke_tokens", "on")
		}
		if resp, _ := staffPost(t, f, s, "/logout/everywhere", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: logout everywhere: status %d", tt.role, resp.StatusCode)
		}
		if _, _, err := st.Session(ctx, other, webtest.FixedNow, staff.DefaultLifetimes); err == nil {
			t.Errorf("%s: the other device's session survived", tt.role)
		}
		_, _, err = st.TokenUser(ctx, token, webtest.FixedNow.Add(time.Hour))
		if works := err == nil; works == tt.revoke {
			t.Errorf("%s: token works after logout everywhere: %v, want %v", tt.role, works, !tt.revoke)
		}
		if n := auditCount(t, f, staff.AuditTokensRevokeAll, u.Email); (n == 1) != tt.revoke {
			t.Errorf("%s: %d audit entries for revoking every token", tt.role, n)
		}
	}
}
