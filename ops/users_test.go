package ops_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/staff"
)

func userOperations() []operation {
	existing := func(t *testing.T, w *world) string {
		t.Helper()
		u, err := w.log.CreateUser(context.Background(), staff.User{Email: "ny@kommune.no", Name: "Ny",
			Grants: []staff.Grant{{Role: staff.RoleAdvisor}}}, "")
		must(t, err)
		return u.ID
	}
	user := func(t *testing.T, w *world, id string) staff.User {
		t.Helper()
		u, err := w.log.User(context.Background(), id)
		must(t, err)
		return u
	}
	return []operation{
		{name: "user create", action: staff.AuditUserCreate,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				_, link, err := o.users.Create(ctx, who, staff.User{Email: "ny@kommune.no", Name: "Ny",
					Grants: []staff.Grant{{Role: staff.RoleAdvisor}}})
				if err == nil && link == "" {
					panic("no link")
				}
				return "ny@kommune.no", err
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				_, err := w.log.UserByEmail(context.Background(), "ny@kommune.no")
				return err == nil
			}},
		{name: "user add", action: staff.AuditUserCreate,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				_, err := o.users.Add(ctx, who, staff.User{Email: "Ny@Kommune.no", Name: "Ny",
					Grants: []staff.Grant{{Role: staff.RoleAdvisor}}})
				return "ny@kommune.no", err
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				_, err := w.log.UserByEmail(context.Background(), "ny@kommune.no")
				return err == nil
			}},
		{name: "user update", action: staff.AuditUserUpdate, setup: existing,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return "ny@kommune.no", o.users.Update(ctx, who, staff.User{ID: id, Email: "ny@kommune.no", Name: "Ny Navnesen",
					Grants: []staff.Grant{{Role: staff.RoleAdvisor}}, Active: true})
			},
			changed: func(t *testing.T, w *world, id string) bool { return user(t, w, id).Name == "Ny Navnesen" }},
		linkRow("password link", existing, func(ctx context.Context, o operations, u staff.User) error {
			_, err := o.users.IssueLink(ctx, who, u)
			return err
		}),
		linkRow("password link, not e-mailed", existing, func(ctx context.Context, o operations, u staff.User) error {
			_, err := o.users.Link(ctx, who, u)
			return err
		}),
		{name: "password set by link", action: staff.AuditPasswordSet, by: "ny@kommune.no",
			setup: func(t *testing.T, w *world) string {
				token, err := w.log.IssuePasswordLink(context.Background(), existing(t, w), today)
				must(t, err)
				return token
			},
			run: func(ctx context.Context, o operations, token string) (string, error) {
				u, err := o.staffUsers.PasswordLinkUser(ctx, token, today)
				if err != nil {
					return "", err
				}
				return u.Email, o.users.SetPasswordByLink(ctx, u, token, "Fjordvik-Lyngheia-2026")
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				u, err := w.log.UserByEmail(context.Background(), "ny@kommune.no")
				must(t, err)
				return u.PasswordHash != ""
			}},
	}
}

// linkRow is the row of an operation that issues a password link to the
// user setup made.
func linkRow(name string, setup func(*testing.T, *world) string, issue func(context.Context, operations, staff.User) error) operation {
	return operation{name: name, action: staff.AuditUserLinkIssued, setup: setup,
		run: func(ctx context.Context, o operations, id string) (string, error) {
			u, err := o.staffUsers.User(ctx, id)
			if err != nil {
				return "", err
			}
			return u.Email, issue(ctx, o, u)
		},
		changed: func(t *testing.T, w *world, _ string) bool {
			// A link is stored (by its hash) however it was sent.
			n, err := w.db.Collection("password_links").CountDocuments(context.Background(), bson.D{})
			must(t, err)
			return n == 1
		}}
}
