package analysis

import (
	"math"
	"testing"
)

// TestClear: a difference is marked only when it is significant and at
// least MeaningfulChange index points either way.
func TestClear(t *testing.T) {
	for _, tt := range []struct {
		diff        float64
		significant bool
		want        bool
	}{
		{0, true, false},
		{2, true, false},
		{4, true, false},
		{-4, true, false},
		{MeaningfulChange, true, true},
		{-MeaningfulChange, true, true},
		{12, true, true},
		{-30, true, true},
		{12, false, false},
		{-30, false, false},
		{math.NaN(), true, false},
	} {
		if got := Clear(tt.diff, tt.significant); got != tt.want {
			t.Errorf("Clear(%v, %v) = %v, want %v", tt.diff, tt.significant, got, tt.want)
		}
	}
}
