package exports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/exports"
)

// stats writes the statistics package of the current wave and unzips it.
func (f *fixture) stats(t *testing.T, opt exports.Options) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	opt.Now = testNow
	e, err := exports.Prepare(ctx, f.db, f.bundle, f.results(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.WriteStats(ctx, &buf, exports.Semicolon, nil); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("the package does not open: %v", err)
	}
	files := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		files[zf.Name] = b
	}
	if dir := os.Getenv("STEMME_STATS_DUMP"); dir != "" {
		for name, b := range files {
			_ = os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
	}
	return files
}

// records parses a data file of the package.
func records(t *testing.T, b []byte) [][]string {
	t.Helper()
	if bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Error("a data file for statistics software starts with a byte order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestStatsPackageFiles(t *testing.T) {
	f := newFixture(t)
	files := f.stats(t, exports.Options{Lang: "nb"})
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"README.txt", "stemme-w1-codebook.csv", "stemme-w1-stats.R", "stemme-w1-stats.csv", "stemme-w1-stats.do", "stemme-w1-stats.sps"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %q, want %q (no record-level data on the web)", names, want)
	}
	for n, b := range files {
		if len(b) == 0 {
			t.Errorf("%s is empty", n)
		}
	}
	readme := string(files["README.txt"])
	for _, s := range []string{"Høsten 2026 (w1)", "Enhet u3: hele gruppen", "WEIGHT BY count", "stemme-w1-stats.sps"} {
		if !strings.Contains(readme, s) {
			t.Errorf("README lacks %q:\n%s", s, readme)
		}
	}
}

// TestStatsDataAgainstResults reads the aggregated data back and checks
// every count against the suppressed results, and that nothing hidden is
// in it.
func TestStatsDataAgainstResults(t *testing.T) {
	f := newFixture(t)
	files := f.stats(t, exports.Options{Lang: "nb"})
	recs := records(t, files["stemme-w1-stats.csv"])
	if want := []string{"wave", "version", "group", "unit", "segment", "segvalue", "variable", "value", "count"}; !slices.Equal(recs[0], want) {
		t.Fatalf("header %q, want %q", recs[0], want)
	}
	r := f.results(t)
	type cellKey struct{ unit, segment, value, variable, code string }
	got := map[cellKey]string{}
	for _, rec := range recs[1:] {
		if rec[0] != "w1" || rec[1] != "1" {
			t.Fatalf("row %q: wave and version should be w1 and 1", rec)
		}
		for _, c := range []int{2, 7, 8} {
			if _, err := strconv.Atoi(rec[c]); err != nil {
				t.Fatalf("row %q: column %d is not a whole number", rec, c)
			}
		}
		got[cellKey{rec[3], rec[4], rec[5], rec[6], rec[7]}] = rec[8]
		g := r.Group(rec[3], rec[4], rec[5])
		if g.Hidden {
			t.Errorf("row %q of a hidden group", rec)
		}
	}
	// u1's scale item: 6, 6, 5, 4, 4 and "vet ikke" (code 9).
	for code, want := range map[string]string{"6": "2", "5": "1", "4": "2", "3": "0", "1": "0", "9": "1"} {
		if c := got[cellKey{"u1", "", "", "a", code}]; c != want {
			t.Errorf("u1, a = %s: count %q, want %s", code, c, want)
		}
	}
	// Multiple choice: u2 ticked both, u1 phone only.
	for k, want := range map[cellKey]string{
		{"u1", "", "", "help_phone", "1"}: "6", {"u1", "", "", "help_visit", "0"}: "6",
		{"u2", "", "", "help_visit", "1"}: "5", {"u2", "", "", "help_visit", "0"}: "0",
	} {
		if got[k] != want {
			t.Errorf("%v: count %q, want %s", k, got[k], want)
		}
	}
	// Every count of every shown scale item equals the results'.
	for key, g := range r.Groups {
		if g.Hidden {
			continue
		}
		it := g.Items["a"]
		if it == nil || it.Hidden {
			continue
		}
		for _, d := range it.Dist {
			code := d.Value
			if code == "dk" {
				code = "9"
			}
			if c := got[cellKey{key.Unit, key.Segment, key.Value, "a", code}]; c != strconv.FormatInt(d.Count, 10) {
				t.Errorf("%v a=%s: %q, want %d", key, code, c, d.Count)
			}
		}
	}
	// u3 (two answers) and the total's hidden background groups are left out.
	for k := range got {
		if k.unit == "u3" {
			t.Fatalf("u3 (hidden) is in the data: %v", k)
		}
		if g := r.Group(k.unit, k.segment, k.value); g.Hidden {
			t.Fatalf("hidden group %v is in the data", k)
		}
	}
	if got[cellKey{analysis.Municipality, "relation", "child", "a", "6"}] != "" {
		t.Error("the total's children (4 answers) are in the data")
	}
}

func TestStatsSyntaxDeclaresCodes(t *testing.T) {
	f := newFixture(t)
	files := f.stats(t, exports.Options{Lang: "nb"})
	sps := string(files["stemme-w1-stats.sps"])
	for _, s := range []string{"* Encoding: UTF-8.", "FILE HANDLE stemme /NAME='stemme-w1-stats.csv'.", "IF (variable = 'a') a = value.",
		"MISSING VALUES a (9, 7).", "  9 'Vet ikke'", "WEIGHT BY count.", "VALUE LABELS group", "  1 'Alle enhetene som vises'"} {
		if !strings.Contains(sps, s) {
			t.Errorf("SPSS syntax lacks %q", s)
		}
	}
	r := string(files["stemme-w1-stats.R"])
	for _, s := range []string{`stemme_data <- "stemme-w1-stats.csv"`, `a = c(9, 7)`, `"Vet ikke" = 9`, "weighted.mean(g$score, g$count)"} {
		if !strings.Contains(r, s) {
			t.Errorf("R script lacks %q", s)
		}
	}
	do := string(files["stemme-w1-stats.do"])
	for _, s := range []string{"import delimited using `\"stemme-w1-stats.csv\"'", `generate a = value if variable == `, "replace a = .a if a == 9",
		".a `\"Vet ikke\"'"} {
		if !strings.Contains(do, s) {
			t.Errorf("Stata do-file lacks %q", s)
		}
	}
	if strings.Contains(sps+r+do, "'dk'") || strings.Contains(sps+r+do, `"dk"`) {
		t.Error("a syntax file codes “vet ikke” as the text dk")
	}
}
