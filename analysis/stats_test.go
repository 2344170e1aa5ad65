package analysis

import (
	"math"
	"testing"
)

func momentsOf(xs ...float64) Moments {
	var m Moments
	for _, x := range xs {
		m.Add(x)
	}
	return m
}

// near reports whether got is want within tol, treating two NaNs as equal.
func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol
}

func TestMoments(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name               string
		xs                 []float64
		mean, variance, se float64
		lo, hi             float64
		sum, sumSq         float64
	}{
		// Σx = 15, Σx² = 61, mean = 15/4 = 3.75,
		// Σ(x−mean)² = 61 − 15²/4 = 4.75, variance = 4.75/3 = 1.583333…,
		// SE = √(1.583333/4) = 0.629152870, t(0.975, 3) = 3.182446305,
		// CI = 3.75 ∓ 2.002245225 = [1.747754775, 5.752245225].
		{"small sample", []float64{2, 4, 4, 5}, 3.75, 19.0 / 12, 0.629152869606, 1.74775477466, 5.75224522534, 15, 61},
		// Σx = 7, Σx² = 37, mean 3.5, Σ(x−mean)² = 37 − 49/2 = 12.5 = variance,
		// SE = √(12.5/2) = 2.5, t(0.975, 1) = 12.706204736,
		// CI = 3.5 ∓ 31.76551184 = [−28.26551184, 35.26551184]: not clamped.
		{"two answers", []float64{1, 6}, 3.5, 12.5, 2.5, -28.2655118404, 35.2655118404, 7, 37},
		// mean 5.333333, Σx² = 174, Σ(x−mean)² = 174 − 32²/6 = 3.333333, variance 0.666667,
		// SE = √(0.666667/6) = 1/3, t(0.975, 5) = 2.570581836,
		// CI = 5.333333 ∓ 0.856860612 = [4.476472721, 6.190193945].
		{"skewed", []float64{4, 5, 5, 6, 6, 6}, 16.0 / 3, 2.0 / 3, 1.0 / 3, 4.47647272145, 6.19019394521, 32, 174},
		{"all equal", []float64{3, 3, 3}, 3, 0, 0, 3, 3, 9, 27},
		{"one answer", []float64{5}, 5, nan, nan, nan, nan, 5, 25},
		{"empty", nil, nan, nan, nan, nan, nan, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := momentsOf(tt.xs...)
			if m.N != int64(len(tt.xs)) || m.Sum != tt.sum || m.SumSq != tt.sumSq {
				t.Fatalf("sums = %+v, want N %d Σ %v Σ² %v", m, len(tt.xs), tt.sum, tt.sumSq)
			}
			if !near(m.Mean(), tt.mean, 1e-12) || !near(m.Variance(), tt.variance, 1e-12) || !near(m.SE(), tt.se, 1e-11) {
				t.Errorf("mean %v variance %v SE %v, want %v %v %v", m.Mean(), m.Variance(), m.SE(), tt.mean, tt.variance, tt.se)
			}
			if !near(m.SD(), math.Sqrt(tt.variance), 1e-12) {
				t.Errorf("SD = %v, want √%v", m.SD(), tt.variance)
			}
			lo, hi := m.CI95()
			if !near(lo, tt.lo, 1e-9) || !near(hi, tt.hi, 1e-9) {
				t.Errorf("CI95 = [%v, %v], want [%v, %v]", lo, hi, tt.lo, tt.hi)
			}
			iv := m.Interval()
			if iv.N != m.N || !near(iv.Mean, tt.mean, 1e-12) || !near(iv.Lo, tt.lo, 1e-9) || !near(iv.Hi, tt.hi, 1e-9) {
				t.Errorf("Interval = %+v", iv)
			}
			ix := iv.AsIndex()
			if ix.N != m.N || !near(ix.Mean, Index(tt.mean), 1e-10) || !near(ix.Lo, Index(tt.lo), 1e-7) || !near(ix.Hi, Index(tt.hi), 1e-7) {
				t.Errorf("AsIndex = %+v", ix)
			}
		})
	}
}

// Per-respondent focus-area means are not integers; equal ones must still
// give a variance of exactly zero, or WelchTest would see a spread that is
// only rounding.
func TestVarianceRoundingIsZero(t *testing.T) {
	for _, x := range []float64{10.0 / 3, 4.2, 5.0 / 7, 83.33333333333333} {
		var m Moments
		for range 1000 {
			m.Add(x)
		}
		if v := m.Variance(); v != 0 {
			t.Errorf("variance of 1000 × %v = %g, want 0", x, v)
		}
	}
	// A real spread far smaller than any on a 1–6 scale survives.
	m := momentsOf(3, 3, 3, 3.001)
	if v := m.Variance(); !near(v, 0.00000025, 1e-12) {
		t.Errorf("variance = %g, want 2.5e-7", v) // Σ(x−mean)² = 0.001²·3/4, / 3
	}
}

func TestIndex(t *testing.T) {
	tests := []struct{ mean, want float64 }{
		{1, 0}, {6, 100}, {3.5, 50}, {4.2, 64}, // (4.2−1)/5·100 = 64
		{5.333333333333333, 86.66666666666666}, {math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		if got := Index(tt.mean); !near(got, tt.want, 1e-12) {
			t.Errorf("Index(%v) = %v, want %v", tt.mean, got, tt.want)
		}
	}
}

func TestRemoveUndoesAdd(t *testing.T) {
	tests := []struct {
		name      string
		keep, out []float64
	}{
		{"integers", []float64{1, 6, 3, 3, 5}, []float64{2, 6}},
		{"focus-area means", []float64{10.0 / 3, 4.25, 5.8}, []float64{2.0 / 3, 4.25}},
		{"everything", nil, []float64{4.2, 10.0 / 3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := momentsOf(append(append([]float64{}, tt.keep...), tt.out...)...)
			for _, x := range tt.out {
				m.Remove(x)
			}
			want := momentsOf(tt.keep...)
			if m.N != want.N || !near(m.Sum, want.Sum, 1e-12) || !near(m.SumSq, want.SumSq, 1e-12) {
				t.Errorf("after Remove %+v, want %+v", m, want)
			}
			if len(tt.keep) == 0 && m != (Moments{}) {
				t.Errorf("emptied sample = %+v, want the zero value", m)
			}
		})
	}
}

func TestMergeAndWithout(t *testing.T) {
	unitA := []float64{5, 6, 6, 4}
	unitB := []float64{2, 3, 3, 1, 6}
	municipality := momentsOf(append(append([]float64{}, unitA...), unitB...)...)

	merged := momentsOf(unitA...)
	merged.Merge(momentsOf(unitB...))
	// Σ = 21 + 15 = 36, Σ² = 113 + 59 = 172, N = 9.
	if merged != municipality || merged != (Moments{N: 9, Sum: 36, SumSq: 172}) {
		t.Errorf("Merge = %+v, want %+v", merged, municipality)
	}

	rest := municipality.Without(momentsOf(unitA...))
	if rest != momentsOf(unitB...) {
		t.Errorf("Without = %+v, want %+v", rest, momentsOf(unitB...))
	}
	if got := municipality.Without(municipality); got != (Moments{}) {
		t.Errorf("Without(itself) = %+v, want the zero value", got)
	}
	// The zero value is the identity of Merge.
	var empty Moments
	empty.Merge(municipality)
	if empty != municipality {
		t.Errorf("zero.Merge = %+v", empty)
	}
}
