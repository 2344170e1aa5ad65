package ops

import (
	"context"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Waves runs the opening and closing of survey waves. Whether a wave may
// change is decided by the surveys store against the wave as stored, under
// its lock; the entry is written at that point (a surveys.Commit), so a
// refused change (a *surveys.TransitionError, surveys.Problems) leaves no
// entry, and an entry that cannot be written leaves the wave as it was.
type Waves struct {
	area
	surveys *surveys.Store
}

// NewWaves returns the wave operations on the waves in ss.
func NewWaves(j *Journal, ss *surveys.Store) *Waves {
	return &Waves{area: area{j, staff.AuditWave}, surveys: ss}
}

// Open opens a draft wave.
func (o *Waves) Open(ctx context.Context, who, id string) error {
	return o.atCommit(ctx, who, id, "open", func(commit func() error) error {
		return o.surveys.OpenWaveWith(ctx, id, o.now(), commit)
	})
}

// Close closes an open wave: it takes no more answers.
func (o *Waves) Close(ctx context.Context, who, id string) error {
	return o.atCommit(ctx, who, id, "close", func(commit func() error) error {
		return o.surveys.CloseWaveWith(ctx, id, o.now(), commit)
	})
}

// Create stores w as a new draft wave, after the checks that decide
// whether it may open (surveys.Problems); it fills in w's id.
func (o *Waves) Create(ctx context.Context, who string, w *surveys.Wave) error {
	if w.ID == "" {
		w.ID = surveys.NewWaveID()
	}
	return o.atCommit(ctx, who, w.ID, "create "+w.Name, func(commit func() error) error {
		_, err := o.surveys.CreateWaveWith(ctx, w, commit)
		return err
	})
}

// SetPopulation records the number of relatives each unit of wave id
// reached; a form that changes no number records nothing, and writes no
// entry.
func (o *Waves) SetPopulation(ctx context.Context, who, id string, pop map[string]int) error {
	return o.atCommit(ctx, who, id, "population", func(commit func() error) error {
		return o.surveys.SetPopulationWith(ctx, id, pop, commit)
	})
}
