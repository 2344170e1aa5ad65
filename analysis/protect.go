package analysis

import (
	"slices"

	"github.com/stemme/stemme/analysis/disclosure"
)

// segmentHiding decides, per measure, which background groups of the total
// are hidden. For each background question it starts from hideInLine on
// the respondents and on each measure, then checks the line the way a
// reader would attack it (package disclosure): a measure's counts are tied
// to the respondent counts (nobody answers a question without answering the
// survey), which can narrow a hidden count that the line alone leaves wide.
// Where the audit finds such a count, one more group is hidden for that
// measure, and when that is not enough, for every measure. Every step
// hides more, so it ends; with everything hidden the audit passes.
func (c *cells) segmentHiding(shown []string) map[string]map[[2]string]bool {
	out := map[string]map[[2]string]bool{}
	for _, m := range c.measures {
		out[m] = map[[2]string]bool{}
	}
	for _, sv := range c.segments {
		byMeasure := c.protectLine(sv, shown)
		for m, hidden := range byMeasure {
			for i, v := range sv.values {
				if hidden[i] {
					out[m][[2]string{sv.key, v}] = true
				}
			}
		}
	}
	return out
}

// lineCounts are one background question's groups of the total, counted
// for one measure over the units that measure's total adds up.
func (c *cells) lineCounts(sv segmentValues, m string, units []string) []int64 {
	mc := c.mergedFor(units)
	out := make([]int64, len(sv.values))
	for i, v := range sv.values {
		out[i] = measureCount(mc.segment[[2]string{sv.key, v}], m, c.in)
	}
	return out
}

func (c *cells) protectLine(sv segmentValues, shown []string) map[string][]bool {
	n := len(sv.values)
	respondents := c.lineCounts(sv, respondentsMeasure, shown)
	byGroup := make([]bool, n) // hidden for their size, or to protect a measure
	for {
		hidden0, known0 := slices.Clone(byGroup), make([]bool, n)
		hideInLine(c.k, respondents, hidden0, known0)
		for i := range respondents {
			known0[i] = !hidden0[i] && respondents[i] == 0
		}
		out := map[string][]bool{respondentsMeasure: hidden0}
		escalate := -1
		for _, m := range c.measures[1:] {
			units := c.unitsFor(m, shown)
			if !c.totalShown(m, shown, units) {
				hidden := make([]bool, n)
				for i := range hidden {
					hidden[i] = !known0[i]
				}
				out[m] = hidden
				continue
			}
			counts := c.lineCounts(sv, m, units)
			hidden := slices.Clone(hidden0)
			hideInLine(c.k, counts, hidden, known0)
			for !lineSafe(c.k, respondents, hidden0, counts, hidden) {
				next := smallestShown(counts, hidden, known0)
				if next < 0 {
					// Every group is hidden for m and the respondent counts
					// still pin one down: hide a group altogether.
					escalate = smallestShown(respondents, hidden0, known0)
					break
				}
				hidden[next] = true
			}
			if escalate >= 0 {
				break
			}
			out[m] = hidden
		}
		if escalate < 0 {
			return out
		}
		byGroup = hidden0
		byGroup[escalate] = true
	}
}

func smallestShown(counts []int64, hidden, known []bool) int {
	next := -1
	for i, v := range counts {
		if !hidden[i] && !known[i] && v > 0 && (next < 0 || v < counts[next]) {
			next = i
		}
	}
	return next
}

// lineSafe audits one background question's line for one measure, with the
// respondent counts that bound it.
func lineSafe(k int64, respondents []int64, groupHidden []bool, counts []int64, hidden []bool) bool {
	s := disclosure.NewSystem("line")
	var total, totalN int64
	nIDs, mIDs := make([]string, len(counts)), make([]string, len(counts))
	for i := range counts {
		nIDs[i], mIDs[i] = "n"+itoa(i), "m"+itoa(i)
		totalN += respondents[i]
		total += counts[i]
		if groupHidden[i] {
			s.Set(nIDs[i], disclosure.HiddenGroup, 0, "")
		} else {
			s.Set(nIDs[i], disclosure.Shown, respondents[i], "")
		}
		if hidden[i] {
			s.Set(mIDs[i], disclosure.Hidden, 0, "")
		} else {
			s.Set(mIDs[i], disclosure.Shown, counts[i], "")
		}
		s.AtMost(mIDs[i], nIDs[i])
	}
	s.Set("n", disclosure.Shown, totalN, "")
	s.Set("m", disclosure.Shown, total, "")
	s.Sum("n", "n", nIDs...)
	s.Sum("m", "m", mIDs...)
	_, findings, err := s.Audit(k)
	return err == nil && len(findings) == 0
}

func itoa(i int) string {
	return string(rune('a'+i/26)) + string(rune('a'+i%26))
}
