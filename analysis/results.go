package analysis

import (
	"math"
	"slices"

	"github.com/stemme/stemme/surveys"
)

// Results are the statistics of one wave, computed from its tallies alone,
// with every small group already suppressed: Compute is the one place that
// decides what may be shown, and every view, the API and every export reads
// these results rather than tallies.
type Results struct {
	Wave       *surveys.Wave
	Instrument *surveys.Instrument
	Threshold  int
	// Previous is the wave compared against, nil when there is none.
	Previous *surveys.Wave
	// Units are the wave's units in the wave's order; Shown those whose
	// results are shown, which the total adds up.
	Units  []string
	Shown  []string
	Groups map[GroupKey]*Group
	// segments are the background questions and their values.
	segments []segmentValues
}

// GroupKey names a group of respondents: a unit (Municipality for all of
// them), or the part of it that gave one answer to a background question.
type GroupKey struct {
	Unit, Segment, Value string
}

// Municipality is the Unit of the groups counting every unit of the wave.
const Municipality = ""

// NoAnswer is the Value of the respondents who left a background question
// unanswered: they are part of every breakdown's total, so they are a cell of it.
const NoAnswer = "_none"

// Group holds one group's statistics. When Hidden, the group has fewer
// respondents than the threshold (or hides another that has) and nothing
// else in it is filled.
type Group struct {
	Key         GroupKey
	Hidden      bool
	Respondents int64
	// Rate is respondents over the recorded population; NaN when unknown.
	Rate float64
	// Units are the units a total (or a background group of it) adds up.
	Units []string
	// PopulationTooSmall: the population recorded for the unit is smaller
	// than its answers, an input error; Rate is then NaN (a rate over 100 %
	// is never shown).
	PopulationTooSmall bool
	// Items holds scale and number questions; Focus the focus-area indices.
	Items   map[string]*Item
	Focus   map[string]*Item
	Choices map[string]*Choice
}

// Item is one measure of one group: a scale or number question, or a
// focus-area index (per respondent, averaged).
type Item struct {
	Hidden bool
	// N counts those who answered, "vet ikke" included; Valid leaves it out.
	N, Valid, DontKnow int64
	// Dist is the distribution over the scale, "vet ikke" last.
	Dist []ValueCount
	// Mean is on the answer scale (1–6 for scale items); Index on 0–100.
	Mean, Index Interval
	// Positive is the share of valid answers that are 5 or 6.
	Positive      float64
	DontKnowShare float64
	// VsRest compares a unit with the other units of the wave;
	// VsPrevious compares with the same group in the previous wave.
	VsRest, VsPrevious *Comparison
	// NotComparable says why VsPrevious is missing although the earlier
	// wave showed the measure (NotComparableUnits), or is empty.
	NotComparable string
	// Units are the units a total's measure adds up: the shown units
	// where k or more answered it (or nobody did).
	Units []string
	// moments are the sums behind Mean, for comparisons.
	moments Moments
}

// Comparison is a test of a group's mean against another's.
type Comparison struct {
	// Other is the other side's index (0–100) with its interval.
	Other Interval
	Test  Welch
}

// Choice is the shares of a single, multiple-choice or yes/no question.
type Choice struct {
	Hidden bool
	N      int64
	Units  []string
	Counts []ValueCount
}

// ValueCount is one answer value's count and its share of N.
type ValueCount struct {
	Value string
	Count int64
	Share float64
}

// Input is what Compute needs; Load gathers it from the store.
type Input struct {
	Wave       *surveys.Wave
	Instrument *surveys.Instrument
	Tallies    []*Tally
	// Population per unit: the wave's recorded population.
	Population map[string]int
	// Previous is the earlier wave to compare with, if any.
	Previous *Results
}

// Compute turns a wave's tallies into suppressed results. The rules (see
// docs/PRIVACY.md) are chosen so that every figure is either a shown
// group's own or a sum of shown groups', and every hidden count keeps an
// interval at least k wide however the figures are combined:
//
//   - A unit with fewer than k respondents is hidden, and left out of the
//     total: the total is the sum of the units shown, so no subtraction
//     reaches a hidden unit, and no other unit is hidden to protect it.
//   - Per question, a shown unit where 1 to k−1 answered it has that
//     question hidden, and is left out of that question's total likewise.
//   - Background questions break down the total only (never a unit: its
//     groups would be mostly too small, and the rest could then be
//     reconstructed across units). Every answer value is listed, chosen or
//     not; a line of groups is suppressed by hideInLine.
func Compute(in Input) *Results {
	k := ClampThreshold(in.Wave.Threshold)
	r := &Results{Wave: in.Wave, Instrument: in.Instrument, Threshold: k,
		Units: slices.Clone(in.Wave.Units), Groups: map[GroupKey]*Group{}}
	if in.Previous != nil {
		r.Previous = in.Previous.Wave
	}
	c := arrange(in.Wave, in.Instrument, k, in.Tallies)
	shown := c.shownUnits()
	r.Shown = shown
	unitsFor := map[string][]string{}
	for _, m := range c.measures {
		unitsFor[m] = c.unitsFor(m, shown)
	}
	for _, u := range in.Wave.Units {
		t := c.unit[u]
		own := func(string) *Tally { return t }
		hidden := func(m string) bool {
			if t.N < c.k {
				return true
			}
			return m != respondentsMeasure && !slices.Contains(unitsFor[m], u)
		}
		r.Groups[GroupKey{Unit: u}] = describe(GroupKey{Unit: u}, t.N, in.Instrument, own, hidden)
	}
	if len(shown) > 0 {
		// With no unit shown there is no total to show.
		r.total(c, shown, unitsFor)
	}
	r.rates(in.Population)
	r.compareUnits(unitsFor)
	if in.Previous != nil {
		r.compareWith(in.Previous)
	}
	return r
}

// total adds the total of the shown units and its background groups.
func (r *Results) total(c *cells, shown []string, unitsFor map[string][]string) {
	total := describe(GroupKey{}, c.mergedFor(shown).all.N, c.in,
		func(m string) *Tally { return c.mergedFor(unitsFor[m]).all },
		func(m string) bool { return !c.totalShown(m, shown, unitsFor[m]) })
	r.Groups[GroupKey{}] = total
	setUnits(total, shown, unitsFor)
	segHidden := c.segmentHiding(shown)
	for _, sv := range c.segments {
		for _, v := range sv.values {
			key := GroupKey{Municipality, sv.key, v}
			sk := [2]string{sv.key, v}
			g := describe(key, c.mergedFor(shown).segment[sk].countOrZero(), c.in,
				func(m string) *Tally { return c.mergedFor(unitsFor[m]).segmentOrEmpty(sk) },
				func(m string) bool { return segHidden[m][sk] })
			setUnits(g, shown, unitsFor)
			r.Groups[key] = g
		}
		r.segments = append(r.segments, sv)
	}
}

// setUnits records which units a total's figures add up.
func setUnits(g *Group, shown []string, unitsFor map[string][]string) {
	if g.Hidden {
		return
	}
	g.Units = shown
	for key, it := range g.Items {
		it.Units = unitsFor[key]
	}
	for key, it := range g.Focus {
		it.Units = unitsFor[key]
	}
	for key, ch := range g.Choices {
		ch.Units = unitsFor[key]
	}
}

// Group returns a group, or an empty hidden one when the wave has none.
func (r *Results) Group(unit, segment, value string) *Group {
	if g, ok := r.Groups[GroupKey{unit, segment, value}]; ok {
		return g
	}
	return &Group{Key: GroupKey{unit, segment, value}, Hidden: true, Rate: math.NaN()}
}

// Values returns every value of a background question, in the order of the
// question's choices, NoAnswer last. Only the total is broken down: for a
// unit there are none.
func (r *Results) Values(unit, segment string) []string {
	if unit != Municipality {
		return nil
	}
	for _, sv := range r.segments {
		if sv.key == segment {
			return slices.Clone(sv.values)
		}
	}
	return nil
}

// rates fills response rates: per shown unit with a known population, and
// for the total when every unit it adds up has one.
func (r *Results) rates(population map[string]int) {
	invited, complete := 0, true
	for _, u := range r.Shown {
		p := population[u]
		invited += p
		complete = complete && p > 0
		if g := r.Groups[GroupKey{Unit: u}]; g != nil && !g.Hidden && p > 0 {
			if g.Respondents > int64(p) {
				// More answers than people: the population entered is wrong.
				g.PopulationTooSmall, complete = true, false
				continue
			}
			g.Rate = float64(g.Respondents) / float64(p)
		}
	}
	if g := r.Groups[GroupKey{}]; g != nil && !g.Hidden && complete && invited > 0 {
		g.Rate = float64(g.Respondents) / float64(invited)
	}
}

// compareUnits tests each shown unit against the rest of the units its
// total adds up (not against the total, which contains it). The rest is
// the total minus the unit: both shown, so nothing hidden leaks.
func (r *Results) compareUnits(unitsFor map[string][]string) {
	total := r.Groups[GroupKey{}]
	if total == nil || total.Hidden {
		return
	}
	for _, u := range r.Units {
		g := r.Groups[GroupKey{Unit: u}]
		if g == nil || g.Hidden {
			continue
		}
		for kind, items := range map[string]map[string]*Item{"items": g.Items, "focus": g.Focus} {
			all := total.Items
			if kind == "focus" {
				all = total.Focus
			}
			for key, it := range items {
				m := all[key]
				if it.Hidden || m == nil || m.Hidden || len(unitsFor[key]) < 2 || !slices.Contains(unitsFor[key], u) {
					continue
				}
				rest := itemMoments(m).Without(itemMoments(it))
				if test, ok := WelchTest(itemMoments(it), rest); ok {
					it.VsRest = &Comparison{Other: rest.Interval().OnScale().AsIndex(), Test: test}
				}
			}
		}
	}
}

// compareWith tests every shown measure against the same group and measure
// in an earlier wave, where that was shown too, counts the same units (a
// total over other units is another population) and asked the same (a
// question reworded, or a focus area with other questions, is another
// measure).
func (r *Results) compareWith(prev *Results) {
	for key, g := range r.Groups {
		p := prev.Groups[key]
		if g.Hidden || p == nil || p.Hidden {
			continue
		}
		for kind, pair := range [2][2]map[string]*Item{{g.Items, p.Items}, {g.Focus, p.Focus}} {
			for k, it := range pair[0] {
				old := pair[1][k]
				if it.Hidden || old == nil || old.Hidden {
					continue
				}
				if reason := comparable(r.Instrument, prev.Instrument, k, kind == 1); reason != "" {
					it.NotComparable = reason
					continue
				}
				if !sameUnits(it.Units, old.Units) {
					it.NotComparable = NotComparableUnits
					continue
				}
				if test, ok := WelchTest(itemMoments(it), itemMoments(old)); ok {
					it.VsPrevious = &Comparison{Other: old.Index, Test: test}
				} else if old.Valid > 0 {
					it.VsPrevious = &Comparison{Other: old.Index, Test: Welch{Diff: it.Mean.Mean - old.Mean.Mean, P: math.NaN()}}
				}
			}
		}
	}
}

// Reasons a measure is not compared with the previous wave.
const (
	// NotComparableUnits: the totals add up different units.
	NotComparableUnits = "units"
	// NotComparableWording: the question was asked in other words or with
	// other answer choices.
	NotComparableWording = "wording"
	// NotComparableItems: the focus area holds other questions.
	NotComparableItems = "items"
)

// comparable says why a measure of instrument a cannot be compared with the
// same key in instrument b, or "" when it can: the same question (type,
// answer values and bokmål wording), or a focus area of the same
// questions, each the same.
func comparable(a, b *surveys.Instrument, key string, focus bool) string {
	if a == nil || b == nil || a.ID == b.ID {
		return ""
	}
	if !focus {
		if !sameQuestion(a, b, key) {
			return NotComparableWording
		}
		return ""
	}
	keysOf := func(in *surveys.Instrument) []string {
		var out []string
		for _, q := range in.Questions() {
			if q.FocusArea == key && q.Type == surveys.TypeScale {
				out = append(out, q.Key)
			}
		}
		slices.Sort(out)
		return out
	}
	ka, kb := keysOf(a), keysOf(b)
	if !slices.Equal(ka, kb) {
		return NotComparableItems
	}
	for _, k := range ka {
		if !sameQuestion(a, b, k) {
			return NotComparableItems
		}
	}
	return ""
}

func sameQuestion(a, b *surveys.Instrument, key string) bool {
	qa, oka := a.Question(key)
	qb, okb := b.Question(key)
	if !oka || !okb || qa.Type != qb.Type || qa.Text["nb"] != qb.Text["nb"] {
		return false
	}
	la, _ := a.List(qa.List)
	lb, _ := b.List(qb.List)
	if len(la.Choices) != len(lb.Choices) {
		return false
	}
	for i := range la.Choices {
		if la.Choices[i].Value != lb.Choices[i].Value || la.Choices[i].Label["nb"] != lb.Choices[i].Label["nb"] {
			return false
		}
	}
	return true
}

func sameUnits(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
