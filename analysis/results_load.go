package analysis

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/surveys"
)

// Load computes a wave's results from its tallies, compared with the
// previous wave that covered any of the same units.
func Load(ctx context.Context, db *mongo.Database, wave string) (*Results, error) {
	ss := surveys.NewStore(db)
	w, err := ss.Wave(ctx, wave)
	if err != nil {
		return nil, err
	}
	waves, err := ss.Waves(ctx)
	if err != nil {
		return nil, err
	}
	var prev *Results
	if p := PreviousWave(w, waves); p != nil {
		if prev, err = load(ctx, db, ss, p, nil); err != nil {
			return nil, err
		}
	}
	return load(ctx, db, ss, w, prev)
}

func load(ctx context.Context, db *mongo.Database, ss *surveys.Store, w *surveys.Wave, prev *Results) (*Results, error) {
	in, err := ss.Instrument(ctx, w.Instrument)
	if err != nil {
		return nil, fmt.Errorf("analysis: instrument of %s: %w", w.ID, err)
	}
	tallies, err := Tallies(ctx, db, w.ID)
	if err != nil {
		return nil, err
	}
	population, err := Population(ctx, ss, w)
	if err != nil {
		return nil, err
	}
	return Compute(Input{Wave: w, Instrument: in, Tallies: tallies, Population: population, Previous: prev}), nil
}

// Population is the denominator of each unit's response rate: the
// invitations issued, or else the population recorded on the wave.
func Population(ctx context.Context, ss *surveys.Store, w *surveys.Wave) (map[string]int, error) {
	issued, err := ss.InvitationsIssued(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, u := range w.Units {
		if n := issued[u]; n > 0 {
			out[u] = n
		} else if n := w.Population[u]; n > 0 {
			out[u] = n
		}
	}
	return out, nil
}

// PreviousWave is the latest wave opened before w that took answers and
// covered at least one of its units, or nil.
func PreviousWave(w *surveys.Wave, waves []surveys.Wave) *surveys.Wave {
	var best *surveys.Wave
	for i := range waves {
		c := &waves[i]
		if c.ID == w.ID || c.Status == surveys.WaveDraft || c.Opens >= w.Opens {
			continue
		}
		if !slices.ContainsFunc(c.Units, func(u string) bool { return slices.Contains(w.Units, u) }) {
			continue
		}
		if best == nil || c.Opens > best.Opens {
			best = c
		}
	}
	return best
}
