package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

// blockAudit makes the store refuse every further audit entry with one of
// the given actions: a unique index on the action and one entry of each
// already written. The refusal comes from the real store, as a full disk
// or a lost primary would.
func blockAudit(t *testing.T, f *webtest.Fixture, actions ...string) {
	t.Helper()
	ctx := context.Background()
	_, err := f.Store.DB.Collection("audit").Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys: bson.D{{Key: "action", Value: 1}}, Options: options.Index().SetUnique(true).SetName("block_audit")})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range actions {
		if err := staff.NewStore(f.Store.DB).Audit(ctx, webtest.FixedNow, "test", a, "", "blocker"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAnOperationWhoseAuditFailsFails: the README promises every change is
// audited, so a change whose entry cannot be written answers 503 rather
// than succeed unrecorded; a login the log cannot hold starts no session.
func TestAnOperationWhoseAuditFailsFails(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	admin := users["admin"]
	s := webtest.SignIn(t, f, &admin)
	anon := webtest.SignIn(t, f, nil)
	blockAudit(t, f, staff.AuditArena, staff.AuditCouncil, staff.AuditLogin, staff.AuditLoginFailed,
		staff.AuditWave, staff.AuditLogout)

	login := func(password string) (*http.Response, string) {
		v := url.Values{"_csrf": {anon.AnonCSRF}, "email": {admin.Email}, "password": {password}}
		req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", anon.Cookie)
		return f.Do(t, req)
	}
	for _, tc := range []struct {
		name string
		send func() (*http.Response, string)
	}{
		{"arena text", func() (*http.Response, string) {
			return staffRequest(t, f, s, http.MethodPost, "/admin/arenas/sections/school", url.Values{"intro": {"Fire kvelder."}})
		}},
		{"council settings", func() (*http.Response, string) {
			return staffRequest(t, f, s, http.MethodPost, "/admin/council/settings", url.Values{"contact": {"Kari"}, "email": {"rad@kommune.no"}})
		}},
		{"wave close", func() (*http.Response, string) {
			return staffRequest(t, f, s, http.MethodPost, "/admin/waves/open/close", nil)
		}},
		{"login", func() (*http.Response, string) { return login("korrekt hest batteri stift") }},
		{"wrong password", func() (*http.Response, string) { return login("feil") }},
		{"logout", func() (*http.Response, string) {
			return staffRequest(t, f, s, http.MethodPost, "/logout", nil)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tc.send()
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503\n%s", resp.StatusCode, truncateBody(body))
			}
			for _, c := range resp.Cookies() {
				if c.Name == "stemme_session" && c.Value != "" {
					t.Fatal("a session was started although its login was not audited")
				}
			}
		})
	}
}
