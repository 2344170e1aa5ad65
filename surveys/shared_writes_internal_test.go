package surveys

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

// twoInstances returns two surveys stores on one database as two server
// instances would have them: each with its own client (connection pool)
// and its own in-process lock tables.
func twoInstances(t *testing.T) (a, b *Store) {
	t.Helper()
	db := storetest.DB(t)
	secret := []byte("0123456789abcdef0123456789abcdef")
	a = NewStore(db)
	b = NewStore(storetest.SecondClient(t, db))
	b.invitationLocks, b.lifecycleLocks = &store.KeyedMutex{}, &store.KeyedMutex{}
	a.SetSecret(secret)
	b.SetSecret(secret)
	return a, b
}

var sharedT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, Oslo)

func insertSharedWave(t *testing.T, s *Store, status string) Link {
	t.Helper()
	links, err := s.InsertWave(context.Background(), &Wave{ID: "w", Kind: WaveUnit, Name: "W", Year: 2026, Instrument: "x@1",
		Units: []string{"solbakken", "hjemme"}, Languages: []string{"nb"}, Opens: "2026-03-01", Closes: "2026-04-15", Status: status})
	if err != nil {
		t.Fatal(err)
	}
	return links[0]
}

// TestASecondInstanceActsBetweenReadAndWrite: for every shared write of
// the surveys domain, a second instance completes the same or a
// conflicting write between this instance's read and its write. The
// write names the state it read in its filter, so it loses (or keeps the
// other's work) instead of overwriting. Deterministic, so it holds on
// the embedded store as on MongoDB.
func TestASecondInstanceActsBetweenReadAndWrite(t *testing.T) {
	ctx := context.Background()
	t.Run("invitation spent twice", func(t *testing.T) {
		a, b := twoInstances(t)
		link := insertSharedWave(t, a, WaveOpen)
		codes, err := a.IssueInvitations(ctx, "w", link.Unit, 1, "test", sharedT0)
		if err != nil {
			t.Fatal(err)
		}
		var other error
		a.beforeSharedWrite = func(string, string) { _, other = b.UseInvitation(ctx, codes[0], link.ID) }
		_, err = a.UseInvitation(ctx, codes[0], link.ID)
		if other != nil || !errors.Is(err, ErrInvitationUsed) {
			t.Fatalf("second instance: %v; this one: %v, want ErrInvitationUsed", other, err)
		}
	})
	t.Run("wave closed twice", func(t *testing.T) {
		a, b := twoInstances(t)
		insertSharedWave(t, a, WaveOpen)
		var other error
		a.beforeSharedWrite = func(string, string) { other = b.CloseWave(ctx, "w", sharedT0) }
		err := a.CloseWave(ctx, "w", sharedT0.Add(time.Hour))
		if other != nil || !errors.Is(err, ErrBadTransition) {
			t.Fatalf("second instance: %v; this one: %v, want a refused transition", other, err)
		}
	})
	t.Run("results published twice keep the first date", func(t *testing.T) {
		a, b := twoInstances(t)
		insertSharedWave(t, a, WaveClosed)
		var other error
		a.beforeSharedWrite = func(string, string) { other = b.PublishResults(ctx, "w", sharedT0) }
		if err := a.PublishResults(ctx, "w", sharedT0.AddDate(0, 0, 3)); err != nil || other != nil {
			t.Fatal(err, other)
		}
		if w, err := a.Wave(ctx, "w"); err != nil || w.Published != LocalDate(sharedT0) {
			t.Fatalf("published %q, want the first date %s (%v)", w.Published, LocalDate(sharedT0), err)
		}
	})
	t.Run("population after publishing", func(t *testing.T) {
		a, b := twoInstances(t)
		insertSharedWave(t, a, WaveClosed)
		var other error
		a.beforeSharedWrite = func(string, string) { other = b.PublishResults(ctx, "w", sharedT0) }
		err := a.SetPopulation(ctx, "w", map[string]int{"solbakken": 40})
		if other != nil || !errors.Is(err, ErrPopulationPublished) {
			t.Fatalf("second instance: %v; this one: %v, want ErrPopulationPublished", other, err)
		}
		if w, _ := a.Wave(ctx, "w"); len(w.Population) != 0 {
			t.Fatalf("a published wave's population changed: %v", w.Population)
		}
	})
	t.Run("populations of two units at once", func(t *testing.T) {
		a, b := twoInstances(t)
		insertSharedWave(t, a, WaveClosed)
		var other error
		a.beforeSharedWrite = func(string, string) { other = b.SetPopulation(ctx, "w", map[string]int{"hjemme": 12}) }
		if err := a.SetPopulation(ctx, "w", map[string]int{"solbakken": 40}); err != nil || other != nil {
			t.Fatal(err, other)
		}
		if w, _ := a.Wave(ctx, "w"); w.Population["solbakken"] != 40 || w.Population["hjemme"] != 12 {
			t.Fatalf("population %v, want both units' numbers", w.Population)
		}
	})
}

// TestTwoInstancesRaceForOneSharedWrite: many goroutines on two clients
// spend one invitation code and close one wave at once; exactly one wins
// each. On MongoDB the two have their own lock tables, as two servers do,
// so only the conditional update decides. FerretDB v1 does not apply a
// conditional update atomically (measured: with lock tables of their own,
// 2 of 16 racers won), so there the two share the process's tables, as
// they must: the embedded store admits one process (docs/SCALING.md).
func TestTwoInstancesRaceForOneSharedWrite(t *testing.T) {
	ctx := context.Background()
	const racers = 16
	race := func(t *testing.T, a, b *Store, op func(s *Store) error, lost error) {
		t.Helper()
		if storetest.OnFerretDB(t) {
			b.invitationLocks, b.lifecycleLocks = a.invitationLocks, a.lifecycleLocks
		}
		storetest.RaceForOne(t, racers, lost, func(i int) error { return op([]*Store{a, b}[i%2]) })
	}
	t.Run("invitation", func(t *testing.T) {
		a, b := twoInstances(t)
		link := insertSharedWave(t, a, WaveOpen)
		codes, err := a.IssueInvitations(ctx, "w", link.Unit, 1, "test", sharedT0)
		if err != nil {
			t.Fatal(err)
		}
		race(t, a, b, func(s *Store) error { _, err := s.UseInvitation(ctx, codes[0], link.ID); return err }, ErrInvitationUsed)
	})
	t.Run("wave close", func(t *testing.T) {
		a, b := twoInstances(t)
		insertSharedWave(t, a, WaveOpen)
		race(t, a, b, func(s *Store) error { return s.CloseWave(ctx, "w", sharedT0) }, ErrBadTransition)
	})
}
