package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the stemme binary: with
// STEMME_TEST_MAIN=1 it runs the command line it was given, as main would.
func TestMain(m *testing.M) {
	if os.Getenv("STEMME_TEST_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// stemme runs the command line in a child process and returns its exit code and output.
func stemme(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(cleanEnv(), append([]string{"STEMME_TEST_MAIN=1"}, env...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// lastWave returns the id of the last wave (by id) that "wave list" shows
// with the given status and, unless kind is empty, of that kind.
func lastWave(t *testing.T, env []string, kind, status string) string {
	t.Helper()
	code, list, errOut := stemme(t, env, "wave", "list")
	if code != 0 {
		t.Fatalf("wave list: exit %d: %s", code, errOut)
	}
	var id string
	for _, line := range strings.Split(list, "\n") {
		f := strings.Split(line, "\t") // id, kind, units, status
		if len(f) == 4 && f[3] == status && (kind == "" || f[1] == kind) && f[0] > id {
			id = f[0]
		}
	}
	if id == "" {
		t.Fatalf("no %s wave %s in\n%s", status, kind, list)
	}
	return id
}

// cleanEnv is the environment without any STEMME_ or MONGODB_ setting of the developer's.
func cleanEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "STEMME_") && !strings.HasPrefix(e, "MONGODB_") {
			env = append(env, e)
		}
	}
	return env
}

func TestHelpListsTheCommands(t *testing.T) {
	code, out, _ := stemme(t, nil, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, c := range []string{"serve", "seed", "version", "help"} {
		if !strings.Contains(out, "  "+c+" ") {
			t.Errorf("help does not list %q:\n%s", c, out)
		}
	}
	code, out, _ = stemme(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "stemme ") {
		t.Fatalf("version: exit %d, %q", code, out)
	}
}

// TestStartupErrorsAreOneClearLine checks that each failure at start-up
// exits non-zero with a single line naming the cause, not a stack trace.
func TestStartupErrorsAreOneClearLine(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// Every case listens on a free port, so a regression that starts serving cannot clash.
	dir := t.TempDir()
	data := func(extra ...string) []string {
		return append([]string{"STEMME_DATA_DIR=" + dir, "STEMME_ADDR=127.0.0.1:0"}, extra...)
	}
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"port in use", data(), []string{"serve", "--addr", busy.Addr().String()}, 1, "cannot listen on " + busy.Addr().String()},
		{"data directory not writable", data("STEMME_DATA_DIR=" + filepath.Join(file, "data")), []string{"serve"}, 1, "cannot be created"},
		{"MongoDB unreachable", data(
			"MONGODB_URI=mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300"), []string{"serve"}, 1, "cannot reach MongoDB at 127.0.0.1:1"},
		{"bad address", data("STEMME_ADDR=localhost"), []string{"serve"}, 2, "STEMME_ADDR: \"localhost\" is not host:port"},
		{"flag named when the flag is wrong", data(), []string{"serve", "--addr", "nope"}, 2, "--addr: \"nope\" is not host:port"},
		{"short secret", data("STEMME_SECRET=short"), []string{"seed"}, 2, "STEMME_SECRET: must have at least 32 characters"},
		{"bad base URL", data("STEMME_BASE_URL=ftp://x"), []string{"serve"}, 2, "STEMME_BASE_URL"},
		{"bad trusted proxy", data("STEMME_TRUSTED_PROXIES=10.0.0.1,nope"), []string{"serve"}, 2, "STEMME_TRUSTED_PROXIES: \"nope\""},
		{"bad session idle", data("STEMME_SESSION_IDLE=soon"), []string{"serve"}, 2, "STEMME_SESSION_IDLE"},
		{"session max below idle", data("STEMME_SESSION_IDLE=2h", "STEMME_SESSION_MAX=1h"), []string{"serve"}, 2, "STEMME_SESSION_MAX"},
		{"bad demo switch", data("STEMME_DEMO=maybe"), nil, 2, "STEMME_DEMO"},
		{"admin listener open to the network", data("STEMME_ADMIN_ADDR=0.0.0.0:9090"), []string{"serve"}, 2,
			"STEMME_ADMIN_ADDR: \"0.0.0.0:9090\" is not a loopback address"},
		{"admin listener on a LAN address", data(), []string{"serve", "--admin-addr", "192.168.1.5:9090"}, 2,
			"--admin-addr: \"192.168.1.5:9090\" is not a loopback address"},
		{"admin listener without a port", data("STEMME_ADMIN_ADDR=127.0.0.1"), []string{"serve"}, 2, "STEMME_ADMIN_ADDR: \"127.0.0.1\" is not host:port"},
		{"bad second-factor switch", data("STEMME_REQUIRE_2FA=sometimes"), []string{"serve"}, 2, "STEMME_REQUIRE_2FA: \"sometimes\" is not true or false"},
		{"municipality name too long", data("STEMME_ORG_NAME=" + strings.Repeat("Lang ", 20)), []string{"serve"}, 2, "STEMME_ORG_NAME: "},
		{"municipality name on two lines", data(), []string{"serve", "--org-name", "Eksempel\nkommune"}, 2, "--org-name: "},
		{"unknown command", nil, []string{"frobnicate"}, 2, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := stemme(t, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			first, _, _ := strings.Cut(stderr, "\n")
			if !strings.Contains(first, tt.want) {
				t.Errorf("first line %q does not mention %q", first, tt.want)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("stderr holds a stack trace:\n%s", stderr)
			}
			if tt.code == 1 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 && !onlyLogLines(stderr) {
				t.Errorf("stderr has more than one line that is not a log line:\n%s", stderr)
			}
		})
	}
}

// onlyLogLines reports whether every line but the last is a structured log line.
func onlyLogLines(s string) bool {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, l := range lines[:len(lines)-1] {
		if !strings.HasPrefix(l, "time=") {
			return false
		}
	}
	return true
}
