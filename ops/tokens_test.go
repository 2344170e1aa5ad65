package ops_test

import (
	"context"
	"testing"
	"time"

	"github.com/stemme/stemme/staff"
)

const owner = "bi@kommune.no"

func tokenOperations() []operation {
	user := func(t *testing.T, w *world) string {
		t.Helper()
		u, err := w.log.CreateUser(context.Background(), staff.User{Email: owner, Name: "BI",
			Grants: []staff.Grant{{Role: staff.RoleAdvisor}}}, "")
		must(t, err)
		return u.ID
	}
	tokens := func(t *testing.T, w *world, id string) int {
		t.Helper()
		ts, err := w.log.Tokens(context.Background(), id)
		must(t, err)
		return len(ts)
	}
	// ref is the token made by setup, for the revoke row.
	var ref string
	return []operation{
		{name: "token create", action: staff.AuditToken, by: owner, setup: user,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				u, err := o.staffUsers.User(ctx, id)
				if err != nil {
					return "", err
				}
				_, t, err := o.tokens.Create(ctx, u, "Power BI", time.Time{})
				return t.Ref, err
			},
			changed: func(t *testing.T, w *world, id string) bool { return tokens(t, w, id) == 1 }},
		{name: "token revoke", action: staff.AuditToken, by: owner,
			setup: func(t *testing.T, w *world) string {
				id := user(t, w)
				_, tok, err := w.log.CreateToken(context.Background(), id, "Power BI", time.Time{}, today)
				must(t, err)
				ref = tok.Ref
				return id
			},
			run: func(ctx context.Context, o operations, id string) (string, error) {
				u, err := o.staffUsers.User(ctx, id)
				if err != nil {
					return "", err
				}
				return ref, o.tokens.Revoke(ctx, u, ref)
			},
			changed: func(t *testing.T, w *world, id string) bool { return tokens(t, w, id) == 0 }},
	}
}
