package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// unzipTo extracts a zip into a new directory and returns the file names.
func unzipTo(t *testing.T, file string) (string, []string) {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatalf("%s does not open: %v", file, err)
	}
	defer zr.Close()
	dir := t.TempDir()
	var names []string
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: %d bytes, %v", zf.Name, len(b), err)
		}
		if err := os.WriteFile(filepath.Join(dir, zf.Name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, zf.Name)
	}
	slices.Sort(names)
	return dir, names
}

// runIn runs statistics software on the package; it must finish without an
// error. Missing software fails in CI and skips the rest elsewhere.
func runIn(t *testing.T, dir, prog string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (apt-get install -y pspp r-base-core)", prog)
		}
		t.Logf("SKIPPED: %s is not installed; the package was NOT run in it", prog)
		return ""
	}
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	began := time.Now()
	if err := cmd.Run(); err != nil || strings.Contains(out.String(), "error:") || strings.Contains(out.String(), "Error") {
		t.Fatalf("%s %v: %v\n%s", prog, args, err, out.String())
	}
	t.Logf("%s %v: %s", prog, args, time.Since(began).Round(time.Millisecond))
	return out.String()
}

// checkStatsExport exports the demo's closed wave as the package for
// statistics software, with and without the record-level data, and runs
// its SPSS syntax in PSPP and its R scripts in R on the built-in
// questionnaire's long Norwegian texts.
func checkStatsExport(t *testing.T, env []string, dir, wave string) {
	file := filepath.Join(dir, "stats.zip")
	began := time.Now()
	code, out, errOut := stemme(t, env, "export", "--wave", wave, "--format", "stats", file)
	if code != 0 || !strings.Contains(out, "Wrote "+file) {
		t.Fatalf("export --format stats: exit %d\n%s%s", code, out, errOut)
	}
	st, _ := os.Stat(file)
	t.Logf("statistics package: %d bytes in %s (the command, store start included)", st.Size(), time.Since(began).Round(time.Millisecond))
	pkg, names := unzipTo(t, file)
	base := "stemme-" + wave
	if want := []string{"README.txt", base + "-codebook.csv", base + "-stats.R", base + "-stats.csv", base + "-stats.do", base + "-stats.sps"}; !slices.Equal(names, want) {
		t.Errorf("files %q, want %q", names, want)
	}
	raw := filepath.Join(dir, "stats-raw.zip")
	code, out, errOut = stemme(t, env, "export", "--wave", wave, "--format", "stats", "--raw", raw)
	if code != 0 || !strings.Contains(out, "answers row by row") {
		t.Fatalf("export --format stats --raw: exit %d\n%s%s", code, out, errOut)
	}
	st, _ = os.Stat(raw)
	t.Logf("with record-level data: %d bytes; %s", st.Size(), strings.TrimSpace(out[strings.LastIndex(out, "Wrote"):]))
	rawDir, rawNames := unzipTo(t, raw)
	for _, n := range []string{base + "-raw.csv", base + "-raw.sps", base + "-raw.R", base + "-raw.do"} {
		if !slices.Contains(rawNames, n) {
			t.Errorf("--raw package lacks %s: %q", n, rawNames)
		}
	}
	if err := os.WriteFile(filepath.Join(pkg, "check.sps"), []byte("INSERT FILE='"+base+"-stats.sps'.\nDISPLAY DICTIONARY.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := runIn(t, pkg, "pspp", "-O", "format=csv", "check.sps"); s != "" && !strings.Contains(s, "Alle enhetene som vises") {
		t.Errorf("PSPP's dictionary lacks the group labels:\n%.2000s", s)
	}
	if err := os.WriteFile(filepath.Join(rawDir, "check.sps"), []byte("INSERT FILE='"+base+"-raw.sps'.\nDISPLAY DICTIONARY.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runIn(t, rawDir, "pspp", "-O", "format=csv", "check.sps")
	for _, d := range []struct{ dir, script string }{{pkg, base + "-stats.R"}, {rawDir, base + "-raw.R"}} {
		if s := runIn(t, d.dir, "Rscript", "-e", `source("`+d.script+`", encoding = "UTF-8"); cat("rows", nrow(d), "\n")`); s != "" && !strings.Contains(s, "rows ") {
			t.Errorf("R did not read %s: %s", d.script, s)
		}
	}
	// Languages: any of the questionnaire's (headers in English), no other.
	if code, _, errOut := stemme(t, env, "export", "--wave", wave, "--format", "stats", "--lang", "lt", file); code != 2 || !strings.Contains(errOut, "nb, nn, en") {
		t.Errorf("--lang lt: exit %d %q", code, errOut)
	}
	if code, _, errOut := stemme(t, env, "export", "--wave", wave, "--format", "stats", "--lang", "ar", file); code != 0 {
		t.Errorf("--lang ar: exit %d %q", code, errOut)
	}
	if _, arNames := unzipTo(t, file); !slices.Contains(arNames, "README.txt") {
		t.Errorf("the Arabic package: %q", arNames)
	}
}
