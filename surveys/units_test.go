package surveys_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

// seededUnits is a store with the test hierarchy.
func seededUnits(t *testing.T) *surveys.Store {
	t.Helper()
	ss := surveys.NewStore(storetest.DB(t))
	for _, u := range testUnits {
		if err := ss.InsertUnit(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return ss
}

// messages lists the message ids of a unit error.
func messages(err error) []string {
	var es surveys.UnitErrors
	if !errors.As(err, &es) {
		return nil
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Message)
	}
	return out
}

func TestAddUnitChecksTheHierarchy(t *testing.T) {
	tests := []struct {
		name string
		unit surveys.Unit
		want string // message id; "" for accepted
	}{
		{"service unit under a sector", surveys.Unit{ID: "lia", Name: "Lia", Kind: surveys.KindRespite, Parent: "helse",
			Phone: "69 10 20 30", Email: "Lia@Kommune.no", VisitingHours: "11–19"}, ""},
		{"school directly under the municipality", surveys.Unit{ID: "skole", Name: "Byskolen", Kind: surveys.KindSchool, Parent: "kommune"}, ""},
		{"sub-sector", surveys.Unit{ID: "hjemmetj", Name: "Hjemmetjenester", Kind: surveys.KindSector, Parent: "helse"}, ""},
		{"existing key", surveys.Unit{ID: "solbakken", Name: "Dobbel", Kind: surveys.KindNursingHome, Parent: "helse"}, "units.error.exists"},
		{"bad key", surveys.Unit{ID: "Sol bakken", Name: "X", Kind: surveys.KindNursingHome, Parent: "helse"}, "units.error.key"},
		{"no name", surveys.Unit{ID: "x", Kind: surveys.KindNursingHome, Parent: "helse"}, "units.error.name"},
		{"unknown kind", surveys.Unit{ID: "x", Name: "X", Kind: "castle", Parent: "helse"}, "units.error.kind"},
		{"no parent", surveys.Unit{ID: "x", Name: "X", Kind: surveys.KindNursingHome}, "units.error.parent_required"},
		{"unknown parent", surveys.Unit{ID: "x", Name: "X", Kind: surveys.KindNursingHome, Parent: "nowhere"}, "units.error.parent_unknown"},
		{"under a service unit", surveys.Unit{ID: "x", Name: "X", Kind: surveys.KindNursingHome, Parent: "solbakken"}, "units.error.parent_kind"},
		{"second municipality", surveys.Unit{ID: "x", Name: "X", Kind: surveys.KindMunicipality}, "units.error.second_municipality"},
		{"bad e-mail", surveys.Unit{ID: "x", Name: "X", Kind: surveys.KindNursingHome, Parent: "helse", Email: "x@"}, "units.error.email"},
		{"bad phone", surveys.Unit{ID: "x", Name: "X", Kind: surveys.KindNursingHome, Parent: "helse", Phone: "12"}, "units.error.phone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := seededUnits(t)
			err := ss.AddUnit(context.Background(), tt.unit)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				u, err := ss.Unit(context.Background(), tt.unit.ID)
				if err != nil || !u.Active || u.Email != strings.ToLower(tt.unit.Email) {
					t.Fatalf("stored %+v, %v", u, err)
				}
				return
			}
			if got := messages(err); !contains(got, tt.want) {
				t.Fatalf("errors %v (%v), want %s", got, err, tt.want)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestMoveAndDeactivateKeepTheTreeSound(t *testing.T) {
	ctx := context.Background()
	ss := seededUnits(t)
	if err := ss.AddUnit(ctx, surveys.Unit{ID: "pleie", Name: "Pleie", Kind: surveys.KindSector, Parent: "helse"}); err != nil {
		t.Fatal(err)
	}
	// helse under its own sub-sector would be a cycle.
	if err := ss.MoveUnit(ctx, "helse", "pleie"); !contains(messages(err), "units.error.cycle") {
		t.Fatalf("cycle: %v", err)
	}
	if err := ss.MoveUnit(ctx, "solbakken", "pleie"); err != nil {
		t.Fatal(err)
	}
	if err := ss.MoveUnit(ctx, "nowhere", "pleie"); !errors.Is(err, surveys.ErrNoUnit) {
		t.Fatalf("moving an unknown unit: %v", err)
	}
	// A sector with an active unit under it stays active.
	if err := ss.SetUnitActive(ctx, "pleie", false, "2026-12-01"); !contains(messages(err), "units.error.active_children") {
		t.Fatalf("deactivating a sector with active units: %v", err)
	}
	if err := ss.SetUnitActive(ctx, "solbakken", false, "2026-12-01"); err != nil {
		t.Fatal(err)
	}
	u, _ := ss.Unit(ctx, "solbakken")
	if u.Active || u.Deactivated != "2026-12-01" || u.Parent != "pleie" {
		t.Fatalf("deactivated unit: %+v", u)
	}
	if err := ss.SetUnitActive(ctx, "pleie", false, "2026-12-02"); err != nil {
		t.Fatal(err)
	}
	// Under an inactive sector a unit cannot come back.
	if err := ss.SetUnitActive(ctx, "solbakken", true, ""); !contains(messages(err), "units.error.parent_inactive") {
		t.Fatalf("reactivating under an inactive parent: %v", err)
	}
	// The unit is still there for the waves that name it.
	if all, _ := ss.Units(ctx); len(all) != len(testUnits)+1 {
		t.Fatalf("%d units, want %d: nothing is ever deleted", len(all), len(testUnits)+1)
	}
}

func TestUnitTreeOrdersDepthFirst(t *testing.T) {
	tree := surveys.UnitTree(testUnits)
	var got []string
	for _, n := range tree {
		got = append(got, strings.Repeat("-", n.Depth)+n.ID)
	}
	want := "kommune,-helse,--hjemme,--gamle,--solbakken"
	if strings.Join(got, ",") != want {
		t.Fatalf("tree %v, want %s", got, want)
	}
}

// unitSheet builds an .xlsx with the rows given.
func unitSheet(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var unitHeader = []any{"Nøkkel", "Navn", "Type", "Overordnet", "Telefon", "E-post", "Besøkstid"}

func TestUnitImportLocatesEveryProblemByRow(t *testing.T) {
	ctx := context.Background()
	ss := seededUnits(t)
	data := unitSheet(t, [][]any{unitHeader,
		{"omsorg", "Omsorg", "sektor", "kommune", "", "", ""},               // 2: fine
		{"a", "A", "sykehjem", "omsorg", "69 00 00 00", "a@kommune.no", ""}, // 3: fine
		{"a", "A igjen", "sykehjem", "omsorg", "", "", ""},                  // 4: duplicate of row 3
		{"b", "B", "slott", "omsorg", "", "", ""},                           // 5: bad type
		{"c", "C", "skole", "ingen", "", "", ""},                            // 6: unknown parent
		{"d", "D", "bofellesskap", "omsorg", "12", "d@", ""},                // 7: bad phone and e-mail
		{"x", "X", "sektor", "y", "", "", ""},                               // 8: cycle x → y → x
		{"y", "Y", "sektor", "x", "", "", ""},                               // 9: cycle
		{"solbakken", "Solbakken sykehjem", "sykehjem", "omsorg", "", "", "12–18"},
	})
	imp, err := surveys.ReadUnitSheet(data)
	if err != nil {
		t.Fatal(err)
	}
	imp.Plan(mustUnits(t, ss))
	got := map[string]bool{}
	for _, p := range imp.Problems {
		got[strings.Join([]string{strconv.Itoa(p.Row), p.Column, p.Message}, " ")] = true
	}
	for _, want := range []string{"4 A units.import.error.duplicate", "5 C units.error.kind", "6 D units.error.parent_unknown",
		"7 E units.error.phone", "7 F units.error.email", "8 D units.error.cycle", "9 D units.error.cycle"} {
		if !got[want] {
			t.Errorf("missing problem %q; got %v", want, got)
		}
	}
	if len(imp.Problems) != 7 {
		t.Errorf("%d problems, want 7: %v", len(imp.Problems), imp.Problems)
	}
	if _, _, err := ss.ApplyUnitImport(ctx, imp); !errors.As(err, new(surveys.UnitImportProblems)) {
		t.Fatalf("import with problems: %v", err)
	}
	if n := len(mustUnits(t, ss)); n != len(testUnits) {
		t.Fatalf("%d units after a refused import, want %d: nothing may be stored", n, len(testUnits))
	}
}

func TestUnitImportStoresAndUpdates(t *testing.T) {
	ctx := context.Background()
	ss := seededUnits(t)
	data := unitSheet(t, [][]any{unitHeader,
		{"lia", "Lia avlastning", "avlastning", "omsorg", "+47 69 00 00 01", "", "Hele døgnet"},
		{"omsorg", "Omsorg", "sektor", "kommune", "", "", ""},
		{"solbakken", "Solbakken", "sykehjem", "helse", "", "", "11–19"},
		{"hjemme", "Hjemmetjenesten", "hjemmetjeneste", "helse", "", "", ""},
	})
	imp, err := surveys.ReadUnitSheet(data)
	if err != nil {
		t.Fatal(err)
	}
	imp.Plan(mustUnits(t, ss))
	changes := map[string]string{}
	for _, r := range imp.Rows {
		changes[r.Unit.ID] = r.Change
	}
	if changes["lia"] != "new" || changes["omsorg"] != "new" || changes["solbakken"] != "changed" || changes["hjemme"] != "same" {
		t.Fatalf("changes %v", changes)
	}
	added, changed, err := ss.ApplyUnitImport(ctx, imp)
	if err != nil || added != 2 || changed != 1 {
		t.Fatalf("import: %d added, %d changed, %v", added, changed, err)
	}
	u, _ := ss.Unit(ctx, "solbakken")
	if u.VisitingHours != "11–19" || !u.Active {
		t.Fatalf("updated unit %+v", u)
	}
	lia, _ := ss.Unit(ctx, "lia")
	if lia.Kind != surveys.KindRespite || lia.Parent != "omsorg" || lia.Phone != "+47 69 00 00 01" {
		t.Fatalf("new unit %+v", lia)
	}
}

func TestUnitImportRefusesFilesThatAreNoList(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"not xlsx", []byte("id;navn\n"), "units.import.error.not_xlsx"},
		{"no rows", unitSheet(t, [][]any{unitHeader}), "units.import.error.empty"},
		{"missing columns", unitSheet(t, [][]any{{"Navn", "Telefon"}, {"A", "1"}}), "units.import.error.columns"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := surveys.ReadUnitSheet(tt.data)
			var ie *surveys.UnitImportError
			if !errors.As(err, &ie) || ie.Message != tt.want {
				t.Fatalf("error %v, want %s", err, tt.want)
			}
		})
	}
}

func mustUnits(t *testing.T, ss *surveys.Store) []surveys.Unit {
	t.Helper()
	us, err := ss.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return us
}
