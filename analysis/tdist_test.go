package analysis

import (
	"math"
	"testing"
)

// The reference values below were computed with mpmath 1.3 at 50 digits:
// the CDF from the regularized incomplete beta function (betainc), each
// quantile by findroot on that CDF.

func TestStudentTQuantileTable(t *testing.T) {
	tests := []struct{ p, df, want, tol float64 }{
		// Printed t tables (two-sided 95%).
		{0.975, 1, 12.7062047, 1e-7},
		{0.975, 2, 4.30265273, 1e-8},
		{0.975, 10, 2.22813885, 1e-8},
		{0.975, 30, 2.04227246, 1e-8},
		{0.975, 1e12, 1.95996398, 1e-8},
		{0.975, math.Inf(1), 1.959963984540054, 1e-12},
		// mpmath, to more digits than the tables, and fractional df.
		{0.975, 1, 12.7062047361747046, 1e-11},
		{0.975, 2, 4.30265272974946385, 1e-12},
		{0.975, 10, 2.22813885198627475, 1e-12},
		{0.975, 30, 2.04227245630123831, 1e-12},
		{0.975, 1e6, 1.95996635681410704, 1e-12},
		{0.975, 2.5, 3.57465484200368322, 1e-12},
		{0.995, 4.7, 4.16789204011905816, 1e-12},
		{0.9, 77.7, 1.29254223574694242, 1e-12},
		{0.000001, 3, -103.299467780419343, 1e-9},
		{0.6, 1.5, 0.300745392569795423, 1e-12},
		{0.99999, 12345.6, 4.26654863744699742, 1e-11},
		{0.025, 200.25, -1.9718812381729671, 1e-12},
	}
	for _, tt := range tests {
		if got := StudentTQuantile(tt.p, tt.df); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("StudentTQuantile(%v, %v) = %.15g, want %.15g", tt.p, tt.df, got, tt.want)
		}
	}
}

func TestStudentTCDFReference(t *testing.T) {
	tests := []struct{ t, df, want float64 }{
		{-40, 1, 0.0079560899120258133183},
		{0.3, 1, 0.59277357907774234356},
		{12.7, 1, 0.97498783615532792137},
		{-3, 1.5, 0.066773877127456632694},
		{2, 1.5, 0.88790583482197446684},
		{-1.96, 2, 0.094528654800866132275},
		{4.3, 2, 0.97497142294145420578},
		{-7.5, 2.5, 0.0044760282874660809742},
		{1, 2.5, 0.79796948636086326682},
		{-0.5, 3, 0.32572398242407549722},
		{5, 3, 0.99230378096334884951},
		{-2.5, 4.7, 0.028796079673433649427},
		{0.001, 4.7, 0.50037842087817793645},
		{-3, 10, 0.0066718275112847886034},
		{2.228, 10, 0.97499411409144430873},
		{-1.96, 30, 0.029671156448025235986},
		{-100, 30, 9.9230589836351243042e-40},
		{-40, 77.7, 6.7149228755533333801e-54},
		{2, 77.7, 0.97550257104772300269},
		{-2.5, 100, 0.0070228945620385887038},
		{0.3, 100, 0.6176000598498482603},
		{-40, 1000, 5.2394260775866804698e-210},
		{1.96, 1000, 0.97486340752212564286},
		{-5, 12345.6, 2.9058697161696778387e-7},
		{1, 12345.6, 0.84133494638993216969},
		{-3, 100000, 0.001350230442032359595},
		{2, 100000, 0.97724851827124676838},
		{-1.96, 1000000, 0.024998033792634893267},
		{0.5, 1000000, 0.69146240626381430611},
		{2.5, 1000000, 0.9937902552489183769},
		{-7.5, 1000000, 3.1935057368574253029e-14},
		// Around the switch between the two forms of the incomplete beta
		// function (see studentTail).
		{-2.5, 300, 0.0064765546021595884544},
		{-3.5, 300, 0.00026792593240703935786},
		{-3.2, 30000, 0.00068785274345957596679},
		{-4.2, 30000, 0.000013384244171063541357},
		{-3.5, 1e6, 0.00023263919684051748741},
		{-3.8, 1e6, 0.000072352326289276884682},
		{-4.75, 1e6, 1.0172239781997394353e-6},
		{-6, 1e6, 9.8692490617721733495e-10},
		{-8, 1e6, 6.2275317166012598048e-16},
	}
	for _, tt := range tests {
		got := StudentTCDF(tt.t, tt.df)
		// Absolute error as required, and relative error in the smaller
		// tail, which p-values and far quantiles depend on.
		tail, gotTail := min(tt.want, 1-tt.want), min(got, 1-got)
		if math.Abs(got-tt.want) > 1e-14 || math.Abs(gotTail-tail) > 1e-10*tail {
			t.Errorf("StudentTCDF(%v, %v) = %.17g, want %.17g", tt.t, tt.df, got, tt.want)
		}
	}
}

// cdfSeries is the CDF for integer df from the finite series of Abramowitz
// and Stegun 26.7.3 and 26.7.4, independent of the incomplete beta function.
func cdfSeries(t float64, df int) float64 {
	theta := math.Atan(math.Abs(t) / math.Sqrt(float64(df)))
	s, c := math.Sincos(theta)
	var a float64 // P(|T| < |t|)
	if df%2 == 1 {
		// (2/π)(θ + sinθ(cosθ + (2/3)cos³θ + … + (2·4…(df−3))/(1·3…(df−2)) cos^(df−2)θ))
		sum, term := 0.0, c
		for j := 1; 2*j-1 <= df-2; j++ {
			sum += term
			term *= c * c * float64(2*j) / float64(2*j+1)
		}
		a = 2 / math.Pi * (theta + s*sum)
	} else {
		// sinθ(1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3…(df−3))/(2·4…(df−2)) cos^(df−2)θ)
		sum, term := 0.0, 1.0
		for j := 0; 2*j <= df-2; j++ {
			sum += term
			term *= c * c * float64(2*j+1) / float64(2*j+2)
		}
		a = s * sum
	}
	if t < 0 {
		return (1 - a) / 2
	}
	return (1 + a) / 2
}

func TestStudentTCDFAgainstSeries(t *testing.T) {
	for _, df := range []int{1, 2, 3, 4, 5, 7, 10, 29, 30, 100, 999, 1000, 99999, 1000000} {
		for _, x := range []float64{-30, -4.2, -1.96, -1, -0.2, 0, 0.05, 0.7, 1.64, 2.5, 6, 50} {
			got, want := StudentTCDF(x, float64(df)), cdfSeries(x, df)
			// The series sums up to df/2 terms, so its own rounding grows
			// with df; the requirement is 1e-9.
			if math.Abs(got-want) > 1e-12*math.Max(1, float64(df)/1000) {
				t.Errorf("StudentTCDF(%v, %d) = %.17g, series %.17g", x, df, got, want)
			}
		}
	}
}

func TestStudentTCDFFractionalDF(t *testing.T) {
	// The tails get lighter as df grows, so the lower tail at a fixed t < 0
	// must fall strictly with df, fractional df between their integer
	// neighbours, in fine steps too, and end at the normal distribution.
	for _, x := range []float64{-0.1, -1, -2.5, -10} {
		prev := 1.0
		for df := 0.25; df < 2e6; df *= 1.07 {
			got := StudentTCDF(x, df)
			if !(got < prev) || got <= 0 {
				t.Fatalf("StudentTCDF(%v, %v) = %.17g after %.17g: not falling with df", x, df, got, prev)
			}
			prev = got
		}
		// They differ by less than 0.16/df (the first term in 1/df).
		if normal := 0.5 * math.Erfc(-x/math.Sqrt2); math.Abs(prev-normal) > 1e-7 {
			t.Errorf("StudentTCDF(%v, ~2e6) = %v, far from the normal %v", x, prev, normal)
		}
	}
}

func TestStudentTSymmetryAndRoundTrip(t *testing.T) {
	dfs := []float64{0.3, 1, 1.5, 2, 3.7, 10, 100, 12345.6, 1e6, 1e9, 1e12}
	ps := []float64{1e-300, 1e-12, 1e-6, 0.01, 0.025, 0.3, 0.4999999, 0.5, 0.7, 0.975, 1 - 1e-9, 1 - 1e-15}
	for _, df := range dfs {
		for _, x := range []float64{0.01, 1, 2.2, 7, 300} {
			if lo, hi := StudentTCDF(-x, df), StudentTCDF(x, df); math.Abs(lo+hi-1) > 1e-15 {
				t.Errorf("df %v: CDF(−%v) + CDF(%v) = %v", df, x, x, lo+hi)
			}
		}
		for _, p := range ps {
			q := StudentTQuantile(p, df)
			if p == 0.5 {
				if q != 0 {
					t.Errorf("StudentTQuantile(0.5, %v) = %v", df, q)
				}
				continue
			}
			if math.IsInf(q, 0) {
				if df >= 1 {
					t.Errorf("StudentTQuantile(%v, %v) = %v", p, df, q)
				}
				continue // df = 0.3, p = 1e-300: the quantile is beyond float64
			}
			// 1−(1−p) is exact where 1−p ≥ ½; compare there.
			if p < 0.5 {
				if mirror := StudentTQuantile(1-(1-p), df); p > 1e-15 && mirror != -StudentTQuantile(1-p, df) {
					t.Errorf("df %v: Quantile(%v) = %v, Quantile(1−%v) = %v", df, 1-(1-p), mirror, p, StudentTQuantile(1-p, df))
				}
			}
			// The tail at the quantile gives back the tail probability,
			// relative to its size.
			tail, want := studentTail(math.Abs(q), df), min(p, 1-p)
			if math.Abs(tail-want) > 1e-10*want {
				t.Errorf("df %v p %v: quantile %v has tail %v, want %v", df, p, q, tail, want)
			}
		}
	}
}

func TestStudentTEdgeCases(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cdf := []struct{ t, df, want float64 }{
		{nan, 3, nan}, {1, nan, nan}, {1, 0, nan}, {1, -2, nan},
		{inf, 3, 1}, {-inf, 3, 0}, {0, 3, 0.5}, {0, 1e15, 0.5},
		{1.959963984540054, inf, 0.975}, {-1e300, 1, 3.183098861837907e-301},
	}
	for _, tt := range cdf {
		if got := StudentTCDF(tt.t, tt.df); !near(got, tt.want, 1e-15*math.Max(tt.want, 1e-300)) && !near(got, tt.want, 1e-15) {
			t.Errorf("StudentTCDF(%v, %v) = %v, want %v", tt.t, tt.df, got, tt.want)
		}
	}
	quantile := []struct{ p, df, want float64 }{
		{nan, 3, nan}, {0.5, nan, nan}, {0.5, 0, nan}, {-0.1, 3, nan}, {1.1, 3, nan},
		{0, 3, -inf}, {1, 3, inf}, {0.5, 3, 0}, {1e-300, 0.3, -inf},
	}
	for _, tt := range quantile {
		if got := StudentTQuantile(tt.p, tt.df); got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("StudentTQuantile(%v, %v) = %v, want %v", tt.p, tt.df, got, tt.want)
		}
	}
}

func BenchmarkCI95(b *testing.B) {
	m := momentsOf(1, 2, 2, 3, 4, 4, 4, 5, 5, 6, 6, 6)
	for i := 0; b.Loop(); i++ {
		m.Add(float64(i%6 + 1))
		_, _ = m.CI95()
	}
}
