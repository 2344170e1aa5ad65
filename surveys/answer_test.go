package surveys

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestAnswerForms: each constructor gives one form, read by its accessor
// and by no other; Choice and Text read the same string; the zero Answer
// is no answer; an empty text and nothing ticked are answers that say
// nothing.
func TestAnswerForms(t *testing.T) {
	for _, tc := range []struct {
		name     string
		a        Answer
		str      string // Choice and Text, when ok
		strOK    bool
		choices  []string
		listOK   bool
		number   float64
		numOK    bool
		answered bool
	}{
		{"no answer", Answer{}, "", false, nil, false, 0, false, false},
		{"choice", ChoiceAnswer("5"), "5", true, nil, false, 0, false, true},
		{"don't know", DontKnowAnswer(), DontKnow, true, nil, false, 0, false, true},
		{"text", TextAnswer("Takk!"), "Takk!", true, nil, false, 0, false, true},
		{"empty text", TextAnswer(""), "", true, nil, false, 0, false, false},
		{"choices", ChoicesAnswer("a", "c"), "", false, []string{"a", "c"}, true, 0, false, true},
		{"nothing ticked", ChoicesAnswer(), "", false, []string{}, true, 0, false, false},
		{"number", NumberAnswer(54), "", false, nil, false, 54, true, true},
		{"zero", NumberAnswer(0), "", false, nil, false, 0, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			if a.IsZero() != (tc.name == "no answer") {
				t.Errorf("IsZero = %v", a.IsZero())
			}
			if s, ok := a.Choice(); ok != tc.strOK || s != tc.str {
				t.Errorf("Choice = %q, %v", s, ok)
			}
			if s, ok := a.Text(); ok != tc.strOK || s != tc.str {
				t.Errorf("Text = %q, %v", s, ok)
			}
			if l, ok := a.Choices(); ok != tc.listOK || !reflect.DeepEqual(l, tc.choices) {
				t.Errorf("Choices = %#v, %v", l, ok)
			}
			if x, ok := a.Number(); ok != tc.numOK || x != tc.number {
				t.Errorf("Number = %v, %v", x, ok)
			}
			if a.Answered() != tc.answered {
				t.Errorf("Answered = %v", a.Answered())
			}
		})
	}
	codes := []string{"a", "b"}
	a := ChoicesAnswer(codes...)
	codes[0] = "changed"
	if l, _ := a.Choices(); l[0] != "a" {
		t.Error("ChoicesAnswer shares the caller's slice")
	}
}

// TestAnswerJSON: every form is written as the stored answers always were
// (a JSON string, an array of strings, a number, null) and read back
// equal, strings with escapes and invalid UTF-8 as encoding/json reads
// them; what no version of stemme stored is refused.
func TestAnswerJSON(t *testing.T) {
	for _, tc := range []struct {
		a    Answer
		json string
	}{
		{Answer{}, `null`},
		{ChoiceAnswer("5"), `"5"`},
		{TextAnswer(`<b>"Takk"</b> & ÆØÅ` + "\n\u2028"), `"<b>\"Takk\"</b> & ÆØÅ\n\u2028"`},
		{TextAnswer(""), `""`},
		{ChoicesAnswer("a", "<c>"), `["a","<c>"]`},
		{ChoicesAnswer(), `[]`},
		{NumberAnswer(54), `54`},
		{NumberAnswer(-0.5), `-0.5`},
		{NumberAnswer(1e21), `1e+21`},
		{NumberAnswer(123456789.125), `123456789.125`},
	} {
		b, err := json.Marshal(tc.a)
		if err != nil {
			t.Fatal(err)
		}
		// json.Marshal escapes HTML around MarshalJSON; String does not.
		if want := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(tc.json); string(b) != want {
			t.Errorf("json.Marshal(%v) = %s, want %s", tc.a, b, want)
		}
		if tc.a.String() != tc.json {
			t.Errorf("String() = %s, want %s", tc.a.String(), tc.json)
		}
		var back Answer
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, tc.a) {
			t.Errorf("%s read back as %#v, %v; want %#v", b, back, err, tc.a)
		}
	}
	for in, want := range map[string]Answer{
		`"a\u00e6\"b"`:  TextAnswer(`aæ"b`),
		"\"a\xffb\"":    TextAnswer("a\ufffdb"),
		`"\ud800"`:      TextAnswer("\ufffd"),
		`5e-1`:          NumberAnswer(0.5),
		`[ "a" , "b" ]`: ChoicesAnswer("a", "b"),
	} {
		var got Answer
		if err := json.Unmarshal([]byte(in), &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s read as %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, bad := range []string{`true`, `false`, `{}`, `[1]`, `1e400`} {
		var as Answers
		if err := json.Unmarshal([]byte(`{"q":`+bad+`}`), &as); err == nil {
			t.Errorf("answer %s read as %v", bad, as["q"])
		}
	}
}

// TestAnswerBSON: the first stored format, answers as BSON values, reads
// numbers of every width as one number and lists as codes; what no version
// stored is refused. An int could once reach the chunk codec and recurse
// until the stack overflowed; there is no int form to reach it now.
func TestAnswerBSON(t *testing.T) {
	doc := bson.D{{Key: "s", Value: "child"}, {Key: "i32", Value: int32(54)}, {Key: "i64", Value: int64(-3)},
		{Key: "d", Value: 0.5}, {Key: "l", Value: bson.A{"a", "c"}}, {Key: "e", Value: bson.A{}}, {Key: "n", Value: nil}}
	raw, err := bson.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got Answers
	if err := bson.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := Answers{"s": TextAnswer("child"), "i32": NumberAnswer(54), "i64": NumberAnswer(-3), "d": NumberAnswer(0.5),
		"l": ChoicesAnswer("a", "c"), "e": ChoicesAnswer(), "n": {}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read %v, want %v", got, want)
	}
	// Written natively (what the storage measurement compares), read back equal.
	raw, err = bson.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var again Answers
	if err := bson.Unmarshal(raw, &again); err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("native round trip %v, %v", again, err)
	}
	for name, bad := range map[string]any{"bool": true, "document": bson.D{}, "list of numbers": bson.A{1}} {
		raw, _ := bson.Marshal(bson.D{{Key: "q", Value: bad}})
		var as Answers
		if err := bson.Unmarshal(raw, &as); err == nil {
			t.Errorf("%s read as %v", name, as["q"])
		}
	}
}
