package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/store"
)

// TestInstrumentCommands carries the built-in survey out to XLSForm and back
// in as a new draft, and checks that a broken file is refused cell by cell.
func TestInstrumentCommands(t *testing.T) {
	dir := t.TempDir()
	env := []string{"STEMME_DATA_DIR=" + filepath.Join(dir, "data")}
	file := func(name string) string { return filepath.Join(dir, name) }
	writeBrokenForm(t, file("broken.xlsx"))
	kobo, err := filepath.Abs(filepath.Join("..", "..", "surveys", "testdata", "xlsform", "kobo_export.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	allLangs := "nb:draft,nn:draft,en:draft,pl:draft,ar:draft,so:draft,ti:draft,uk:draft,ur:draft"
	steps := []struct {
		name        string
		args        []string
		code        int
		out         string // stdout contains
		stderr      []string
		notInStdout string
	}{
		{"seed the built-in instruments", []string{"seed"}, 0, "", nil, ""},
		{"list", []string{"instrument", "list"}, 0, "parorende\t1\tpublished\t" + allLangs + "\nparorende_ung\t1\tpublished\tnb:draft,nn:draft,en:draft\n", nil, ""},
		{"export the latest", []string{"instrument", "export", "parorende", file("p.xlsx")}, 0, "parorende@1\t" + file("p.xlsx"), nil, ""},
		{"import it as a new draft", []string{"instrument", "import", file("p.xlsx")}, 0, "parorende@2\n", nil, ""},
		{"list shows the draft", []string{"instrument", "list"}, 0, "parorende\t1\tpublished\t" + allLangs + "\nparorende\t2\tdraft\t" + allLangs + "\n", nil, ""},
		{"export a version", []string{"instrument", "export", "parorende@1", file("p1.xlsx")}, 0, "parorende@1\t", nil, ""},
		{"export the new latest", []string{"instrument", "export", "parorende", file("p2.xlsx")}, 0, "parorende@2\t", nil, ""},
		{"a broken file", []string{"instrument", "import", file("broken.xlsx")}, 1, "", []string{
			"stemme: " + file("broken.xlsx") + " has 4 problems; nothing was imported:\n",
			"\nsurvey!A3: repeats are not supported",
			"\nsurvey!A4: repeats are not supported",
			"\nsurvey!B5: the name \"Bad Name\" is not a valid key",
			"\nsurvey!E6: relevant: column 8 (byte 7): unexpected '+'",
		}, ""},
		{"nothing was stored", []string{"instrument", "list"}, 0, "parorende\t2\tdraft", nil, "parorende\t3"},
		{"check a file without the store", []string{"instrument", "check", file("p.xlsx")}, 0,
			file("p.xlsx") + ": no problems; it imports as a new draft of parorende (40 questions; languages nb, nn, en, pl, ar, so, ti, uk, ur)\n", nil, "warning"},
		{"check a broken file", []string{"instrument", "check", file("broken.xlsx")}, 1, "", []string{"has 4 problems", "\nsurvey!A3: repeats are not supported"}, ""},
		{"check a KoboToolbox form", []string{"instrument", "check", kobo}, 0,
			"warning: survey!A2: the metadata start is not collected (Stemme keeps no times with answers): the row is left out\n", nil, ""},
		{"not a workbook", []string{"instrument", "import", file("p1.xlsx") + ".missing"}, 1, "", []string{"no such file"}, ""},
		{"unknown key", []string{"instrument", "export", "nope", file("x.xlsx")}, 1, "", []string{"no instrument nope"}, ""},
		{"unknown version", []string{"instrument", "export", "parorende@9", file("x.xlsx")}, 1, "", []string{"no instrument parorende@9"}, ""},
		{"bad version", []string{"instrument", "export", "parorende@x", file("x.xlsx")}, 2, "", []string{"whole number"}, ""},
		{"no subcommand", []string{"instrument"}, 2, "", []string{"needs a subcommand"}, ""},
		{"no file", []string{"instrument", "import"}, 2, "", []string{"usage: stemme instrument import FILE.xlsx"}, ""},
		{"flag before the file", []string{"instrument", "export", "--data", dir, "parorende"}, 2, "", []string{"usage"}, ""},
	}
	for _, s := range steps {
		code, out, errOut := stemme(t, env, s.args...)
		if code != s.code || !strings.Contains(out, s.out) || (s.notInStdout != "" && strings.Contains(out, s.notInStdout)) {
			t.Fatalf("%s: exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", s.name, code, s.code, out, errOut)
		}
		for _, want := range s.stderr {
			if !strings.Contains(errOut, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", s.name, want, errOut)
			}
		}
	}
	if _, err := os.Stat(file("x.xlsx")); !os.IsNotExist(err) {
		t.Errorf("a failed export left a file: %v", err)
	}

	// While a server holds the embedded store, the commands that need it
	// say where the same work is done; check needs no store.
	lock, err := store.AcquireLock(filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, errOut := stemme(t, env, "instrument", "import", file("p.xlsx"))
	if code != 1 || !strings.Contains(errOut, "is used by another stemme") || !strings.Contains(errOut, "/admin/instruments") ||
		!strings.Contains(errOut, "stemme instrument check FILE.xlsx") {
		t.Errorf("import while the server runs: exit %d\n%s", code, errOut)
	}
	if code, out, _ := stemme(t, env, "instrument", "check", file("p.xlsx")); code != 0 || !strings.Contains(out, "no problems") {
		t.Errorf("check while the server runs: exit %d\n%s", code, out)
	}
}

// writeBrokenForm writes an XLSForm with three faults: a repeat (two rows), a name
// with a space and arithmetic in a relevant.
func writeBrokenForm(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheets := map[string][][]any{
		"survey": {
			{"type", "name", "label::Norsk bokmål (nb)", "required", "relevant"},
			{"integer", "age", "Alder"},
			{"begin_repeat", "kids", "Barn"},
			{"end_repeat"},
			{"text", "Bad Name", "Navn"},
			{"text", "ok", "Ok", "yes", "${age} + 1"},
		},
		"settings": {{"form_title", "form_id"}, {"Ødelagt", "broken"}},
	}
	if err := f.SetSheetName("Sheet1", "survey"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("settings"); err != nil {
		t.Fatal(err)
	}
	for name, rows := range sheets {
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}
