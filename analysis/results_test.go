package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
	"github.com/stemme/stemme/surveys/synth"
)

// smallInstrument has one scale item in one focus area and a background question.
func smallInstrument() *surveys.Instrument {
	scale := surveys.ChoiceList{Name: "s"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6", surveys.DontKnow} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v})
	}
	return &surveys.Instrument{ID: "small@1", FocusAreas: []surveys.FocusArea{{Key: "f"}},
		Lists: []surveys.ChoiceList{scale, {Name: "rel", Choices: []surveys.Choice{{Value: "child"}, {Value: "partner"}}}},
		Pages: []surveys.Page{{Questions: []surveys.Question{
			{Key: "relation", Type: surveys.TypeSingle, List: "rel", Segment: "relation"},
			{Key: "a", Type: surveys.TypeScale, List: "s", FocusArea: "f"},
		}}}}
}

func talliesOfAnswers(in *surveys.Instrument, wave string, byUnit map[string][]surveys.Answers) []*Tally {
	changes := map[string]*Tally{}
	i := 0
	for unit, answers := range byUnit {
		for _, a := range answers {
			i++
			r := &surveys.Response{ID: strconv.Itoa(i), Wave: wave, Unit: unit, Answers: a, Segments: in.SegmentsOf(a)}
			addTo(changes, in, r, +1)
		}
	}
	out := make([]*Tally, 0, len(changes))
	for _, t := range changes {
		out = append(out, t)
	}
	return out
}

func scaleAnswers(relation string, values ...string) []surveys.Answers {
	var out []surveys.Answers
	for _, v := range values {
		a := surveys.Answers{"a": v}
		if relation != "" {
			a["relation"] = relation
		}
		out = append(out, a)
	}
	return out
}

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-4 || (math.IsNaN(a) && math.IsNaN(b)) }

func TestComputeByHand(t *testing.T) {
	in := smallInstrument()
	w := &surveys.Wave{ID: "w", Units: []string{"u1", "u2", "u3"}, Threshold: 5}
	tallies := talliesOfAnswers(in, "w", map[string][]surveys.Answers{
		"u1": append(scaleAnswers("child", "6", "6", "5", "4"), scaleAnswers("", "4", "dk")...),
		"u2": scaleAnswers("partner", "3", "4", "5", "6", "2"),
		"u3": scaleAnswers("child", "5", "5"),
	})
	r := Compute(Input{Wave: w, Instrument: in, Tallies: tallies, Population: map[string]int{"u1": 12, "u2": 10, "u3": 4}})

	// u3 has 2 respondents: hidden. The municipality (13) is shown, so one
	// more unit must go, the smallest: u2 (5).
	for unit, hidden := range map[string]bool{"u1": false, "u2": true, "u3": true, Municipality: false} {
		if g := r.Group(unit, "", ""); g.Hidden != hidden {
			t.Errorf("unit %q hidden = %v, want %v", unit, g.Hidden, hidden)
		}
	}
	// u1: 6,6,5,4,4 and one "vet ikke". Mean 5, sample variance
	// (1+1+0+1+1)/4 = 1, SE 1/√5, t(0.975, 4) = 2.776445: 5 ± 1.241664.
	a := r.Group("u1", "", "").Items["a"]
	checks := []struct {
		name      string
		got, want float64
	}{
		{"n", float64(a.N), 6}, {"valid", float64(a.Valid), 5}, {"mean", a.Mean.Mean, 5},
		{"lo", a.Mean.Lo, 3.758336}, {"hi", a.Mean.Hi, 6.241664}, {"index", a.Index.Mean, 80},
		{"positive", a.Positive, 0.6}, {"vet ikke", a.DontKnowShare, 1.0 / 6},
		{"share of 6", a.Dist[5].Share, 2.0 / 6}, {"rate", r.Group("u1", "", "").Rate, 6.0 / 12},
		// All valid answers: 6,6,5,4,4,3,4,5,6,2,5,5: 55/12.
		{"municipality mean", r.Group(Municipality, "", "").Items["a"].Mean.Mean, 55.0 / 12},
		// One respondent's focus index is their mean over the area's items: here the one item.
		{"focus mean", r.Group("u1", "", "").Focus["f"].Mean.Mean, 5},
		// Rest of the municipality: 3,4,5,6,2,5,5 = 30/7.
		{"rest", a.VsRest.Other.Mean, Index(30.0 / 7)},
		// Response rate of the municipality: 13/26.
		{"municipality rate", r.Group(Municipality, "", "").Rate, 0.5},
	}
	for _, c := range checks {
		if !approx(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// u1's two respondents without a relation answer form the NoAnswer
	// group (2 < 5: hidden, and with it the smaller shown value).
	if g := r.Group("u1", "relation", NoAnswer); !g.Hidden {
		t.Error("u1's no-answer group of 2 is shown")
	}
	if got := r.Values("u1", "relation"); fmt.Sprint(got) != "[child _none]" {
		t.Errorf("values of u1 = %v", got)
	}
}

func TestComputeWithPreviousWave(t *testing.T) {
	in := smallInstrument()
	w1 := &surveys.Wave{ID: "w1", Units: []string{"u1"}, Opens: "2022-01-01"}
	w2 := &surveys.Wave{ID: "w2", Units: []string{"u1"}, Opens: "2026-01-01"}
	prev := Compute(Input{Wave: w1, Instrument: in, Tallies: talliesOfAnswers(in, "w1",
		map[string][]surveys.Answers{"u1": scaleAnswers("", "2", "3", "2", "3", "2", "3", "2", "3")})})
	now := Compute(Input{Wave: w2, Instrument: in, Tallies: talliesOfAnswers(in, "w2",
		map[string][]surveys.Answers{"u1": scaleAnswers("", "5", "6", "5", "6", "5", "6", "5", "6")}), Previous: prev})
	c := now.Group("u1", "", "").Items["a"].VsPrevious
	if c == nil || !c.Test.Significant || !approx(c.Test.Diff, 3) || !approx(c.Other.Mean, Index(2.5)) {
		t.Fatalf("change since the previous wave: %+v", c)
	}
	if PreviousWave(w2, []surveys.Wave{*w1, *w2}).ID != "w1" || PreviousWave(w1, []surveys.Wave{*w1, *w2}) != nil {
		t.Error("PreviousWave picked the wrong wave")
	}
}

// TestNoHiddenValueLeaks computes results for random municipalities with
// the built-in instrument and checks, for every measure, that no hidden
// group's n can be derived from the shown groups by any subtraction or
// combination of breakdowns.
func TestNoHiddenValueLeaks(t *testing.T) {
	in, err := builtin.Instrument("parorende")
	if err != nil {
		t.Fatal(err)
	}
	// Each exact rank check takes a while: a few municipalities and a few
	// items of each kind keep the test short; the suppression core's own
	// tests try hundreds of tables.
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 5))
		bias := synth.ItemBiases(rng, in)
		units := []string{"a", "b", "c", "d", "e"}
		byUnit := map[string][]surveys.Answers{}
		for _, u := range units {
			for range rng.IntN(25) + 1 {
				byUnit[u] = append(byUnit[u], synth.Answers(rng, in, rng.NormFloat64(), bias))
			}
		}
		w := &surveys.Wave{ID: "w", Units: units, Threshold: 5}
		tallies := talliesOfAnswers(in, "w", byUnit)
		r := Compute(Input{Wave: w, Instrument: in, Tallies: tallies})
		groups := groupTallies(w, tallies)
		keys := make([]GroupKey, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		lines := breakdownLines(units, keys)
		measures := []string{respondentsMeasure}
		for _, f := range in.FocusAreas {
			measures = append(measures, f.Key)
		}
		for _, q := range in.Questions() {
			if q.Type == surveys.TypeScale && len(measures) < 12 {
				measures = append(measures, q.Key)
			}
		}
		for _, m := range measures {
			counts, hidden := map[string]int64{}, map[string]bool{}
			for _, k := range keys {
				n := measureCount(groups[k], m, in)
				counts[cellName(k)] = n
				g := r.Groups[k]
				shown := !g.Hidden
				if m != respondentsMeasure && shown {
					if it, ok := g.Items[m]; ok {
						shown = !it.Hidden
					} else if it, ok := g.Focus[m]; ok {
						shown = !it.Hidden
					}
				}
				if !shown {
					hidden[cellName(k)] = true
				} else if n > 0 && n < 5 {
					t.Fatalf("seed %d: %s of %v shown with n = %d", seed, m, k, n)
				}
			}
			// The full enumeration of line combinations is too large here;
			// the rank test covers every linear combination.
			for _, p := range subtractions(5, counts, lines, hidden) {
				t.Errorf("seed %d, %s: %s", seed, m, p)
			}
			for _, id := range byRank(lines, hidden) {
				t.Errorf("seed %d, %s: the breakdowns determine %s", seed, m, id)
			}
		}
	}
}
