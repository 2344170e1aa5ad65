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
	// Units are the wave's units in the wave's order.
	Units  []string
	Groups map[GroupKey]*Group
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
	// Rate is respondents over invitations or population; NaN when unknown.
	Rate float64
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
	// Population per unit: invitations issued, else the wave's recorded population.
	Population map[string]int
	// Previous is the earlier wave to compare with, if any.
	Previous *Results
}

// Compute turns a wave's tallies into suppressed results.
func Compute(in Input) *Results {
	r := &Results{Wave: in.Wave, Instrument: in.Instrument, Threshold: ClampThreshold(in.Wave.Threshold),
		Units: slices.Clone(in.Wave.Units), Groups: map[GroupKey]*Group{}}
	if in.Previous != nil {
		r.Previous = in.Previous.Wave
	}
	tallies := groupTallies(in.Wave, in.Tallies)
	hidden := suppressAll(r.Threshold, in.Instrument, in.Wave.Units, tallies)
	for key, t := range tallies {
		r.Groups[key] = describe(key, t, in.Instrument, hidden)
	}
	r.rates(in.Population)
	r.compareUnits()
	if in.Previous != nil {
		r.compareWith(in.Previous)
	}
	return r
}

// Group returns a group, or an empty hidden one when the wave has none.
func (r *Results) Group(unit, segment, value string) *Group {
	if g, ok := r.Groups[GroupKey{unit, segment, value}]; ok {
		return g
	}
	return &Group{Key: GroupKey{unit, segment, value}, Hidden: true, Rate: math.NaN()}
}

// Values returns the values of a background question that have groups in
// a unit, in the order of the question's choices, NoAnswer last.
func (r *Results) Values(unit, segment string) []string {
	var out []string
	for _, q := range r.Instrument.Questions() {
		if q.Segment != segment {
			continue
		}
		if l, ok := r.Instrument.List(q.List); ok {
			for _, c := range l.Choices {
				if _, ok := r.Groups[GroupKey{unit, segment, c.Value}]; ok {
					out = append(out, c.Value)
				}
			}
		}
	}
	if _, ok := r.Groups[GroupKey{unit, segment, NoAnswer}]; ok {
		out = append(out, NoAnswer)
	}
	return out
}

// rates fills response rates: per shown unit with a known population, and
// for the municipality only when every unit has one (a rate over some of the
// units would be a new total that suppression does not protect).
func (r *Results) rates(population map[string]int) {
	invited, complete := 0, true
	for _, u := range r.Units {
		p := population[u]
		invited += p
		complete = complete && p > 0
		if g := r.Groups[GroupKey{Unit: u}]; g != nil && !g.Hidden && p > 0 {
			g.Rate = float64(g.Respondents) / float64(p)
		}
	}
	if g := r.Groups[GroupKey{}]; g != nil && !g.Hidden && complete && invited > 0 {
		g.Rate = float64(g.Respondents) / float64(invited)
	}
}

// compareUnits tests each shown unit against the rest of the wave's units
// (not against the municipality, which contains it). The rest is the
// municipality minus the unit: two shown cells, so nothing hidden leaks.
func (r *Results) compareUnits() {
	muni := r.Groups[GroupKey{}]
	if muni == nil || muni.Hidden {
		return
	}
	for _, u := range r.Units {
		g := r.Groups[GroupKey{Unit: u}]
		if g == nil || g.Hidden {
			continue
		}
		for kind, items := range map[string]map[string]*Item{"items": g.Items, "focus": g.Focus} {
			all := muni.Items
			if kind == "focus" {
				all = muni.Focus
			}
			for key, it := range items {
				m := all[key]
				if it.Hidden || m == nil || m.Hidden {
					continue
				}
				rest := itemMoments(m).Without(itemMoments(it))
				if test, ok := WelchTest(itemMoments(it), rest); ok {
					it.VsRest = &Comparison{Other: rest.Interval().AsIndex(), Test: test}
				}
			}
		}
	}
}

// compareWith tests every shown measure against the same group and measure
// in an earlier wave, where that was shown too.
func (r *Results) compareWith(prev *Results) {
	for key, g := range r.Groups {
		p := prev.Groups[key]
		if g.Hidden || p == nil || p.Hidden {
			continue
		}
		for _, pair := range [2][2]map[string]*Item{{g.Items, p.Items}, {g.Focus, p.Focus}} {
			for k, it := range pair[0] {
				old := pair[1][k]
				if it.Hidden || old == nil || old.Hidden {
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
