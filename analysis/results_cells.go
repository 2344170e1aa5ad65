package analysis

import (
	"math"
	"strings"

	"github.com/stemme/stemme/surveys"
)

// respondentsMeasure names the group-size measure among the item measures.
const respondentsMeasure = "\x00respondents"

// cells holds a wave's tallies arranged for Compute: per unit the tally of
// all its respondents and, per background question and answer, of those who
// gave it (with NoAnswer for those who left it unanswered).
type cells struct {
	wave    *surveys.Wave
	in      *surveys.Instrument
	k       int64
	unit    map[string]*Tally
	segment map[string]map[[2]string]*Tally // unit → (segment, value) → tally
	// segments lists the background questions with their values in the
	// question's order, NoAnswer last: every value, chosen or not, so
	// that which groups exist is never shown.
	segments []segmentValues
	measures []string
	merged   map[string]*mergedCells
}

type segmentValues struct {
	key    string
	values []string
}

// mergedCells are the tallies of a set of units added together: the total
// and each background group.
type mergedCells struct {
	units   []string
	all     *Tally
	segment map[[2]string]*Tally
}

func arrange(w *surveys.Wave, in *surveys.Instrument, k int, tallies []*Tally) *cells {
	c := &cells{wave: w, in: in, k: int64(k), unit: map[string]*Tally{},
		segment: map[string]map[[2]string]*Tally{}, merged: map[string]*mergedCells{}}
	for _, u := range w.Units {
		c.unit[u] = newTally(w.ID, u, AllSegment, "")
		c.segment[u] = map[[2]string]*Tally{}
	}
	for _, t := range tallies {
		if c.unit[t.Unit] == nil {
			continue // a unit no longer in the wave
		}
		if t.Segment == AllSegment {
			c.unit[t.Unit].merge(t)
			continue
		}
		key := [2]string{t.Segment, t.Value}
		if c.segment[t.Unit][key] == nil {
			c.segment[t.Unit][key] = newTally(w.ID, t.Unit, t.Segment, t.Value)
		}
		c.segment[t.Unit][key].merge(t)
	}
	for _, key := range surveys.SegmentKeys {
		q, ok := segmentQuestion(in, key)
		if !ok {
			continue
		}
		sv := segmentValues{key: key}
		if l, ok := in.List(q.List); ok {
			for _, ch := range l.Choices {
				sv.values = append(sv.values, ch.Value)
			}
		}
		sv.values = append(sv.values, NoAnswer)
		c.segments = append(c.segments, sv)
		for _, u := range w.Units {
			rest := newTally(w.ID, u, key, NoAnswer)
			rest.merge(c.unit[u])
			for sk, t := range c.segment[u] {
				if sk[0] == key && sk[1] != NoAnswer {
					rest.merge(t.negated())
				}
			}
			c.segment[u][[2]string{key, NoAnswer}] = rest
		}
	}
	c.measures = []string{respondentsMeasure}
	for _, q := range in.Questions() {
		if q.Type != surveys.TypeInfo {
			c.measures = append(c.measures, q.Key)
		}
	}
	for _, f := range in.FocusAreas {
		c.measures = append(c.measures, f.Key)
	}
	return c
}

// segmentQuestion is the background question defining a segment.
func segmentQuestion(in *surveys.Instrument, segment string) (surveys.Question, bool) {
	for _, q := range in.Questions() {
		if q.Segment == segment {
			return q, true
		}
	}
	return surveys.Question{}, false
}

// shownUnits are the units whose own results are shown: k respondents or more.
func (c *cells) shownUnits() []string {
	var out []string
	for _, u := range c.wave.Units {
		if c.unit[u].N >= c.k {
			out = append(out, u)
		}
	}
	return out
}

// unitsFor are the shown units whose answers to a measure are shown, and
// so the units its total adds up: those with k answers or more, or none at
// all. A unit where 1 to k−1 answered is left out of the total instead of
// being hidden and then subtracted back out by a reader.
func (c *cells) unitsFor(m string, shown []string) []string {
	if m == respondentsMeasure {
		return shown
	}
	var out []string
	for _, u := range shown {
		if n := measureCount(c.unit[u], m, c.in); n == 0 || n >= c.k {
			out = append(out, u)
		}
	}
	return out
}

// mergedFor adds up the tallies of a set of units, once per set.
func (c *cells) mergedFor(units []string) *mergedCells {
	key := strings.Join(units, "\x00")
	if m := c.merged[key]; m != nil {
		return m
	}
	m := &mergedCells{units: units, all: newTally(c.wave.ID, Municipality, AllSegment, ""),
		segment: map[[2]string]*Tally{}}
	for _, u := range units {
		m.all.merge(c.unit[u])
		for sk, t := range c.segment[u] {
			if m.segment[sk] == nil {
				m.segment[sk] = newTally(c.wave.ID, Municipality, sk[0], sk[1])
			}
			m.segment[sk].merge(t)
		}
	}
	c.merged[key] = m
	return m
}

// negated returns the tally with every count and sum negated, to subtract it.
func (t *Tally) negated() *Tally {
	n := newTally(t.Wave, t.Unit, t.Segment, t.Value)
	n.N = -t.N
	for q, m := range t.Counts {
		n.Counts[q] = map[string]int64{}
		for v, c := range m {
			n.Counts[q][v] = -c
		}
	}
	for q, c := range t.Answered {
		n.Answered[q] = -c
	}
	for q, m := range t.Items {
		n.Items[q] = Moments{N: -m.N, Sum: -m.Sum, SumSq: -m.SumSq}
	}
	for a, m := range t.Focus {
		n.Focus[a] = Moments{N: -m.N, Sum: -m.Sum, SumSq: -m.SumSq}
	}
	return n
}

// measureCount is n of one measure in one group.
func measureCount(t *Tally, measure string, in *surveys.Instrument) int64 {
	if t == nil {
		return 0
	}
	if measure == respondentsMeasure {
		return t.N
	}
	if _, ok := in.Question(measure); ok {
		return t.Answered[measure]
	}
	return t.Focus[measure].N
}

// totalShown reports whether a measure of the total is shown: it is hidden
// only when every shown unit that answered it was left out for having
// fewer than k answers.
func (c *cells) totalShown(m string, shown, units []string) bool {
	if m == respondentsMeasure {
		return len(shown) > 0
	}
	if measureCount(c.mergedFor(units).all, m, c.in) > 0 {
		return true
	}
	return measureCount(c.mergedFor(shown).all, m, c.in) == 0
}

// segmentOrEmpty is a background group's tally, empty when nobody gave
// that answer.
func (m *mergedCells) segmentOrEmpty(k [2]string) *Tally {
	if t := m.segment[k]; t != nil {
		return t
	}
	return newTally(m.all.Wave, Municipality, k[0], k[1])
}

func (t *Tally) countOrZero() int64 {
	if t == nil {
		return 0
	}
	return t.N
}

// describe computes a group's statistics from the tally each measure is
// read from, leaving out what is hidden.
func describe(key GroupKey, respondents int64, in *surveys.Instrument, tallyFor func(m string) *Tally,
	hidden func(m string) bool) *Group {
	if hidden(respondentsMeasure) {
		return &Group{Key: key, Hidden: true, Rate: math.NaN()}
	}
	g := &Group{Key: key, Respondents: respondents, Rate: math.NaN(),
		Items: map[string]*Item{}, Focus: map[string]*Item{}, Choices: map[string]*Choice{}}
	for _, q := range in.Questions() {
		if hidden(q.Key) {
			switch q.Type {
			case surveys.TypeScale, surveys.TypeNumber:
				g.Items[q.Key] = &Item{Hidden: true}
			case surveys.TypeSingle, surveys.TypeMulti, surveys.TypeYesNo:
				g.Choices[q.Key] = &Choice{Hidden: true}
			}
			continue
		}
		t := tallyFor(q.Key)
		switch q.Type {
		case surveys.TypeScale:
			g.Items[q.Key] = scaleItem(t, q, in)
		case surveys.TypeNumber:
			m := t.Items[q.Key]
			g.Items[q.Key] = &Item{N: t.Answered[q.Key], Valid: m.N, Mean: m.Interval(),
				Index: Interval{N: m.N, Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}, moments: m}
		case surveys.TypeSingle, surveys.TypeMulti, surveys.TypeYesNo:
			g.Choices[q.Key] = choice(t, q, in)
		}
	}
	for _, f := range in.FocusAreas {
		if hidden(f.Key) {
			g.Focus[f.Key] = &Item{Hidden: true}
			continue
		}
		m := tallyFor(f.Key).Focus[f.Key]
		iv := m.Interval().OnScale()
		g.Focus[f.Key] = &Item{N: m.N, Valid: m.N, Mean: iv, Index: iv.AsIndex(), Positive: math.NaN(),
			DontKnowShare: math.NaN(), moments: m}
	}
	return g
}

func scaleItem(t *Tally, q surveys.Question, in *surveys.Instrument) *Item {
	m := t.Items[q.Key]
	counts := t.Counts[q.Key]
	it := &Item{N: t.Answered[q.Key], Valid: m.N, DontKnow: counts[surveys.DontKnow], moments: m}
	it.Mean = m.Interval().OnScale()
	it.Index = it.Mean.AsIndex()
	it.Positive, it.DontKnowShare = math.NaN(), math.NaN()
	if m.N > 0 {
		it.Positive = float64(counts["5"]+counts["6"]) / float64(m.N)
	}
	if it.N > 0 {
		it.DontKnowShare = float64(it.DontKnow) / float64(it.N)
	}
	if l, ok := in.List(q.List); ok {
		for _, c := range l.Choices {
			it.Dist = append(it.Dist, share(c.Value, counts[c.Value], it.N))
		}
	}
	return it
}

func choice(t *Tally, q surveys.Question, in *surveys.Instrument) *Choice {
	n := t.Answered[q.Key]
	c := &Choice{N: n}
	values := []string{"yes", "no"}
	if q.Type != surveys.TypeYesNo {
		values = values[:0]
		if l, ok := in.List(q.List); ok {
			for _, ch := range l.Choices {
				values = append(values, ch.Value)
			}
		}
	}
	for _, v := range values {
		c.Counts = append(c.Counts, share(v, t.Counts[q.Key][v], n))
	}
	return c
}

func share(value string, count, of int64) ValueCount {
	s := math.NaN()
	if of > 0 {
		s = float64(count) / float64(of)
	}
	return ValueCount{Value: value, Count: count, Share: s}
}

func itemMoments(it *Item) Moments { return it.moments }
