package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	env := []string{"STEMME_DATA_DIR=" + dir}
	if code, out, errOut := stemme(t, env, "seed"); code != 0 {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errOut)
	}
	wave, open := lastWave(t, env, "overall", "closed"), lastWave(t, env, "", "open")
	// The disclosure audit on the demo: every role, every answer value.
	code, out, errOut := stemme(t, env, "audit-disclosure")
	if code != 0 || !strings.Contains(out, "Every hidden count of 18 views") || !strings.Contains(out, wave+" as unit leader of lia_avlastning") {
		t.Fatalf("audit-disclosure: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := stemme(t, env, "audit-disclosure", "--wave", open); code != 1 || !strings.Contains(errOut, "no results to audit") {
		t.Errorf("audit of an open wave: exit %d %q", code, errOut)
	}
	file := filepath.Join(dir, "resultater.xlsx")
	code, out, errOut = stemme(t, env, "export", "--wave", wave, "--lang", "en", file)
	if code != 0 || !strings.Contains(out, "Wrote "+file) {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"About", "Codebook", "Summary", "Focus areas", "Free text", "Chart"}) {
		t.Errorf("sheets %v (answers row by row only with --raw)", got)
	}
	raw := filepath.Join(dir, "raw.xlsx")
	if code, out, errOut := stemme(t, env, "export", "--wave", wave, "--raw", raw); code != 0 || !strings.Contains(out, "Exporting [") {
		t.Fatalf("export --raw: exit %d %s%s", code, out, errOut)
	}
	xr, err := excelize.OpenFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer xr.Close()
	if !slices.Contains(xr.GetSheetList(), "Rådata") {
		t.Errorf("--raw without Rådata: %v", xr.GetSheetList())
	}
	checkStatsExport(t, env, dir, wave)
	// An open wave has no results to export.
	if code, _, errOut := stemme(t, env, "export", "--wave", open, file); code != 1 || !strings.Contains(errOut, "no results yet") {
		t.Errorf("export of an open wave: exit %d %q", code, errOut)
	}
	for _, args := range [][]string{
		{"export", file},
		{"export", "--wave", wave},
		{"export", "--wave", wave, "--format", "pdf", file},
		{"export", "--wave", wave, "--unit", "nowhere", file},
		{"export", "--wave", wave, "--format", "csv-raw", file},
		{"export", "--wave", wave, "--lang", "not a code", file},
	} {
		if code, _, errOut := stemme(t, env, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, want 2 with a message (%q)", args, code, errOut)
		}
	}
}
