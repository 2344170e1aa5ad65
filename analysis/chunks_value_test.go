package analysis

import (
	"reflect"
	"testing"

	"github.com/stemme/stemme/surveys"
)

// TestPackValueOfEveryForm: every form of answer packs to its cell and
// unpacks to the same answer; no answer packs to the empty cell. (packValue
// once took any value, and an int recursed until the stack overflowed; an
// answer has no int form to pass it.)
func TestPackValueOfEveryForm(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   surveys.Answer
		cell string
	}{
		{"choice", surveys.ChoiceAnswer("5"), "s5"},
		{"don't know", surveys.DontKnowAnswer(), "sdk"},
		{"text with a unit separator", surveys.TextAnswer("a\x1fb"), "sa\x1fb"},
		{"empty text", surveys.TextAnswer(""), "s"},
		{"number", surveys.NumberAnswer(42.5), "n42.5"},
		{"negative number", surveys.NumberAnswer(-3), "n-3"},
		{"large number", surveys.NumberAnswer(1 << 40), "n1.099511627776e+12"},
		{"choices", surveys.ChoicesAnswer("a", "b"), "ma\x1fb"},
		{"nothing ticked", surveys.ChoicesAnswer(), "m"},
		{"no answer", surveys.Answer{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cell := packValue(tc.in)
			if cell != tc.cell {
				t.Fatalf("packValue(%v) = %q, want %q", tc.in, cell, tc.cell)
			}
			got, ok := unpackValue(cell)
			if ok == tc.in.IsZero() || !reflect.DeepEqual(got, tc.in) {
				t.Fatalf("unpackValue(%q) = %v, %v; want %v", cell, got, ok, tc.in)
			}
		})
	}
	for _, bad := range []string{"x5", "nfive"} {
		if a, ok := unpackValue(bad); ok {
			t.Errorf("unpackValue(%q) = %v", bad, a)
		}
	}
}
