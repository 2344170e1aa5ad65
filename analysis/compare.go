package analysis

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
