package exports

import (
	"io"
	"strconv"
	"strings"
)

// rString quotes a text as an R string literal.
func rString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(oneLine(s)) + `"`
}

// rClass is the class R reads a column as.
func rClass(c statColumn) string {
	switch {
	case c.str:
		return "character"
	case c.decimals > 0:
		return "numeric"
	}
	return "integer"
}

// writeR writes an R script that reads the data file with the right column
// classes, makes the groups (or units) a factor, and defines the labels,
// missing codes and helpers: stemme_factor() and stemme_score() for one
// variable's codes, stemme_table() and stemme_means() per group (weighted
// by count in aggregated data).
func writeR(w io.Writer, s *statScript) error {
	out := newScript(w)
	for _, h := range s.header {
		out.line("# ", oneLine(h))
	}
	out.line("# source(", rString(s.data[:len(s.data)-len(".csv")]+".R"), ", encoding = \"UTF-8\")")
	out.line()
	out.line("# ", oneLine(s.l.t("export.stats.path")))
	out.line("stemme_data <- ", rString(s.data))
	classes := make([]string, len(s.cols))
	for i, c := range s.cols {
		classes[i] = c.name + " = " + rString(rClass(c))
	}
	out.line("d <- read.csv(stemme_data, fileEncoding = \"UTF-8\", stringsAsFactors = FALSE,")
	out.line("  colClasses = c(", strings.Join(classes, ",\n    "), "))")
	for _, c := range s.cols {
		if len(c.labels) == 0 {
			continue
		}
		codes, names := make([]string, len(c.labels)), make([]string, len(c.labels))
		for i, vl := range c.labels {
			codes[i], names[i] = strconv.Itoa(vl.code), rString(vl.label)
		}
		out.line("d$", c.name, " <- factor(d$", c.name, ", levels = c(", strings.Join(codes, ", "), "),")
		out.line("  labels = c(", strings.Join(names, ",\n    "), "))")
	}
	out.line()
	out.line("# ", oneLine(s.l.t("export.stats.r_labels")))
	var varLabels []string
	for _, c := range s.cols {
		if c.v == nil {
			varLabels = append(varLabels, c.name+" = "+rString(c.label))
		}
	}
	for _, v := range s.vars {
		if !s.long || !v.number() {
			varLabels = append(varLabels, v.name+" = "+rString(v.label))
		}
	}
	out.line("stemme_labels <- c(", strings.Join(varLabels, ",\n  "), ")")
	vars := s.coded()
	values, missing := make([]string, len(vars)), make([]string, len(vars))
	for i, v := range vars {
		var pairs []string
		for _, c := range v.allCodes(s.l) {
			pairs = append(pairs, rString(c.label)+" = "+strconv.Itoa(c.code))
		}
		values[i] = v.name + " = c(" + strings.Join(pairs, ", ") + ")"
		var codes []string
		for _, m := range v.missing(s.l) {
			codes = append(codes, strconv.Itoa(m.code))
		}
		missing[i] = v.name + " = c(" + strings.Join(codes, ", ") + ")"
	}
	out.line("stemme_values <- list(", strings.Join(values, ",\n  "), ")")
	out.line("stemme_missing <- list(", strings.Join(missing, ",\n  "), ")")
	out.line()
	out.line("# ", oneLine(s.l.t("export.stats.r_helpers")))
	out.line("stemme_factor <- function(x, var) {")
	out.line("  codes <- stemme_values[[var]]")
	out.line("  factor(x, levels = unname(codes), labels = names(codes))")
	out.line("}")
	out.line("stemme_score <- function(x, var) replace(x, x %in% stemme_missing[[var]], NA)")
	if s.long {
		out.line("stemme_answers <- function(var) {")
		out.line("  x <- d[d$variable == var, ]")
		out.line("  x$answer <- stemme_factor(x$value, var)")
		out.line("  x$score <- stemme_score(x$value, var)")
		out.line("  x")
		out.line("}")
		out.line("stemme_table <- function(var) {")
		out.line("  xtabs(count ~ group + answer, data = stemme_answers(var), drop.unused.levels = TRUE)")
		out.line("}")
		out.line("stemme_means <- function(var) {")
		out.line("  x <- stemme_answers(var)")
		out.line("  x <- x[!is.na(x$score), ]")
		out.line("  sapply(split(x, x$group, drop = TRUE), function(g) weighted.mean(g$score, g$count))")
		out.line("}")
	} else {
		out.line("stemme_table <- function(var) table(d$unit, stemme_factor(d[[var]], var))")
		out.line("stemme_means <- function(var) {")
		out.line("  x <- if (is.null(stemme_missing[[var]])) d[[var]] else stemme_score(d[[var]], var)")
		out.line("  tapply(x, d$unit, mean, na.rm = TRUE)")
		out.line("}")
	}
	out.line()
	out.line("# ", oneLine(s.l.t("export.stats.examples")))
	if len(vars) > 0 {
		ex := s.example()
		out.line("# stemme_table(", rString(ex.name), ")")
		out.line("# stemme_means(", rString(ex.name), ")")
	}
	return out.finish()
}
