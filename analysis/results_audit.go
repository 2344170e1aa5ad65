package analysis

import (
	"fmt"

	"github.com/stemme/stemme/analysis/disclosure"
	"github.com/stemme/stemme/surveys"
)

// Systems describes what results publish as linear relations between
// counts, one system per measure (the respondents, each question, each
// focus area), for the disclosure audit. It reads only what the results
// show: a hidden group's counts are unknowns, a unit missing from the
// results (not shown to this reader) is a latent count that still takes
// part in the total. With values, it adds one system per answer value of
// every question, whose hidden counts must not be shown to be above zero.
func (r *Results) Systems(values bool) []*disclosure.System {
	var out []*disclosure.System
	measures := []string{respondentsMeasure}
	for _, q := range r.Instrument.Questions() {
		if q.Type != surveys.TypeInfo && q.Type != surveys.TypeText && q.Type != surveys.TypeLongText {
			measures = append(measures, q.Key)
		}
	}
	for _, f := range r.Instrument.FocusAreas {
		measures = append(measures, f.Key)
	}
	for _, m := range measures {
		s := disclosure.NewSystem(r.Wave.ID + ": " + measureName(m))
		r.addCounts(s, m, "")
		out = append(out, s)
		if !values || m == respondentsMeasure {
			continue
		}
		for _, v := range r.answerValues(m) {
			vs := disclosure.NewSystem(r.Wave.ID + ": " + m + " = " + v)
			r.addCounts(vs, m, v)
			out = append(out, vs)
		}
	}
	return out
}

func measureName(m string) string {
	if m == respondentsMeasure {
		return "respondents"
	}
	return m
}

// answerValues lists the values whose counts results show for a question.
func (r *Results) answerValues(m string) []string {
	q, ok := r.Instrument.Question(m)
	if !ok {
		return nil
	}
	switch q.Type {
	case surveys.TypeYesNo:
		return []string{"yes", "no"}
	case surveys.TypeScale, surveys.TypeSingle, surveys.TypeMulti:
		var out []string
		if l, ok := r.Instrument.List(q.List); ok {
			for _, c := range l.Choices {
				out = append(out, c.Value)
			}
		}
		return out
	}
	return nil
}

// figure is what a group shows of a measure (value "") or of one answer
// value's count: nothing (not shown to this reader), hidden, or a count.
func (r *Results) figure(g *Group, m, value string) (disclosure.Kind, int64) {
	if g == nil {
		return disclosure.Latent, 0
	}
	hiddenKind := disclosure.Hidden
	switch {
	case value != "":
		hiddenKind = disclosure.HiddenValue
	case m == respondentsMeasure:
		hiddenKind = disclosure.HiddenGroup
	}
	if g.Hidden {
		return hiddenKind, 0
	}
	if m == respondentsMeasure {
		return disclosure.Shown, g.Respondents
	}
	if it, ok := g.Items[m]; ok {
		if it.Hidden {
			return hiddenKind, 0
		}
		if value == "" {
			return disclosure.Shown, it.N
		}
		return disclosure.Shown, countOf(it.Dist, value)
	}
	if it, ok := g.Focus[m]; ok {
		if it.Hidden {
			return hiddenKind, 0
		}
		return disclosure.Shown, it.N
	}
	if ch, ok := g.Choices[m]; ok {
		if ch.Hidden {
			return hiddenKind, 0
		}
		if value == "" {
			return disclosure.Shown, ch.N
		}
		return disclosure.Shown, countOf(ch.Counts, value)
	}
	return disclosure.Latent, 0
}

func countOf(vcs []ValueCount, value string) int64 {
	for _, vc := range vcs {
		if vc.Value == value {
			return vc.Count
		}
	}
	return 0
}

// unitsOf are the units the total adds up for a measure, as the results
// say (every wave unit a reader cannot see is assumed to take part).
func (r *Results) unitsOf(m string) []string {
	total := r.Groups[GroupKey{}]
	if total == nil || total.Hidden {
		return r.Units
	}
	if m == respondentsMeasure {
		return total.Units
	}
	if it, ok := total.Items[m]; ok && !it.Hidden {
		return it.Units
	}
	if it, ok := total.Focus[m]; ok && !it.Hidden {
		return it.Units
	}
	if ch, ok := total.Choices[m]; ok && !ch.Hidden {
		return ch.Units
	}
	return total.Units
}

// addCounts puts one measure's counts (or one value's) of every group into
// a system, with the totals and the bounds by respondents (or by those who
// answered, for a value).
func (r *Results) addCounts(s *disclosure.System, m, value string) {
	id := func(k GroupKey, what string) string { return cellName(k) + "#" + what }
	label := func(k GroupKey) string {
		switch {
		case k.Unit != Municipality:
			return "unit " + k.Unit
		case k.Segment == AllSegment:
			return "total"
		}
		return fmt.Sprintf("total, %s = %s", k.Segment, k.Value)
	}
	what, bound := measureName(m), respondentsMeasure
	if value != "" {
		what, bound = m+"="+value, m
	}
	set := func(k GroupKey) {
		g := r.Groups[k]
		kind, v := r.figure(g, m, value)
		s.Set(id(k, what), kind, v, label(k)+", "+what)
		bk, bv := r.figure(g, bound, "")
		s.Set(id(k, measureName(bound)), bk, bv, label(k)+", "+measureName(bound))
		s.AtMost(id(k, what), id(k, measureName(bound)))
	}
	total := GroupKey{}
	set(total)
	for _, u := range r.Units {
		set(GroupKey{Unit: u})
	}
	for _, sv := range r.segments {
		for _, v := range sv.values {
			set(GroupKey{Municipality, sv.key, v})
		}
	}
	r.addLines(s, m, what, id)
	r.addLines(s, bound, measureName(bound), id)
}

// addLines adds a measure's sums: the total over its units, and the total
// over each background question's values.
func (r *Results) addLines(s *disclosure.System, m, what string, id func(GroupKey, string) string) {
	total := GroupKey{}
	var parts []string
	for _, u := range r.unitsOf(m) {
		parts = append(parts, id(GroupKey{Unit: u}, what))
	}
	s.Sum("units ("+what+")", id(total, what), parts...)
	for _, sv := range r.segments {
		var seg []string
		for _, v := range sv.values {
			seg = append(seg, id(GroupKey{Municipality, sv.key, v}, what))
		}
		s.Sum("by "+sv.key+" ("+what+")", id(total, what), seg...)
	}
}

func cellName(k GroupKey) string { return k.Unit + "|" + k.Segment + "|" + k.Value }
