package analysis

// Threshold is the smallest group size shown; DefaultThreshold 5, MinThreshold 3.
const DefaultThreshold, MinThreshold = 5, 3

// ClampThreshold returns the threshold to use for a configured k: 0 (not
// configured) gives DefaultThreshold, anything below MinThreshold gives
// MinThreshold.
func ClampThreshold(k int) int {
	switch {
	case k == 0:
		return DefaultThreshold
	case k < MinThreshold:
		return MinThreshold
	}
	return k
}

// hideInLine decides which parts of one line are hidden for one measure:
// a line is a total that is shown and the counts of its parts (the values
// of one background question, with those who left it unanswered). hidden
// holds, on entry, the parts hidden already (for another measure of the
// same groups); known marks parts whose count the reader already knows
// exactly (a group shown to be empty), which are never hidden.
//
// The rule, for threshold k:
//
//  1. A part counting 1 to k−1 is hidden.
//  2. When rule 1 hid a part, every part counting 0 is hidden too: were
//     empty parts shown as 0, a reader who knows the rule would know that
//     every hidden part has someone in it.
//  3. While fewer than two parts are hidden, or the hidden parts count
//     fewer than k together, the smallest shown part above 0 is hidden.
//
// Because the total is shown, the reader knows the sum S of the hidden
// parts and nothing else about them: each lies anywhere in [0, S]. Rule 3
// makes S ≥ k, so every hidden part's interval is at least k wide and
// includes 0; rule 2 makes sure the reader cannot lift the 0 by knowing the
// rule. The disclosure audit (package disclosure) checks this, over every
// table together, by linear programming.
func hideInLine(k int64, counts []int64, hidden, known []bool) {
	primary := false
	for i, n := range counts {
		if !hidden[i] && !known[i] && n > 0 && n < k {
			hidden[i], primary = true, true
		}
	}
	if primary {
		for i, n := range counts {
			if n == 0 && !known[i] {
				hidden[i] = true
			}
		}
	}
	for {
		parts, sum := 0, int64(0)
		for i, h := range hidden {
			if h {
				parts++
				sum += counts[i]
			}
		}
		if parts == 0 || (parts >= 2 && sum >= k) {
			return
		}
		next := -1
		for i, n := range counts {
			if !hidden[i] && !known[i] && n > 0 && (next < 0 || n < counts[next]) {
				next = i
			}
		}
		if next < 0 {
			return // every part is hidden: their sum is the shown total
		}
		hidden[next] = true
	}
}
