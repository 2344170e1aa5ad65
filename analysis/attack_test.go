package analysis

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stemme/stemme/analysis/disclosure"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
	"github.com/stemme/stemme/surveys/synth"
)

// These tests play the reader who saves everything a role can see and
// solves for what is hidden: for every hidden count, the least and greatest
// value consistent with every shown figure (a linear program, with
// non-negativity and whole numbers). The rules must keep every such
// interval at least k wide, and must never show that a hidden group has
// anyone in it.

// auditResults audits every system of r and returns the ranges found and
// the findings.
func auditResults(t testing.TB, r *Results, values bool) ([]disclosure.Range, []disclosure.Finding) {
	t.Helper()
	var ranges []disclosure.Range
	var findings []disclosure.Finding
	for _, s := range r.Systems(values) {
		rs, fs, err := s.Audit(int64(r.Threshold))
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		ranges = append(ranges, rs...)
		findings = append(findings, fs...)
	}
	return ranges, findings
}

// attackInstrument has two background questions, three scale items in a
// focus area (the last answered by few, like the questions about children)
// and a yes/no question.
func attackInstrument() *surveys.Instrument {
	scale := surveys.ChoiceList{Name: "s"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6", surveys.DontKnow} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v})
	}
	rel := surveys.ChoiceList{Name: "rel"}
	for _, v := range []string{"child", "partner", "parent", "sibling", "other"} {
		rel.Choices = append(rel.Choices, surveys.Choice{Value: v})
	}
	age := surveys.ChoiceList{Name: "age"}
	for _, v := range []string{"u18", "18_49", "50_66", "67_79", "80"} {
		age.Choices = append(age.Choices, surveys.Choice{Value: v})
	}
	return &surveys.Instrument{ID: "attack@1", FocusAreas: []surveys.FocusArea{{Key: "f"}},
		Lists: []surveys.ChoiceList{scale, rel, age},
		Pages: []surveys.Page{{Questions: []surveys.Question{
			{Key: "relation", Type: surveys.TypeSingle, List: "rel", Segment: "relation"},
			{Key: "age_group", Type: surveys.TypeSingle, List: "age", Segment: "age_group"},
			{Key: "a", Type: surveys.TypeScale, List: "s", FocusArea: "f"},
			{Key: "b", Type: surveys.TypeScale, List: "s", FocusArea: "f"},
			{Key: "c", Type: surveys.TypeScale, List: "s", FocusArea: "f"},
			{Key: "y", Type: surveys.TypeYesNo},
		}}}}
}

// randomMunicipality draws 2–12 units of 0–60 respondents with skewed
// background answers (rare groups are what a reader is after) and items
// left unanswered at random.
func randomMunicipality(seed uint64, in *surveys.Instrument) (*surveys.Wave, []*Tally, map[string][]surveys.Answers) {
	rng := rand.New(rand.NewPCG(seed, 15))
	w := &surveys.Wave{ID: "w" + strconv.FormatUint(seed, 10), Threshold: 5}
	byUnit := map[string][]surveys.Answers{}
	pick := func(list string) string {
		l, _ := in.List(list)
		// Geometric weights: the first values common, the last rare.
		for i := range l.Choices {
			if rng.Float64() < 0.55 {
				return l.Choices[i].Value
			}
		}
		return l.Choices[len(l.Choices)-1].Value
	}
	for u := range rng.IntN(11) + 2 {
		unit := fmt.Sprintf("u%02d", u)
		w.Units = append(w.Units, unit)
		size := rng.IntN(61)
		if rng.IntN(4) == 0 {
			size = rng.IntN(8) // small units are common in care
		}
		for range size {
			a := surveys.Answers{}
			if rng.Float64() < 0.9 {
				a["relation"] = surveys.ChoiceAnswer(pick("rel"))
			}
			if rng.Float64() < 0.85 {
				a["age_group"] = surveys.ChoiceAnswer(pick("age"))
			}
			for _, q := range []string{"a", "b", "c"} {
				p := 0.9
				if q == "c" {
					p = 0.25
				}
				if rng.Float64() < p {
					if rng.Float64() < 0.1 {
						a[q] = surveys.DontKnowAnswer()
					} else {
						a[q] = surveys.ChoiceAnswer(strconv.Itoa(rng.IntN(6) + 1))
					}
				}
			}
			if rng.Float64() < 0.7 {
				a["y"] = surveys.ChoiceAnswer([]string{"yes", "no"}[rng.IntN(2)])
			}
			byUnit[unit] = append(byUnit[unit], a)
		}
	}
	return w, talliesOfAnswers(in, w.ID, byUnit), byUnit
}

// TestAuditRandomMunicipalities: on 240 random municipalities no hidden
// count can be narrowed below k by any combination of what is shown, for
// the respondents and every question; on a sample, no hidden group can be
// shown to hold anyone who gave a particular answer.
func TestAuditRandomMunicipalities(t *testing.T) {
	in := attackInstrument()
	hiddenCounts := 0
	for seed := range uint64(240) {
		w, tallies, _ := randomMunicipality(seed, in)
		r := Compute(Input{Wave: w, Instrument: in, Tallies: tallies})
		ranges, findings := auditResults(t, r, seed%10 == 0)
		for _, f := range findings {
			t.Errorf("seed %d: %s", seed, f)
		}
		hiddenCounts += len(ranges)
		checkNothingSmallShown(t, seed, r)
	}
	// The test must have had something to attack.
	if hiddenCounts < 1000 {
		t.Fatalf("only %d hidden counts in 240 municipalities", hiddenCounts)
	}
}

// checkNothingSmallShown: no shown group or measure counts 1 to k−1.
func checkNothingSmallShown(t *testing.T, seed uint64, r *Results) {
	t.Helper()
	k := int64(r.Threshold)
	small := func(n int64) bool { return n > 0 && n < k }
	for key, g := range r.Groups {
		if g.Hidden {
			continue
		}
		if small(g.Respondents) {
			t.Errorf("seed %d: %v shown with %d respondents", seed, key, g.Respondents)
		}
		for m, it := range g.Items {
			if !it.Hidden && small(it.N) {
				t.Errorf("seed %d: %v, %s shown with n = %d", seed, key, m, it.N)
			}
		}
		for m, it := range g.Focus {
			if !it.Hidden && small(it.N) {
				t.Errorf("seed %d: %v, %s shown with n = %d", seed, key, m, it.N)
			}
		}
		for m, ch := range g.Choices {
			if !ch.Hidden && small(ch.N) {
				t.Errorf("seed %d: %v, %s shown with n = %d", seed, key, m, ch.N)
			}
		}
	}
}

// TestAuditCatchesTheLegacyRule: the same attack against the rule Stemme
// used before (the municipality containing hidden units, breakdowns per
// unit listing only the groups that exist, empty groups shown as 0) finds
// hidden counts a reader can pin down, in most municipalities. An audit
// that cannot tell the two rules apart would prove nothing.
func TestAuditCatchesTheLegacyRule(t *testing.T) {
	in := attackInstrument()
	leaky, n := 0, 0
	for seed := uint64(0); n < 40; seed++ {
		w, tallies, _ := randomMunicipality(seed, in)
		if len(w.Units) > 7 {
			continue // the legacy tables of many units take long to solve
		}
		n++
		for _, s := range legacySystems(w, in, tallies) {
			f, err := s.Leaks(5)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			if f != nil {
				leaky++
				if leaky <= 3 {
					t.Logf("seed %d: %s", seed, f)
				}
				break
			}
		}
	}
	if leaky < n/2 {
		t.Fatalf("the legacy rule leaked in only %d of %d municipalities", leaky, n)
	}
	t.Logf("the legacy rule leaks in %d of %d random municipalities", leaky, n)
}

// TestAuditBuiltinInstrument: the same attack on municipalities answering
// the built-in relatives' survey (four background questions, 33 items in
// eight focus areas), with answers drawn as in the demo.
func TestAuditBuiltinInstrument(t *testing.T) {
	in, err := builtin.Instrument("parorende")
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 5))
		bias := synth.ItemBiases(rng, in)
		w := &surveys.Wave{ID: "w", Threshold: 5}
		byUnit := map[string][]surveys.Answers{}
		for u := range rng.IntN(8) + 2 {
			unit := fmt.Sprintf("u%d", u)
			w.Units = append(w.Units, unit)
			for range rng.IntN(50) {
				byUnit[unit] = append(byUnit[unit], synth.Answers(rng, in, rng.NormFloat64(), bias))
			}
		}
		r := Compute(Input{Wave: w, Instrument: in, Tallies: talliesOfAnswers(in, "w", byUnit)})
		_, findings := auditResults(t, r, seed == 0)
		for _, f := range findings {
			t.Errorf("seed %d: %s", seed, f)
		}
		checkNothingSmallShown(t, seed, r)
	}
}
