package analysis

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/stemme/stemme/surveys"
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
		a := surveys.Answers{"a": surveys.ChoiceAnswer(v)}
		if relation != "" {
			a["relation"] = surveys.ChoiceAnswer(relation)
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

	// u3 has 2 respondents: hidden, and left out of the total, which is
	// u1 + u2 = 11. No other unit is hidden to protect it.
	for unit, hidden := range map[string]bool{"u1": false, "u2": false, "u3": true, Municipality: false} {
		if g := r.Group(unit, "", ""); g.Hidden != hidden {
			t.Errorf("unit %q hidden = %v, want %v", unit, g.Hidden, hidden)
		}
	}
	if got := r.Group(Municipality, "", "").Respondents; got != 11 {
		t.Errorf("total respondents = %d, want 11 (u3 left out)", got)
	}
	// u1: 6,6,5,4,4 and one "vet ikke". Mean 5, sample variance
	// (1+1+0+1+1)/4 = 1, SE 1/√5, t(0.975, 4) = 2.776445: 5 ± 1.241664,
	// whose upper end 6.24 lies beyond the scale and is clamped to 6.
	a := r.Group("u1", "", "").Items["a"]
	checks := []struct {
		name      string
		got, want float64
	}{
		{"n", float64(a.N), 6}, {"valid", float64(a.Valid), 5}, {"mean", a.Mean.Mean, 5},
		{"lo", a.Mean.Lo, 3.758336}, {"hi", a.Mean.Hi, 6}, {"index", a.Index.Mean, 80}, {"index hi", a.Index.Hi, 100},
		{"positive", a.Positive, 0.6}, {"vet ikke", a.DontKnowShare, 1.0 / 6},
		{"share of 6", a.Dist[5].Share, 2.0 / 6}, {"rate", r.Group("u1", "", "").Rate, 6.0 / 12},
		// Valid answers of u1 and u2: 6,6,5,4,4,3,4,5,6,2: 45/10.
		{"total mean", r.Group(Municipality, "", "").Items["a"].Mean.Mean, 4.5},
		// One respondent's focus index is their mean over the area's items: here the one item.
		{"focus mean", r.Group("u1", "", "").Focus["f"].Mean.Mean, 5},
		// The rest of the total: u2's 3,4,5,6,2 = 20/5.
		{"rest", a.VsRest.Other.Mean, Index(4)},
		// Response rate of the total: 11/22.
		{"total rate", r.Group(Municipality, "", "").Rate, 0.5},
	}
	for _, c := range checks {
		if !approx(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// The total by relation: child 4 (u3's two left out), partner 5, no
	// answer 2. Child and no answer are hidden; together they count 6 ≥ 5.
	for value, hidden := range map[string]bool{"child": true, "partner": false, NoAnswer: true} {
		if g := r.Group(Municipality, "relation", value); g.Hidden != hidden {
			t.Errorf("total, relation %s: hidden = %v, want %v", value, g.Hidden, hidden)
		}
	}
	if got := r.Values(Municipality, "relation"); fmt.Sprint(got) != "[child partner _none]" {
		t.Errorf("values of the total = %v", got)
	}
	if got := r.Values("u1", "relation"); got != nil {
		t.Errorf("a unit is broken down: %v", got)
	}
	if _, findings := auditResults(t, r, true); len(findings) > 0 {
		t.Errorf("audit: %v", findings)
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

func TestIntervalsStayOnTheScale(t *testing.T) {
	in := attackInstrument()
	for seed := range uint64(60) {
		w, tallies, _ := randomMunicipality(seed, in)
		r := Compute(Input{Wave: w, Instrument: in, Tallies: tallies})
		for key, g := range r.Groups {
			if g.Hidden {
				continue
			}
			for _, items := range []map[string]*Item{g.Items, g.Focus} {
				for m, it := range items {
					if it.Hidden {
						continue
					}
					for _, x := range []float64{it.Mean.Lo, it.Mean.Hi} {
						if x < ScaleMin || x > ScaleMax {
							t.Errorf("seed %d, %v %s: interval %v–%v leaves 1–6", seed, key, m, it.Mean.Lo, it.Mean.Hi)
						}
					}
					for _, x := range []float64{it.Index.Lo, it.Index.Hi} {
						if x < 0 || x > 100 {
							t.Errorf("seed %d, %v %s: index interval %v–%v leaves 0–100", seed, key, m, it.Index.Lo, it.Index.Hi)
						}
					}
				}
			}
		}
	}
}

func TestComparisonsOnlyOfTheSameMeasure(t *testing.T) {
	v1 := smallInstrument()
	v2 := smallInstrument()
	v2.ID = "small@2"
	// v2 asks "a" in other words.
	v2.Pages[0].Questions[1].Text = surveys.Text{"nb": "Får du nok informasjon nå?"}
	v1.Pages[0].Questions[1].Text = surveys.Text{"nb": "Får du informasjon?"}
	answers := map[string][]surveys.Answers{"u1": scaleAnswers("", "2", "3", "2", "3", "2", "3")}
	later := map[string][]surveys.Answers{"u1": scaleAnswers("", "5", "6", "5", "6", "5", "6")}
	w1 := &surveys.Wave{ID: "w1", Units: []string{"u1"}}
	w2 := &surveys.Wave{ID: "w2", Units: []string{"u1"}}
	prev := Compute(Input{Wave: w1, Instrument: v1, Tallies: talliesOfAnswers(v1, "w1", answers)})
	same := Compute(Input{Wave: w2, Instrument: v1, Tallies: talliesOfAnswers(v1, "w2", later), Previous: prev})
	if it := same.Group("u1", "", "").Items["a"]; it.VsPrevious == nil || it.NotComparable != "" {
		t.Errorf("the same question is not compared: %+v", it)
	}
	reworded := Compute(Input{Wave: w2, Instrument: v2, Tallies: talliesOfAnswers(v2, "w2", later), Previous: prev})
	it := reworded.Group("u1", "", "").Items["a"]
	if it.VsPrevious != nil || it.NotComparable != NotComparableWording {
		t.Errorf("a reworded question compared: %+v", it)
	}
	if f := reworded.Group("u1", "", "").Focus["f"]; f.VsPrevious != nil || f.NotComparable != NotComparableItems {
		t.Errorf("a focus area with a reworded question compared: %+v", f)
	}
}

func TestRatesOverAHundredPercentAreNotShown(t *testing.T) {
	in := smallInstrument()
	w := &surveys.Wave{ID: "w", Units: []string{"u1", "u2"}}
	r := Compute(Input{Wave: w, Instrument: in, Population: map[string]int{"u1": 5, "u2": 50},
		Tallies: talliesOfAnswers(in, "w", map[string][]surveys.Answers{
			"u1": scaleAnswers("", "1", "2", "3", "4", "5", "6", "6"), "u2": scaleAnswers("", "1", "2", "3", "4", "5")})})
	u1, u2, total := r.Group("u1", "", ""), r.Group("u2", "", ""), r.Group("", "", "")
	if !u1.PopulationTooSmall || !math.IsNaN(u1.Rate) {
		t.Errorf("7 answers of a population of 5: rate %v, flagged %v", u1.Rate, u1.PopulationTooSmall)
	}
	if !approx(u2.Rate, 0.1) || !math.IsNaN(total.Rate) {
		t.Errorf("u2 rate %v (want 0.1); total %v (want unknown: one population is wrong)", u2.Rate, total.Rate)
	}
}
