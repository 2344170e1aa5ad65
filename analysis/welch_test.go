package analysis

import (
	"math"
	"testing"
)

// The first three pairs are the examples of the Wikipedia article "Welch's
// t-test" (also Rosetta Code's task, whose stated p-values are R's
// t.test(x, y)); t, df and p to 17 digits were computed from the raw data
// with mpmath at 50 digits.
var welchExamples = []struct {
	name      string
	a, b      []float64
	t, df, p  float64
	rPrinted  float64 // R's p as published
	signifies bool
}{
	{"wikipedia 1",
		[]float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4},
		[]float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4},
		-2.4553563982860051, 24.988529290231414, 0.021378001462867032, 0.021378001462867, true},
	{"wikipedia 2",
		[]float64{17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8},
		[]float64{21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8},
		-1.5654335235985052, 9.9047412486508289, 0.14884169660532799, 0.148841696605327, false},
	{"wikipedia 3",
		[]float64{19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0},
		[]float64{28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 24.0, 13.2},
		-2.2192409158236249, 24.496223124201239, 0.035972271029796718, 0.0359722710297968, true},
	{"rosetta 4",
		[]float64{30.02, 29.99, 30.11, 29.97, 30.01, 29.99},
		[]float64{29.89, 29.93, 29.72, 29.98, 30.02, 29.98},
		1.9590058081081015, 7.0305599598843143, 0.090773324285666888, 0.090773324285671, false},
	{"rosetta 5: df near 2",
		[]float64{3.0, 4.0, 1.0, 2.1},
		[]float64{490.2, 340.0, 433.9},
		-9.5594977219326583, 2.0008523488562839, 0.010751561149784497, 0.0107515611497845, true},
	{"rosetta 6: tiny values",
		[]float64{0.010268, 0.000167, 0.000167},
		[]float64{0.159258, 0.136278, 0.122389},
		-12.052326011301019, 2.3886264351267335, 0.0033990716271374535, 0.00339907162713746, true},
}

func TestWelchTestExamples(t *testing.T) {
	for _, tt := range welchExamples {
		t.Run(tt.name, func(t *testing.T) {
			w, ok := WelchTest(momentsOf(tt.a...), momentsOf(tt.b...))
			if !ok {
				t.Fatal("WelchTest refused")
			}
			// The running sums lose a few digits to cancellation in
			// Σx² − (Σx)²/n (most for rosetta 4, where values sit near 30
			// and differ by hundredths), hence 1e-9 rather than 1e-14.
			if math.Abs(w.T-tt.t) > 1e-9*math.Abs(tt.t) || math.Abs(w.DF-tt.df) > 1e-9*tt.df ||
				math.Abs(w.P-tt.p) > 1e-9*tt.p || math.Abs(w.P-tt.rPrinted) > 1e-9*tt.p {
				t.Errorf("t %.17g df %.17g p %.17g, want %.17g %.17g %.17g", w.T, w.DF, w.P, tt.t, tt.df, tt.p)
			}
			if w.Significant != tt.signifies {
				t.Errorf("Significant = %v at p %v", w.Significant, w.P)
			}
			if want := mean(tt.a) - mean(tt.b); math.Abs(w.Diff-want) > 1e-12*math.Abs(want) {
				t.Errorf("Diff = %v, want %v", w.Diff, want)
			}
		})
	}
}

// TestWelchTestDirect checks the test against the textbook formulas applied
// to the raw samples (two-pass mean and variance), for samples on the 1–6
// scale such as the tallies hold.
func TestWelchTestDirect(t *testing.T) {
	pairs := [][2][]float64{
		{{1, 2, 2, 3, 4, 4, 5, 6, 6, 6}, {3, 3, 4, 4, 4, 5}},
		{{6, 6, 5, 6}, {1, 2, 1, 3, 2, 2, 1, 2}},
		{{4, 4, 4, 4, 5}, {4, 4, 4, 4, 4, 4, 4, 4, 4, 3}},
	}
	for _, pair := range pairs {
		a, b := pair[0], pair[1]
		va, vb := variance(a), variance(b)
		ea, eb := va/float64(len(a)), vb/float64(len(b))
		wantT := (mean(a) - mean(b)) / math.Sqrt(ea+eb)
		wantDF := (ea + eb) * (ea + eb) / (ea*ea/float64(len(a)-1) + eb*eb/float64(len(b)-1))
		wantP := 2 * StudentTCDF(-math.Abs(wantT), wantDF)
		w, ok := WelchTest(momentsOf(a...), momentsOf(b...))
		if !ok || math.Abs(w.T-wantT) > 1e-12*math.Abs(wantT) || math.Abs(w.DF-wantDF) > 1e-12*wantDF ||
			math.Abs(w.P-wantP) > 1e-12 {
			t.Errorf("%v vs %v: %+v, want t %v df %v p %v", a, b, w, wantT, wantDF, wantP)
		}
		// Swapping the samples flips the sign and nothing else.
		if r, _ := WelchTest(momentsOf(b...), momentsOf(a...)); r.T != -w.T || r.Diff != -w.Diff || r.DF != w.DF || r.P != w.P {
			t.Errorf("swapped: %+v vs %+v", r, w)
		}
	}
}

func TestWelchTestRefuses(t *testing.T) {
	tests := []struct {
		name string
		a, b Moments
		ok   bool
	}{
		{"a has one answer", momentsOf(5), momentsOf(1, 2, 3), false},
		{"b is empty", momentsOf(1, 2, 3), Moments{}, false},
		{"both without spread", momentsOf(4, 4, 4), momentsOf(5, 5), false},
		// One side without spread is still a test: df falls to the other's N−1.
		{"one side without spread", momentsOf(4, 4, 4), momentsOf(3, 5, 4, 6), true},
	}
	for _, tt := range tests {
		w, ok := WelchTest(tt.a, tt.b)
		if ok != tt.ok {
			t.Errorf("%s: ok = %v, want %v", tt.name, ok, tt.ok)
		}
		if !ok && w != (Welch{}) {
			t.Errorf("%s: refused with %+v", tt.name, w)
		}
		if ok && tt.name == "one side without spread" && math.Abs(w.DF-3) > 1e-12 {
			t.Errorf("%s: df = %v, want 3", tt.name, w.DF)
		}
	}
}

// A unit compared with the rest of its municipality: Without must give the
// same test as the rest's own answers.
func TestWelchTestUnitAgainstRest(t *testing.T) {
	unit := []float64{2, 3, 2, 1, 3, 2, 4}
	rest := []float64{4, 5, 5, 6, 4, 3, 5, 6, 5, 4, 6, 5}
	municipality := momentsOf(append(append([]float64{}, unit...), rest...)...)
	got, ok1 := WelchTest(momentsOf(unit...), municipality.Without(momentsOf(unit...)))
	want, ok2 := WelchTest(momentsOf(unit...), momentsOf(rest...))
	if !ok1 || !ok2 || got != want {
		t.Errorf("unit vs municipality without it = %+v, want %+v", got, want)
	}
	if !got.Significant || got.Diff >= 0 {
		t.Errorf("a clearly lower unit: %+v", got)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func variance(xs []float64) float64 {
	m, ss := mean(xs), 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return ss / float64(len(xs)-1)
}
