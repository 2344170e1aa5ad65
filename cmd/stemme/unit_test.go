package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func writeUnitSheet(t *testing.T, rows [][]string) string {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, row := range rows {
		for j, v := range row {
			c, _ := excelize.CoordinatesToCellName(j+1, i+1)
			_ = x.SetCellStr("Sheet1", c, v)
		}
	}
	path := filepath.Join(t.TempDir(), "units.xlsx")
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUnitCommands(t *testing.T) {
	env := []string{"STEMME_DATA_DIR=" + t.TempDir()}
	header := []string{"Nøkkel", "Navn", "Type", "Overordnet", "Telefon", "E-post", "Besøkstid"}
	bad := writeUnitSheet(t, [][]string{header,
		{"kommune", "Fjordvik kommune", "kommune", "", "", "", ""},
		{"a", "A", "sykehjem", "ingen", "", "", ""},
		{"a", "A igjen", "slott", "kommune", "", "x@", ""},
	})
	good := writeUnitSheet(t, [][]string{header,
		{"kommune", "Fjordvik kommune", "kommune", "", "", "", ""},
		{"helse", "Helse og omsorg", "sektor", "kommune", "", "", ""},
		{"fjell", "Fjell sykehjem", "sykehjem", "helse", "69 00 00 00", "", "12–19"},
	})
	for _, tt := range []struct {
		args []string
		code int
		want string // in stdout, or stderr when the code is not 0
	}{
		{[]string{"unit", "import", bad}, 1, "row 3 D: There is no unit with the key “ingen”"},
		{[]string{"unit", "list"}, 0, ""},
		{[]string{"unit", "import", good}, 0, "3 new and 0 changed"},
		{[]string{"unit", "add", "--id", "lia", "--name", "Lia", "--kind", "avlastning", "--parent", "helse", "--visiting-hours", "11–19"}, 0, "Unit lia added"},
		{[]string{"unit", "add", "--id", "lia2", "--name", "Lia", "--kind", "avlastning", "--parent", "fjell"}, 1, "is a service unit"},
		{[]string{"unit", "move", "lia", "--parent", "kommune"}, 0, "now belongs to kommune"},
		{[]string{"unit", "deactivate", "helse"}, 1, "Deactivate the units under this one first"},
		{[]string{"unit", "deactivate", "fjell"}, 0, "deactivated"},
		{[]string{"unit", "list"}, 0, "  fjell\tnursing_home\tFjell sykehjem\tinactive since"},
		{[]string{"unit", "move"}, 2, "needs a unit id"},
	} {
		code, out, errOut := stemme(t, env, tt.args...)
		got := out
		if code != 0 {
			got = errOut
		}
		if code != tt.code || !strings.Contains(got, tt.want) {
			t.Fatalf("%v: exit %d, want %d with %q\nstdout: %s\nstderr: %s", tt.args, code, tt.code, tt.want, out, errOut)
		}
	}
}

func TestUnitCommandWhileTheServerRunsSaysWhereToGo(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, testConfig(t, dir), nil)
	defer s.stop(t)
	code, _, stderr := stemme(t, []string{"STEMME_DATA_DIR=" + dir, "STEMME_BASE_URL=https://stemme.kommune.no"}, "unit", "list")
	if code != 1 || !strings.Contains(stderr, "is used by another stemme") ||
		!strings.Contains(stderr, "manage units at https://stemme.kommune.no/admin/units") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("unit list while the server runs: exit %d, %q", code, stderr)
	}
}
