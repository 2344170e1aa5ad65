package actions

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stemme/stemme/store/storetest"
)

func TestStore(t *testing.T) {
	ctx := context.Background()
	s := NewStore(storetest.DB(t))
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	late := &Action{Title: "Pårørendekafé", Owner: "Virksomhetsleder", Period: "2024", Units: []string{"solbakken"}}
	ongoing := &Action{Title: "Informasjonsmøter", Owner: "Kvalitetsrådgiver", Period: "Løpende", FocusArea: "information"}
	for _, a := range []*Action{late, ongoing} {
		if err := s.Insert(ctx, a, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Insert(ctx, &Action{Title: "x"}, now); err == nil {
		t.Error("an action without owner and period was stored")
	}
	over, err := s.Overdue(ctx, 2026)
	if err != nil || len(over) != 1 || over[0].ID != late.ID {
		t.Fatalf("overdue %v, %v; want the 2024 action", over, err)
	}
	f := Finding{Wave: "w1", Unit: "solbakken", Item: "info_given", Index: 55}
	for range 2 {
		if err := s.AddFinding(ctx, late.ID, f, now); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Get(ctx, late.ID)
	if len(got.Findings) != 1 || got.Findings[0].Index != 55 {
		t.Fatalf("findings %+v, want the one finding once", got.Findings)
	}
	if ws, _ := s.ForWave(ctx, "w1"); len(ws) != 1 || ws[0].ID != late.ID {
		t.Errorf("ForWave(w1) = %v", ws)
	}
	if ws, _ := s.ForWave(ctx, "w2"); len(ws) != 0 {
		t.Errorf("ForWave(w2) = %v, want none", ws)
	}
	late.Status = Done
	if err := s.Update(ctx, late, now); err != nil {
		t.Fatal(err)
	}
	if over, _ := s.Overdue(ctx, 2026); len(over) != 0 {
		t.Errorf("a done action is overdue: %v", over)
	}
	if got, _ := s.Get(ctx, late.ID); len(got.Findings) != 1 {
		t.Error("updating the fields lost the findings")
	}
	// Notes from several writers at once are all kept.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.AddNote(ctx, late.ID, "advisor@kommune.no", "Møte holdt", now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ns, _ := s.Notes(ctx, late.ID); len(ns) != 8 || ns[0].At.After(ns[7].At) {
		t.Errorf("%d notes, want 8 oldest first", len(ns))
	}
	if _, err := s.AddNote(ctx, late.ID, "a", "  ", now); err == nil {
		t.Error("an empty note was stored")
	}
	if _, err := s.Get(ctx, "nope"); err != ErrNotFound {
		t.Errorf("missing action: %v", err)
	}
}
