package surveys

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The limits keep parsing cheap and recursion shallow whatever an author pastes in.
const (
	maxConditionLen   = 2000
	maxConditionDepth = 32
)

// Condition is a parsed show-if expression. The zero value holds no
// expression and is always true, like an empty ShowIf. The tree is made of
// comparable values only, so conditions with the same String are ==.
type Condition struct {
	root node
	refs string // keys in order of first appearance, space-separated to stay comparable
}

type node interface {
	eval(Answers) bool
	String() string
}

type (
	logic struct {
		op   string // and, or, not (which has no r)
		l, r node
	}
	compare struct {
		key, op string // op is a comparison or "selected"
		isNum   bool   // whether the literal is num rather than str
		num     float64
		str     string
	}
)

// syntaxError marks the panics of the parser that ParseCondition recovers.
type syntaxError struct{ error }

// ParseCondition parses an XLSForm-style relevant expression: ${key}
// compared with a quoted text or a number, selected(${key}, 'v'), not(…),
// and, or and parentheses.
func ParseCondition(s string) (c Condition, err error) {
	p := &parser{src: s}
	defer func() {
		r := recover()
		if e, ok := r.(syntaxError); ok {
			c, err = Condition{}, e.error
		} else if r != nil {
			panic(r)
		}
	}()
	if len(s) > maxConditionLen {
		p.fail(maxConditionLen, "the condition is longer than %d bytes", maxConditionLen)
	}
	if p.next(); p.tok.kind == 0 {
		p.fail(p.tok.off, "the condition is empty")
	}
	c.root = p.chain("or")
	c.refs = strings.Join(p.refs, " ")
	if p.tok.kind == ')' {
		p.fail(p.tok.off, "this ')' has no matching '('")
	} else if p.tok.kind != 0 {
		p.fail(p.tok.off, "expected and, or or the end of the condition, found %s", p.tok)
	}
	// Canonical spacing can outgrow a compact source; refusing here keeps
	// every accepted condition re-parsable from its String.
	if n := len(c.String()); n > maxConditionLen {
		p.fail(0, "the condition is longer than %d bytes once written out (%d)", maxConditionLen, n)
	}
	return c, nil
}

// Refs lists the question keys the condition reads, in order of first appearance.
func (c Condition) Refs() []string { return strings.Fields(c.refs) }

// Eval evaluates the condition on the answers given so far.
func (c Condition) Eval(a Answers) bool { return c.root == nil || c.root.eval(a) }

// String returns the canonical text: single spaces around operators, single
// quotes unless the text holds one, parentheses only where needed.
func (c Condition) String() string {
	if c.root == nil {
		return ""
	}
	return c.root.String()
}

func (n logic) eval(a Answers) bool {
	switch n.op {
	case "not":
		return !n.l.eval(a)
	case "or":
		return n.l.eval(a) || n.r.eval(a)
	}
	return n.l.eval(a) && n.r.eval(a)
}

// eval follows ODK: text compares as text, and a number on either side
// compares numerically, with = false and != true when the other side is not
// a number. selected treats a text answer as a single choice, as the surveys
// store it.
func (n compare) eval(a Answers) bool {
	v, want := a[n.key], n.op != "!="
	f, isNum := answerNumber(v)
	switch {
	case n.op == "selected":
		list, _ := v.([]string)
		return n.str != "" && (v == n.str || slices.Contains(list, n.str))
	case !n.isNum:
		// Unanswered reads as empty text; a multiple choice as its values
		// separated by spaces.
		switch v := v.(type) {
		case nil:
			return (n.str == "") == want
		case string:
			return (v == n.str) == want
		case []string:
			return (strings.Join(v, " ") == n.str) == want
		}
		lit, ok := parseNumber(n.str)
		return (isNum && ok && f == lit) == want
	case !isNum:
		return !want
	case n.op == "=" || n.op == "!=":
		return (f == n.num) == want
	case n.op[0] == '<':
		return f < n.num || n.op == "<=" && f == n.num
	}
	return f > n.num || n.op == ">=" && f == n.num
}

func answerNumber(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case string:
		return parseNumber(strings.TrimSpace(v))
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
	return operand(n.l, n.op) + " " + n.op + " " + operand(n.r, n.op)
}

// operand brackets an or under an and, the only grouping that precedence
// and the left-nesting of chains (see join) cannot express.
func operand(x node, parent string) string {
	if y, ok := x.(logic); ok && y.op == "or" && parent == "and" {
		return "(" + y.String() + ")"
	}
	return x.String()
}

func (n compare) String() string {
	lit := quote(n.str)
	if n.isNum {
		lit = strconv.FormatFloat(n.num, 'f', -1, 64)
	}
	if n.op == "selected" {
		return "selected(${" + n.key + "}, " + lit + ")"
	}
	return "${" + n.key + "} " + n.op + " " + lit
}

// quote uses double quotes only when it must: XPath has no escapes, so no
// accepted text holds both kinds.
func quote(s string) string {
	if strings.Contains(s, "'") {
		return `"` + s + `"`
	}
	return "'" + s + "'"
}

// token kinds by capture group of tokenRe: ${key}, quoted text (twice),
// number, comparison, punctuation (kind is the character) and word.
const tokenKinds = "kssno(w"

var tokenRe = regexp.MustCompile(`^(?:\$\{([A-Za-z0-9_]*)\}|'([^']*)'|"([^"]*)"|(-?[0-9]+(?:\.[0-9]+)?)|(!=|<=|>=|=|<|>)|([(),])|([A-Za-z_][A-Za-z0-9_:-]*))`)

// Hints for characters no token starts with, naming what was probably meant.
var lexHints = map[rune]string{'$': ": refer to a question as ${key}", '\'': ": this text has no closing '",
	'"': `: this text has no closing "`, '.': ": '.' (the current question) is not supported",
	'+': ": arithmetic is not supported", '-': ": arithmetic is not supported", '*': ": arithmetic is not supported",
	'/': ": paths are not supported", '!': ": write not(…) to negate", '&': ": write and", '|': ": write or"}

type token struct {
	kind      byte // 0 at the end
	off       int
	text, val string
	num       float64
}

func (t token) String() string {
	switch t.kind {
	case 0:
		return "the end of the condition"
	case 's':
		return "the text " + t.text
	}
	return strconv.Quote(t.text)
}

// parser reports errors by panicking with a syntaxError, recovered in
// ParseCondition, which keeps the descent free of error plumbing.
type parser struct {
	src        string
	end, depth int
	tok        token
	refs       []string
}

func (p *parser) fail(off int, format string, args ...any) {
	col := utf8.RuneCountInString(p.src[:min(off, len(p.src))]) + 1
	panic(syntaxError{fmt.Errorf("column %d (byte %d): %s", col, off, fmt.Sprintf(format, args...))})
}

func (p *parser) next() {
	s := p.src
	i := len(s) - len(strings.TrimLeft(s[p.end:], " \t\r\n"))
	if p.tok, p.end = (token{off: i}), i; i == len(s) {
		return
	}
	m := tokenRe.FindStringSubmatchIndex(s[i:])
	if m == nil {
		r, _ := utf8.DecodeRuneInString(s[i:])
		p.fail(i, "unexpected %q%s", r, lexHints[r])
	}
	g := 1
	for m[2*g] < 0 {
		g++
	}
	t := token{kind: tokenKinds[g-1], off: i, text: s[i : i+m[1]], val: s[i+m[2*g] : i+m[2*g+1]]}
	switch t.kind {
	case '(':
		t.kind = t.text[0]
	case 'k':
		if !ValidKey(t.val) {
			p.fail(i+2, "%q is not a valid question key (a-z, 0-9 and _, starting with a letter, at most 64 characters)", t.val)
		} else if !slices.Contains(p.refs, t.val) {
			p.refs = append(p.refs, t.val)
		}
	case 'n':
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			p.fail(i, "the number %s is too large", t.text)
		}
		t.num = f
	case 'w':
		p.word(t.text, i, i+m[1])
	}
	p.tok, p.end = t, i+m[1]
}

// word rejects bare words other than the keywords as soon as they are read,
// so the error names the word rather than whatever the parser expected.
func (p *parser) word(w string, i, j int) {
	switch w {
	case "and", "or", "not", "selected":
		return
	case "div", "mod":
		p.fail(i, "arithmetic (%s) is not supported", w)
	}
	if strings.HasPrefix(strings.TrimLeft(p.src[j:], " \t\r\n"), "(") {
		p.fail(i, "the function %s() is not supported; only selected() and not() are", w)
	}
	p.fail(i, "unknown word %q: refer to questions as ${key}, quote text as 'text' and write and, or in lower case", w)
}

func (p *parser) expect(kind byte, what string) token {
	t := p.tok
	if t.kind != kind {
		p.fail(t.off, "expected %s, found %s", what, t)
	}
	p.next()
	return t
}

// chain parses an or (or an and) sequence and keeps it left-nested whatever
// the grouping in the source, so redundant parentheses change neither
// String nor ==.
func (p *parser) chain(op string) node {
	operand := func() node { return p.chain("and") }
	if op == "and" {
		operand = p.term
	}
	n := operand()
	for p.tok.kind == 'w' && p.tok.text == op {
		p.next()
		n = join(op, n, operand())
	}
	return n
}

func join(op string, l, r node) node {
	if g, ok := r.(logic); ok && g.op == op {
		return join(op, join(op, l, g.l), g.r)
	}
	return logic{op: op, l: l, r: r}
}

// group parses the inside of a '(' already read, for grouping and not().
func (p *parser) group(open token) node {
	if p.depth++; p.depth > maxConditionDepth {
		p.fail(open.off, "parentheses and not() are nested more than %d levels deep", maxConditionDepth)
	}
	n := p.chain("or")
	p.expect(')', fmt.Sprintf("')' to close the '(' at column %d", utf8.RuneCountInString(p.src[:open.off])+1))
	p.depth--
	return n
}

func (p *parser) term() node {
	t := p.tok
	switch {
	case t.kind == '(':
		p.next()
		return p.group(t)
	case t.kind == 'w' && t.text == "not":
		p.next()
		return logic{op: "not", l: p.group(p.expect('(', "'(' after not"))}
	case t.kind == 'w' && t.text == "selected":
		p.next()
		p.expect('(', "'(' after selected")
		key := p.expect('k', "a question ${key}").val
		p.expect(',', "',' after the question")
		val := p.expect('s', "the choice value in quotes").val
		p.expect(')', "')' to close selected(")
		return compare{key: key, op: "selected", str: val}
	case t.kind == 'k':
		p.next()
		op := p.expect('o', fmt.Sprintf("a comparison (=, !=, <, <=, >, >=) after ${%s}", t.val)).text
		lit := p.tok
		if lit.kind == 's' && op != "=" && op != "!=" {
			p.fail(lit.off, "%s compares numbers: expected a number, found %s", op, lit)
		} else if lit.kind != 's' && lit.kind != 'n' {
			p.fail(lit.off, "expected 'text' or a number after %s, found %s", op, lit)
		}
		p.next()
		if lit.kind == 'n' {
			return compare{key: t.val, op: op, isNum: true, num: lit.num}
		}
		return compare{key: t.val, op: op, str: lit.val}
	case t.kind == 's' || t.kind == 'n':
		p.fail(t.off, "a comparison starts with the question, as in ${key} = 'value'; found %s", t)
	}
	p.fail(t.off, "expected a condition such as ${key} = 'value', selected(${key}, 'value'), not(…) or '(', found %s", t)
	return nil
}
