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
	return o.journal.recordAtCommit(ctx, who, entry{o.action, id, "open"}, func(commit func() error) error {
		return o.surveys.OpenWaveWith(ctx, id, o.now(), commit)
	})
}

// Close closes an open wave: it takes no more answers.
func (o *Waves) Close(ctx context.Context, who, id string) error {
	return o.journal.recordAtCommit(ctx, who, entry{o.action, id, "close"}, func(commit func() error) error {
		return o.surveys.CloseWaveWith(ctx, id, o.now(), commit)
	})
}
