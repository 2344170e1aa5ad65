package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

// TestOperationRoutesAnswerAsBefore posts to one route of each area whose
// handler calls an operation of package ops: the route answers as it did
// when the handler wrote the entry itself, and the entry names the actor.
func TestOperationRoutesAnswerAsBefore(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	admin, advisor := users["admin"], users["advisor"]
	asAdmin, asAdvisor := webtest.SignIn(t, f, &admin), webtest.SignIn(t, f, &advisor)
	leader := users[string(staff.RoleUnitLeader)]
	for _, tt := range []struct {
		area, path string
		as         webtest.Session
		form       url.Values
		location   string
		action     string
		actor      string
	}{
		{"council", "/admin/council/members", asAdvisor, url.Values{"name": {"Kari"}, "role": {"Leder"}},
			"/admin/council?saved=1#members", staff.AuditCouncil, advisor.Email},
		{"actions", "/admin/actions", asAdvisor, url.Values{"title": {"Informasjonsmøte"}, "owner": {"Virksomhetsleder"}, "period": {"2026"}},
			"", staff.AuditAction, advisor.Email},
		{"arenas", "/admin/arenas/sections/cafe", asAdmin, url.Values{"intro": {"Velkommen"}},
			"/admin/arenas?saved=1", staff.AuditArena, admin.Email},
		{"branding", "/admin/branding/remove", asAdmin, url.Values{},
			"/admin/branding?done=removed", staff.AuditBranding, admin.Email},
		{"results", "/admin/results/closed/withdraw", asAdvisor, url.Values{},
			"/admin/results?done=withdrawn&wave=closed", staff.AuditResultsWithdraw, advisor.Email},
		{"users", "/admin/users/" + leader.ID, asAdmin, url.Values{"name": {"Leder Lia"}, "active": {"on"},
			"role": {string(staff.RoleUnitLeader)}, "units_" + string(staff.RoleUnitLeader): {"solbakken"}},
			"/admin/users", staff.AuditUserUpdate, admin.Email},
		{"second factor", "/admin/users/" + leader.ID + "/2fa/reset", asAdmin, url.Values{},
			"/admin/users/" + leader.ID + "?done=2fa", staff.AuditTOTPDisable, admin.Email},
	} {
		t.Run(tt.area, func(t *testing.T) {
			before := len(auditEntries(t, f, tt.action))
			resp, body := staffRequest(t, f, tt.as, http.MethodPost, tt.path, tt.form)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d, want 303\n%s", resp.StatusCode, truncateBody(body))
			}
			if loc := resp.Header.Get("Location"); tt.location != "" && loc != tt.location {
				t.Errorf("sent to %q, want %q", loc, tt.location)
			}
			es := auditEntries(t, f, tt.action)
			if len(es) != before+1 || es[0].Actor != tt.actor {
				t.Fatalf("entries of %s: %+v, want one more by %s", tt.action, es, tt.actor)
			}
		})
	}
}
