package ops_test

import (
	"context"
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
		{name: "unit deactivate", action: staff.AuditUnit, setup: existing,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.units.SetActive(ctx, who, id, false)
			},
			changed: func(t *testing.T, w *world, id string) bool { u, _ := unit(t, w, id); return !u.Active }},
	}
}
