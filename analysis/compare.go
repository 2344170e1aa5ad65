package analysis

import "math"

// CompareItems tests a measure of one wave against the same measure of
// another (e.g. an action's finding before and after), from the sums behind
// the two shown items. It returns false when either item is hidden or a
// test is meaningless (N < 2, no variance): the caller then shows the two
// values without a significance marker, or nothing at all when hidden.
func CompareItems(later, earlier *Item) (Welch, bool) {
	if later == nil || earlier == nil || later.Hidden || earlier.Hidden {
		return Welch{}, false
	}
	return WelchTest(itemMoments(later), itemMoments(earlier))
}

// Direction reads a difference in index points as readers see it: "up",
// "down", or "same" when it rounds to no whole point. Pages, the yearly
// report and its PDF all word a change from it, so they agree.
func Direction(diff float64) string {
	switch {
	case diff >= 0.5:
		return "up"
	case diff <= -0.5:
		return "down"
	}
	return "same"
}

// MeaningfulChange is the smallest difference, in index points, that the
// pages call clear ("tydelig", "klart bedre"): a change since the previous
// wave, or a unit against the rest. Significance alone says a difference is
// unlikely to be chance, not that it matters: with a few hundred answers a
// change of 3 points can be significant, and marking every such change put
// "Signifikant" on almost every row of the dashboard (issue 19). Five
// points is a quarter of one step of the 1–6 scale (a step is 20 points):
// about one relative in four answering one step better or worse.
// docs/STATISTICS.md explains it to readers.
const MeaningfulChange = 5

// Clear reports whether a difference of diff index points (between the two
// whole numbers shown) is both statistically significant and at least
// MeaningfulChange: the only differences the pages mark.
func Clear(diff float64, significant bool) bool {
	return significant && math.Abs(diff) >= MeaningfulChange
}
