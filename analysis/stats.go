package analysis

import "math"

// The main scale: 1 ("Svært misfornøyd") to 6 ("Svært fornøyd").
const (
	ScaleMin = 1
	ScaleMax = 6
)

// varianceTolerance is the share of Σx² below which Σ(x−mean)² is taken as
// rounding noise. Running sums of non-integers (per-respondent focus-area
// means, or a value removed long after it was added) leave residues of a few
// ulps of Σx² where every value was equal; a real spread of values on a 1–6
// or 0–100 scale is many orders of magnitude above this, even for a million
// answers. Integer answers sum exactly and never come near it.
const varianceTolerance = 1e-12

// Moments are the running sums a tally keeps for one numeric variable.
// The zero value is an empty sample. Add, Remove and Merge are exact for
// integer values (float64 sums of small integers are exact up to 2⁵³).
type Moments struct {
	N     int64   `bson:"n" json:"n"`
	Sum   float64 `bson:"sum" json:"sum"`
	SumSq float64 `bson:"sumsq" json:"sumsq"`
}

// Add counts one value.
func (m *Moments) Add(x float64) {
	m.N++
	m.Sum += x
	m.SumSq += x * x
}

// Remove takes back one value that was added before (a withdrawn answer).
func (m *Moments) Remove(x float64) {
	m.N--
	m.Sum -= x
	m.SumSq -= x * x
	m.settle()
}

// Merge adds another sample to m (units into a municipality, waves into a
// period).
func (m *Moments) Merge(o Moments) {
	m.N += o.N
	m.Sum += o.Sum
	m.SumSq += o.SumSq
}

// Without returns m with part removed (municipality minus one unit), for
// comparing a unit against the rest. part must be contained in m.
func (m Moments) Without(part Moments) Moments {
	r := Moments{N: m.N - part.N, Sum: m.Sum - part.Sum, SumSq: m.SumSq - part.SumSq}
	r.settle()
	return r
}

// settle clears the rounding residue that subtraction leaves in the sums of
// an emptied sample, so an empty sample is always the zero value.
func (m *Moments) settle() {
	if m.N == 0 {
		m.Sum, m.SumSq = 0, 0
	}
}

// Mean is the sample mean, NaN when N == 0.
func (m Moments) Mean() float64 {
	if m.N < 1 {
		return math.NaN()
	}
	return m.Sum / float64(m.N)
}

// Variance is the sample variance (divisor N−1), NaN when N < 2. It is never
// negative: a sum of squared deviations within rounding of zero is zero.
func (m Moments) Variance() float64 {
	if m.N < 2 {
		return math.NaN()
	}
	n := float64(m.N)
	ss := m.SumSq - m.Sum*(m.Sum/n) // Σ(x−mean)²
	if ss <= m.SumSq*varianceTolerance {
		return 0
	}
	return ss / (n - 1)
}

// SD is the sample standard deviation, NaN when N < 2.
func (m Moments) SD() float64 { return math.Sqrt(m.Variance()) }

// SE is the standard error of the mean, NaN when N < 2.
func (m Moments) SE() float64 { return m.SD() / math.Sqrt(float64(m.N)) }

// CI95 is the 95% confidence interval of the mean, mean ± t(0.975, N−1)·SE;
// NaN, NaN when N < 2. The bounds are not clamped to the scale: with few
// answers they can pass its ends, and a view clamps them for display.
func (m Moments) CI95() (lo, hi float64) {
	if m.N < 2 {
		return math.NaN(), math.NaN()
	}
	mean := m.Mean()
	half := StudentTQuantile(0.975, float64(m.N-1)) * m.SE()
	return mean - half, mean + half
}

// Index maps a 1–6 mean to 0–100: (mean−1)/5·100. NaN stays NaN.
func Index(mean float64) float64 {
	return (mean - ScaleMin) / (ScaleMax - ScaleMin) * 100
}

// Interval is an estimate with its 95% interval, on the scale it is reported
// on. Mean is NaN when N == 0, Lo and Hi are NaN when N < 2.
type Interval struct {
	N            int64
	Mean, Lo, Hi float64
}

// Interval returns the mean and its 95% interval on the 1–6 scale.
func (m Moments) Interval() Interval {
	lo, hi := m.CI95()
	return Interval{N: m.N, Mean: m.Mean(), Lo: lo, Hi: hi}
}

// OnScale clamps the interval's bounds to the answer scale 1–6: the mean
// of answers on the scale cannot lie outside it, and a t interval from few
// answers can (docs/STATISTICS.md). NaN stays NaN.
func (iv Interval) OnScale() Interval {
	if !math.IsNaN(iv.Lo) {
		iv.Lo = math.Max(ScaleMin, iv.Lo)
	}
	if !math.IsNaN(iv.Hi) {
		iv.Hi = math.Min(ScaleMax, iv.Hi)
	}
	return iv
}

// AsIndex maps Mean, Lo and Hi through Index (the map is increasing, so the
// bounds keep their order).
func (iv Interval) AsIndex() Interval {
	return Interval{N: iv.N, Mean: Index(iv.Mean), Lo: Index(iv.Lo), Hi: Index(iv.Hi)}
}
