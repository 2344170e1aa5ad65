package ops_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pquerna/otp/totp"

	"github.com/stemme/stemme/staff"
)

// withPendingFactor stores a user who has begun setting up a second
// factor and returns their id.
func withPendingFactor(t *testing.T, w *world) string {
	t.Helper()
	ctx := context.Background()
	u, err := w.log.CreateUser(ctx, staff.User{Email: "leder@kommune.no", Name: "Leder",
		Grants: []staff.Grant{{Role: staff.RoleAdvisor}}}, "")
	must(t, err)
	must(t, w.log.BeginTOTP(ctx, u.ID))
	return u.ID
}

// firstCode is a current code of the pending factor of u.
func firstCode(u staff.User, users *staff.Store) (string, error) {
	key, err := users.PendingTOTP(u)
	if err != nil {
		return "", err
	}
	return totp.GenerateCode(key.Secret(), today)
}

// withSecondFactor stores a user with a second factor set up and returns
// their id.
func withSecondFactor(t *testing.T, w *world) string {
	t.Helper()
	ctx := context.Background()
	id := withPendingFactor(t, w)
	u, err := w.log.User(ctx, id)
	must(t, err)
	code, err := firstCode(u, w.log)
	must(t, err)
	_, err = w.log.EnableTOTP(ctx, u.ID, code, today)
	must(t, err)
	return u.ID
}

// TestWrongFirstCodeWritesNothing checks that setting up a second factor
// with a wrong first code is refused before its entry.
func TestWrongFirstCodeWritesNothing(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	u, err := w.log.User(ctx, withPendingFactor(t, w))
	must(t, err)
	if _, err := w.ops(w.log).twoFactor.Enable(ctx, u, "000000"); !errors.Is(err, staff.ErrTOTPCode) {
		t.Fatalf("a wrong code: %v, want staff.ErrTOTPCode", err)
	}
	if es := w.entries(t, staff.AuditTOTPEnable); len(es) != 0 {
		t.Fatalf("a wrong code wrote %+v", es)
	}
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
		{name: "2fa enable", action: staff.AuditTOTPEnable, by: "leder@kommune.no", setup: withPendingFactor,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				u := user(ctx, o, id)
				code, err := firstCode(u, o.staffUsers)
				if err != nil {
					return "", err
				}
				codes, err := o.twoFactor.Enable(ctx, u, code)
				if err == nil && len(codes) == 0 {
					return "", errors.New("no recovery codes")
				}
				return u.Email, err
			},
			changed: func(t *testing.T, w *world, id string) bool { return factor(t, w, id) != nil }},
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
