package surveys_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/surveys"
)

var updateForms = flag.Bool("update-forms", false, "rewrite testdata/xlsform from the definitions in xlsform_forms_test.go")

// testForm is one XLSForm in testdata/xlsform, written the way KoboToolbox
// and ODK authors write them, for one construct. A form either imports
// (check then looks at the instrument and the warnings) or is refused for
// exactly the problems listed, each something Stemme cannot honour.
type testForm struct {
	file    string
	sheets  []sheet
	refused []string // "cell id" of every problem expected; empty when the form imports
	check   func(t *testing.T, imp *surveys.XLSFormImport)
}

const formsDir = "testdata/xlsform"

// TestXLSFormTestForms checks that each committed test form holds what its
// definition says (go test -run TestXLSFormTestForms -update-forms writes
// them) and imports, or is refused only for what Stemme cannot honour.
func TestXLSFormTestForms(t *testing.T) {
	for _, f := range testForms {
		t.Run(f.file, func(t *testing.T) {
			path := filepath.Join(formsDir, f.file)
			if *updateForms {
				if err := os.MkdirAll(formsDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, workbook(t, f.sheets...), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./surveys -run TestXLSFormTestForms -update-forms)", err)
			}
			if got := sheetsOf(t, data); !reflect.DeepEqual(got, trimmed(f.sheets)) {
				t.Fatalf("%s differs from its definition (rerun with -update-forms):\ngot  %q\nwant %q", path, got, trimmed(f.sheets))
			}
			imp, err := surveys.ImportXLSForm(bytes.NewReader(data), f.file)
			if len(f.refused) > 0 {
				var errs surveys.XLSFormErrors
				if !asXLSFormErrors(err, &errs) {
					t.Fatalf("imported, want refused for %v (err %v)", f.refused, err)
				}
				var got []string
				for _, e := range errs {
					got = append(got, e.Position()+" "+strings.TrimPrefix(e.ID, "xlsform.problem."))
				}
				if !slices.Equal(got, f.refused) {
					t.Errorf("refused for\n%s\nwant only\n%s", strings.Join(got, "\n"), strings.Join(f.refused, "\n"))
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if err := imp.Instrument.ValidateDraft(); err != nil {
				t.Errorf("the imported draft is not valid: %v", err)
			}
			if f.check != nil {
				f.check(t, imp)
			}
			// Stemme's own export of the form comes back the same.
			var b bytes.Buffer
			if err := surveys.WriteXLSForm(&b, imp.Instrument); err != nil {
				t.Fatal(err)
			}
			again, err := surveys.ReadXLSForm(&b)
			if err != nil {
				t.Fatalf("the export does not import: %v", err)
			}
			if got, want := normalize(again), normalize(imp.Instrument); !reflect.DeepEqual(got, want) {
				t.Errorf("the form changed on its way out and in:\n%s", diff(got, want))
			}
		})
	}
}

// sheetsOf reads every sheet of a workbook as rows of cells.
func sheetsOf(t *testing.T, data []byte) []sheet {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sheet
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sheet{name, rows})
	}
	return trimmed(out)
}

// trimmed drops trailing empty cells and rows, as a workbook keeps none.
func trimmed(sheets []sheet) []sheet {
	out := make([]sheet, len(sheets))
	for i, sh := range sheets {
		var rows [][]string
		for _, row := range sh.rows {
			for len(row) > 0 && row[len(row)-1] == "" {
				row = row[:len(row)-1]
			}
			rows = append(rows, row)
		}
		for len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
			rows = rows[:len(rows)-1]
		}
		out[i] = sheet{sh.name, rows}
	}
	return out
}

func asXLSFormErrors(err error, errs *surveys.XLSFormErrors) bool {
	e, ok := err.(surveys.XLSFormErrors)
	*errs = e
	return ok
}

// warned lists the warnings as "cell id", for checks.
func warned(imp *surveys.XLSFormImport) []string {
	var out []string
	for _, w := range imp.Warnings {
		out = append(out, w.Position()+" "+strings.TrimPrefix(w.ID, "xlsform.problem."))
	}
	return out
}

func wantWarnings(t *testing.T, imp *surveys.XLSFormImport, want ...string) {
	t.Helper()
	if got := warned(imp); !slices.Equal(got, want) {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func question(t *testing.T, in *surveys.Instrument, key string) surveys.Question {
	t.Helper()
	q, ok := in.Question(key)
	if !ok {
		t.Fatalf("no question %s in %v", key, in.Questions())
	}
	return q
}
