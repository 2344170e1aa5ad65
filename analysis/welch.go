package analysis

import "math"

// Welch is the result of Welch's unequal-variances t-test of a against b.
type Welch struct {
	Diff, T, DF, P float64 // Diff = mean(a) − mean(b); P two-sided
	Significant    bool    // P < 0.05
}

// WelchTest returns false when either side has N < 2 or both variances are
// zero (a test is meaningless), otherwise the result. The samples must be
// independent: to compare a unit with its municipality, test the unit
// against muni.Without(unit), not against muni.
func WelchTest(a, b Moments) (Welch, bool) {
	if a.N < 2 || b.N < 2 {
		return Welch{}, false
	}
	// Each side's squared standard error; the Welch–Satterthwaite degrees
	// of freedom combine them. A side with zero variance contributes
	// nothing, and df falls to the other side's N−1.
	ea := a.Variance() / float64(a.N)
	eb := b.Variance() / float64(b.N)
	se2 := ea + eb
	if se2 == 0 {
		return Welch{}, false
	}
	w := Welch{Diff: a.Mean() - b.Mean()}
	w.T = w.Diff / math.Sqrt(se2)
	w.DF = se2 * se2 / (ea*ea/float64(a.N-1) + eb*eb/float64(b.N-1))
	w.P = 2 * studentTail(math.Abs(w.T), w.DF)
	w.Significant = w.P < 0.05
	return w, true
}
