package surveys

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// token kinds by capture group of tokenRe: ${key}, quoted text (twice),
// number, comparison, punctuation (kind is the character) and word. The
// parser adds '.' (the answer checked) and 'a' (a choice column).
const tokenKinds = "kssno(w"

var tokenRe = regexp.MustCompile(`^(?:\$\{([A-Za-z0-9_]*)\}|'([^']*)'|"([^"]*)"|(-?[0-9]+(?:\.[0-9]+)?)|(!=|<=|>=|=|<|>)|([(),])|([A-Za-z_][A-Za-z0-9_:-]*))`)

// Hints for characters no token starts with, naming what was probably meant:
// the message id's suffix and the English words.
var lexHints = map[rune][2]string{'$': {"ref", ": refer to a question as ${key}"}, '\'': {"quote", ": this text has no closing '"},
	'"': {"dquote", `: this text has no closing "`}, '.': {"dot", ": '.' (the current question) is not supported"},
	'+': {"arith", ": arithmetic is not supported"}, '-': {"arith", ": arithmetic is not supported"},
	'*': {"arith", ": arithmetic is not supported"}, '/': {"path", ": paths are not supported"},
	'!': {"bang", ": write not(…) to negate"}, '&': {"amp", ": write and"}, '|': {"pipe", ": write or"}}

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
// parse, which keeps the descent free of error plumbing.
type parser struct {
	src        string
	mode       exprMode
	end, depth int
	tok        token
	refs, cols []string
}

// fail stops the parse with the message id and its English text; kv are
// name/value pairs, the values filling format's verbs in order.
func (p *parser) fail(off int, id, format string, kv ...any) {
	col := utf8.RuneCountInString(p.src[:min(off, len(p.src))]) + 1
	args, msg := namedArgs(format, kv)
	args["Column"] = col
	panic(syntaxError{&ExprError{Column: col, Byte: off, ID: id, Args: args, msg: msg}})
}

func (p *parser) next() {
	s := p.src
	i := len(s) - len(strings.TrimLeft(s[p.end:], " \t\r\n"))
	if p.tok, p.end = (token{off: i}), i; i == len(s) {
		return
	}
	if p.mode == modeConstraint && s[i] == '.' && (i+1 == len(s) || !strings.ContainsRune("0123456789./", rune(s[i+1]))) {
		p.tok, p.end = token{kind: '.', off: i, text: "."}, i+1
		return
	}
	m := tokenRe.FindStringSubmatchIndex(s[i:])
	if m == nil {
		r, _ := utf8.DecodeRuneInString(s[i:])
		if h, ok := lexHints[r]; ok {
			if r == '.' && p.mode == modeConstraint {
				h = lexHints['/']
				if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
					h = [2]string{"dot_number", ": write a number with a 0 before the point, as in 0.5"}
				}
			}
			p.fail(i, "char_"+h[0], "unexpected '%s'"+h[1], "Char", string(r))
		}
		p.fail(i, "char", "unexpected '%s'", "Char", string(r))
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
			p.fail(i+2, "key_invalid", "%q is not a valid question key (a-z, 0-9 and _, starting with a letter, at most 64 characters)", "Key", t.val)
		} else if !slices.Contains(p.refs, t.val) {
			p.refs = append(p.refs, t.val)
		}
	case 'n':
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			p.fail(i, "number_large", "the number %s is too large", "Number", t.text)
		}
		t.num = f
	case 'w':
		if p.word(t.text, i, i+m[1]) {
			t.kind = 'a'
			if !slices.Contains(p.cols, t.text) {
				p.cols = append(p.cols, t.text)
			}
		}
	}
	p.tok, p.end = t, i+m[1]
}

// word rejects bare words other than the keywords as soon as they are read,
// so the error names the word rather than whatever the parser expected. In
// a choice filter a bare word is a column of the choices sheet: it reports
// true.
func (p *parser) word(w string, i, j int) bool {
	switch w {
	case "and", "or", "not", "selected":
		return false
	case "div", "mod":
		p.fail(i, "arithmetic", "arithmetic (%s) is not supported", "Word", w)
	}
	if strings.HasPrefix(strings.TrimLeft(p.src[j:], " \t\r\n"), "(") {
		p.fail(i, "function", "the function %s() is not supported; only selected() and not() are", "Name", w)
	}
	if p.mode == modeFilter {
		return true
	}
	p.fail(i, "unknown_word", "unknown word %q: refer to questions as ${key}, quote text as 'text' and write and, or in lower case", "Word", w)
	return false
}

// expect reads a token of the kind, or fails with the message id and the
// English description of what was expected.
func (p *parser) expect(kind byte, id, what string, kv ...any) token {
	t := p.tok
	if t.kind != kind {
		p.fail(t.off, id, "expected %s, found %s", append([]any{"What", what, "Found", t.String()}, kv...)...)
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
		p.fail(open.off, "depth", "parentheses and not() are nested more than %d levels deep", "Max", maxConditionDepth)
	}
	n := p.chain("or")
	openCol := utf8.RuneCountInString(p.src[:open.off]) + 1
	p.expect(')', "expected_close", fmt.Sprintf("')' to close the '(' at column %d", openCol), "Open", openCol)
	p.depth--
	return n
}

// answerKinds are the tokens that stand for an answer: a ${key}, and in a
// constraint the answer checked.
func (p *parser) isAnswer(kind byte) bool { return kind == 'k' || kind == '.' }

func (p *parser) term() node {
	t := p.tok
	switch {
	case t.kind == '(':
		p.next()
		return p.group(t)
	case t.kind == 'w' && t.text == "not":
		p.next()
		return logic{op: "not", l: p.group(p.expect('(', "expected_open_not", "'(' after not"))}
	case t.kind == 'w' && t.text == "selected":
		p.next()
		p.expect('(', "expected_open_selected", "'(' after selected")
		if !p.isAnswer(p.tok.kind) {
			p.expect('k', "expected_question", "a question ${key}")
		}
		l := p.operand(p.tok)
		p.next()
		p.expect(',', "expected_comma", "',' after the question")
		if p.tok.kind != 's' && p.tok.kind != 'a' {
			p.expect('s', "expected_value", "the choice value in quotes")
		}
		r := p.operand(p.tok)
		p.next()
		p.expect(')', "expected_close_selected", "')' to close selected(")
		return compare{op: "selected", l: l, r: r}
	case p.isAnswer(t.kind) || t.kind == 'a':
		p.next()
		op := p.expect('o', "expected_comparison", fmt.Sprintf("a comparison (=, !=, <, <=, >, >=) after %s", t.text), "After", t.text).text
		lit := p.tok
		switch {
		case lit.kind == 's' && op != "=" && op != "!=":
			p.fail(lit.off, "compare_numbers", "%s compares numbers: expected a number, found %s", "Op", op, "Found", lit.String())
		case lit.kind != 's' && lit.kind != 'n' && !p.isAnswer(lit.kind) && lit.kind != 'a':
			p.fail(lit.off, "expected_literal", "expected 'text' or a number after %s, found %s", "Op", op, "Found", lit.String())
		}
		p.next()
		return compare{op: op, l: p.operand(t), r: p.operand(lit)}
	case t.kind == 's' || t.kind == 'n':
		p.fail(t.off, "literal_first", "a comparison starts with the question, as in ${key} = 'value'; found %s", "Found", t.String())
	}
	p.fail(t.off, "expected_condition", "expected a condition such as ${key} = 'value', selected(${key}, 'value'), not(…) or '(', found %s", "Found", t.String())
	return nil
}

func (p *parser) operand(t token) operand {
	switch t.kind {
	case 'k', 'a':
		return operand{kind: t.kind, name: t.val}
	case '.':
		return operand{kind: '.'}
	case 'n':
		return operand{kind: 'n', num: t.num}
	}
	return operand{kind: 's', str: t.val}
}
