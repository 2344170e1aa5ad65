package surveys

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The limits keep parsing cheap and recursion shallow whatever an author pastes in.
const (
	maxConditionLen   = 2000
	maxConditionDepth = 32
)

// Condition is a parsed expression: a show-if (XLSForm's relevant), a
// required-if, a constraint on an answer or a choice filter. They share one
// subset of XPath: ${key} compared with quoted text, a number or another
// ${key}, selected(${key}, 'v'), not(…), and, or and parentheses.
// Constraints may also name the answer being checked as ".", and choice
// filters a column of the choices sheet by its bare name (name is the
// choice's value), as in county = ${county}.
//
// The zero value holds no expression and is always true, like an empty
// ShowIf. The tree is made of comparable values only, so conditions with
// the same String are ==.
type Condition struct {
	root node
	refs string // keys in order of first appearance, space-separated to stay comparable
	cols string // choice columns a filter reads, the same way
}

type node interface {
	eval(env) bool
	String() string
}

type (
	logic struct {
		op   string // and, or, not (which has no r)
		l, r node
	}
	compare struct {
		op   string // a comparison or "selected"
		l, r operand
	}
	// operand is one side of a comparison.
	operand struct {
		kind byte   // 'k' the answer to ${name}, '.' the answer checked, 'a' a choice column, 's' text, 'n' a number
		name string // the key or column
		str  string
		num  float64
	}
)

// env is what an expression is evaluated on: the answers so far, and for
// a constraint the answer checked, for a filter the choice considered.
type env struct {
	a      Answers
	self   Answer
	choice *Choice
}

// exprMode says which expression is parsed: what "." and bare words may mean.
type exprMode int

const (
	modeRelevant exprMode = iota
	modeConstraint
	modeFilter
)

// ExprError is a syntax error in an expression, at a column counted in
// characters from 1. ID and Args name a translated message (expr.ID);
// Error gives the English one.
type ExprError struct {
	Column, Byte int
	ID           string
	Args         map[string]any
	msg          string
}

func (e *ExprError) Error() string {
	return fmt.Sprintf("column %d (byte %d): %s", e.Column, e.Byte, e.msg)
}

// syntaxError marks the panics of the parser that parse recovers.
type syntaxError struct{ *ExprError }

// ParseCondition parses an XLSForm-style relevant expression: ${key}
// compared with a quoted text, a number or another ${key},
// selected(${key}, 'v'), not(…), and, or and parentheses.
func ParseCondition(s string) (Condition, error) { return parse(s, modeRelevant) }

// ParseConstraint parses a constraint: a condition in which "." is the
// answer being checked, as in . >= 18 and . <= 120.
func ParseConstraint(s string) (Condition, error) { return parse(s, modeConstraint) }

// ParseChoiceFilter parses a choice filter: a condition in which a bare
// word is a column of the choice considered (name is its value), as in
// county = ${county} or selected(${wanted}, name).
func ParseChoiceFilter(s string) (Condition, error) { return parse(s, modeFilter) }

func parse(s string, mode exprMode) (c Condition, err error) {
	p := &parser{src: s, mode: mode}
	defer func() {
		r := recover()
		if e, ok := r.(syntaxError); ok {
			c, err = Condition{}, e.ExprError
		} else if r != nil {
			panic(r)
		}
	}()
	if len(s) > maxConditionLen {
		p.fail(maxConditionLen, "too_long", "the condition is longer than %d bytes", "Max", maxConditionLen)
	}
	if p.next(); p.tok.kind == 0 {
		p.fail(p.tok.off, "empty", "the condition is empty")
	}
	c.root = p.chain("or")
	c.refs, c.cols = strings.Join(p.refs, " "), strings.Join(p.cols, " ")
	if p.tok.kind == ')' {
		p.fail(p.tok.off, "unmatched_close", "this ')' has no matching '('")
	} else if p.tok.kind != 0 {
		p.fail(p.tok.off, "expected_end", "expected and, or or the end of the condition, found %s", "Found", p.tok.String())
	}
	// Canonical spacing can outgrow a compact source; refusing here keeps
	// every accepted condition re-parsable from its String.
	if n := len(c.String()); n > maxConditionLen {
		p.fail(0, "too_long_written", "the condition is longer than %d bytes once written out (%d)", "Max", maxConditionLen, "Length", n)
	}
	return c, nil
}

// Refs lists the question keys the condition reads, in order of first appearance.
func (c Condition) Refs() []string { return strings.Fields(c.refs) }

// Columns lists the choice columns a choice filter reads.
func (c Condition) Columns() []string { return strings.Fields(c.cols) }

// Eval evaluates the condition on the answers given so far.
func (c Condition) Eval(a Answers) bool { return c.root == nil || c.root.eval(env{a: a}) }

// Allows evaluates a constraint on the answer v, given the answers so far.
func (c Condition) Allows(a Answers, v Answer) bool {
	return c.root == nil || c.root.eval(env{a: a, self: v})
}

// Keeps evaluates a choice filter on one choice, given the answers so far.
func (c Condition) Keeps(a Answers, ch Choice) bool {
	return c.root == nil || c.root.eval(env{a: a, choice: &ch})
}

// String returns the canonical text: single spaces around operators, single
// quotes unless the text holds one, parentheses only where needed.
func (c Condition) String() string {
	if c.root == nil {
		return ""
	}
	return c.root.String()
}

func (n logic) eval(e env) bool {
	switch n.op {
	case "not":
		return !n.l.eval(e)
	case "or":
		return n.l.eval(e) || n.r.eval(e)
	}
	return n.l.eval(e) && n.r.eval(e)
}

// value is what an operand stands for, as an answer: the answer given
// (the zero Answer when none), a choice column's text or a literal.
func (e env) value(o operand) Answer {
	switch o.kind {
	case 'k':
		return e.a[o.name]
	case '.':
		return e.self
	case 'a':
		switch {
		case e.choice == nil:
			return Answer{}
		case o.name == "name":
			return TextAnswer(e.choice.Value)
		}
		return TextAnswer(e.choice.Filter[o.name])
	case 'n':
		return NumberAnswer(o.num)
	}
	return TextAnswer(o.str)
}

// eval follows ODK: text compares as text, and a number on either side
// (or an ordering) compares numerically, with = false and != true when a
// side is not a number. selected treats a text answer as a single choice,
// as the surveys store it.
func (n compare) eval(e env) bool {
	l, r := e.value(n.l), e.value(n.r)
	want := n.op != "!="
	switch {
	case n.op == "selected":
		s, _ := r.Choice()
		one, isOne := l.Choice()
		list, _ := l.Choices()
		return s != "" && (isOne && one == s || slices.Contains(list, s))
	case n.l.kind == 'n' || n.r.kind == 'n' || (n.op != "=" && n.op != "!="):
		lf, lok := answerNumber(l)
		rf, rok := answerNumber(r)
		switch {
		case !lok || !rok:
			return !want
		case n.op == "=" || n.op == "!=":
			return (lf == rf) == want
		case n.op[0] == '<':
			return lf < rf || n.op == "<=" && lf == rf
		}
		return lf > rf || n.op == ">=" && lf == rf
	}
	return textEqual(l, r) == want
}

// textEqual compares two values as text: unanswered reads as empty text, a
// multiple choice as its values separated by spaces, and a number answer
// equals text that is the same number.
func textEqual(a, b Answer) bool {
	if f, ok := a.Number(); ok {
		return numberEqualsText(f, b)
	}
	if f, ok := b.Number(); ok {
		return numberEqualsText(f, a)
	}
	return asText(a) == asText(b)
}

func numberEqualsText(f float64, v Answer) bool {
	if x, ok := v.Number(); ok {
		return f == x
	}
	s, ok := v.Text()
	lit, isNumber := parseNumber(s)
	return ok && isNumber && f == lit
}

// asText reads an answer that is not a number as text.
func asText(v Answer) string {
	if list, ok := v.Choices(); ok {
		return strings.Join(list, " ")
	}
	s, _ := v.Text()
	return s
}

func answerNumber(v Answer) (float64, bool) {
	if x, ok := v.Number(); ok {
		return x, true
	}
	if s, ok := v.Text(); ok {
		return parseNumber(strings.TrimSpace(s))
	}
	return 0, false
}

var numberRe = regexp.MustCompile(`^-?[0-9]+(?:\.[0-9]+)?$`)

// parseNumber accepts only the literal syntax, so answers such as "NaN",
// "0x1F" and "1e3" stay text.
func parseNumber(s string) (float64, bool) {
	if !numberRe.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func (n logic) String() string {
	if n.op == "not" {
		return "not(" + n.l.String() + ")"
	}
	return bracket(n.l, n.op) + " " + n.op + " " + bracket(n.r, n.op)
}

// bracket puts an or under an and in parentheses, the only grouping that
// precedence and the left-nesting of chains (see join) cannot express.
func bracket(x node, parent string) string {
	if y, ok := x.(logic); ok && y.op == "or" && parent == "and" {
		return "(" + y.String() + ")"
	}
	return x.String()
}

func (n compare) String() string {
	if n.op == "selected" {
		return "selected(" + n.l.String() + ", " + n.r.String() + ")"
	}
	return n.l.String() + " " + n.op + " " + n.r.String()
}

func (o operand) String() string {
	switch o.kind {
	case 'k':
		return "${" + o.name + "}"
	case '.':
		return "."
	case 'a':
		return o.name
	case 'n':
		return strconv.FormatFloat(o.num, 'f', -1, 64)
	}
	return quote(o.str)
}

// quote uses double quotes only when it must: XPath has no escapes, so no
// accepted text holds both kinds.
func quote(s string) string {
	if strings.Contains(s, "'") {
		return `"` + s + `"`
	}
	return "'" + s + "'"
}
