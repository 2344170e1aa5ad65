package surveys_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/stemme/stemme/surveys"
)

func TestOverallCadence(t *testing.T) {
	p := surveys.Plan{OverallStartYear: 2024}
	tests := []struct {
		year int
		due  bool
		next int
	}{
		{2020, false, 2024}, // before the plan started
		{2023, false, 2024},
		{2024, true, 2024},
		{2025, false, 2028},
		{2027, false, 2028},
		{2028, true, 2028},
		{2031, false, 2032},
		{2032, true, 2032},
		{2100, true, 2100}, // not a leap year; the cadence counts years, not days
	}
	for _, tt := range tests {
		if got := p.OverallDue(tt.year); got != tt.due {
			t.Errorf("OverallDue(%d) = %v, want %v", tt.year, got, tt.due)
		}
		if got := p.NextOverall(tt.year); got != tt.next {
			t.Errorf("NextOverall(%d) = %d, want %d", tt.year, got, tt.next)
		}
	}
	if (surveys.Plan{}).OverallDue(2024) || (surveys.Plan{}).NextOverall(2024) != 0 {
		t.Error("a plan without a start year makes the overall survey due")
	}
}

func TestPlanDue(t *testing.T) {
	plan := surveys.Plan{OverallStartYear: 2022, StaleAfterYears: 3, Entries: []surveys.PlanEntry{
		{Unit: "solbakken", Year: 2027}, {Unit: "hjemme", Year: 2027}, {Unit: "hjemme", Year: 2029},
	}}
	wave := func(id, kind string, year int, status string, units ...string) surveys.Wave {
		return surveys.Wave{ID: id, Kind: kind, Year: year, Status: status, Units: units}
	}
	overall22 := wave("overall_2022", surveys.WaveOverall, 2022, surveys.WaveClosed, "solbakken", "hjemme", "gamle")
	tests := []struct {
		name  string
		year  int
		plan  surveys.Plan
		waves []surveys.Wave
		want  surveys.DueReport
	}{
		{
			name: "nothing surveyed yet: every active service unit is stale, never surveyed",
			year: 2022, plan: plan,
			want: surveys.DueReport{Year: 2022, OverallDue: true, NextOverall: 2022,
				Stale: []surveys.StaleUnit{{Unit: "solbakken"}, {Unit: "hjemme"}}},
		},
		{
			name: "overall year with its wave; inactive units and the hierarchy never appear",
			year: 2022, plan: plan, waves: []surveys.Wave{overall22},
			want: surveys.DueReport{Year: 2022, OverallDue: true, NextOverall: 2022,
				OverallWave: surveys.WaveRef{ID: "overall_2022", Status: surveys.WaveClosed}},
		},
		{
			name: "three years on is not yet stale",
			year: 2025, plan: plan, waves: []surveys.Wave{overall22},
			want: surveys.DueReport{Year: 2025, NextOverall: 2026},
		},
		{
			name: "overall due again four years on (2026); a draft overall wave exists but counts for nothing",
			year: 2026, plan: plan,
			waves: []surveys.Wave{overall22, wave("overall_2026", surveys.WaveOverall, 2026, surveys.WaveDraft, "solbakken", "hjemme")},
			want: surveys.DueReport{Year: 2026, OverallDue: true, NextOverall: 2026,
				OverallWave: surveys.WaveRef{ID: "overall_2026", Status: surveys.WaveDraft},
				Stale:       []surveys.StaleUnit{{Unit: "solbakken", LastYear: 2022}, {Unit: "hjemme", LastYear: 2022}}},
		},
		{
			name: "planned unit surveys: one exists (the open wave beats the draft), one is missing",
			year: 2027, plan: plan,
			waves: []surveys.Wave{overall22,
				wave("overall_2026", surveys.WaveOverall, 2026, surveys.WaveClosed, "solbakken", "hjemme"),
				wave("b_unit", surveys.WaveUnit, 2027, surveys.WaveDraft, "hjemme"),
				wave("a_unit", surveys.WaveUnit, 2027, surveys.WaveOpen, "hjemme"),
				// An overall wave does not stand in for a planned unit-level survey.
				wave("overall_2027", surveys.WaveOverall, 2027, surveys.WaveOpen, "solbakken"),
			},
			want: surveys.DueReport{Year: 2027, NextOverall: 2030,
				OverallWave: surveys.WaveRef{ID: "overall_2027", Status: surveys.WaveOpen},
				Planned: []surveys.PlannedSurvey{
					{Unit: "solbakken"},
					{Unit: "hjemme", Wave: surveys.WaveRef{ID: "a_unit", Status: surveys.WaveOpen}},
				}},
		},
		{
			name: "a unit wave keeps its unit fresh; waves after the year do not count",
			year: 2025, plan: plan,
			waves: []surveys.Wave{
				wave("overall_2020", surveys.WaveOverall, 2020, surveys.WaveClosed, "solbakken", "hjemme"),
				wave("hjemme_2024", surveys.WaveUnit, 2024, surveys.WaveClosed, "hjemme"),
				wave("solbakken_2026", surveys.WaveUnit, 2026, surveys.WaveOpen, "solbakken"),
			},
			want: surveys.DueReport{Year: 2025, NextOverall: 2026,
				Stale: []surveys.StaleUnit{{Unit: "solbakken", LastYear: 2020}}},
		},
		{
			name: "stale after the default when the plan does not say",
			year: 2026, plan: surveys.Plan{OverallStartYear: 2024},
			waves: []surveys.Wave{wave("old", surveys.WaveUnit, 2022, surveys.WaveClosed, "solbakken", "hjemme"),
				wave("new", surveys.WaveUnit, 2023, surveys.WaveOpen, "hjemme")},
			want: surveys.DueReport{Year: 2026, NextOverall: 2028,
				Stale: []surveys.StaleUnit{{Unit: "solbakken", LastYear: 2022}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.plan.Due(tt.year, testUnits, tt.waves)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Due(%d)\n got %+v\nwant %+v", tt.year, got, tt.want)
			}
		})
	}
}

func TestSavePlan(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p, err := st.GetPlan(ctx)
	if err != nil || p.ID != surveys.PlanID || p.StaleAfterYears != surveys.DefaultStaleAfterYears || len(p.Entries) != 0 {
		t.Fatalf("plan before any is saved: %+v, %v", p, err)
	}
	tests := []struct {
		name string
		plan surveys.Plan
		want []string
	}{
		{"start year out of range", surveys.Plan{OverallStartYear: 1999}, []string{"overall_start_year: 1999 is not between 2000 and 2100"}},
		{"entries: bad year, unknown unit, sector, repeated", surveys.Plan{OverallStartYear: 2026, Entries: []surveys.PlanEntry{
			{Unit: "solbakken", Year: 2101}, {Unit: "nowhere", Year: 2027}, {Unit: "helse", Year: 2027},
			{Unit: "hjemme", Year: 2028}, {Unit: "hjemme", Year: 2028},
		}}, []string{"entries[0]: year 2101", "entries[1]: unit nowhere does not exist", "entries[2]: helse is a sector", "entries[4]: hjemme is already planned for 2028"}},
		{"staleness out of range", surveys.Plan{OverallStartYear: 2026, StaleAfterYears: -1}, []string{"stale_after_years: -1"}},
	}
	for _, tt := range tests {
		err := st.SavePlan(ctx, tt.plan)
		var ps surveys.Problems
		if !errors.As(err, &ps) || len(ps) != len(tt.want) {
			t.Errorf("%s: got %v, want %d problems", tt.name, err, len(tt.want))
			continue
		}
		for _, want := range tt.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v does not mention %q", tt.name, err, want)
			}
		}
	}
	// An inactive unit may stay in the plan: the plan is also its history.
	save := surveys.Plan{OverallStartYear: 2026, Entries: []surveys.PlanEntry{{Unit: "hjemme", Year: 2028}, {Unit: "gamle", Year: 2027}, {Unit: "solbakken", Year: 2027}}}
	if err := st.SavePlan(ctx, save); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetPlan(ctx)
	want := surveys.Plan{ID: surveys.PlanID, OverallStartYear: 2026, StaleAfterYears: surveys.DefaultStaleAfterYears,
		Entries: []surveys.PlanEntry{{Unit: "gamle", Year: 2027}, {Unit: "solbakken", Year: 2027}, {Unit: "hjemme", Year: 2028}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("saved plan read back as %+v (%v), want %+v", got, err, want)
	}
	if save.Entries[0].Unit != "hjemme" {
		t.Error("SavePlan reordered the caller's entries")
	}
	r, err := st.PlanDue(ctx, 2027)
	if err != nil || len(r.Planned) != 2 || r.OverallDue || r.NextOverall != 2030 || len(r.Stale) != 2 {
		t.Errorf("PlanDue(2027) = %+v, %v", r, err)
	}
}
