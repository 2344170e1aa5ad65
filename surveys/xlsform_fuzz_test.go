package surveys_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/stemme/stemme/surveys"
)

// TestReadXLSFormKoboToolbox reads a form as KoboToolbox makes them: one
// language, $ bookkeeping columns, layout appearances, TRUE for required,
// a yes/no list and questions after the last group.
func TestReadXLSFormKoboToolbox(t *testing.T) {
	file := workbook(t,
		sheet{"survey", [][]string{
			{"type", "name", "label::English (en)", "hint::English (en)", "required", "relevant", "appearance", "$kuid"},
			{"begin_group", "about", "About you", "", "", "", "field-list", "k1"},
			{"select_one colours", "colour", "Favourite colour", "Pick one", "true", "", "likert", "k2"},
			{"integer", "age", "Age", "", "TRUE", "", "", "k3"},
			{"select_one yn", "agree", "Do you agree?", "", "", "", "", "k4"},
			{"text", "notes", "Notes", "", "", "${agree}='yes'", "multiline", "k5"},
			{"end_group", "", "", "", "", "", "", "k6"},
			{},
			{"note", "thanks", "Thank you", "", "", "", "", "k7"},
			{"select_multiple colours", "more", "More colours", "", "FALSE", "selected( ${colour} , 'red' )", "", "k8"},
		}},
		sheet{"choices", [][]string{
			{"list_name", "name", "label::English (en)", "$kuid"},
			{"colours", "red", "Red", "c1"}, {"colours", "blue", "Blue", "c2"},
			{"yn", "yes", "Yes", "c3"}, {"yn", "no", "No", "c4"}}},
		sheet{"settings", [][]string{{"form_title", "form_id", "style"}, {"Kobo form", "kobo_form", "pages"}}},
	)
	got, err := surveys.ReadXLSForm(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	en := func(s string) surveys.Text { return surveys.Text{"en": s} }
	want := &surveys.Instrument{
		Key: "kobo_form", Version: 1, Title: en("Kobo form"),
		Languages: []surveys.LanguageStatus{{Code: "en", Status: surveys.StatusDraft}},
		Lists: []surveys.ChoiceList{{Name: "colours", Choices: []surveys.Choice{
			{Value: "red", Label: en("Red")}, {Value: "blue", Label: en("Blue")}}}},
		Pages: []surveys.Page{
			{Key: "about", Title: en("About you"), Questions: []surveys.Question{
				{Key: "colour", Type: surveys.TypeSingle, List: "colours", Text: en("Favourite colour"), Help: en("Pick one"), Required: true},
				{Key: "age", Type: surveys.TypeNumber, Text: en("Age"), Required: true},
				{Key: "agree", Type: surveys.TypeYesNo, Text: en("Do you agree?")},
				{Key: "notes", Type: surveys.TypeLongText, Text: en("Notes"), ShowIf: "${agree} = 'yes'"},
			}},
			{Key: "page_2", Questions: []surveys.Question{
				{Key: "thanks", Type: surveys.TypeInfo, Text: en("Thank you")},
				{Key: "more", Type: surveys.TypeMulti, List: "colours", Text: en("More colours"), ShowIf: "selected(${colour}, 'red')"},
			}},
		},
	}
	if !reflect.DeepEqual(normalize(got), normalize(want)) {
		t.Errorf("%s", diff(normalize(got), normalize(want)))
	}
}

// FuzzReadXLSForm varies the cells of one question of a valid form. Reading
// must not panic, must locate every problem, and a form it accepts must be
// valid and come back unchanged from WriteXLSForm.
func FuzzReadXLSForm(f *testing.F) {
	for _, seed := range [][4]string{
		{"select_one c", "q2", "${q1} = 'dk'", "yes"}, {"integer", "q2", "${q1} >= 3 and not(${q1} = 'dk')", "TRUE"},
		{"select_one yn", "q2", "", ""}, {"select_multiple c", "q2", "selected(${q1}, '2')", "no"},
		{"text", "q2", "", "1"}, {"note", "q2", "", "yes"}, {"begin_repeat", "r", "", ""}, {"calculate", "c", "1 + 1", ""},
		{"select_one nope", "Q 2", "${q2} + 1", "maybe"}, {"begin_group", "g", "", ""}, {"end_group", "", "", ""},
		{"select one s", "q1", "${q3} = 'x'", "false"}, {"", "", "", ""}, {"select_one s or_other", "q2", "((", "yes"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	scale := [][]string{{"list_name", "name", "label::Norsk bokmål (nb)"}}
	for _, v := range []string{"1", "2", "3", "4", "5", "6", "dk"} {
		scale = append(scale, []string{"s", v, "S" + v})
	}
	choices := sheet{"choices", append(scale, []string{"c", "a", "A"}, []string{"c", "b", "B"},
		[]string{"yn", "yes", "Ja"}, []string{"yn", "no", "Nei"})}
	others := []sheet{choices,
		{"settings", [][]string{{"form_title", "form_id"}, {"F", "f"}}},
		{"focus_areas", [][]string{{"key", "label::Norsk bokmål (nb)"}, {"a", "A"}}}}
	f.Fuzz(func(t *testing.T, typ, name, relevant, required string) {
		rows := [][]string{
			{"type", "name", "label::Norsk bokmål (nb)", "required", "relevant", "focus_area"},
			{"begin_group", "p", "P"},
			{"select_one s", "q1", "Q1", "yes", "", "a"},
			{typ, name, "Q2", required, relevant},
			{"text", "q3", "Q3", "", "${q1} = '1'"},
			{"end_group"},
		}
		in, err := surveys.ReadXLSForm(bytes.NewReader(workbook(t, append([]sheet{{"survey", rows}}, others...)...)))
		if err != nil {
			var errs surveys.XLSFormErrors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %v is not a list of located problems", err)
			}
			for _, e := range errs {
				if e.Sheet == "" || e.Message == "" || e.Row < 0 || e.Row > len(rows) {
					t.Fatalf("problem without a place or a message: %+v", e)
				}
			}
			return
		}
		if err := in.Validate(); err != nil {
			t.Fatalf("accepted an invalid instrument: %v", err)
		}
		var b bytes.Buffer
		if err := surveys.WriteXLSForm(&b, in); err != nil {
			t.Fatal(err)
		}
		again, err := surveys.ReadXLSForm(&b)
		if err != nil {
			t.Fatalf("the written form does not read back: %v", err)
		}
		if !reflect.DeepEqual(normalize(again), normalize(in)) {
			t.Fatalf("changed on the way back:\n%s", diff(normalize(again), normalize(in)))
		}
	})
}
