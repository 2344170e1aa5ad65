package analysis

import (
	"math"

	"github.com/stemme/stemme/surveys"
)

// respondentsMeasure names the group-size measure among the item measures.
const respondentsMeasure = "\x00respondents"

// groupTallies arranges a wave's tallies by group and adds the groups that
// are sums or remainders of others: the municipality (every unit) and, per
// background question, those who left it unanswered.
func groupTallies(w *surveys.Wave, tallies []*Tally) map[GroupKey]*Tally {
	inWave := map[string]bool{}
	for _, u := range w.Units {
		inWave[u] = true
	}
	out := map[GroupKey]*Tally{}
	get := func(k GroupKey) *Tally {
		t := out[k]
		if t == nil {
			t = newTally(w.ID, k.Unit, k.Segment, k.Value)
			out[k] = t
		}
		return t
	}
	for _, t := range tallies {
		if inWave[t.Unit] {
			get(GroupKey{t.Unit, t.Segment, t.Value}).merge(t)
		}
	}
	for _, u := range w.Units {
		all := out[GroupKey{Unit: u}]
		if all == nil {
			continue
		}
		for _, seg := range surveys.SegmentKeys {
			rest := newTally(w.ID, u, seg, NoAnswer)
			rest.merge(all)
			for k, t := range out {
				if k.Unit == u && k.Segment == seg && k.Value != NoAnswer {
					rest.merge(t.negated())
				}
			}
			if rest.N > 0 {
				get(GroupKey{u, seg, NoAnswer}).merge(rest)
			}
		}
	}
	for k, t := range out {
		if k.Unit != Municipality {
			get(GroupKey{Municipality, k.Segment, k.Value}).merge(t)
		}
	}
	return out
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
	if measure == respondentsMeasure {
		return t.N
	}
	if _, ok := in.Question(measure); ok {
		return t.Answered[measure]
	}
	return t.Focus[measure].N
}

// suppressAll runs Suppress for every measure over the same cells and
// lines: units add up to the municipality, and each background question's
// values (with NoAnswer) add up to their unit and, across units, to the
// municipality's. A group hidden for its size hides every measure in it.
func suppressAll(k int, in *surveys.Instrument, units []string, tallies map[GroupKey]*Tally) map[string]map[GroupKey]bool {
	keys := make([]GroupKey, 0, len(tallies))
	for key := range tallies {
		keys = append(keys, key)
	}
	lines := breakdownLines(units, keys)
	measures := []string{respondentsMeasure}
	for _, q := range in.Questions() {
		if q.Type != surveys.TypeInfo {
			measures = append(measures, q.Key)
		}
	}
	for _, f := range in.FocusAreas {
		measures = append(measures, f.Key)
	}
	hidden := map[string]map[GroupKey]bool{}
	var small map[string]bool // groups hidden for their size
	for _, m := range measures {
		counts := make(map[string]int64, len(keys))
		for _, key := range keys {
			counts[cellName(key)] = measureCount(tallies[key], m, in)
		}
		h := SuppressAlso(k, counts, lines, small)
		if m == respondentsMeasure {
			small = h
		}
		hidden[m] = map[GroupKey]bool{}
		for _, key := range keys {
			if h[cellName(key)] {
				hidden[m][key] = true
			}
		}
	}
	return hidden
}

func cellName(k GroupKey) string { return k.Unit + "|" + k.Segment + "|" + k.Value }

// breakdownLines lists every additive relation between the groups.
func breakdownLines(units []string, keys []GroupKey) []Line {
	values := map[string][]string{} // segment → values present anywhere
	seen := map[[2]string]bool{}
	for _, k := range keys {
		if k.Segment != AllSegment && !seen[[2]string{k.Segment, k.Value}] {
			seen[[2]string{k.Segment, k.Value}] = true
			values[k.Segment] = append(values[k.Segment], k.Value)
		}
	}
	var lines []Line
	all := Line{Total: cellName(GroupKey{})}
	for _, u := range units {
		all.Parts = append(all.Parts, cellName(GroupKey{Unit: u}))
	}
	lines = append(lines, all)
	for seg, vs := range values {
		for _, unit := range append([]string{Municipality}, units...) {
			l := Line{Total: cellName(GroupKey{Unit: unit})}
			for _, v := range vs {
				l.Parts = append(l.Parts, cellName(GroupKey{unit, seg, v}))
			}
			lines = append(lines, l)
		}
		for _, v := range vs {
			l := Line{Total: cellName(GroupKey{Municipality, seg, v})}
			for _, u := range units {
				l.Parts = append(l.Parts, cellName(GroupKey{u, seg, v}))
			}
			lines = append(lines, l)
		}
	}
	return lines
}

// describe computes a group's statistics, leaving out what is hidden.
func describe(key GroupKey, t *Tally, in *surveys.Instrument, hidden map[string]map[GroupKey]bool) *Group {
	g := &Group{Key: key, Respondents: t.N, Rate: math.NaN(),
		Items: map[string]*Item{}, Focus: map[string]*Item{}, Choices: map[string]*Choice{}}
	if hidden[respondentsMeasure][key] {
		return &Group{Key: key, Hidden: true, Rate: math.NaN()}
	}
	for _, q := range in.Questions() {
		if hidden[q.Key][key] {
			switch q.Type {
			case surveys.TypeScale, surveys.TypeNumber:
				g.Items[q.Key] = &Item{Hidden: true}
			case surveys.TypeSingle, surveys.TypeMulti, surveys.TypeYesNo:
				g.Choices[q.Key] = &Choice{Hidden: true}
			}
			continue
		}
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
		if hidden[f.Key][key] {
			g.Focus[f.Key] = &Item{Hidden: true}
			continue
		}
		m := t.Focus[f.Key]
		iv := m.Interval()
		g.Focus[f.Key] = &Item{N: m.N, Valid: m.N, Mean: iv, Index: iv.AsIndex(), Positive: math.NaN(),
			DontKnowShare: math.NaN(), moments: m}
	}
	return g
}

func scaleItem(t *Tally, q surveys.Question, in *surveys.Instrument) *Item {
	m := t.Items[q.Key]
	counts := t.Counts[q.Key]
	it := &Item{N: t.Answered[q.Key], Valid: m.N, DontKnow: counts[surveys.DontKnow], moments: m}
	it.Mean = m.Interval()
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
