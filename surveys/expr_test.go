package surveys

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseConditionValid(t *testing.T) {
	tests := []struct {
		in, want string
		refs     []string
	}{
		{"${a} = 'x'", "${a} = 'x'", []string{"a"}},
		{`${a}="x"`, "${a} = 'x'", []string{"a"}},
		{`${a} != "it's"`, `${a} != "it's"`, []string{"a"}},
		{"${a} = ''", "${a} = ''", []string{"a"}},
		{"${n} > 3", "${n} > 3", []string{"n"}},
		{"${n}>=-2.50", "${n} >= -2.5", []string{"n"}},
		{"${n} < 0.5 and ${n} <= 10", "${n} < 0.5 and ${n} <= 10", []string{"n"}},
		{"${n} = 007", "${n} = 7", []string{"n"}},
		{"${n} != -0", "${n} != -0", []string{"n"}},
		{"selected( ${m} , 'b' )", "selected(${m}, 'b')", []string{"m"}},
		{"${a} = 'x' and not(selected(${b}, 'y'))", "${a} = 'x' and not(selected(${b}, 'y'))", []string{"a", "b"}},
		{"${a}='x'or${b}='y'and${c}=1", "${a} = 'x' or ${b} = 'y' and ${c} = 1", []string{"a", "b", "c"}},
		{"(${a}='x' or ${b}='y') and ${c}=1", "(${a} = 'x' or ${b} = 'y') and ${c} = 1", []string{"a", "b", "c"}},
		{"${c}=1 and (${a}='x' or ${b}='y')", "${c} = 1 and (${a} = 'x' or ${b} = 'y')", []string{"c", "a", "b"}},
		{"((${a} = 'x'))", "${a} = 'x'", []string{"a"}},
		{"${a}='1' and (${b}='2' and (${c}='3'))", "${a} = '1' and ${b} = '2' and ${c} = '3'", []string{"a", "b", "c"}},
		{"${a}='1' or (${b}='2' or ${a}='3')", "${a} = '1' or ${b} = '2' or ${a} = '3'", []string{"a", "b"}},
		{"(${a}='1' and ${b}='2') or ${c}='3'", "${a} = '1' and ${b} = '2' or ${c} = '3'", []string{"a", "b", "c"}},
		{"not(not(${a} = 'x' or ${b} = 'y'))", "not(not(${a} = 'x' or ${b} = 'y'))", []string{"a", "b"}},
		{"\t${a}\n=\r'x y'  ", "${a} = 'x y'", []string{"a"}},
		{"${q_2b} = 'æøå'", "${q_2b} = 'æøå'", []string{"q_2b"}},
		// Two answers compared, as pyxform allows.
		{"${a}=${b}", "${a} = ${b}", []string{"a", "b"}},
		{"${n} < ${m} or ${n} != 0", "${n} < ${m} or ${n} != 0", []string{"n", "m"}},
		{"${" + strings.Repeat("k", 64) + "} = 1", "${" + strings.Repeat("k", 64) + "} = 1", []string{strings.Repeat("k", 64)}},
	}
	for _, tt := range tests {
		c, err := ParseCondition(tt.in)
		if err != nil {
			t.Errorf("ParseCondition(%q): %v", tt.in, err)
			continue
		}
		if got := c.String(); got != tt.want {
			t.Errorf("ParseCondition(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		if got := c.Refs(); !reflect.DeepEqual(got, tt.refs) {
			t.Errorf("ParseCondition(%q).Refs() = %q, want %q", tt.in, got, tt.refs)
		}
		again, err := ParseCondition(c.String())
		if err != nil || again != c || !reflect.DeepEqual(again, c) {
			t.Errorf("round trip of %q: got %#v, %v; want %#v", tt.in, again, err, c)
		}
	}
}

func TestParseConditionInvalid(t *testing.T) {
	deep := strings.Repeat("not(", 33) + "${a} = 1" + strings.Repeat(")", 33)
	tests := []struct {
		in   string
		col  int
		want string
	}{
		{"", 1, "empty"},
		{"   ", 4, "empty"},
		{"${a}", 5, "expected a comparison"},
		{"${a} = ", 8, "expected 'text' or a number"},
		{"${a} = 'x", 8, "no closing '"},
		{`${a} = "x`, 8, `no closing "`},
		{"${a} == 'x'", 7, "expected 'text' or a number after ="},
		{"${a} = 'x' and", 15, "expected a condition"},
		{"and ${a} = 'x'", 1, "expected a condition"},
		{"${a} = 'x' ${b} = 'y'", 12, "expected and, or"},
		{"${a} = 'x' AND ${b} = 'y'", 12, `unknown word "AND"`},
		{"${a} = 'x')", 11, "no matching '('"},
		{"(${a} = 'x'", 12, "expected ')' to close the '(' at column 1"},
		{"not ${a} = 'x'", 5, "expected '(' after not"},
		{"not(${a} = 'x'", 15, "expected ')'"},
		{"${A} = 1", 3, `"A" is not a valid question key`},
		{"${1a} = 1", 3, "not a valid question key"},
		{"${" + strings.Repeat("k", 65) + "} = 1", 3, "not a valid question key"},
		{"${} = 1", 3, "not a valid question key"},
		{"${a b} = 1", 1, "refer to a question as ${key}"},
		{"$a = 1", 1, "refer to a question as ${key}"},
		{"a = 1", 1, `unknown word "a"`},
		{"'x' = ${a}", 1, "starts with the question"},
		{"${a} + 1 > 2", 6, "arithmetic"},
		{"${a} * 2 > 2", 6, "arithmetic"},
		{"${a} div 2 > 2", 6, "arithmetic (div)"},
		{"${a} = 1 - 2", 10, "arithmetic"},
		{". = 'x'", 1, "current question"},
		{"${a} = .5", 8, "current question"},
		{"${a} > 'x'", 8, "> compares numbers"},
		{"${a} <= ''", 9, "<= compares numbers"},
		{"count-selected(${a}) > 1", 1, "function count-selected() is not supported"},
		{"true()", 1, "function true() is not supported"},
		{"string-length(${a}) > 1", 1, "function string-length() is not supported"},
		{"${a} = today()", 8, "function today() is not supported"},
		{"selected(${a})", 14, "expected ','"},
		{"selected(${a}, 1)", 16, "choice value in quotes"},
		{"selected('x', ${a})", 10, "expected a question"},
		{"selected ${a}", 10, "expected '(' after selected"},
		{"${a} = and", 8, "expected 'text' or a number"},
		{"${a} = 'x' && ${b} = 'y'", 12, "write and"},
		{"${a} = 'x' || ${b} = 'y'", 12, "write or"},
		{"!(${a} = 'x')", 1, "write not(…)"},
		{"${a} = 'x' @", 12, "unexpected '@'"},
		{"${a} = 'x' and ${b} = ¤", 23, "unexpected '¤'"},
		{"${a} = 1" + strings.Repeat("0", 400), 8, "too large"},
		{"${a} = 'x'" + strings.Repeat(" ", 1991), 2001, "longer than 2000 bytes"},
		{strings.Repeat("${a}=1 or ", 199) + "${a}=1", 1, "once written out"},
		{deep, 132, "nested more than 32 levels"},
		{"${a} = 'x' and (${b} = 'y' or (${c} = 'z')", 43, "to close the '(' at column 16"},
	}
	for _, tt := range tests {
		c, err := ParseCondition(tt.in)
		if err == nil {
			t.Errorf("ParseCondition(%.60q) = %q, want an error", tt.in, c)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, fmt.Sprintf("column %d (byte ", tt.col)) || !strings.Contains(msg, tt.want) {
			t.Errorf("ParseCondition(%.60q) error = %q, want column %d and %q", tt.in, msg, tt.col, tt.want)
		}
		if c != (Condition{}) {
			t.Errorf("ParseCondition(%.60q) returned %v with its error", tt.in, c)
		}
	}
}

func TestConditionEval(t *testing.T) {
	a := Answers{
		"scale": ChoiceAnswer("4"), "dk": DontKnowAnswer(), "single": ChoiceAnswer("nurse"), "yes": ChoiceAnswer("yes"),
		"text": TextAnswer("it's fine"), "empty": TextAnswer(""), "multi": ChoicesAnswer("a", "b"), "one": ChoicesAnswer("a"),
		"none": ChoicesAnswer(), "num": NumberAnswer(3.5), "zero": NumberAnswer(0),
	}
	tests := []struct {
		cond string
		want bool
	}{
		{"${single} = 'nurse'", true},
		{"${single} = 'Nurse'", false},
		{"${single} != 'nurse'", false},
		{"${single} != 'doctor'", true},
		{`${text} = "it's fine"`, true},
		// Unanswered and empty read as the empty text.
		{"${missing} = 'x'", false},
		{"${missing} != 'x'", true},
		{"${missing} = ''", true},
		{"${missing} != ''", false},
		{"${empty} = ''", true},
		{"${empty} != 'x'", true},
		{"${none} = ''", true},
		{"${single} = ''", false},
		{"${single} != ''", true},
		{"${num} = ''", false},
		{"${num} != ''", true},
		// Numbers: scale values parse, "dk" does not.
		{"${scale} > 3", true},
		{"${scale} >= 4", true},
		{"${scale} > 4", false},
		{"${scale} < 4.5", true},
		{"${scale} <= 3", false},
		{"${scale} = 4", true},
		{"${scale} = 4.0", true},
		{"${scale} != 4", false},
		{"${scale} = '4'", true},
		{"${scale} = '4.0'", false},
		{"${dk} > 3", false},
		{"${dk} < 3", false},
		{"${dk} = 3", false},
		{"${dk} != 3", true},
		{"${dk} = 'dk'", true},
		{"${missing} > 0", false},
		{"${missing} < 0", false},
		{"${missing} = 0", false},
		{"${missing} != 0", true},
		{"${num} = 3.5", true},
		{"${num} > -1", true},
		{"${num} < 3.5", false},
		{"${num} <= 3.5", true},
		{"${num} = '3.5'", true},
		{"${num} = '3.50'", true},
		{"${num} != 'x'", true},
		{"${zero} = -0", true},
		{"${zero} >= 0", true},
		{"${text} > 1", false},
		{"${multi} > 1", false},
		// selected: multiple choice contains, single choice equals.
		{"selected(${multi}, 'b')", true},
		{"selected(${multi}, 'c')", false},
		{"selected(${one}, 'a')", true},
		{"selected(${none}, 'a')", false},
		{"selected(${single}, 'nurse')", true},
		{"selected(${single}, 'nur')", false},
		{"selected(${missing}, 'a')", false},
		{"selected(${empty}, '')", false},
		{"selected(${num}, '3.5')", false},
		{"${multi} = 'a b'", true},
		{"${one} = 'a'", true},
		// Logic and precedence.
		{"${yes} = 'yes' and ${scale} > 3", true},
		{"${yes} = 'yes' and ${scale} > 4", false},
		{"${yes} = 'no' or ${scale} > 3", true},
		{"${yes} = 'no' or ${scale} > 4", false},
		{"${yes} = 'no' and ${scale} > 4 or ${num} = 3.5", true},
		{"${yes} = 'no' and (${scale} > 4 or ${num} = 3.5)", false},
		{"${num} = 3.5 or ${yes} = 'no' and ${scale} > 4", true},
		{"(${num} = 3.5 or ${yes} = 'no') and ${scale} > 4", false},
		{"not(${yes} = 'yes')", false},
		{"not(selected(${multi}, 'c'))", true},
		{"not(not(${yes} = 'yes'))", true},
		{"not(${missing} = 'x') and not(${missing} > 1)", true},
	}
	for _, tt := range tests {
		c, err := ParseCondition(tt.cond)
		if err != nil {
			t.Fatalf("ParseCondition(%q): %v", tt.cond, err)
		}
		if got := c.Eval(a); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.cond, got, tt.want)
		}
	}
}

func TestConditionZeroValue(t *testing.T) {
	var c Condition
	if !c.Eval(nil) || !c.Eval(Answers{"a": TextAnswer("x")}) || c.String() != "" || len(c.Refs()) != 0 {
		t.Errorf("zero Condition: Eval %v, String %q, Refs %q", c.Eval(nil), c.String(), c.Refs())
	}
	c, err := ParseCondition("${a} != 'x'")
	if err != nil || !c.Eval(nil) {
		t.Errorf("Eval(nil) = false, err %v; want true", err)
	}
}

func TestConditionLimits(t *testing.T) {
	nested := strings.Repeat("not(", 16) + strings.Repeat("(", 16) + "${a} = 1" + strings.Repeat(")", 32)
	long := "${a} = '" + strings.Repeat("x", 1990) + "'"
	for _, s := range []string{nested, long} {
		c, err := ParseCondition(s)
		if err != nil {
			t.Fatalf("ParseCondition(%.40q…): %v", s, err)
		}
		if again, err := ParseCondition(c.String()); err != nil || again != c {
			t.Errorf("round trip of %.40q…: %v", s, err)
		}
	}
}

// evalAnswers are the fixed answer maps FuzzParseCondition evaluates with.
var evalAnswers = []Answers{
	nil,
	{},
	{"a": ChoiceAnswer("1"), "b": TextAnswer("x"), "c": ChoicesAnswer("x", "y"), "d": NumberAnswer(2.5)},
	{"a": DontKnowAnswer(), "b": TextAnswer(""), "c": ChoicesAnswer(), "d": NumberAnswer(-1), "e": {}},
	{"a": NumberAnswer(6), "b": ChoicesAnswer("1"), "c": ChoiceAnswer("6"), "d": TextAnswer("  -3.25 ")},
}

func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{
		"${a} = 'x'", `${a} != "it's"`, "${a} = ''", "${n} > 3", "${n}>=-2.50", "${n} <= 0.5",
		"selected(${m}, 'b')", "not(selected(${b}, 'y'))", "${a} = 'x' and not(selected(${b}, 'y'))",
		"${a}='x'or${b}='y'and${c}=1", "(${a}='x' or ${b}='y') and ${c}=1", "((${a} = 1))",
		"not(not(${a} = 'x' or ${b} = 'y'))", "${a} = 1 and (${b} = 2 and (${c} = 3 or ${d} = 4))",
		"${a} + 1", "count(${a}) > 1", ". = 'x'", "${a} = 'x", "(${a} = 1", "${A} = 1",
		"${a} = 007.10", "\t${a}\n!=\r-0 ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s)
		for _, a := range evalAnswers {
			c.Eval(a)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "column ") {
				t.Fatalf("ParseCondition(%q) error %q does not name the column", s, err)
			}
			return
		}
		text := c.String()
		again, err := ParseCondition(text)
		if err != nil {
			t.Fatalf("ParseCondition(%q) gave %q, which does not parse: %v", s, text, err)
		}
		if again.String() != text || again != c {
			t.Fatalf("ParseCondition(%q) gave %q, which parses to %q", s, text, again.String())
		}
		if !reflect.DeepEqual(again.Refs(), c.Refs()) {
			t.Fatalf("Refs changed across the round trip of %q: %q, %q", s, c.Refs(), again.Refs())
		}
	})
}
