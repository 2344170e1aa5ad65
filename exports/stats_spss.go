package exports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SPSS limits: a variable label holds 255 bytes, a value label 120; a
// line of syntax is kept under 120 bytes, long strings are split with +.
const (
	spssVarLabel   = 255
	spssValueLabel = 120
	spssChunk      = 80
)

// spssString quotes a text for SPSS syntax, split into 'pieces' + 'joined'
// across lines when long.
func spssString(s string) string {
	parts := chunks(oneLine(s), spssChunk)
	for i, p := range parts {
		parts[i] = "'" + strings.ReplaceAll(p, "'", "''") + "'"
	}
	return strings.Join(parts, " +\n    ")
}

func spssFormat(c statColumn) string {
	if c.str {
		return "A" + strconv.Itoa(max(1, c.width))
	}
	return fmt.Sprintf("F%d.%d", max(1, c.width)+c.decimals+map[bool]int{true: 1, false: 0}[c.decimals > 0], c.decimals)
}

// writeSPSS writes SPSS syntax (also run by GNU PSPP) that reads the data
// file with its variable and value labels and missing values, and for
// aggregated data makes one variable per question and weights by count.
func writeSPSS(w io.Writer, s *statScript) error {
	out := newScript(w)
	// PSPP reads the first line for the encoding; SPSS in Unicode mode
	// reads UTF-8 syntax as it is.
	out.line("* Encoding: UTF-8.")
	for _, h := range s.header {
		spssComment(out, h)
	}
	out.line()
	spssComment(out, s.l.t("export.stats.path"))
	out.line("FILE HANDLE stemme /NAME=", spssString(s.data), ".")
	out.line("GET DATA /TYPE=TXT /FILE=stemme /ENCODING='UTF8'")
	out.line("  /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2")
	out.line("  /DELIMITERS=',' /QUALIFIER='\"'")
	out.line("  /VARIABLES=")
	for i, c := range s.cols {
		end := ""
		if i == len(s.cols)-1 {
			end = "."
		}
		out.line("    ", c.name, " ", spssFormat(c), end)
	}
	out.line()
	var labelled [][2]string
	for _, c := range s.cols {
		if c.v == nil {
			labelled = append(labelled, [2]string{c.name, c.label})
		}
	}
	spssVariableLabels(out, labelled)
	for _, c := range s.cols {
		if len(c.labels) == 0 {
			continue
		}
		out.line("VALUE LABELS ", c.name)
		for _, vl := range c.labels {
			out.line("  ", strconv.Itoa(vl.code), " ", spssString(cut(vl.label, spssValueLabel)))
		}
		out.line(".")
	}
	vars := s.coded()
	if s.long && len(vars) > 0 {
		out.line()
		spssComment(out, s.l.t("export.stats.derive"))
		names := make([]string, len(vars))
		for i, v := range vars {
			names[i] = v.name
		}
		out.line("NUMERIC ", strings.Join(names, "\n  "), " (F3.0).")
		for _, v := range vars {
			out.line("IF (variable = ", spssString(v.name), ") ", v.name, " = value.")
		}
	}
	labelled = labelled[:0]
	for _, v := range s.vars {
		if !s.long || !v.number() {
			labelled = append(labelled, [2]string{v.name, v.label})
		}
	}
	spssVariableLabels(out, labelled)
	for _, v := range vars {
		out.line("VALUE LABELS ", v.name)
		for _, c := range v.allCodes(s.l) {
			out.line("  ", strconv.Itoa(c.code), " ", spssString(cut(c.label, spssValueLabel)))
		}
		out.line(".")
		if miss := v.missing(s.l); len(miss) > 0 {
			codes := make([]string, len(miss))
			for i, m := range miss {
				codes[i] = strconv.Itoa(m.code)
			}
			out.line("MISSING VALUES ", v.name, " (", strings.Join(codes, ", "), ").")
		}
	}
	out.line()
	if s.long {
		out.line("WEIGHT BY count.")
	}
	out.line("EXECUTE.")
	out.line()
	spssComment(out, s.l.t("export.stats.examples"))
	if len(vars) > 0 {
		ex := s.example()
		by := "unit"
		if s.long {
			by = "group"
		}
		out.line("* SORT CASES BY ", by, ".")
		out.line("* SPLIT FILE LAYERED BY ", by, ".")
		if s.long {
			// Each variable holds answers only in its own rows: selecting
			// them keeps the other rows out of its percentages.
			out.line("* TEMPORARY.")
			out.line("* SELECT IF (variable = ", spssString(ex.name), ").")
		}
		out.line("* FREQUENCIES VARIABLES=", ex.name, ".")
		if s.long {
			out.line("* TEMPORARY.")
			out.line("* SELECT IF (variable = ", spssString(ex.name), ").")
		}
		out.line("* DESCRIPTIVES VARIABLES=", ex.name, " /STATISTICS=MEAN STDDEV.")
	}
	return out.finish()
}

// spssVariableLabels writes one VARIABLE LABELS command for name/label pairs.
func spssVariableLabels(out *script, labelled [][2]string) {
	if len(labelled) == 0 {
		return
	}
	out.line("VARIABLE LABELS")
	for i, nl := range labelled {
		sep := "  /"
		if i == 0 {
			sep = "  "
		}
		out.line(sep, nl[0], " ", spssString(cut(nl[1], spssVarLabel)))
	}
	out.line(".")
}

// spssComment writes a text as a comment, which ends at the period that
// ends its line.
func spssComment(out *script, text string) {
	out.line("* ", strings.TrimRight(commentText(text), ".:"), ".")
}
