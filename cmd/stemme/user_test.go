package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
)

func TestUserCommands(t *testing.T) {
	env := []string{"STEMME_DATA_DIR=" + t.TempDir(), "STEMME_DEMO=false", "STEMME_BASE_URL=https://stemme.example.no"}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"add a unit leader", []string{"user", "add", "--email", "Leder@Kommune.no", "--name", "Kari Leder", "--role", "unit_leader,council", "--unit", "solbakken"}, 0, "https://stemme.example.no/passord/"},
		{"same address again", []string{"user", "add", "--email", "leder@kommune.no", "--name", "Kari", "--role", "council"}, 1, "already exists"},
		{"unit role without unit", []string{"user", "add", "--email", "x@kommune.no", "--name", "X", "--role", "follow_up"}, 2, "needs at least one unit"},
		{"unknown role", []string{"user", "add", "--email", "x@kommune.no", "--name", "X", "--role", "king"}, 2, "unknown role"},
		{"reset link", []string{"user", "reset", "--email", "leder@kommune.no"}, 0, "/passord/"},
		{"reset unknown", []string{"user", "reset", "--email", "nobody@kommune.no"}, 1, "no user"},
		{"reset with the second factor", []string{"user", "reset", "--2fa", "--email", "leder@kommune.no"}, 0, "/passord/"},
		{"list", []string{"user", "list"}, 0, "leder@kommune.no\tactive\tunit_leader:solbakken,council\tKari Leder"},
		{"no subcommand", []string{"user"}, 2, "needs a subcommand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := stemme(t, env, tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Fatalf("exit %d (want %d), output %q%q, want %q", code, tt.code, out, errOut, tt.want)
			}
		})
	}
	_, out, _ := stemme(t, env, "user", "reset", "--email", "leder@kommune.no")
	if !regexp.MustCompile(`/passord/[A-Za-z0-9_-]{43}\n`).MatchString(out) {
		t.Fatalf("link does not carry a 256-bit token: %q", out)
	}
}

// TestUserResetRemovesTheSecondFactor: for a lost phone without recovery
// codes, "user reset --2fa" removes the second factor, audited.
func TestUserResetRemovesTheSecondFactor(t *testing.T) {
	dir := t.TempDir()
	env := []string{"STEMME_DATA_DIR=" + dir, "STEMME_DEMO=false"}
	if code, _, errOut := stemme(t, env, "user", "add", "--email", "admin@kommune.no", "--name", "A", "--role", "admin"); code != 0 {
		t.Fatal(errOut)
	}
	ctx := context.Background()
	open := func() (*store.Store, *staff.Store) {
		st, err := store.Open(ctx, store.Config{DataDir: dir, Database: "stemme"})
		if err != nil {
			t.Fatal(err)
		}
		return st, staff.NewStore(st.DB)
	}
	st, users := open()
	u, _ := users.UserByEmail(ctx, "admin@kommune.no")
	if err := users.BeginTOTP(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	_, _ = st.DB.Collection("users").UpdateOne(ctx, bson.D{{Key: "_id", Value: u.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "totp", Value: staff.TOTP{Secret: []byte("sealed"), Enabled: time.Now()}}}}})
	_ = st.Close(ctx)

	code, out, errOut := stemme(t, env, "user", "reset", "--2fa", "--email", "admin@kommune.no")
	if code != 0 || !strings.Contains(out, "Second factor removed") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	st, users = open()
	defer st.Close(ctx)
	if u, _ := users.User(ctx, u.ID); u.HasTOTP() {
		t.Fatal("second factor still there")
	}
	if n, _ := st.DB.Collection("audit").CountDocuments(ctx, bson.D{{Key: "action", Value: staff.AuditTOTPDisable}}); n != 1 {
		t.Fatalf("%d audit entries for the removal", n)
	}
}
