package exports_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/exports"
)

// requireTool finds a program the test runs. In CI (CI set) a missing
// program fails the test; elsewhere the test is skipped, saying what to
// install.
func requireTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required in CI (apt-get install -y %s): the statistics exports must be checked with it", name, pkg)
	}
	t.Skipf("SKIPPED: %s is not installed (apt-get install -y %s); the statistics exports were NOT checked with it", name, pkg)
	return ""
}

// unpack writes the files of a package into a new directory.
func unpack(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs a program in dir and returns its standard output; a failure or
// an error message fails the test.
func run(t *testing.T, dir, prog string, args ...string) string {
	t.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s\n%s", prog, args, err, out.String(), errOut.String())
	}
	if s := out.String() + errOut.String(); strings.Contains(s, "error:") || strings.Contains(s, "Error") {
		t.Fatalf("%s %v reported an error:\n%s", prog, args, s)
	}
	return out.String()
}

// testVar is a variable of the fixture's instrument as the files name and
// code it, for reading the software's output back.
type testVar struct {
	name, key, choice string
	scale             bool
	codes             map[string]string // stored value → code
}

var fixtureVars = []testVar{
	{name: "relation", key: "relation", codes: map[string]string{"child": "1", "partner": "2"}},
	{name: "a", key: "a", scale: true, codes: map[string]string{"1": "1", "2": "2", "3": "3", "4": "4", "5": "5", "6": "6", "dk": "9"}},
	{name: "help_phone", key: "help", choice: "phone"},
	{name: "help_visit", key: "help", choice: "visit"},
}

// expected are Stemme's counts of one group per variable and code, and its
// scale items by variable (for their means); nothing for a hidden group.
func expected(g *analysis.Group) (counts map[string]map[string]int64, means map[string]*analysis.Item) {
	counts, means = map[string]map[string]int64{}, map[string]*analysis.Item{}
	if g.Hidden {
		return nil, nil
	}
	for _, v := range fixtureVars {
		c := map[string]int64{}
		switch {
		case v.scale:
			it := g.Items[v.key]
			if it == nil || it.Hidden {
				continue
			}
			for _, d := range it.Dist {
				c[v.codes[d.Value]] = d.Count
			}
			means[v.name] = it
		default:
			ch := g.Choices[v.key]
			if ch == nil || ch.Hidden {
				continue
			}
			for _, d := range ch.Counts {
				switch {
				case v.choice == "":
					c[v.codes[d.Value]] = d.Count
				case d.Value == v.choice: // one 1/0 variable per choice
					c["1"], c["0"] = d.Count, ch.N-d.Count
				}
			}
		}
		counts[v.name] = c
	}
	return counts, means
}

// psppOut is what PSPP printed: per split value (group or unit code), the
// frequencies of each variable by code and the DESCRIPTIVES N and mean.
type psppOut struct {
	freq  map[string]map[string]map[string]int64 // split → variable → code → count
	n     map[string]map[string]int64
	means map[string]map[string]string
}

func readPSPP(t *testing.T, out []byte) psppOut {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(out))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("PSPP's output: %v", err)
	}
	p := psppOut{freq: map[string]map[string]map[string]int64{}, n: map[string]map[string]int64{}, means: map[string]map[string]string{}}
	var table, split string
	for _, rec := range recs {
		if title, ok := strings.CutPrefix(rec[0], "Table: "); ok && len(rec) == 1 {
			table = title
			continue
		}
		switch {
		case table == "Split Values" && len(rec) == 2 && rec[0] != "Variable":
			split = rec[1]
			if p.freq[split] == nil {
				p.freq[split], p.n[split], p.means[split] = map[string]map[string]int64{}, map[string]int64{}, map[string]string{}
			}
		case table == "Descriptive Statistics" && len(rec) == 3 && rec[1] != "N" && !strings.Contains(rec[0], "listwise"):
			n, _ := strconv.ParseInt(rec[1], 10, 64)
			p.n[split][rec[0]], p.means[split][rec[0]] = n, rec[2]
		case len(rec) >= 3 && (rec[0] == "Valid" || rec[0] == "Missing" || rec[0] == "") && rec[1] != "":
			if _, err := strconv.Atoi(rec[1]); err != nil {
				continue // a statistic's row, or system-missing "."
			}
			n, err := strconv.ParseInt(rec[2], 10, 64)
			if err != nil {
				continue
			}
			if p.freq[split][table] == nil {
				p.freq[split][table] = map[string]int64{}
			}
			p.freq[split][table][rec[1]] = n
		}
	}
	return p
}

// psppDriver is syntax that runs the package's syntax file, then per split
// the weighted FREQUENCIES of every variable and DESCRIPTIVES of the scale
// items, each on its variable's rows (long) or on every row (raw).
func psppDriver(syntax, by string, long bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT FILE='%s'.\nSET TVARS=NAMES TNUMBERS=VALUES.\nSORT CASES BY %s.\nSPLIT FILE LAYERED BY %s.\n", syntax, by, by)
	sel := func(v testVar) {
		if long {
			fmt.Fprintf(&b, "TEMPORARY.\nSELECT IF (variable = '%s').\n", v.name)
		}
	}
	for _, v := range fixtureVars {
		sel(v)
		fmt.Fprintf(&b, "FREQUENCIES VARIABLES=%s.\n", v.name)
		if v.scale {
			sel(v)
			fmt.Fprintf(&b, "DESCRIPTIVES VARIABLES=%s /STATISTICS=MEAN.\n", v.name)
		}
	}
	return b.String()
}

// checkPSPP compares PSPP's figures for one split with Stemme's group.
func checkPSPP(t *testing.T, p psppOut, split string, g *analysis.Group) {
	t.Helper()
	counts, means := expected(g)
	for name, want := range counts {
		got := p.freq[split][name]
		for code, n := range want {
			if got[code] != n {
				t.Errorf("PSPP, split %s, %s = %s: weighted frequency %d, Stemme %d", split, name, code, got[code], n)
			}
		}
		for code, n := range got {
			if code == "7" || code == "8" {
				continue // not answered, not asked: in record-level data only
			}
			if _, ok := want[code]; !ok && n != 0 {
				t.Errorf("PSPP, split %s, %s = %s: %d answers Stemme does not have", split, name, code, n)
			}
		}
	}
	for name, it := range means {
		if p.n[split][name] != it.Valid {
			t.Errorf("PSPP, split %s, DESCRIPTIVES %s: N %d, Stemme's valid answers %d", split, name, p.n[split][name], it.Valid)
		}
		if want := strconv.FormatFloat(it.Mean.Mean, 'f', 2, 64); p.means[split][name] != want {
			t.Errorf("PSPP, split %s, DESCRIPTIVES %s: mean %s, Stemme %s", split, name, p.means[split][name], want)
		}
	}
}

// TestStatsPackageInPSPP runs the package's SPSS syntax in GNU PSPP and
// compares its weighted frequencies and means, group by group, with
// Stemme's results; and the record-level package's, unit by unit.
func TestStatsPackageInPSPP(t *testing.T) {
	pspp := requireTool(t, "pspp", "pspp")
	f := newFixture(t)
	r := f.results(t)
	files := f.stats(t, exports.Options{Lang: "nb", Raw: true})
	dir := unpack(t, files)
	groups := groupKeys(t, files["stemme-w1-stats.csv"])

	p := runPSPP(t, pspp, dir, psppDriver("stemme-w1-stats.sps", "group", true))
	if len(p.freq) != len(groups) {
		t.Errorf("PSPP saw %d groups, the data have %d", len(p.freq), len(groups))
	}
	for code, key := range groups {
		checkPSPP(t, p, code, r.Group(key.Unit, key.Segment, key.Value))
	}
	t.Logf("PSPP reproduced %d groups' frequencies and means", len(groups))

	// Record-level data: split by unit (code = position in the wave + 1).
	p = runPSPP(t, pspp, dir, psppDriver("stemme-w1-raw.sps", "unit", false))
	for i, u := range r.Units {
		g := r.Group(u, analysis.AllSegment, "")
		split := strconv.Itoa(i + 1)
		if g.Hidden {
			if _, ok := p.freq[split]; ok {
				t.Errorf("the record-level data hold answers of the hidden unit %s", u)
			}
			continue
		}
		checkPSPP(t, p, split, g)
	}
}

// runPSPP runs driver syntax in dir and reads PSPP's tables.
func runPSPP(t *testing.T, pspp, dir, driver string) psppOut {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "check.sps"), []byte(driver), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, pspp, "-O", "format=csv", "-o", "out.csv", "check.sps")
	out, err := os.ReadFile(filepath.Join(dir, "out.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return readPSPP(t, out)
}

// groupKeys reads the group codes of the aggregated data.
func groupKeys(t *testing.T, data []byte) map[string]analysis.GroupKey {
	t.Helper()
	keys := map[string]analysis.GroupKey{}
	for _, rec := range records(t, data)[1:] {
		keys[rec[2]] = analysis.GroupKey{Unit: rec[3], Segment: rec[4], Value: rec[5]}
	}
	return keys
}

// rDriver sources the package's R script and writes, per group (or unit)
// code, each variable's counts by code and each scale item's weighted mean.
func rDriver(script, by string) string {
	var vars []string
	for _, v := range fixtureVars {
		vars = append(vars, `"`+v.name+`"`)
	}
	return fmt.Sprintf(`source(%q, encoding = "UTF-8")
out <- data.frame(kind = character(), var = character(), split = integer(), code = character(), value = character())
for (v in c(%s)) {
  tb <- stemme_table(v)
  for (g in rownames(tb)) for (a in colnames(tb)) {
    out[nrow(out) + 1, ] <- list("count", v, match(g, levels(d$%s)), as.character(stemme_values[[v]][[a]]), as.character(tb[g, a]))
  }
  m <- stemme_means(v)
  for (g in names(m)) if (!is.na(m[[g]])) {
    out[nrow(out) + 1, ] <- list("mean", v, match(g, levels(d$%s)), "", sprintf("%%.12f", m[[g]]))
  }
}
write.csv(out, "r-out.csv", row.names = FALSE)
`, script, strings.Join(vars, ", "), by, by)
}

// checkR compares R's counts and means for one split with Stemme's group.
func checkR(t *testing.T, recs [][]string, split string, g *analysis.Group) {
	t.Helper()
	counts, means := expected(g)
	got := map[string]map[string]int64{}
	gotMean := map[string]float64{}
	for _, rec := range recs[1:] {
		if rec[2] != split {
			continue
		}
		if rec[0] == "mean" {
			gotMean[rec[1]], _ = strconv.ParseFloat(rec[4], 64)
			continue
		}
		if got[rec[1]] == nil {
			got[rec[1]] = map[string]int64{}
		}
		got[rec[1]][rec[3]], _ = strconv.ParseInt(rec[4], 10, 64)
	}
	for name, want := range counts {
		for code, n := range want {
			if got[name][code] != n {
				t.Errorf("R, split %s, %s = %s: count %d, Stemme %d", split, name, code, got[name][code], n)
			}
		}
	}
	for name, it := range means {
		if math.Abs(gotMean[name]-it.Mean.Mean) > 1e-9 {
			t.Errorf("R, split %s, mean of %s: %.12f, Stemme %.12f", split, name, gotMean[name], it.Mean.Mean)
		}
	}
}

// TestStatsPackageInR sources the package's R script with Rscript and
// compares its weighted tables and means with Stemme's, group by group,
// and the record-level script's, unit by unit.
func TestStatsPackageInR(t *testing.T) {
	rscript := requireTool(t, "Rscript", "r-base-core")
	f := newFixture(t)
	r := f.results(t)
	files := f.stats(t, exports.Options{Lang: "nb", Raw: true})
	dir := unpack(t, files)
	groups := groupKeys(t, files["stemme-w1-stats.csv"])
	for _, c := range []struct{ script, by string }{{"stemme-w1-stats.R", "group"}, {"stemme-w1-raw.R", "unit"}} {
		if err := os.WriteFile(filepath.Join(dir, "check.R"), []byte(rDriver(c.script, c.by)), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, dir, rscript, "check.R")
		b, err := os.ReadFile(filepath.Join(dir, "r-out.csv"))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if c.by == "group" {
			for code, key := range groups {
				checkR(t, recs, code, r.Group(key.Unit, key.Segment, key.Value))
			}
			continue
		}
		for i, u := range r.Units {
			if g := r.Group(u, analysis.AllSegment, ""); !g.Hidden {
				checkR(t, recs, strconv.Itoa(i+1), g)
			}
		}
	}
}

// TestStatsPackageInAnotherLanguage: an export in a language without UI
// messages has English headers and notes and the instrument's own texts,
// which PSPP reads as labels.
func TestStatsPackageInAnotherLanguage(t *testing.T) {
	f := newFixture(t)
	files := f.stats(t, exports.Options{Lang: "ar"})
	readme, sps := string(files["README.txt"]), string(files["stemme-w1-stats.sps"])
	if !strings.HasPrefix(readme, "Stemme – statistics package: Høsten 2026 (w1)") || !strings.Contains(readme, "the language ar") {
		t.Errorf("README:\n%s", readme)
	}
	for _, s := range []string{"/a 'هل تحصل على معلومات؟'", "  1 'All units shown'", "/help_visit 'أي مساعدة؟: زيارة'", "9 'لا أعرف'"} {
		if !strings.Contains(sps, s) {
			t.Errorf("SPSS syntax lacks %q", s)
		}
	}
	pspp := requireTool(t, "pspp", "pspp")
	dir := unpack(t, files)
	if err := os.WriteFile(filepath.Join(dir, "dict.sps"), []byte("INSERT FILE='stemme-w1-stats.sps'.\nDISPLAY DICTIONARY.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := run(t, dir, pspp, "-O", "format=csv", "dict.sps"); !strings.Contains(out, "هل تحصل على معلومات؟") || !strings.Contains(out, "لا أعرف") {
		t.Errorf("PSPP's dictionary lacks the Arabic labels:\n%s", out)
	}
}
