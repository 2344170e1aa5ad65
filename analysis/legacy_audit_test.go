package analysis

import (
	"github.com/stemme/stemme/analysis/disclosure"
	"github.com/stemme/stemme/surveys"
)

// legacySystems builds what the rule used before 2026-12 published, as
// disclosure systems: the municipality as the sum of every unit (hidden or
// not), per-unit breakdowns by background question listing only the
// groups that exist (so each listed hidden group has at least one person),
// empty groups shown as 0, suppressed by legacySuppressAlso.
func legacySystems(w *surveys.Wave, in *surveys.Instrument, tallies []*Tally) []*disclosure.System {
	type key = GroupKey
	groups := map[key]*Tally{}
	get := func(k key) *Tally {
		if groups[k] == nil {
			groups[k] = newTally(w.ID, k.Unit, k.Segment, k.Value)
		}
		return groups[k]
	}
	for _, u := range w.Units {
		get(key{Unit: u})
	}
	for _, t := range tallies {
		get(key{t.Unit, t.Segment, t.Value}).merge(t)
	}
	for _, u := range w.Units {
		for _, seg := range []string{"relation", "age_group"} {
			rest := newTally(w.ID, u, seg, NoAnswer)
			rest.merge(groups[key{Unit: u}])
			for k, t := range groups {
				if k.Unit == u && k.Segment == seg && k.Value != NoAnswer {
					rest.merge(t.negated())
				}
			}
			if rest.N > 0 {
				get(key{u, seg, NoAnswer}).merge(rest)
			}
		}
	}
	for k, t := range groups {
		if k.Unit != Municipality {
			get(key{Municipality, k.Segment, k.Value}).merge(t)
		}
	}
	// Lines as the legacy rule knew them.
	values := map[string][]string{}
	seen := map[[2]string]bool{}
	for k := range groups {
		if k.Segment != AllSegment && !seen[[2]string{k.Segment, k.Value}] {
			seen[[2]string{k.Segment, k.Value}] = true
			values[k.Segment] = append(values[k.Segment], k.Value)
		}
	}
	var lines []legacyLine
	all := legacyLine{Total: cellName(key{})}
	for _, u := range w.Units {
		all.Parts = append(all.Parts, cellName(key{Unit: u}))
	}
	lines = append(lines, all)
	for seg, vs := range values {
		for _, unit := range append([]string{Municipality}, w.Units...) {
			l := legacyLine{Total: cellName(key{Unit: unit})}
			for _, v := range vs {
				l.Parts = append(l.Parts, cellName(key{unit, seg, v}))
			}
			lines = append(lines, l)
		}
		for _, v := range vs {
			l := legacyLine{Total: cellName(key{Municipality, seg, v})}
			for _, u := range w.Units {
				l.Parts = append(l.Parts, cellName(key{u, seg, v}))
			}
			lines = append(lines, l)
		}
	}
	measures := []string{respondentsMeasure, "a", "b", "c", "y", "f"}
	var out []*disclosure.System
	var small map[string]bool
	for _, m := range measures {
		counts := map[string]int64{}
		for k, t := range groups {
			counts[cellName(k)] = measureCount(t, m, in)
		}
		hidden := legacySuppressAlso(5, counts, lines, small)
		if m == respondentsMeasure {
			small = hidden
		}
		s := disclosure.NewSystem("legacy " + measureName(m))
		one := "one"
		s.Set(one, disclosure.Shown, 1, "1")
		ids := map[string]bool{}
		for _, l := range lines {
			for _, id := range append([]string{l.Total}, l.Parts...) {
				if ids[id] {
					continue
				}
				ids[id] = true
				_, listed := groups[parseCell(id)]
				switch {
				case !listed:
					s.Set(id, disclosure.Shown, 0, id) // not listed: nobody there
				case hidden[id]:
					s.Set(id, disclosure.HiddenGroup, 0, id)
					if m == respondentsMeasure {
						s.AtMost(one, id) // listed, so somebody is there
					}
				default:
					s.Set(id, disclosure.Shown, counts[id], id)
				}
			}
			s.Sum("line "+l.Total, l.Total, l.Parts...)
		}
		out = append(out, s)
	}
	return out
}

func parseCell(id string) GroupKey {
	var k GroupKey
	parts := [3]string{}
	i := 0
	start := 0
	for j := range len(id) {
		if id[j] == '|' && i < 2 {
			parts[i] = id[start:j]
			i++
			start = j + 1
		}
	}
	parts[i] = id[start:]
	k.Unit, k.Segment, k.Value = parts[0], parts[1], parts[2]
	return k
}
