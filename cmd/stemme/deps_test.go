package main

import (
	"database/sql"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// TestDependenciesCarryTheSecurityFixes guards the versions that fixed
// advisories affecting us, so a downgrade (or a module that pins an old
// one) fails here rather than in production.
func TestDependenciesCarryTheSecurityFixes(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build information")
	}
	// modernc.org/sqlite is checked below by the SQLite it bundles.
	minimum := map[string]string{
		// Header value and chunk-extension validation; GO-2026-4950.
		"github.com/valyala/fasthttp": "v1.70.0",
		// CVE-2026-2303 (GSSAPI) in the driver FerretDB brings along.
		"go.mongodb.org/mongo-driver": "v1.17.7",
	}
	for _, m := range info.Deps {
		if m.Replace != nil {
			m = m.Replace
		}
		if want, ok := minimum[m.Path]; ok {
			if moduleBelow(m.Version, want) {
				t.Errorf("%s %s, want %s or later", m.Path, m.Version, want)
			}
			delete(minimum, m.Path)
		}
	}
	for path := range minimum {
		t.Errorf("%s is not in the build", path)
	}
	// The SQLite that the embedded store really runs: 3.50.2 and later fix
	// CVE-2025-6965, CVE-2025-29087 and CVE-2025-3277.
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("select sqlite_version()").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if versionBelow(v, 3, 50, 2) {
		t.Errorf("SQLite %s, want 3.50.2 or later", v)
	}
	t.Logf("SQLite %s", v)
}

func versionBelow(v string, want ...int) bool {
	parts := strings.Split(v, ".")
	for i, w := range want {
		n := 0
		if i < len(parts) {
			n, _ = strconv.Atoi(parts[i])
		}
		if n != w {
			return n < w
		}
	}
	return false
}

// moduleBelow compares module versions such as v1.62.0 by their numbers.
func moduleBelow(have, want string) bool {
	var nums []int
	for _, p := range strings.Split(strings.TrimPrefix(want, "v"), ".") {
		n, _ := strconv.Atoi(p)
		nums = append(nums, n)
	}
	core, _, _ := strings.Cut(strings.TrimPrefix(have, "v"), "-")
	return versionBelow(core, nums...)
}
