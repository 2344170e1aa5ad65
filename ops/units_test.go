package ops_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

func unitOperations() []operation {
	municipality := surveys.Unit{ID: "kommune", Name: "Fjordvik kommune", Kind: surveys.KindMunicipality, Active: true}
	existing := func(t *testing.T, w *world) string {
		t.Helper()
		must(t, w.surveys.InsertUnit(context.Background(), municipality))
		must(t, w.surveys.InsertUnit(context.Background(), surveys.Unit{ID: "lia", Name: "Lia", Kind: surveys.KindNursingHome,
			Parent: "kommune", Active: true}))
		return "lia"
	}
	unit := func(t *testing.T, w *world, id string) (surveys.Unit, bool) {
		t.Helper()
		u, err := w.surveys.Unit(context.Background(), id)
		if err != nil {
			return surveys.Unit{}, false
		}
		return u, true
	}
	return []operation{
		{name: "unit add", action: staff.AuditUnit,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				return "kommune", o.units.Add(ctx, who, municipality)
			},
			changed: func(t *testing.T, w *world, _ string) bool { _, ok := unit(t, w, "kommune"); return ok }},
		{name: "unit update", action: staff.AuditUnit, setup: existing,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.units.Update(ctx, who, surveys.Unit{ID: id, Parent: "kommune"},
					surveys.Unit{Name: "Lia sykehjem", Kind: surveys.KindNursingHome, Parent: "kommune"})
			},
			changed: func(t *testing.T, w *world, id string) bool { u, _ := unit(t, w, id); return u.Name == "Lia sykehjem" }},
		{name: "unit move", action: staff.AuditUnit, setup: func(t *testing.T, w *world) string {
			id := existing(t, w)
			must(t, w.surveys.InsertUnit(context.Background(), surveys.Unit{ID: "helse", Name: "Helse og omsorg",
				Kind: surveys.KindSector, Parent: "kommune", Active: true}))
			return id
		},
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.units.Move(ctx, who, id, "helse")
			},
			changed: func(t *testing.T, w *world, id string) bool { u, _ := unit(t, w, id); return u.Parent == "helse" }},
		{name: "unit deactivate", action: staff.AuditUnit, setup: existing,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.units.SetActive(ctx, who, id, false)
			},
			changed: func(t *testing.T, w *world, id string) bool { u, _ := unit(t, w, id); return !u.Active }},
		{name: "unit import", action: staff.AuditUnit, setup: existing,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				imp := &surveys.UnitImport{Rows: []surveys.UnitRow{
					{Row: 2, Unit: surveys.Unit{ID: "bakken", Name: "Bakken", Kind: surveys.KindNursingHome, Parent: "kommune", Active: true}},
					{Row: 3, Unit: surveys.Unit{ID: id, Name: "Lia bo- og behandlingssenter", Kind: surveys.KindNursingHome,
						Parent: "kommune", Active: true}}}}
				added, changed, err := o.units.Import(ctx, who, imp)
				if err == nil && (added != 1 || changed != 1) {
					return "", fmt.Errorf("%d added and %d changed, want 1 and 1", added, changed)
				}
				return "import", err
			},
			changed: func(t *testing.T, w *world, id string) bool {
				_, added := unit(t, w, "bakken")
				u, _ := unit(t, w, id)
				return added && u.Name == "Lia bo- og behandlingssenter"
			}},
	}
}

// TestImportEntrySaysWhatChanges checks the import's entry: written once
// the list is checked, it counts the units the list adds and changes.
func TestImportEntrySaysWhatChanges(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	row := surveys.UnitRow{Row: 2, Unit: surveys.Unit{ID: "kommune", Name: "Fjordvik kommune", Kind: surveys.KindMunicipality, Active: true}}
	if _, _, err := w.ops(w.log).units.Import(ctx, who, &surveys.UnitImport{Rows: []surveys.UnitRow{row}}); err != nil {
		t.Fatal(err)
	}
	es := w.entries(t, staff.AuditUnit)
	if len(es) != 1 || es[0].Target != "import" || es[0].Detail != "1 added, 0 changed" {
		t.Fatalf("entries %+v, want one saying 1 added, 0 changed", es)
	}
}
