package exports

import (
	"io"
	"strconv"
	"strings"
)

// Stata keeps 80 characters of a variable label.
const stataVarLabel = 80

// stataString quotes a text for Stata: compound quotes, so a " inside is
// text, and macro characters escaped.
func stataString(s string) string {
	s = strings.ReplaceAll(oneLine(s), `"'`, `"’`)
	return "`\"" + stataEscape(s) + "\"'"
}

// stataMissing are Stata's extended missing values for the missing codes,
// largest code first: .a "vet ikke", .b not asked, .c not answered.
var stataMissing = []string{".a", ".b", ".c"}

// writeStata writes a Stata do-file that imports the data file, labels
// variables and values, and turns the missing codes into extended missing
// values (.a "vet ikke", .b not asked, .c not answered), which Stata
// leaves out of means and tables unless asked. Aggregated data gets one
// variable per question and is weighted with [fweight = count].
func writeStata(w io.Writer, s *statScript) error {
	out := newScript(w)
	for _, h := range s.header {
		out.line("* ", commentText(h))
	}
	out.line("* ", commentText(s.l.t("export.stats.path")))
	var strCols []string
	for i, c := range s.cols {
		if c.str {
			strCols = append(strCols, strconv.Itoa(i+1))
		}
	}
	out.line("import delimited using ", stataString(s.data), ", delimiters(\",\") varnames(1) encoding(\"utf-8\") stringcols(",
		strings.Join(strCols, " "), ") case(preserve) clear")
	for _, c := range s.cols {
		if c.v == nil {
			out.line("label variable ", c.name, " ", stataString(cutRunes(c.label, stataVarLabel)))
		}
		if len(c.labels) == 0 {
			continue
		}
		out.line("label define ", c.name, " ", stataPairs(c.labels), ", replace")
		out.line("label values ", c.name, " ", c.name)
	}
	vars := s.coded()
	if s.long && len(vars) > 0 {
		out.line("* ", commentText(s.l.t("export.stats.derive")))
		for _, v := range vars {
			out.line("generate ", v.name, " = value if variable == ", stataString(v.name))
		}
	}
	for _, v := range s.vars {
		if s.long && v.number() {
			continue
		}
		out.line("label variable ", v.name, " ", stataString(cutRunes(v.label, stataVarLabel)))
	}
	for _, v := range vars {
		var pairs []string
		for _, c := range v.valid() {
			pairs = append(pairs, strconv.Itoa(c.code)+" "+stataString(c.label))
		}
		for i, m := range v.missing(s.l) {
			mv := stataMissing[missingIndex(v, m.code, i)]
			out.line("replace ", v.name, " = ", mv, " if ", v.name, " == ", strconv.Itoa(m.code))
			pairs = append(pairs, mv+" "+stataString(m.label))
		}
		out.line("label define ", v.name, " ", strings.Join(pairs, " "), ", replace")
		out.line("label values ", v.name, " ", v.name)
	}
	out.line()
	out.line("* ", commentText(s.l.t("export.stats.examples")))
	if len(vars) > 0 {
		ex := s.example()
		if s.long {
			in := " if group == 1 & variable == " + stataString(ex.name)
			out.line("* tabulate ", ex.name, in, " [fweight = count], missing")
			out.line("* summarize ", ex.name, in, " [fweight = count]")
		} else {
			out.line("* tabulate unit ", ex.name)
			out.line("* tabstat ", ex.name, ", by(unit) statistics(mean n)")
		}
	}
	return out.finish()
}

// missingIndex is which extended missing value a missing code becomes:
// the largest code (vet ikke) .a, the next (not asked) .b, the third .c.
func missingIndex(v *statVar, code, fallback int) int {
	switch code {
	case v.dontKnow:
		return 0
	case v.notAsked:
		return 1
	case v.notAnswered:
		return 2
	}
	return fallback
}

// stataPairs lists value labels as Stata's label define wants them.
func stataPairs(codes []statCode) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = strconv.Itoa(c.code) + " " + stataString(c.label)
	}
	return strings.Join(parts, " ")
}
