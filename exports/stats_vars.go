package exports

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/stemme/stemme/surveys"
)

// statVar is one variable of the files for statistics software: a scale,
// single-choice, yes/no or number question, or one choice of a
// multiple-choice question (1 = chosen, 0 = not chosen). Its answers are
// numeric codes; the codes that mean "no valid answer" are declared as
// missing values, so no text ever stands in a numeric column.
type statVar struct {
	name   string // valid in SPSS, Stata and R, unique in the export
	q      surveys.Question
	choice string // the choice, for a column of a multiple-choice question
	label  string
	// codes are the answer values with their codes and labels, in the
	// list's order, "vet ikke" included; empty for a number question.
	codes []statCode
	// dontKnow, notAsked and notAnswered are the missing-value codes;
	// notAsked is 0 for a question always shown, dontKnow 0 for a
	// question without "vet ikke". A number question has none: its
	// missing answers are empty (system-missing) cells.
	dontKnow, notAsked, notAnswered int
}

// statCode is one answer value of a variable.
type statCode struct {
	value string
	code  int
	label string
}

// number reports whether the variable holds numbers as typed (no codes).
func (v statVar) number() bool { return v.q.Type == surveys.TypeNumber }

// missing lists the variable's missing-value codes with their labels,
// largest first: "vet ikke", "not asked", "not answered".
func (v statVar) missing(l labels) []statCode {
	var out []statCode
	if v.dontKnow != 0 {
		out = append(out, statCode{value: surveys.DontKnow, code: v.dontKnow, label: v.dontKnowLabel(l)})
	}
	if v.notAsked != 0 {
		out = append(out, statCode{code: v.notAsked, label: l.t("export.stats.not_asked")})
	}
	if v.notAnswered != 0 {
		out = append(out, statCode{code: v.notAnswered, label: l.t("export.stats.not_answered")})
	}
	return out
}

func (v statVar) dontKnowLabel(l labels) string {
	for _, c := range v.codes {
		if c.value == surveys.DontKnow {
			return c.label
		}
	}
	return l.t("export.col.dont_know")
}

// valid lists the codes of real answers (not missing).
func (v statVar) valid() []statCode {
	var out []statCode
	for _, c := range v.codes {
		if c.value != surveys.DontKnow {
			out = append(out, c)
		}
	}
	return out
}

// allCodes lists every labelled code: the answers, then the missing codes.
func (v statVar) allCodes(l labels) []statCode {
	out := v.valid()
	return append(out, v.missing(l)...)
}

// code returns the code of a stored answer value.
func (v statVar) code(value string) (int, bool) {
	for _, c := range v.codes {
		if c.value == value {
			return c.code, true
		}
	}
	return 0, false
}

// statVars lists the variables of an instrument in page order, labelled in
// lang. Text and information items have none.
func statVars(in *surveys.Instrument, lang string, l labels) []statVar {
	names := newNamer()
	var vars []statVar
	for _, q := range in.Questions() {
		text := oneLine(q.Text.In(lang))
		switch q.Type {
		case surveys.TypeScale, surveys.TypeSingle:
			list, _ := in.List(q.List)
			v := statVar{name: names.name(q.Key), q: q, label: text, codes: listCodes(list, lang)}
			v.setMissing()
			vars = append(vars, v)
		case surveys.TypeYesNo:
			v := statVar{name: names.name(q.Key), q: q, label: text, codes: []statCode{
				{value: "yes", code: 1, label: l.t("export.value.yes")}, {value: "no", code: 0, label: l.t("export.value.no")}}}
			v.setMissing()
			vars = append(vars, v)
		case surveys.TypeMulti:
			list, _ := in.List(q.List)
			for _, c := range list.Choices {
				v := statVar{name: names.name(q.Key + "_" + c.Value), q: q, choice: c.Value,
					label: text + ": " + oneLine(c.Label.In(lang)), codes: []statCode{
						{value: "1", code: 1, label: l.t("export.stats.chosen")}, {value: "0", code: 0, label: l.t("export.stats.not_chosen")}}}
				v.setMissing()
				vars = append(vars, v)
			}
		case surveys.TypeNumber:
			vars = append(vars, statVar{name: names.name(q.Key), q: q, label: text})
		}
	}
	return vars
}

// listCodes codes a choice list: by the values themselves when they are
// all whole numbers (a scale's 1–6, an age group's 1–5), otherwise 1, 2, …
// in the list's order. "Vet ikke" is coded by setMissing.
func listCodes(list surveys.ChoiceList, lang string) []statCode {
	var out []statCode
	numeric := true
	seen := map[int]bool{}
	for _, c := range list.Choices {
		if c.Value == surveys.DontKnow {
			continue
		}
		n, err := strconv.Atoi(c.Value)
		if err != nil || n < 0 || n > 99999 || seen[n] {
			numeric = false
		}
		seen[n] = true
	}
	pos := 0
	for _, c := range list.Choices {
		sc := statCode{value: c.Value, label: oneLine(c.Label.In(lang))}
		if c.Value != surveys.DontKnow {
			pos++
			sc.code = pos
			if numeric {
				sc.code, _ = strconv.Atoi(c.Value)
			}
		}
		out = append(out, sc)
	}
	return out
}

// setMissing picks the missing-value codes above every answer's code: 9,
// 8 and 7 for a scale (9 = "vet ikke", as Norwegian survey practice
// codes it), 99, 98 and 97 for a list with codes up to 96, and so on.
func (v *statVar) setMissing() {
	top := 0
	for _, c := range v.codes {
		top = max(top, c.code)
	}
	m := 9
	for m-2 <= top {
		m = m*10 + 9
	}
	for i, c := range v.codes {
		if c.value == surveys.DontKnow {
			v.codes[i].code = m
			v.dontKnow = m
		}
	}
	if v.q.ShowIf != "" {
		v.notAsked = m - 1
	}
	v.notAnswered = m - 2
}

// statReserved are names the three packages reserve or the data files use.
var statReserved = map[string]bool{
	// SPSS
	"all": true, "and": true, "by": true, "eq": true, "ge": true, "gt": true, "le": true, "lt": true,
	"ne": true, "not": true, "or": true, "to": true, "with": true,
	// Stata
	"byte": true, "double": true, "float": true, "if": true, "in": true, "int": true, "long": true,
	"strl": true, "using": true,
	// R
	"else": true, "repeat": true, "while": true, "function": true, "for": true, "next": true, "break": true,
	"true": true, "false": true, "null": true, "inf": true, "nan": true, "na": true,
	// the columns of the data files
	"wave": true, "version": true, "group": true, "unit": true, "segment": true, "segvalue": true,
	"variable": true, "value": true, "count": true, "row": true, "lang": true,
}

// maxNameLen is Stata's limit on a variable name (SPSS allows 64).
const maxNameLen = 32

// namer hands out variable names: the question key where it is valid in
// all three packages, otherwise shortened or suffixed until it is.
type namer struct{ used map[string]bool }

func newNamer() *namer { return &namer{used: map[string]bool{}} }

func (n *namer) name(want string) string {
	base := want
	if len(base) > maxNameLen {
		base = base[:maxNameLen]
	}
	if n.free(base) {
		n.used[base] = true
		return base
	}
	for i := 2; ; i++ {
		suffix := "_" + strconv.Itoa(i)
		name := strings.TrimRight(base[:min(len(base), maxNameLen-len(suffix))], "_") + suffix
		if n.free(name) {
			n.used[name] = true
			return name
		}
	}
}

// stataStr matches Stata's reserved names str1 … str2045.
var stataStr = regexp.MustCompile(`^str[0-9]+$`)

func (n *namer) free(name string) bool {
	return !n.used[name] && !statReserved[name] && !stataStr.MatchString(name)
}

// oneLine makes a text fit a label: line breaks and tabs become spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
