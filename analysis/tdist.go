package analysis

import "math"

// Student's t distribution, written out here rather than taken from a
// dependency: the CDF through the regularized incomplete beta function
// (continued fraction, modified Lentz), the quantile by a safeguarded Newton
// iteration inside a bracket. Both accept fractional degrees of freedom, as
// Welch's test produces.

// normalDF is the number of degrees of freedom above which the t distribution
// is replaced by the standard normal. The difference is below
// 0.16/df (the first term of its expansion in 1/df), under 2e-11 here, while
// the continued fraction would need about √df iterations.
const normalDF = 1e10

// StudentTCDF is P(T ≤ t) for Student's t distribution with df degrees of
// freedom (df > 0, may be fractional). It is NaN for NaN arguments or df ≤ 0.
func StudentTCDF(t, df float64) float64 {
	if math.IsNaN(t) || math.IsNaN(df) || df <= 0 {
		return math.NaN()
	}
	if t < 0 {
		return studentTail(-t, df)
	}
	return 1 - studentTail(t, df)
}

// StudentTQuantile is the t with StudentTCDF(t, df) = p: ±Inf for p = 0 or 1,
// NaN for p outside [0, 1], NaN arguments or df ≤ 0.
func StudentTQuantile(p, df float64) float64 {
	switch {
	case math.IsNaN(p) || math.IsNaN(df) || df <= 0 || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p == 0.5:
		return 0
	case p < 0.5:
		return -studentTailInverse(p, df)
	}
	// 1−p is exact for p in [0.5, 1] (Sterbenz), so the upper tail keeps
	// every digit p has.
	return studentTailInverse(1-p, df)
}

// studentTail is P(T > t) for t ≥ 0, accurate relative to its own size so
// that far tails keep their digits. With x = df/(df+t²) and y = 1−x,
// P(T > t) = ½·I_x(df/2, ½) = ½·(1 − I_y(½, df/2)).
//
// Which form to evaluate is a matter of rounding, not of convergence alone.
// The continued fraction for I_x(df/2, ½) has a value of about 1/y and
// loses that many ulps to cancellation (for df = 10⁶ and t = 1.96, five
// digits). 1 − I_y(½, df/2) has an absolute error of a few ulps while
// df/2·y (about t²/2) is small, but its fraction turns unstable beyond that
// (for df = 10⁶ it keeps six digits at t = 4.75 and none at t = 6). So the
// first form is used where df/2·y is large or the tail is smaller than y,
// the second elsewhere.
func studentTail(t, df float64) float64 {
	switch {
	case t == 0:
		return 0.5
	case math.IsInf(t, 1):
		return 0
	case df > normalDF:
		return 0.5 * math.Erfc(t/math.Sqrt2)
	}
	// x, y and their logarithms are formed without subtracting from 1 and
	// without squaring a huge t: for t far beyond √df, x underflows while
	// log x is still an ordinary number.
	var x, y, lx, ly float64
	if r := math.Sqrt(df) / t; r < 1 {
		r2 := r * r
		x, y = r2/(1+r2), 1/(1+r2)
		lx, ly = 2*math.Log(r)-math.Log1p(r2), -math.Log1p(r2)
	} else {
		s := 1 / (r * r) // t²/df ≤ 1
		x, y = 1/(1+s), s/(1+s)
		lx, ly = -math.Log1p(s), math.Log(s)-math.Log1p(s)
	}
	a := df / 2
	if a*y <= 6 {
		tail := 0.5 - 0.5*incBeta(0.5, a, y, ly, lx)
		// Above x = (a+1)/(a+b+2) the first form converges slowly
		// (Numerical Recipes §6.4); there a·y < ½ and the tail is near ½.
		if tail >= y || x >= (a+1)/(a+1.5) {
			return tail
		}
	}
	return 0.5 * incBeta(a, 0.5, x, lx, ly)
}

// studentLogPDF is the log of the density of the t distribution at t, which
// stays finite far beyond where the density underflows.
func studentLogPDF(t, df float64) float64 {
	if df > normalDF {
		return -t*t/2 - 0.5*math.Log(2*math.Pi)
	}
	// log(1 + t²/df), without overflow for huge t.
	var l float64
	if t2 := t * t; t2 <= df {
		l = math.Log1p(t2 / df)
	} else {
		l = 2*math.Log(math.Abs(t)/math.Sqrt(df)) + math.Log1p(df/t2)
	}
	return -logBeta(df/2, 0.5) - 0.5*math.Log(df) - (df+1)/2*l
}

// studentTailInverse returns t > 0 with studentTail(t, df) = q, 0 < q < ½.
//
// The root is first bracketed by growing an upper bound, then refined by
// Newton's method on log tail as a function of log t, which is nearly
// linear in the heavy tails of small df (tail ∝ t^−df there). A step leaving
// the bracket is replaced by bisection, geometric while the bracket spans
// more than a factor 4, so that huge quantiles of df ≈ 1 take few steps.
func studentTailInverse(q, df float64) float64 {
	if studentTail(math.MaxFloat64, df) > q {
		return math.Inf(1) // beyond float64, as for df < 1 and tiny q
	}
	lo, hi := 0.0, 1.0
	for studentTail(hi, df) > q {
		lo = hi
		switch {
		case hi < 2:
			hi = 2
		case hi < 1e154:
			hi *= hi
		default:
			hi = math.MaxFloat64
		}
	}
	t := bisect(lo, hi)
	for range 400 {
		tail := studentTail(t, df)
		if tail == q {
			return t
		}
		if tail > q {
			lo = t
		} else {
			hi = t
		}
		next := math.NaN()
		if tail > 0 {
			// Newton's step for log tail as a function of log t, which
			// falls at the rate t·pdf/tail.
			rate := math.Exp(math.Log(t) + studentLogPDF(t, df) - math.Log(tail))
			next = t * math.Exp(math.Log(tail/q)/rate)
		}
		// Converged: the step is below the noise of the tail itself. This
		// comes before the bracket test, since the last step may land on a
		// bound set by that noise.
		if math.Abs(next-t) <= 1e-13*t {
			return next
		}
		if !(next > lo && next < hi) {
			next = bisect(lo, hi)
		}
		if hi-lo <= 1e-15*hi {
			return next
		}
		t = next
	}
	return t
}

// bisect is the midpoint of a bracket of positive numbers: geometric when the
// bracket is wide, so it closes in on far quantiles in few steps.
func bisect(lo, hi float64) float64 {
	if lo > 0 && hi > 4*lo {
		return math.Sqrt(lo) * math.Sqrt(hi)
	}
	return lo + (hi-lo)/2
}

// incBeta is the regularized incomplete beta function I_x(a, b) evaluated by
// its continued fraction, which suits x below about (a+1)/(a+b+2). The
// caller passes lx = log x and ly = log(1−x), each formed where it has all
// its digits.
func incBeta(a, b, x, lx, ly float64) float64 {
	front := math.Exp(a*lx + b*ly - logBeta(a, b))
	return front * betaContinuedFraction(a, b, x) / a
}

// betaContinuedFraction evaluates the continued fraction of I_x(a, b)
// (Numerical Recipes §6.4) by the modified Lentz method. It needs about
// √max(a, b) terms, so the limit grows with the parameters.
func betaContinuedFraction(a, b, x float64) float64 {
	const tiny = 1e-300
	const eps = 4e-16
	clamp := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c, d := 1.0, 1/clamp(1-(a+b)*x/(a+1))
	h := d
	limit := 1000 + int(10*math.Sqrt(math.Max(a, b)))
	for m := 1; m <= limit; m++ {
		fm := float64(m)
		// Even step.
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d = 1 / clamp(1+num*d)
		c = clamp(1 + num/c)
		h *= d * c
		// Odd step.
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d = 1 / clamp(1+num*d)
		c = clamp(1 + num/c)
		step := d * c
		h *= step
		if math.Abs(step-1) < eps {
			break
		}
	}
	return h
}

// logBeta is log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a+b). For a large
// argument the two big lgamma terms nearly cancel (for df = 10⁶ each is about
// 6·10⁶, losing nine digits), so their difference is taken from Stirling's
// series instead, where it is formed without cancellation.
func logBeta(a, b float64) float64 {
	small, big := math.Min(a, b), math.Max(a, b)
	ls, _ := math.Lgamma(small)
	if big < 10 {
		lb, _ := math.Lgamma(big)
		lab, _ := math.Lgamma(a + b)
		return ls + lb - lab
	}
	// lgamma(big+small) − lgamma(big)
	//   = (big−½)·log(1+small/big) + small·log(big+small) − small + ω(big+small) − ω(big)
	diff := (big-0.5)*math.Log1p(small/big) + small*math.Log(big+small) - small +
		stirlingTail(big+small) - stirlingTail(big)
	return ls - diff
}

// stirlingTail is ω(z) = lgamma(z) − ((z−½)·log z − z + ½·log 2π), from its
// asymptotic series; for z ≥ 10 the first omitted term is below 4e-17.
func stirlingTail(z float64) float64 {
	z2 := z * z
	// Coefficients B₂ₖ / (2k(2k−1)), k = 1…7, by Horner in 1/z².
	s := 1.0 / 156
	s = s/z2 - 691.0/360360
	s = s/z2 + 1.0/1188
	s = s/z2 - 1.0/1680
	s = s/z2 + 1.0/1260
	s = s/z2 - 1.0/360
	s = s/z2 + 1.0/12
	return s / z
}
