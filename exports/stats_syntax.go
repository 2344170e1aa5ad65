package exports

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/stemme/stemme/surveys"
)

// statColumn is one column of a data file for statistics software.
type statColumn struct {
	name, label string
	str         bool
	// width is a string's longest value in bytes, or a number's digits.
	width, decimals int
	// labels are value labels (the group or the unit a code stands for).
	labels []statCode
	// v is the variable, for a column of answers in record-level data.
	v *statVar
}

// statScript is what a syntax file needs to read one data file.
type statScript struct {
	data   string // the data file's name, next to the syntax file
	header []string
	cols   []statColumn
	vars   []statVar
	// long: the answers are in the columns variable and value, one row
	// per group, variable and answer, weighted by count; the script makes
	// one variable per question from them. Otherwise each variable is a
	// column of its own (record-level data).
	long bool
	l    labels
}

// coded are the variables with codes (not numbers as typed).
func (s *statScript) coded() []*statVar {
	var out []*statVar
	for i := range s.vars {
		if !s.vars[i].number() {
			out = append(out, &s.vars[i])
		}
	}
	return out
}

// example is the variable the examples at the end of a syntax file use:
// the first scale item, where a mean means something.
func (s *statScript) example() *statVar {
	vars := s.coded()
	for _, v := range vars {
		if v.q.Type == surveys.TypeScale {
			return v
		}
	}
	return vars[0]
}

// script is a syntax file being written, a line at a time.
type script struct {
	w   *bufio.Writer
	err error
}

func newScript(w io.Writer) *script { return &script{w: bufio.NewWriter(w)} }

func (s *script) line(parts ...string) {
	if s.err != nil {
		return
	}
	for _, p := range parts {
		if _, s.err = s.w.WriteString(p); s.err != nil {
			return
		}
	}
	_, s.err = s.w.WriteString("\n")
}

func (s *script) finish() error {
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// cut shortens a label to at most n bytes at a character boundary, ending
// it with "…" when it was cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n - len("…")
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// cutRunes is cut counted in characters (Stata counts those).
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// chunks splits a text into pieces of at most n bytes, after a space
// where there is one in the second half of a piece, otherwise at a
// character boundary, so a long label can be written over several lines.
func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		i := n
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		if sp := strings.LastIndexByte(s[:i], ' '); sp >= n/2 {
			i = sp + 1
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return append(out, s)
}

// commentText makes a text safe inside a one-line comment of any of the
// three languages: no line breaks, and nothing Stata would expand.
func commentText(s string) string {
	return stataEscape(oneLine(s))
}

// stataEscape keeps Stata from expanding macros in a text: `name' and
// $name are macro references even inside quotes.
func stataEscape(s string) string {
	return strings.NewReplacer("`", "\\`", "$", "\\$").Replace(s)
}
