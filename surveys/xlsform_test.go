package surveys_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// sheet is one sheet of a workbook built for a test, row by row from A1.
type sheet struct {
	name string
	rows [][]string
}

func workbook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		var err error
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(sh.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// normalize makes nil and empty maps and slices alike, and clears what an
// XLSForm does not carry by design: the store id and publication status.
func normalize(in *surveys.Instrument) *surveys.Instrument {
	c := *in
	c.ID, c.Status = "", ""
	text := func(t surveys.Text) surveys.Text {
		if len(t) == 0 {
			return nil
		}
		return t
	}
	c.Title, c.Intro = text(c.Title), text(c.Intro)
	c.Languages = append([]surveys.LanguageStatus(nil), c.Languages...)
	c.FocusAreas = nil
	for _, a := range in.FocusAreas {
		c.FocusAreas = append(c.FocusAreas, surveys.FocusArea{Key: a.Key, Name: text(a.Name)})
	}
	c.Lists = nil
	for _, l := range in.Lists {
		nl := surveys.ChoiceList{Name: l.Name}
		for _, ch := range l.Choices {
			f := ch.Filter
			if len(f) == 0 {
				f = nil
			}
			nl.Choices = append(nl.Choices, surveys.Choice{Value: ch.Value, Label: text(ch.Label), Filter: f})
		}
		c.Lists = append(c.Lists, nl)
	}
	c.Pages = nil
	for _, p := range in.Pages {
		np := surveys.Page{Key: p.Key, Title: text(p.Title)}
		for _, q := range p.Questions {
			q.Text, q.Help, q.ConstraintMsg = text(q.Text), text(q.Help), text(q.ConstraintMsg)
			np.Questions = append(np.Questions, q)
		}
		c.Pages = append(c.Pages, np)
	}
	return &c
}

func TestXLSFormRoundTripsTheBuiltInInstruments(t *testing.T) {
	ins, err := builtin.Instruments()
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 {
		t.Fatalf("%d built-in instruments, want parorende and parorende_ung", len(ins))
	}
	for _, in := range ins {
		t.Run(in.Key, func(t *testing.T) {
			var b bytes.Buffer
			if err := surveys.WriteXLSForm(&b, in); err != nil {
				t.Fatal(err)
			}
			got, err := surveys.ReadXLSForm(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != "" || got.Status != "" {
				t.Errorf("an imported instrument has id %q and status %q; storing sets them", got.ID, got.Status)
			}
			if want := normalize(in); !reflect.DeepEqual(normalize(got), want) {
				t.Errorf("the instrument changed on the way through XLSForm:\n%s", diff(normalize(got), want))
			}
		})
	}
}

// diff names the first differing question, or else the rest of the
// instrument, which reflect.DeepEqual alone does not.
func diff(got, want *surveys.Instrument) string {
	for i := range min(len(got.Pages), len(want.Pages)) {
		g, w := got.Pages[i], want.Pages[i]
		for j := range min(len(g.Questions), len(w.Questions)) {
			if !reflect.DeepEqual(g.Questions[j], w.Questions[j]) {
				return fmt.Sprintf("got  %+v\nwant %+v", g.Questions[j], w.Questions[j])
			}
		}
	}
	g, w := *got, *want
	return fmt.Sprintf("got  %+v\nwant %+v", g, w)
}

var (
	settingsEnNb = sheet{"settings", [][]string{
		{"form_title", "form_id", "default_language", "title::Norsk bokmål (nb)"},
		{"Test", "test", "English (en)", "Prøve"}}}
	choicesEnNb = sheet{"choices", [][]string{
		{"list_name", "name", "label::English (en)", "label::Norsk bokmål (nb)"},
		{"colours", "red", "Red", "Rød"},
		{"colours", "blue", "Blue", "Blå"}}}
	surveyHeaderEnNb = []string{"type", "name", "label::English (en)", "label::Norsk bokmål (nb)", "relevant", "calculation"}
)

// TestReadXLSFormListsEveryProblem reads a form with many faults at once:
// each must be reported at its cell, in sheet, row and column order.
func TestReadXLSFormListsEveryProblem(t *testing.T) {
	file := workbook(t, sheet{"survey", [][]string{
		surveyHeaderEnNb,
		{"begin_group", "p1", "Page", "Side"},
		{"select_one colours", "colour", "Colour", "Farge"},
		{"begin_repeat", "kids", "Kids", "Barn"},
		{"text", "kid_name", "Name", "Navn"},
		{"end_repeat"},
		{"calculate", "total", "", "", "", "1 + 1"},
		{"select_one sizes", "size", "Size", "Størrelse"},
		{"text", "Bad Name", "Bad", "Dårlig"},
		{"integer", "age", "Age", "Alder", "${colour} + 1"},
		{"text", "comment", "", "Kommentar"},
		{"end_group"},
	}}, choicesEnNb, settingsEnNb)
	want := []struct{ at, id, says string }{
		{"survey!F1", "column_calculation", `Stemme does not read the column "calculation" (calculations are not supported)`},
		{"survey!A4", "type_repeat", "repeats are not supported"},
		{"survey!A6", "type_repeat", "repeats are not supported"},
		{"survey!A7", "type_calculate", "calculations are not supported"},
		{"survey!A8", "list_unknown", `unknown list "sizes"`},
		{"survey!B9", "name_invalid", `the name "Bad Name" is not a valid key`},
		{"survey!E10", "expression", "relevant: column 11 (byte 10): unexpected '+': arithmetic is not supported"},
		{"survey!C11", "text_missing", "the label in en is missing"},
	}
	_, err := surveys.ReadXLSForm(bytes.NewReader(file))
	var errs surveys.XLSFormErrors
	if !errors.As(err, &errs) {
		t.Fatalf("error %v is not XLSFormErrors", err)
	}
	for i := range max(len(errs), len(want)) {
		switch {
		case i >= len(errs):
			t.Errorf("missing %s: %s", want[i].at, want[i].says)
		case i >= len(want):
			t.Errorf("unexpected %v", errs[i])
		case errs[i].Position() != want[i].at || !strings.Contains(errs[i].Message, want[i].says) || errs[i].ID != "xlsform.problem."+want[i].id:
			t.Errorf("problem %d is %v (%s), want %s: %s …%s…", i, errs[i], errs[i].ID, want[i].at, want[i].id, want[i].says)
		}
	}
	if !strings.HasPrefix(err.Error(), "surveys: the XLSForm has 8 problems: survey!F1: ") {
		t.Errorf("error text %q", err)
	}
	if d := errs[6].Detail; d == nil || d.ID != "char_arith" || d.Column != 11 {
		t.Errorf("the syntax error's own message is %+v, want char_arith at column 11", d)
	}
}

// A small English form for the cases below: the survey rows vary.
var (
	surveyHeader = []string{"type", "name", "label::English (en)", "required", "relevant", "focus_area", "segment"}
	choicesEn    = sheet{"choices", [][]string{{"list_name", "name", "label::English (en)"},
		{"s", "1", "1"}, {"s", "2", "2"}, {"s", "3", "3"}, {"s", "4", "4"}, {"s", "5", "5"}, {"s", "6", "6"}, {"s", "dk", "?"},
		{"c", "a", "A"}, {"c", "b", "B"}}}
	settingsEn   = sheet{"settings", [][]string{{"form_title", "form_id", "version"}, {"T", "t", ""}}}
	focusAreasEn = sheet{"focus_areas", [][]string{{"key", "label::English (en)"}, {"a", "A"}}}
)

func TestReadXLSFormRejects(t *testing.T) {
	tests := []struct {
		name   string
		survey [][]string
		extra  []sheet // replace the default sheet of the same name, or add one
		want   []string
		says   string // in the first problem
	}{
		{"group not closed", [][]string{{"begin_group", "p"}, {"text", "x", "X"}}, nil, []string{"survey!A2"}, "is not closed"},
		{"end without begin", [][]string{{"text", "x", "X"}, {"end_group"}}, nil, []string{"survey!A3"}, "without a begin_group"},
		{"name used twice", [][]string{{"text", "x", "X"}, {"note", "x", "Y"}}, nil, []string{"survey!B3"}, "already used in row 2"},
		{"relevant on a later question", [][]string{{"text", "x", "X", "", "${y} = 'a'"}, {"text", "y", "Y"}}, nil,
			[]string{"survey!E2"}, "${y}, which is not a question above"},
		{"relevant on itself", [][]string{{"text", "x", "X", "", "${x} = 'a'"}}, nil, []string{"survey!E2"}, "not a question above"},
		{"metadata", [][]string{{"deviceid", "deviceid"}, {"phonenumber", "phone"}, {"text", "x", "X"}}, nil,
			[]string{"survey!A2", "survey!A3"}, "anonymous"},
		{"location", [][]string{{"geopoint", "where", "Where?"}}, nil, []string{"survey!A2"}, "locations (geopoint) are not collected"},
		{"media", [][]string{{"image", "photo", "Photo?"}}, nil, []string{"survey!A2"}, "pictures, sound and files (image)"},
		{"unknown type", [][]string{{"speak", "x", "X"}}, nil, []string{"survey!A2"}, `type "speak" is not supported`},
		{"from file", [][]string{{"select_one_from_file towns.csv", "town", "Town"}}, nil, []string{"survey!A2"}, "from a file"},
		{"or_other with a choice filter", nil, []sheet{{"survey", [][]string{append(surveyHeader, "choice_filter"),
			{"select_one c or_other", "x", "X", "", "", "", "", "name != 'a'"}}}}, []string{"survey!H2"}, "or_other cannot go together"},
		{"required maybe", [][]string{{"text", "x", "X", "maybe"}}, nil, []string{"survey!D2"}, "must be yes, no or a condition"},
		{"required on a later question", [][]string{{"text", "x", "X", "${y} = 'a'"}, {"text", "y", "Y"}}, nil,
			[]string{"survey!D2"}, "${y}, which is not a question above"},
		{"names that collide", [][]string{{"text", "Age", "X"}, {"text", "age", "Y"}, {"text", "AGE", "Z"}}, nil,
			[]string{"survey!B3", "survey!B4"}, `the name "age" is already used in row 2`},
		{"read only", [][]string{{"text", "x", "X"}}, []sheet{{"survey", [][]string{{"type", "name", "label::English (en)", "read_only"},
			{"text", "x", "X", "yes"}}}}, []string{"survey!D2"}, "read-only"},
		{"a default", [][]string{{"text", "x", "X"}}, []sheet{{"survey", [][]string{{"type", "name", "label::English (en)", "default"},
			{"text", "x", "X", "hello"}}}}, []string{"survey!D1"}, "default answers"},
		{"media column", [][]string{{"text", "x", "X"}}, []sheet{{"survey", [][]string{{"type", "name", "label::English (en)", "media::image::English (en)"},
			{"text", "x", "X", "x.png"}}}}, []string{"survey!D1"}, "images, sound or video"},
		{"search appearance", [][]string{{"text", "x", "X"}}, []sheet{{"survey", [][]string{{"type", "name", "label::English (en)", "appearance"},
			{"select_one c", "x", "X", "search('towns')"}}}}, []string{"survey!D2"}, "reads choices from a file"},
		{"constraint with a function", [][]string{{"text", "x", "X"}}, []sheet{{"survey", [][]string{{"type", "name", "label::English (en)", "constraint"},
			{"text", "x", "X", "regex(., '[0-9]+')"}}}}, []string{"survey!D2"}, "function regex() is not supported"},
		{"unknown focus area and segment", [][]string{{"select_one s", "x", "X", "", "", "b", "shoe_size"}}, nil,
			[]string{"survey!F2", "survey!G2"}, `unknown focus area "b"`},
		{"group relevant on a question inside", [][]string{{"begin_group", "p", "P", "", "${x} = 'a'"}, {"text", "x", "X"}, {"end_group"}}, nil,
			[]string{"survey!E2"}, "${x}, which is not a question above"},
		{"missing label column in the source language", [][]string{{"text", "x", "X"}},
			[]sheet{{"languages", [][]string{{"code", "status"}, {"nb", "reviewed"}, {"en", "draft"}}}},
			[]string{"survey!1:1", "choices!1:1", "focus_areas!1:1"}, "there is no label column for nb: add label::Norsk bokmål (nb)"},
		{"language unknown by name", [][]string{{"text", "x", "X"}},
			[]sheet{{"focus_areas", [][]string{{"key", "label::English (en)", "label::Klingonisch"}, {"a", "A", "A"}}}},
			[]string{"focus_areas!C1"}, `does not know the language "Klingonisch"`},
		{"language code invalid", [][]string{{"text", "x", "X"}},
			[]sheet{{"focus_areas", [][]string{{"key", "label::English (en)", "label::Norsk (norsk)"}, {"a", "A", "A"}}}},
			[]string{"focus_areas!C1"}, "is not a language code"},
		{"bad status", [][]string{{"text", "x", "X"}},
			[]sheet{{"languages", [][]string{{"code", "status"}, {"English (en)", "done"}}}}, []string{"languages!B2"}, "draft or reviewed"},
		{"bad form_id", [][]string{{"text", "x", "X"}},
			[]sheet{{"settings", [][]string{{"form_title", "form_id"}, {"T", "My form"}}}}, []string{"settings!B2"}, "not a valid key"},
		{"no settings and no file name", [][]string{{"text", "x", "X"}}, []sheet{{"settings", nil}}, []string{"settings"}, "form_id"},
		{"unknown sheet", [][]string{{"text", "x", "X"}},
			[]sheet{{"external_choices", [][]string{{"list_name"}, {"x"}}}}, []string{"external_choices"}, "not supported"},
		{"bad choices", [][]string{{"select_one Big!", "x", "X"}},
			[]sheet{{"choices", [][]string{{"list_name", "name", "label::English (en)"}, {"Big!", "Yes", "Y"}, {"Big!", "Yes", ""}}}},
			[]string{"choices!A2", "choices!B2", "choices!A3", "choices!B3", "choices!C3"}, `list_name "big!" is not valid`},
		{"no questions", nil, nil, []string{"survey"}, "no questions"},
		{"too wide", [][]string{append(make([]string, 299), "far")}, nil, []string{"survey!2:2"}, "more than 256 columns"},
		{"too long", append(make([][]string, 5000), []string{"text", "x", "X"}), nil, []string{"survey!5002:5002"}, "more than 5000 rows"},
		{"value without header", [][]string{{"text", "x", "X", "", "", "", "", "stray"}}, nil, []string{"survey!H1"}, "no header"},
		// Validate's problems, located at their rows.
		{"scale item without focus area", [][]string{{"select_one s", "x", "X"}}, nil, []string{"survey!F2"}, "needs a focus area"},
		{"segment on multiple choice", [][]string{{"select_multiple c", "relation", "X", "", "", "", "relation"}}, nil,
			[]string{"survey!G2"}, "must be single choice"},
		{"required note", [][]string{{"note", "x", "X", "yes"}}, nil, []string{"survey!D2"}, "cannot be required"},
		{"empty group", [][]string{{"begin_group", "p", "P"}, {"end_group"}, {"text", "x", "X"}}, nil, []string{"survey!A2"}, "at least one question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sheets := []sheet{{"survey", append([][]string{surveyHeader}, tt.survey...)}, choicesEn, settingsEn, focusAreasEn}
		extra:
			for _, x := range tt.extra {
				for i := range sheets {
					if sheets[i].name == x.name {
						if x.rows == nil {
							sheets = append(sheets[:i], sheets[i+1:]...)
						} else {
							sheets[i] = x
						}
						continue extra
					}
				}
				sheets = append(sheets, x)
			}
			_, err := surveys.ReadXLSForm(bytes.NewReader(workbook(t, sheets...)))
			var errs surveys.XLSFormErrors
			if !errors.As(err, &errs) {
				t.Fatalf("error %v, want XLSFormErrors", err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Position())
			}
			if !reflect.DeepEqual(got, tt.want) || !strings.Contains(errs[0].Message, tt.says) {
				t.Errorf("got %v\nwant at %v, the first saying …%s…", errs, tt.want, tt.says)
			}
		})
	}
}

func TestReadXLSFormNotAWorkbook(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("type,name\ntext,x\n"), bytes.Repeat([]byte{0}, 100)} {
		_, err := surveys.ReadXLSForm(bytes.NewReader(data))
		var errs surveys.XLSFormErrors
		if err == nil || errors.As(err, &errs) || !strings.HasPrefix(err.Error(), "surveys: ") {
			t.Errorf("%q: error %v, want a plain surveys: error", data, err)
		}
	}
}

// BenchmarkXLSForm measures writing the built-in survey (nine languages,
// 40 questions) as XLSForm and reading it back, as the browser does on
// download and upload.
func BenchmarkXLSForm(b *testing.B) {
	in, err := builtin.Instrument("parorende")
	if err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	if err := surveys.WriteXLSForm(&file, in); err != nil {
		b.Fatal(err)
	}
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			var out bytes.Buffer
			if err := surveys.WriteXLSForm(&out, in); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(file.Len()), "bytes/file")
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, err := surveys.ImportXLSForm(bytes.NewReader(file.Bytes()), "parorende.xlsx"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
