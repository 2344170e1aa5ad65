package surveys

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseConstraint(t *testing.T) {
	valid := []struct{ in, want string }{
		{". >= 18 and . <= 120", ". >= 18 and . <= 120"},
		{".!=''", ". != ''"},
		{"selected(., 'none') or not(selected(., 'all'))", "selected(., 'none') or not(selected(., 'all'))"},
		{". < ${max}", ". < ${max}"},
		{"${age} > 17", "${age} > 17"},
	}
	for _, tt := range valid {
		c, err := ParseConstraint(tt.in)
		if err != nil {
			t.Errorf("ParseConstraint(%q): %v", tt.in, err)
			continue
		}
		if c.String() != tt.want {
			t.Errorf("ParseConstraint(%q) = %q, want %q", tt.in, c.String(), tt.want)
		}
		if again, err := ParseConstraint(c.String()); err != nil || again != c {
			t.Errorf("round trip of %q: %v", tt.in, err)
		}
		if strings.Contains(c.refs, ".") {
			t.Errorf("%q: the answer checked is not a reference: %q", tt.in, c.Refs())
		}
	}
	invalid := []struct {
		in, id string
		col    int
	}{
		{"regex(., '^[0-9]+$')", "function", 1},
		{"string-length(.) < 10", "function", 1},
		{". > .5", "char_dot_number", 5},
		{"../x = 1", "char_path", 1},
		{". + 1 > 2", "char_arith", 3},
		{"age > 1", "unknown_word", 1},
	}
	for _, tt := range invalid {
		_, err := ParseConstraint(tt.in)
		var ee *ExprError
		if !errors.As(err, &ee) || ee.ID != tt.id || ee.Column != tt.col || ee.Args["Column"] != tt.col {
			t.Errorf("ParseConstraint(%q) = %#v, want %s at column %d", tt.in, err, tt.id, tt.col)
		}
	}
	// "." belongs to constraints only.
	if _, err := ParseCondition(". > 1"); err == nil {
		t.Error("a relevant accepted '.'")
	}
}

func TestConstraintAllows(t *testing.T) {
	a := Answers{"max": NumberAnswer(10), "kind": ChoiceAnswer("other")}
	tests := []struct {
		cond string
		v    Answer
		want bool
	}{
		{". >= 18 and . <= 120", NumberAnswer(40), true},
		{". >= 18 and . <= 120", NumberAnswer(17), false},
		{". >= 18 and . <= 120", TextAnswer("40"), true},
		{". < ${max}", NumberAnswer(9), true},
		{". < ${max}", NumberAnswer(11), false},
		{". != 'nothing'", TextAnswer("nothing"), false},
		{". != 'nothing'", TextAnswer("something"), true},
		{"not(selected(., 'none') and selected(., 'some'))", ChoicesAnswer("none", "some"), false},
		{"not(selected(., 'none') and selected(., 'some'))", ChoicesAnswer("none"), true},
		{"${kind} = 'other' or . = ''", TextAnswer("x"), true},
	}
	for _, tt := range tests {
		c, err := ParseConstraint(tt.cond)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Allows(a, tt.v); got != tt.want {
			t.Errorf("%s with %v: %v, want %v", tt.cond, tt.v, got, tt.want)
		}
	}
}

func TestParseChoiceFilter(t *testing.T) {
	c, err := ParseChoiceFilter("county=${county} and name != 'none' or selected(${wanted}, name)")
	if err != nil {
		t.Fatal(err)
	}
	if want := "county = ${county} and name != 'none' or selected(${wanted}, name)"; c.String() != want {
		t.Errorf("String %q, want %q", c.String(), want)
	}
	if !reflect.DeepEqual(c.Refs(), []string{"county", "wanted"}) || !reflect.DeepEqual(c.Columns(), []string{"county", "name"}) {
		t.Errorf("refs %q, columns %q", c.Refs(), c.Columns())
	}
	if again, err := ParseChoiceFilter(c.String()); err != nil || again != c {
		t.Errorf("round trip: %v", err)
	}
	a := Answers{"county": ChoiceAnswer("agder"), "wanted": ChoicesAnswer("bergen")}
	towns := []struct {
		ch   Choice
		want bool
	}{
		{Choice{Value: "arendal", Filter: map[string]string{"county": "agder"}}, true},
		{Choice{Value: "bergen", Filter: map[string]string{"county": "vestland"}}, true},
		{Choice{Value: "voss", Filter: map[string]string{"county": "vestland"}}, false},
		{Choice{Value: "none", Filter: map[string]string{"county": "agder"}}, false},
		{Choice{Value: "nowhere"}, false},
	}
	for _, tt := range towns {
		if got := c.Keeps(a, tt.ch); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.ch.Value, got, tt.want)
		}
	}
	// A bare word is a column in filters only, and functions stay refused.
	for _, s := range []string{"county = ${county}"} {
		if _, err := ParseCondition(s); err == nil {
			t.Errorf("relevant %q accepted a bare word", s)
		}
	}
	if _, err := ParseChoiceFilter("starts-with(name, 'a')"); err == nil {
		t.Error("a function was accepted in a filter")
	}
}

func TestConditionComparesTwoAnswers(t *testing.T) {
	a := Answers{"a": TextAnswer("x"), "b": TextAnswer("x"), "c": TextAnswer("y"), "n": NumberAnswer(3), "m": TextAnswer("4"), "none": {}}
	for cond, want := range map[string]bool{
		"${a} = ${b}": true, "${a} = ${c}": false, "${a} != ${c}": true, "${n} < ${m}": true,
		"${n} > ${m}": false, "${none} = ${missing}": true, "${n} = ${a}": false,
	} {
		c, err := ParseCondition(cond)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Eval(a); got != want {
			t.Errorf("%s: %v, want %v", cond, got, want)
		}
	}
}
