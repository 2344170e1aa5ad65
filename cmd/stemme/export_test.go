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
	_, list, _ := stemme(t, env, "wave", "list")
	var wave string
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.Contains(line, "overall") && strings.Contains(line, "open") {
			wave = f[0]
		}
	}
	if wave == "" {
		t.Fatalf("no open overall wave in\n%s", list)
	}
	file := filepath.Join(dir, "resultater.xlsx")
	code, out, errOut := stemme(t, env, "export", "--wave", wave, "--lang", "en", file)
	if code != 0 || !strings.Contains(out, "Exporting [") || !strings.Contains(out, "Wrote "+file) {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"About", "Codebook", "Summary", "Focus areas", "Raw data", "Free text", "Chart"}) {
		t.Errorf("sheets %v", got)
	}
	for _, args := range [][]string{
		{"export", file},
		{"export", "--wave", wave},
		{"export", "--wave", wave, "--format", "pdf", file},
		{"export", "--wave", wave, "--unit", "nowhere", file},
	} {
		if code, _, errOut := stemme(t, env, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, want 2 with a message (%q)", args, code, errOut)
		}
	}
}
