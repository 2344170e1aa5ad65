package surveys

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func fuzzInstrument() *Instrument {
	scale := ChoiceList{Name: "s"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6", DontKnow} {
		scale.Choices = append(scale.Choices, Choice{Value: v, Label: Text{"nb": v}})
	}
	max := 10.0
	return &Instrument{Key: "f", Version: 1, Languages: []LanguageStatus{{Code: "nb", Status: StatusDraft}},
		Title: Text{"nb": "F"}, FocusAreas: []FocusArea{{Key: "a", Name: Text{"nb": "A"}}},
		Lists: []ChoiceList{scale, {Name: "m", Choices: []Choice{{Value: "x", Label: Text{"nb": "X"}}, {Value: "y", Label: Text{"nb": "Y"}}}}},
		Pages: []Page{{Key: "p", Title: Text{"nb": "P"}, Questions: []Question{
			{Key: "q1", Type: TypeScale, List: "s", FocusArea: "a", Text: Text{"nb": "1"}},
			{Key: "q2", Type: TypeMulti, List: "m", Text: Text{"nb": "2"}, ShowIf: "${q1} >= 3"},
			{Key: "q3", Type: TypeNumber, Max: &max, Text: Text{"nb": "3"}, Required: true},
			{Key: "q4", Type: TypeLongText, Text: Text{"nb": "4"}, ShowIf: "selected(${q2}, 'x') or ${q1} = 'dk'"},
			{Key: "q5", Type: TypeYesNo, Text: Text{"nb": "5"}},
		}}}}
}

// FuzzParseAnswers feeds arbitrary form values to the answer parser: it must
// never panic, and every stored answer must be valid for its question.
func FuzzParseAnswers(f *testing.F) {
	for _, seed := range [][5]string{
		{"4", "x", "3", "tekst", "yes"}, {"dk", "y", "-1", "", "no"}, {"7", "z", "1e400", "\x00\xff", "maybe"},
		{"", "", "", "", ""}, {"3", "x", "2,5", strings.Repeat("å", 5000), "yes"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4])
	}
	in := fuzzInstrument()
	f.Fuzz(func(t *testing.T, q1, q2, q3, q4, q5 string) {
		values := map[string][]string{"q1": {q1}, "q2": {q2, q1}, "q3": {q3}, "q4": {q4}, "q5": {q5}}
		answers, errs := in.ParseAnswers(values, in.Pages)
		for _, e := range errs {
			if e.Message == "" || e.Key == "" {
				t.Fatalf("error without key or message: %+v", e)
			}
		}
		for k, v := range answers {
			text, isText := v.Text()
			list, isList := v.Choices()
			x, isNumber := v.Number()
			switch {
			case isText:
				if !utf8.ValidString(text) || utf8.RuneCountInString(text) > MaxLongText {
					t.Fatalf("%s: stored invalid text %q", k, text)
				}
			case isList:
				for _, s := range list {
					if s != "x" && s != "y" {
						t.Fatalf("%s: stored %q, not in the list", k, s)
					}
				}
			case isNumber:
				if x > 10 {
					t.Fatalf("%s: stored %v above max", k, x)
				}
			default:
				t.Fatalf("%s: no answer stored (%v)", k, v)
			}
		}
		if _, ok := answers["q2"]; ok && !Visible(in.Pages[0].Questions[1], answers) {
			t.Fatal("an answer to a hidden question was kept")
		}
	})
}
