package analysis

import (
	"slices"

	"github.com/stemme/stemme/surveys"
)

// PreviousWave is the latest of waves opened before w that covered at
// least one of its units, or nil. The results service passes only the
// waves whose results the reader may read.
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
