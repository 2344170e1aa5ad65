package main

import (
	"regexp"
	"strings"
	"testing"
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
