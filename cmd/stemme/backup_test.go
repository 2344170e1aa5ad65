package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBackupWhileServingAndRestore backs the store up while the server
// runs, restores it into another data directory and over the original, and
// checks the restored store holds every answer with tallies that verify.
func TestBackupWhileServingAndRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server")
	}
	dir := t.TempDir()
	srv := startProcess(t, dir, freePort(t))
	backup := filepath.Join(t.TempDir(), "backup")
	code, out, errOut := stemme(t, []string{"STEMME_DATA_DIR=" + dir}, "backup", backup)
	if code != 0 || !strings.Contains(out, "Backed up 1 database") {
		t.Fatalf("backup while serving: exit %d\n%s%s", code, out, errOut)
	}
	// The running server holds the data directory: a restore must wait.
	if code, _, errOut := stemme(t, []string{"STEMME_DATA_DIR=" + dir}, "restore", backup); code == 0 ||
		!strings.Contains(errOut, "used by another stemme") {
		t.Fatalf("restore under a running server: exit %d %s", code, errOut)
	}
	srv.terminate(t)
	answers := regexp.MustCompile(`recount of (\d+) answers`)
	_, out, _ = stemme(t, []string{"STEMME_DATA_DIR=" + dir}, "verify")
	want := answers.FindStringSubmatch(out)
	if want == nil {
		t.Fatalf("verify of the original: %s", out)
	}

	for _, target := range []string{t.TempDir(), dir} {
		code, out, errOut = stemme(t, []string{"STEMME_DATA_DIR=" + target}, "restore", backup)
		if code != 0 {
			t.Fatalf("restore into %s: exit %d\n%s%s", target, code, out, errOut)
		}
		code, out, errOut = stemme(t, []string{"STEMME_DATA_DIR=" + target}, "verify")
		got := answers.FindStringSubmatch(out)
		if code != 0 || got == nil || got[1] != want[1] {
			t.Fatalf("verify after restore into %s: exit %d, %v answers, want %s\n%s%s", target, code, got, want[1], out, errOut)
		}
	}
	if kept, _ := filepath.Glob(filepath.Join(dir, "db.before-restore-*")); len(kept) != 1 {
		t.Fatalf("the replaced databases were not kept aside: %v", kept)
	}
	if err := os.WriteFile(filepath.Join(backup, "bad.sqlite"), []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := stemme(t, []string{"STEMME_DATA_DIR=" + t.TempDir()}, "restore", backup); code == 0 ||
		!strings.Contains(errOut, "not an SQLite database") {
		t.Fatalf("restore of a damaged backup: exit %d %s", code, errOut)
	}
}
