package demo

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

func TestSeedCouncilShowsEffects(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	now := time.Date(2026, 9, 15, 12, 0, 0, 0, time.UTC)
	if _, err := Seed(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if err := SeedCouncil(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	w, err := surveys.NewStore(db).Wave(ctx, "overall_"+strconv.Itoa(2022))
	if err != nil || w.Published == "" {
		t.Fatalf("the earlier wave is not published: %v", err)
	}
	list, err := actions.NewStore(db).List(ctx)
	if err != nil || len(list) < 4 {
		t.Fatalf("%d actions, %v", len(list), err)
	}
	measured, linked := 0, 0
	for i := range list {
		for _, f := range list[i].Findings {
			linked++
			if math.IsNaN(f.Index) || f.N < 5 {
				t.Errorf("finding %+v stored without its value", f)
			}
		}
		es, err := actions.Effects(ctx, analysis.NewService(db), db, &list[i], analysis.Reader{All: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.State == actions.Measured {
				measured++
			}
		}
	}
	if linked < 3 || measured < 3 {
		t.Errorf("%d findings linked, %d measured again; want effects to show", linked, measured)
	}
	cs := council.NewStore(db)
	if over, _ := cs.OverdueDecisions(ctx, surveys.LocalDate(now)); len(over) != 1 {
		t.Errorf("%d overdue decisions, want 1", len(over))
	}
	if ms, _ := cs.Meetings(ctx, council.KindCouncil); len(ms) != 2 {
		t.Errorf("%d council meetings, want 2", len(ms))
	}
	if ds, _ := cs.Meetings(ctx, council.KindDialogue); len(ds) != 1 {
		t.Errorf("%d dialogue meetings, want 1", len(ds))
	}
	if over, _ := actions.NewStore(db).Overdue(ctx, 2026); len(over) != 1 {
		t.Errorf("%d overdue actions, want 1", len(over))
	}
}
