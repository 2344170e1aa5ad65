package surveys

import (
	"context"
	"errors"
	"fmt"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

// NewWaveID returns a random wave id: short enough to read out on the
// phone, and telling nothing about the wave.
func NewWaveID() string { return "w" + random.String(linkAlphabet, 9) }

// CreateWave stores a new draft wave after the checks that will decide
// whether it may open (Wave.Validate), so an advisor learns of every
// problem while filling in the form rather than on the day it should open.
// It fills in the id, the status and the default threshold, and returns
// the wave's open links.
func (s *Store) CreateWave(ctx context.Context, w *Wave) ([]Link, error) {
	return s.CreateWaveWith(ctx, w, nil)
}

// CreateWaveWith is CreateWave calling commit once the wave has passed its
// checks, just before it is stored.
func (s *Store) CreateWaveWith(ctx context.Context, w *Wave, commit Commit) ([]Link, error) {
	if w.ID == "" {
		w.ID = NewWaveID()
	}
	w.Status = WaveDraft
	if w.Threshold == 0 {
		w.Threshold = DefaultThreshold
	}
	in, err := s.Instrument(ctx, w.Instrument)
	if err != nil && !store.IsNotFound(err) {
		return nil, err
	}
	units, err := s.Units(ctx)
	if err != nil {
		return nil, err
	}
	if err := w.Validate(in, unitMap(units)); err != nil {
		var ps Problems
		if errors.As(err, &ps) {
			return nil, ps
		}
		return nil, fmt.Errorf("surveys: wave %s: %w", w.ID, err)
	}
	if err := commit.run(); err != nil {
		return nil, err
	}
	return s.InsertWave(ctx, w)
}
