package ops_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pquerna/otp/totp"

	"github.com/stemme/stemme/staff"
)

// withSecondFactor stores a user with a second factor set up and returns
// their id.
func withSecondFactor(t *testing.T, w *world) string {
	t.Helper()
	ctx := context.Background()
	u, err := w.log.CreateUser(ctx, staff.User{Email: "leder@kommune.no", Name: "Leder",
		Grants: []staff.Grant{{Role: staff.RoleAdvisor}}}, "")
	must(t, err)
	must(t, w.log.BeginTOTP(ctx, u.ID))
	if u, err = w.log.User(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	key, err := w.log.PendingTOTP(u)
	must(t, err)
	code, err := totp.GenerateCode(key.Secret(), today)
	must(t, err)
	_, err = w.log.EnableTOTP(ctx, u.ID, code, today)
	must(t, err)
	return u.ID
}

func twoFactorOperations() []operation {
	user := func(ctx context.Context, o operations, id string) staff.User {
		u, err := o.staffUsers.User(ctx, id)
		if err != nil {
			panic(err)
		}
		return u
	}
	factor := func(t *testing.T, w *world, id string) *staff.TOTP {
		t.Helper()
		u, err := w.log.User(context.Background(), id)
		must(t, err)
		return u.TOTP
	}
	var recovery []string
	return []operation{
		{name: "2fa disable", action: staff.AuditTOTPDisable, by: "leder@kommune.no", setup: withSecondFactor,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				u := user(ctx, o, id)
				return u.Email, o.twoFactor.Disable(ctx, u)
			},
			changed: func(t *testing.T, w *world, id string) bool { return factor(t, w, id) == nil }},
		{name: "2fa reset by an admin", action: staff.AuditTOTPDisable, setup: withSecondFactor,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				u := user(ctx, o, id)
				return u.Email, o.twoFactor.Reset(ctx, who, u)
			},
			changed: func(t *testing.T, w *world, id string) bool { return factor(t, w, id) == nil }},
		{name: "2fa recovery codes", action: staff.AuditTOTPRecovery, by: "leder@kommune.no",
			setup: func(t *testing.T, w *world) string {
				id := withSecondFactor(t, w)
				recovery = factor(t, w, id).Recovery
				return id
			},
			run: func(ctx context.Context, o operations, id string) (string, error) {
				u := user(ctx, o, id)
				_, err := o.twoFactor.RenewRecoveryCodes(ctx, u)
				return u.Email, err
			},
			changed: func(t *testing.T, w *world, id string) bool {
				return !slices.Equal(factor(t, w, id).Recovery, recovery)
			}},
	}
}
