package surveys

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Limits on what one answer may hold.
const (
	MaxShortText = 500
	MaxLongText  = 4000
)

// FieldError is a problem with one answer. Message is a locale message id;
// Args fill its template. Text, when set, is the instrument's own message
// (a constraint message) per language, to be preferred in the languages
// it has.
type FieldError struct {
	Key     string
	Message string
	Args    map[string]any
	Text    Text
}

// Visible reports whether a question is shown given the answers so far.
// Conditions are checked on the server, so hidden questions are never validated or stored.
func Visible(q Question, a Answers) bool {
	if q.ShowIf == "" {
		return true
	}
	c, err := q.Condition()
	if err != nil {
		return false
	}
	return c.Eval(a)
}

// RequiredGiven reports whether the question must be answered given the
// answers so far: always when Required, otherwise when RequiredIf holds.
func (q Question) RequiredGiven(a Answers) bool {
	if q.Required || q.RequiredIf == "" {
		return q.Required
	}
	c, err := cachedParse(modeRelevant, q.RequiredIf)
	return err == nil && c.Eval(a)
}

// Choices returns the choices of the question's list that its choice
// filter keeps given the answers so far (all of them without a filter).
func (in *Instrument) Choices(q Question, a Answers) []Choice {
	l, ok := in.List(q.List)
	if !ok {
		return nil
	}
	if q.ChoiceFilter == "" {
		return l.Choices
	}
	c, err := cachedParse(modeFilter, q.ChoiceFilter)
	if err != nil {
		return nil
	}
	var out []Choice
	for _, ch := range l.Choices {
		if c.Keeps(a, ch) {
			out = append(out, ch)
		}
	}
	return out
}

// parsedConditions keeps each expression parsed once per process, by mode
// and text: every page of a form evaluates every condition several times.
var parsedConditions sync.Map

type parsedCondition struct {
	c   Condition
	err error
}

type conditionKey struct {
	mode exprMode
	src  string
}

func cachedParse(mode exprMode, src string) (Condition, error) {
	key := conditionKey{mode, src}
	if p, ok := parsedConditions.Load(key); ok {
		pc := p.(parsedCondition)
		return pc.c, pc.err
	}
	c, err := parse(src, mode)
	parsedConditions.Store(key, parsedCondition{c: c, err: err})
	return c, err
}

// Condition returns the question's parsed show-if condition; the zero
// Condition (always true) when it has none.
func (q Question) Condition() (Condition, error) {
	if q.ShowIf == "" {
		return Condition{}, nil
	}
	return cachedParse(modeRelevant, q.ShowIf)
}

// ParseAnswers reads form values into answers for every visible question of
// the given pages, in order, so a condition sees the answers before it. Every
// problem is reported; the raw values stay with the caller to re-render them.
func (in *Instrument) ParseAnswers(values map[string][]string, pages []Page) (Answers, []FieldError) {
	answers := Answers{}
	var errs []FieldError
	for _, p := range pages {
		for _, q := range p.Questions {
			if q.Type == TypeInfo || !Visible(q, answers) {
				continue
			}
			v, fe := in.parseOne(q, values[q.Key], answers)
			if fe == nil && !v.IsZero() {
				fe = constraintError(q, answers, v)
			}
			switch {
			case fe != nil:
				errs = append(errs, *fe)
			case !v.IsZero():
				answers[q.Key] = v
			case q.RequiredGiven(answers):
				errs = append(errs, FieldError{Key: q.Key, Message: "survey.error.required"})
			}
		}
	}
	return answers, errs
}

// constraintError checks an answer against the question's constraint, as
// ODK does only once the question is answered.
func constraintError(q Question, a Answers, v Answer) *FieldError {
	if q.Constraint == "" {
		return nil
	}
	c, err := cachedParse(modeConstraint, q.Constraint)
	if err == nil && c.Allows(a, v) {
		return nil
	}
	return &FieldError{Key: q.Key, Message: "survey.error.constraint", Text: q.ConstraintMsg}
}

// parseOne reads one question's form values; the zero Answer when none was given.
func (in *Instrument) parseOne(q Question, raw []string, a Answers) (Answer, *FieldError) {
	vals := make([]string, 0, len(raw))
	for _, r := range raw {
		if !utf8.ValidString(r) {
			return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.encoding"}
		}
		if r = strings.TrimSpace(r); r != "" {
			vals = append(vals, r)
		}
	}
	if len(vals) == 0 {
		return Answer{}, nil
	}
	switch q.Type {
	case TypeScale, TypeSingle:
		if len(vals) > 1 || !in.offered(q, a, vals[0]) {
			return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.choice"}
		}
		return ChoiceAnswer(vals[0]), nil
	case TypeYesNo:
		if len(vals) > 1 || (vals[0] != "yes" && vals[0] != "no") {
			return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.choice"}
		}
		return ChoiceAnswer(vals[0]), nil
	case TypeMulti:
		slices.Sort(vals)
		vals = slices.Compact(vals)
		for _, v := range vals {
			if !in.offered(q, a, v) {
				return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.choice"}
			}
		}
		return ChoicesAnswer(vals...), nil
	case TypeNumber:
		return parseNumberAnswer(q, vals)
	case TypeText, TypeLongText:
		limit := MaxShortText
		if q.Type == TypeLongText {
			limit = MaxLongText
		}
		text := cleanText(strings.Join(vals, "\n"))
		if n := utf8.RuneCountInString(text); n > limit {
			return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.too_long",
				Args: map[string]any{"Max": limit, "Length": n}}
		}
		return TextAnswer(text), nil
	}
	return Answer{}, nil
}

func parseNumberAnswer(q Question, vals []string) (Answer, *FieldError) {
	f, err := strconv.ParseFloat(normalizeNumber(vals[0]), 64)
	if len(vals) > 1 || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.number"}
	}
	tooSmall := q.Min != nil && f < *q.Min
	tooLarge := q.Max != nil && f > *q.Max
	switch {
	case (tooSmall || tooLarge) && q.Min != nil && q.Max != nil:
		return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.range", Args: map[string]any{"Min": *q.Min, "Max": *q.Max}}
	case tooSmall:
		return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.range_min", Args: map[string]any{"Min": *q.Min}}
	case tooLarge:
		return Answer{}, &FieldError{Key: q.Key, Message: "survey.error.range_max", Args: map[string]any{"Max": *q.Max}}
	}
	return NumberAnswer(f), nil
}

// offered reports whether value is among the choices the question shows
// given the answers so far.
func (in *Instrument) offered(q Question, a Answers, value string) bool {
	return slices.ContainsFunc(in.Choices(q, a), func(c Choice) bool { return c.Value == value })
}

// cleanText drops control characters other than line breaks and tabs and
// normalises line endings, so stored text is safe to show and export.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// SegmentsOf returns the answers to the instrument's segment questions.
func (in *Instrument) SegmentsOf(a Answers) map[string]string {
	seg := map[string]string{}
	for _, q := range in.Questions() {
		if q.Segment == "" {
			continue
		}
		if v, ok := a[q.Key].Choice(); ok {
			seg[q.Segment] = v
		}
	}
	return seg
}

// normalizeNumber accepts the decimal comma of Norwegian keyboards and the
// Arabic-Indic and Persian digits and decimal mark that Arabic and Urdu
// phone keyboards type.
func normalizeNumber(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r == ',' || r == '٫':
			return '.'
		case r == '٬' || r == '\u00a0' || r == ' ':
			return -1 // thousands separators
		}
		return r
	}, s)
}

// VisiblePages returns the indexes of the pages that show at least one
// question given the answers so far; a page whose every question is hidden
// by its condition is skipped.
func (in *Instrument) VisiblePages(a Answers) []int {
	var idx []int
	for i, p := range in.Pages {
		for _, q := range p.Questions {
			if Visible(q, a) {
				idx = append(idx, i)
				break
			}
		}
	}
	return idx
}
