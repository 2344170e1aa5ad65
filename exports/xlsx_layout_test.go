package exports_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/exports"
)

// zipped returns the files of an xlsx by name.
func zipped(t *testing.T, raw []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[zf.Name] = string(b)
	}
	return out
}

var dimensionRE = regexp.MustCompile(`<dimension ref="([^"]+)"`)

// TestWorkbookLayout: every sheet declares the range it uses, has column
// widths from its content, frozen headers, and its tables are Excel tables
// with a filter on every column.
func TestWorkbookLayout(t *testing.T) {
	f := newFixture(t)
	x, raw := f.xlsx(t, exports.Options{Lang: "nb", Raw: true})
	parts := zipped(t, raw)
	for i, sheet := range x.GetSheetList() {
		if sheet == "Diagram" {
			continue
		}
		rs := rows(t, x, sheet)
		cols := 0
		for _, r := range rs {
			cols = max(cols, len(r))
		}
		last, _ := excelize.CoordinatesToCellName(cols, len(rs))
		xml := parts["xl/worksheets/sheet"+string(rune('1'+i))+".xml"]
		m := dimensionRE.FindStringSubmatch(xml)
		if m == nil || m[1] != "A1:"+last {
			t.Errorf("%s declares %v, uses A1:%s", sheet, m, last)
		}
		if w, _ := x.GetColWidth(sheet, "A"); w < 6 || w == 9.140625 {
			t.Errorf("%s: column A is %v wide, not fitted", sheet, w)
		}
	}
	widths := map[string]float64{}
	for _, col := range []string{"A", "D", "F"} {
		widths[col], _ = x.GetColWidth("Kodebok", col)
	}
	if widths["D"] <= widths["F"] || widths["D"] < 20 {
		t.Errorf("Kodebok widths %v: the question text (D) should be wider than the focus area (F)", widths)
	}
	for sheet, want := range map[string]string{"Kodebok": "A2", "Sammendrag": "A2", "Rådata": "A2", "Fritekst": "A2", "Innsatsområder": "B1"} {
		p, err := x.GetPanes(sheet)
		if err != nil || !p.Freeze || p.TopLeftCell != want {
			t.Errorf("%s panes %+v (%v), want frozen at %s", sheet, p, err, want)
		}
	}
	for sheet, want := range map[string]string{"Kodebok": "A1:K", "Sammendrag": "A1:W", "Rådata": "A1:J", "Fritekst": "A1:F", "Innsatsområder": "A5:L"} {
		tables, err := x.GetTables(sheet)
		if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, want) {
			t.Errorf("%s tables %+v (%v), want one from %s", sheet, tables, err, want)
			continue
		}
		for name, part := range parts {
			if strings.HasPrefix(name, "xl/tables/") && strings.Contains(part, `ref="`+tables[0].Range+`"`) &&
				!strings.Contains(part, `<autoFilter ref="`+tables[0].Range+`"`) {
				t.Errorf("%s: table without a filter", sheet)
			}
		}
	}
}

// TestWorkbookReadOnlyOpenpyxl reads every sheet with openpyxl in
// read-only mode, which trusts the declared dimension (as pyxform and many
// BI tools do): it must see every row the workbook has.
func TestWorkbookReadOnlyOpenpyxl(t *testing.T) {
	if out, err := exec.Command("/usr/bin/python3", "-c", "import openpyxl").CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3-openpyxl is required in CI: %v %s", err, out)
		}
		t.Skipf("SKIPPED: python3-openpyxl is not installed; the declared dimensions were NOT checked with it")
	}
	f := newFixture(t)
	x, raw := f.xlsx(t, exports.Options{Lang: "nb", Raw: true})
	file := filepath.Join(t.TempDir(), "export.xlsx")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps({ws.title: [ws.max_row, ws.max_column, sum(1 for _ in ws.iter_rows())] for ws in wb.worksheets}))`
	out, err := exec.Command("/usr/bin/python3", "-c", script, file).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var got map[string][3]int
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("openpyxl said %s", out)
	}
	for _, sheet := range x.GetSheetList() {
		if sheet == "Diagram" {
			continue
		}
		rs := rows(t, x, sheet)
		if g := got[sheet]; g[0] != len(rs) || g[2] != len(rs) {
			t.Errorf("openpyxl (read-only) sees %s as %d rows (%d read), the sheet has %d", sheet, g[0], g[2], len(rs))
		}
	}
}
