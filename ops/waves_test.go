package ops_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// wave stores the built-in instrument, a unit and a wave in status, and
// returns the wave's id.
func wave(t *testing.T, w *world, status string) string {
	t.Helper()
	ctx := context.Background()
	in, err := builtin.Instrument("parorende")
	must(t, err)
	in.Status = surveys.InstrumentPublished
	must(t, w.surveys.InsertInstrument(ctx, in))
	must(t, w.surveys.InsertUnit(ctx, surveys.Unit{ID: "solbakken", Name: "Solbakken", Kind: surveys.KindNursingHome, Active: true}))
	wv := &surveys.Wave{ID: "w", Kind: surveys.WaveUnit, Name: "W", Year: 2026, Instrument: in.ID, Units: []string{"solbakken"},
		Languages: []string{"nb"}, Opens: "2026-03-01", Closes: "2026-04-15", Status: status}
	_, err = w.surveys.InsertWave(ctx, wv)
	must(t, err)
	return wv.ID
}

func waveOperations() []operation {
	status := func(t *testing.T, w *world, id string) string {
		t.Helper()
		wv, err := w.surveys.Wave(context.Background(), id)
		must(t, err)
		return wv.Status
	}
	return []operation{
		{name: "wave open", action: staff.AuditWave,
			setup: func(t *testing.T, w *world) string { return wave(t, w, surveys.WaveDraft) },
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.waves.Open(ctx, who, id)
			},
			changed: func(t *testing.T, w *world, id string) bool { return status(t, w, id) == surveys.WaveOpen }},
		{name: "wave close", action: staff.AuditWave,
			setup: func(t *testing.T, w *world) string { return wave(t, w, surveys.WaveOpen) },
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.waves.Close(ctx, who, id)
			},
			changed: func(t *testing.T, w *world, id string) bool { return status(t, w, id) == surveys.WaveClosed }},
		{name: "wave create", action: staff.AuditWave,
			setup: func(t *testing.T, w *world) string { return wave(t, w, surveys.WaveDraft) + "2" },
			run: func(ctx context.Context, o operations, id string) (string, error) {
				in, err := builtin.Instrument("parorende")
				if err != nil {
					return id, err
				}
				wv := surveys.Wave{ID: id, Kind: surveys.WaveUnit, Name: "W2", Year: 2026, Instrument: in.ID,
					Units: []string{"solbakken"}, Languages: []string{"nb"}, Opens: "2026-03-01", Closes: "2026-04-15"}
				return id, o.waves.Create(ctx, who, &wv)
			},
			changed: func(t *testing.T, w *world, id string) bool {
				_, err := w.surveys.Wave(context.Background(), id)
				return err == nil
			}},
		{name: "wave population", action: staff.AuditWave,
			setup: func(t *testing.T, w *world) string { return wave(t, w, surveys.WaveOpen) },
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.waves.SetPopulation(ctx, who, id, map[string]int{"solbakken": 40})
			},
			changed: func(t *testing.T, w *world, id string) bool {
				wv, err := w.surveys.Wave(context.Background(), id)
				must(t, err)
				return wv.Population["solbakken"] == 40
			}},
	}
}

// TestRefusedTransitionWritesNothing checks that a change the store
// refuses against the stored state (closing a draft) leaves no entry: the
// entry is written at the store's commit point.
func TestRefusedTransitionWritesNothing(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	id := wave(t, w, surveys.WaveDraft)
	if err := w.ops(w.log).waves.Close(ctx, who, id); !errors.Is(err, surveys.ErrBadTransition) {
		t.Fatalf("closing a draft: %v, want a transition error", err)
	}
	if es := w.entries(t, staff.AuditWave); len(es) != 0 {
		t.Fatalf("a refused transition wrote %+v", es)
	}
}
