package report

import (
	"cmp"
	"slices"
)

// Threshold is the smallest count of feedback or contact requests shown for
// one unit: the survey's default (surveys.DefaultThreshold).
const Threshold = 5

// Other is the key of the row that merges the units not shown, together
// with what was given for no unit in particular.
const Other = "\x00other"

// protectCounts decides which units of a breakdown may be shown beside its
// total, which the report always shows. counts holds every source of the
// total: each unit, and "" for what named no unit. The rest (total minus
// the units shown) can always be worked out by subtraction, so it is
// shown as one row too, and the rule is about that rest:
//
//   - a unit is shown only with k or more;
//   - the rest is 0, or at least k from at least two sources (a single
//     source would be read off by subtraction);
//   - if every source in the rest has fewer than k, the rest is at most
//     (k−1)·(c−1) for its c sources: otherwise someone who knows the rule
//     (each hidden unit has at most k−1) could prove that a given hidden
//     unit has at least one (with c = 2 and a rest of 8, each has 4).
//
// While the rule fails, the smallest unit shown is hidden too (and then
// the rest holds a source of k or more, whose size nobody can bound from
// above). It returns the units shown, largest first, and the rest; with
// nothing shown, no breakdown can be given.
func protectCounts(counts map[string]int, k int) (shown []string, rest int) {
	for key, n := range counts {
		if key != "" && n >= k {
			shown = append(shown, key)
		}
	}
	slices.SortFunc(shown, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b)) })
	for {
		rest = 0
		sources, secondary := 0, false
		for key, n := range counts {
			if slices.Contains(shown, key) || n == 0 {
				continue
			}
			rest += n
			sources++
			secondary = secondary || n >= k
		}
		if rest == 0 || (rest >= k && sources >= 2 && (secondary || rest <= (k-1)*(sources-1))) {
			return shown, rest
		}
		if len(shown) == 0 {
			return nil, rest
		}
		shown = shown[:len(shown)-1]
	}
}
