package analysis

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/stemme/stemme/surveys"
)

// Tally holds the counts of one wave × unit, either for every respondent
// (Segment empty) or for those who gave one answer to one background
// question (Segment "relation", Value "child"). Statistics are computed from
// tallies alone, so a dashboard costs the same at 10 answers or a million.
type Tally struct {
	// ID names this version of the tally: Cell#Seq.
	ID string `bson:"_id"`
	// Cell names the wave × unit × segment value counted (CellID).
	Cell    string `bson:"cell"`
	Wave    string `bson:"wave"`
	Unit    string `bson:"unit"`
	Segment string `bson:"segment"`
	Value   string `bson:"value"`
	// N is the number of respondents.
	N int64 `bson:"n"`
	// Counts counts each answer value per question: scale steps "1"–"6"
	// and "dk", choices, "yes"/"no"; for multiple choice every choice ticked.
	Counts map[string]map[string]int64 `bson:"counts"`
	// Answered counts the respondents who answered each question, any type.
	Answered map[string]int64 `bson:"answered"`
	// Items holds the moments of scale answers (without "vet ikke") and numbers.
	Items map[string]Moments `bson:"items"`
	// Focus holds the moments of each respondent's focus-area index: the
	// mean of their scale answers in that area.
	Focus map[string]Moments `bson:"focus"`
	// Seq is the tally batch that wrote this version; replaying a batch
	// skips cells whose version is already that new.
	Seq int64 `bson:"seq"`
}

// AllSegment is the Segment of a tally counting every respondent.
const AllSegment = ""

// CellID names the tally of one wave × unit × segment value.
func CellID(wave, unit, segment, value string) string {
	if segment == AllSegment {
		return wave + "/" + unit + "/*"
	}
	return wave + "/" + unit + "/" + segment + "=" + value
}

func newTally(wave, unit, segment, value string) *Tally {
	cell := CellID(wave, unit, segment, value)
	return &Tally{ID: cell, Cell: cell, Wave: wave, Unit: unit, Segment: segment, Value: value,
		Counts: map[string]map[string]int64{}, Answered: map[string]int64{},
		Items: map[string]Moments{}, Focus: map[string]Moments{}}
}

// contribution is what one response adds to each of its tallies. The
// tallier's batches (merged in memory into new versions of the tallies they
// change) and the recount both start from it, so they cannot disagree.
type contribution struct {
	counts   [][2]string // question, value
	answered []string
	// items are the values of scale and number questions, focus the mean
	// of the scale answers in each focus area. Slices, not maps: a recount
	// makes one contribution per answer, and three maps each were a third
	// of its garbage.
	items []keyed
	focus []keyed
}

// keyed is a value with its question or focus area.
type keyed struct {
	key string
	x   float64
}

// contributionOf reads a response against its instrument. Answers to
// questions the instrument does not have are ignored.
func contributionOf(in *surveys.Instrument, r *surveys.Response) contribution {
	size := 0
	for _, pg := range in.Pages {
		size += len(pg.Questions)
	}
	c := contribution{counts: make([][2]string, 0, size), answered: make([]string, 0, size), items: make([]keyed, 0, size)}
	var sums []focusSum
	for _, pg := range in.Pages {
		for i := range pg.Questions {
			q := &pg.Questions[i]
			v := r.Answers[q.Key]
			if v.IsZero() {
				continue
			}
			switch q.Type {
			case surveys.TypeScale:
				s, _ := v.Choice()
				if s == "" {
					continue
				}
				c.counts = append(c.counts, [2]string{q.Key, s})
				if x, err := strconv.ParseFloat(s, 64); err == nil {
					c.items = append(c.items, keyed{q.Key, x})
					if q.FocusArea != "" {
						sums = addToArea(sums, q.FocusArea, x)
					}
				}
			case surveys.TypeSingle, surveys.TypeYesNo:
				s, _ := v.Choice()
				if s == "" {
					continue
				}
				c.counts = append(c.counts, [2]string{q.Key, s})
			case surveys.TypeMulti:
				choices, _ := v.Choices()
				if len(choices) == 0 {
					continue
				}
				for _, s := range choices {
					c.counts = append(c.counts, [2]string{q.Key, s})
				}
			case surveys.TypeNumber:
				x, ok := v.Number()
				if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
					continue
				}
				c.items = append(c.items, keyed{q.Key, x})
			case surveys.TypeText, surveys.TypeLongText:
				if s, _ := v.Text(); s == "" {
					continue
				}
			default:
				continue
			}
			c.answered = append(c.answered, q.Key)
		}
	}
	for _, a := range sums {
		c.focus = append(c.focus, keyed{a.area, a.sum / a.n})
	}
	return c
}

// focusSum adds up one focus area's scale answers in a response.
type focusSum struct {
	area   string
	sum, n float64
}

// addToArea adds x to its area's sum; an instrument has a handful of areas.
func addToArea(sums []focusSum, area string, x float64) []focusSum {
	for i := range sums {
		if sums[i].area == area {
			sums[i].sum += x
			sums[i].n++
			return sums
		}
	}
	return append(sums, focusSum{area, x, 1})
}

// tallyKeys lists the tallies a response counts in: every respondent, and
// one per background answer.
func tallyKeys(r *surveys.Response) [][2]string {
	keys := [][2]string{{AllSegment, ""}}
	for _, seg := range surveys.SegmentKeys {
		if v := r.Segments[seg]; v != "" {
			keys = append(keys, [2]string{seg, v})
		}
	}
	return keys
}

// add counts (sign +1) or uncounts (sign −1) a contribution in memory.
func (t *Tally) add(c contribution, sign int64) {
	t.N += sign
	for _, qv := range c.counts {
		m := t.Counts[qv[0]]
		if m == nil {
			m = map[string]int64{}
			t.Counts[qv[0]] = m
		}
		m[qv[1]] += sign
	}
	for _, q := range c.answered {
		t.Answered[q] += sign
	}
	for _, it := range c.items {
		t.Items[it.key] = addMoment(t.Items[it.key], it.x, sign)
	}
	for _, f := range c.focus {
		t.Focus[f.key] = addMoment(t.Focus[f.key], f.x, sign)
	}
}

func addMoment(m Moments, x float64, sign int64) Moments {
	if sign > 0 {
		m.Add(x)
	} else {
		m.Remove(x)
	}
	return m
}

// merge adds another tally's counts (several responses at once).
func (t *Tally) merge(o *Tally) {
	t.N += o.N
	for q, m := range o.Counts {
		dst := t.Counts[q]
		if dst == nil {
			dst = map[string]int64{}
			t.Counts[q] = dst
		}
		for v, n := range m {
			dst[v] += n
		}
	}
	for q, n := range o.Answered {
		t.Answered[q] += n
	}
	for q, m := range o.Items {
		sum := t.Items[q]
		sum.Merge(m)
		t.Items[q] = sum
	}
	for a, m := range o.Focus {
		sum := t.Focus[a]
		sum.Merge(m)
		t.Focus[a] = sum
	}
}

// Differences lists where two tallies of the same cell disagree, for
// verify. Zero entries left behind by withdrawals equal missing ones, and
// sums may differ by float rounding (the order of additions differs).
func (t *Tally) Differences(o *Tally) []string {
	var out []string
	note := func(what string, a, b any) { out = append(out, fmt.Sprintf("%s %s: %v ≠ %v", t.Cell, what, a, b)) }
	if t.N != o.N {
		note("n", t.N, o.N)
	}
	for _, q := range unionKeys(t.Counts, o.Counts) {
		for _, v := range unionKeys(t.Counts[q], o.Counts[q]) {
			if a, b := t.Counts[q][v], o.Counts[q][v]; a != b {
				note("counts."+q+"."+v, a, b)
			}
		}
	}
	for _, q := range unionKeys(t.Answered, o.Answered) {
		if a, b := t.Answered[q], o.Answered[q]; a != b {
			note("answered."+q, a, b)
		}
	}
	for _, q := range unionKeys(t.Items, o.Items) {
		if a, b := t.Items[q], o.Items[q]; !sameMoments(a, b) {
			note("items."+q, a, b)
		}
	}
	for _, f := range unionKeys(t.Focus, o.Focus) {
		if a, b := t.Focus[f], o.Focus[f]; !sameMoments(a, b) {
			note("focus."+f, a, b)
		}
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

func sameMoments(a, b Moments) bool {
	return a.N == b.N && nearlyEqual(a.Sum, b.Sum) && nearlyEqual(a.SumSq, b.SumSq)
}

func nearlyEqual(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
