package exports

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

// TestAnswerCellsOfEveryKind pins how every kind of answer becomes a cell
// of the raw data (answerCell) and a code of the record-level data for
// statistics software (rawCode), including answers whose form does not fit
// their question (an instrument changed between versions): one line per
// set of answers, one cell per variable.
func TestAnswerCellsOfEveryKind(t *testing.T) {
	scale := surveys.ChoiceList{Name: "s"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6", surveys.DontKnow} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v, Label: surveys.Text{"nb": v}})
	}
	in := &surveys.Instrument{Lists: []surveys.ChoiceList{scale,
		{Name: "rel", Choices: []surveys.Choice{{Value: "child", Label: surveys.Text{"nb": "Barn"}}, {Value: "partner", Label: surveys.Text{"nb": "Partner"}}}},
		{Name: "m", Choices: []surveys.Choice{{Value: "a", Label: surveys.Text{"nb": "A"}}, {Value: "c", Label: surveys.Text{"nb": "C"}}}}},
		Pages: []surveys.Page{{Key: "p", Questions: []surveys.Question{
			{Key: "scale", Type: surveys.TypeScale, List: "s", Text: surveys.Text{"nb": "Skala"}},
			{Key: "single", Type: surveys.TypeSingle, List: "rel", Text: surveys.Text{"nb": "Hvem"}},
			{Key: "yesno", Type: surveys.TypeYesNo, Text: surveys.Text{"nb": "Ja?"}},
			{Key: "tick", Type: surveys.TypeMulti, List: "m", ShowIf: "${yesno} = 'yes'", Text: surveys.Text{"nb": "Kryss"}},
			{Key: "age", Type: surveys.TypeNumber, Text: surveys.Text{"nb": "Alder"}},
			{Key: "note", Type: surveys.TypeText, Text: surveys.Text{"nb": "Tekst"}},
		}}}}
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	vars := statVars(in, "nb", newLabels(bundle, "nb"))
	choice, number := surveys.ChoiceAnswer, surveys.NumberAnswer
	var got []string
	for _, a := range []surveys.Answers{
		{"scale": choice("5"), "single": choice("child"), "yesno": choice("yes"), "tick": surveys.ChoicesAnswer("a", "c"),
			"age": number(54), "note": surveys.TextAnswer("Takk")},
		{"scale": surveys.DontKnowAnswer(), "single": choice("partner"), "yesno": choice("yes"), "tick": surveys.ChoicesAnswer(), "age": number(0.5)},
		{"scale": choice("1"), "yesno": choice("no"), "age": number(-3)},
		{"age": number(123456789.125), "tick": surveys.ChoicesAnswer("c")},
		{"age": number(1e21), "yesno": choice("yes"), "nothing": {}},
		{},
		// Answers whose form does not fit the question.
		{"scale": choice("x"), "single": choice("nobody"), "yesno": choice("maybe"), "tick": choice("a"), "age": surveys.TextAnswer("54")},
		{"scale": number(5), "single": surveys.ChoicesAnswer("child"), "yesno": number(1), "tick": number(2), "age": surveys.ChoicesAnswer("54")},
	} {
		var cells, codes []string
		for i := range vars {
			cells = append(cells, fmt.Sprintf("%#v", answerCell(&vars[i], a[vars[i].q.Key])))
			codes = append(codes, rawCode(&vars[i], a))
		}
		got = append(got, strings.Join(cells, " ")+" | "+strings.Join(codes, " "))
	}
	want := []string{
		`exports.num{v:5, f:0} "child" "yes" exports.num{v:1, f:0} exports.num{v:1, f:0} exports.num{v:54, f:5} | 5 1 1 1 1 54`,
		`"dk" "partner" "yes" exports.num{v:0, f:0} exports.num{v:0, f:0} exports.num{v:0.5, f:5} | 9 2 1 0 0 0.5`,
		`exports.num{v:1, f:0} <nil> "no" <nil> <nil> exports.num{v:-3, f:5} | 1 7 0 8 8 -3`,
		`<nil> <nil> <nil> exports.num{v:0, f:0} exports.num{v:1, f:0} exports.num{v:1.23456789125e+08, f:5} | 7 7 7 0 1 123456789.125`,
		`<nil> <nil> "yes" <nil> <nil> exports.num{v:1e+21, f:5} | 7 7 1 7 7 1000000000000000000000`,
		`<nil> <nil> <nil> <nil> <nil> <nil> | 7 7 7 8 8 `,
		`"x" "nobody" "maybe" <nil> <nil> "54" | 7 7 7 7 7 `,
		`<nil> <nil> <nil> <nil> <nil> <nil> | 7 7 7 7 7 `,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("cells and codes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
