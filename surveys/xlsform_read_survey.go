package surveys

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// normaliseName makes a name as ODK authors write it ("Age", "first-name",
// "q1.2") a Stemme key ("age", "first_name", "q1_2"); the result may
// still be invalid ("2nd", "alder_år"), which the caller reports.
func normaliseName(s string) string {
	return strings.NewReplacer("-", "_", ".", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// refRe matches a ${name} reference in an expression.
var refRe = regexp.MustCompile(`\$\{([^}]*)\}`)

// rewriteRefs puts the keys the names became into an expression, so that
// ${Age} reads the question keyed age. Unknown names are left for the
// parser or the check of references to report.
func (r *xlsReader) rewriteRefs(s string) string {
	return refRe.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		if key, ok := r.names[name]; ok {
			return "${" + key + "}"
		}
		if key, ok := r.names[strings.ToLower(name)]; ok {
			return "${" + key + "}"
		}
		return m
	})
}

// surveyState follows the groups while the survey sheet is read.
type surveyState struct {
	groups    []openGroup    // open groups, outermost first
	loose     bool           // the last page is one made for questions outside groups
	generated []int          // indexes of pages made for such questions
	questions map[string]int // key → row
	pages     map[string]int // page key → row
}

// openGroup is a begin_group not yet ended: a page when it is outermost,
// otherwise flattened into the page around it.
type openGroup struct {
	name string
	row  int
	cond string // its relevant and those of the groups around it, canonical
}

func (st *surveyState) cond() string {
	if len(st.groups) == 0 {
		return ""
	}
	return st.groups[len(st.groups)-1].cond
}

// scanNames maps every name of the survey sheet to its key before the
// rows are read, so an expression can be rewritten wherever it refers.
func (r *xlsReader) scanNames(sh *xlsSheet) {
	r.names = map[string]string{}
	sh.dataRows(func(row []string, _ int) {
		if name := sh.get(row, "name"); name != "" {
			key := normaliseName(name)
			if _, ok := r.names[name]; !ok {
				r.names[name] = key
			}
			if _, ok := r.names[strings.ToLower(name)]; !ok {
				r.names[strings.ToLower(name)] = key
			}
		}
	})
}

func (r *xlsReader) readSurvey(in *Instrument) {
	sh := r.sheets[sheetSurvey]
	if sh == nil {
		return
	}
	r.scanNames(sh)
	st := &surveyState{questions: map[string]int{}, pages: map[string]int{}}
	sh.dataRows(func(row []string, n int) {
		t, p := parseType(sh.get(row, "type"))
		if p != nil {
			r.report(sh, n, sh.col("type"), p)
		}
		switch {
		case t.kind == "" || t.kind == "skip":
		case t.kind == "begin_group":
			r.beginGroup(in, st, row, n)
		case t.kind == "end_group":
			if len(st.groups) == 0 {
				r.fail(sh, n, sh.col("type"), "end_without_begin", "end_group without a begin_group")
				return
			}
			if st.groups = st.groups[:len(st.groups)-1]; len(st.groups) == 0 {
				st.loose = false
			}
		default:
			r.addQuestion(in, st, r.question(st, t, row, n), n)
			if t.orOther {
				r.orOther(in, st, t, row, n)
			}
		}
	})
	if !slices.ContainsFunc(sh.rows[min(1, len(sh.rows)):], func(row []string) bool { return !sh.blank(row) }) {
		r.fail(sh, 0, -1, "no_questions", "the survey sheet has no questions")
	}
	if len(st.groups) > 0 {
		g := st.groups[0]
		r.fail(sh, g.row, sh.col("type"), "group_open", "the group %q is not closed: add an end_group row", "Name", g.name)
	}
	// Pages of ungrouped questions get keys no group has taken.
	for _, p := range st.generated {
		key := fmt.Sprintf("page_%d", p+1)
		for n := 2; st.pages[key] > 0; n++ {
			key = fmt.Sprintf("page_%d_%d", p+1, n)
		}
		st.pages[key] = r.pageRows[p]
		in.Pages[p].Key = key
	}
}

// addQuestion puts a question on the current page, opening a page for
// questions outside groups when needed.
func (r *xlsReader) addQuestion(in *Instrument, st *surveyState, q Question, excelRow int) {
	if len(st.groups) == 0 && !st.loose {
		st.loose = true
		st.generated = append(st.generated, len(in.Pages))
		in.Pages = append(in.Pages, Page{})
		r.pageRows, r.qRows = append(r.pageRows, excelRow), append(r.qRows, nil)
	}
	p := len(in.Pages) - 1
	in.Pages[p].Questions = append(in.Pages[p].Questions, q)
	r.qRows[p] = append(r.qRows[p], excelRow)
	if q.Key != "" && st.questions[q.Key] == 0 {
		st.questions[q.Key] = excelRow
	}
}

// claimKey checks a row's name and reports a key another row already took.
func (r *xlsReader) claimKey(sh *xlsSheet, st *surveyState, name string, excelRow int, taken map[string]int) string {
	key := normaliseName(name)
	switch prev := taken[key]; {
	case name == "":
		r.fail(sh, excelRow, sh.col("name"), "name_missing", "the name is empty: every question needs one")
	case !ValidKey(key):
		r.fail(sh, excelRow, sh.col("name"), "name_invalid", "the name %q is not a valid key (a-z, 0-9 and _, starting with a letter, at most 64)", "Name", name)
	case prev > 0 && key != name:
		r.fail(sh, excelRow, sh.col("name"), "name_collides", "the name %q becomes %s, which row %d already uses", "Name", name, "Key", key, "Row", prev)
	case prev > 0:
		r.fail(sh, excelRow, sh.col("name"), "name_twice", "the name %q is already used in row %d", "Name", name, "Row", prev)
	}
	return key
}

func (r *xlsReader) beginGroup(in *Instrument, st *surveyState, row []string, excelRow int) {
	sh := r.sheets[sheetSurvey]
	name := sh.get(row, "name")
	key := r.claimKey(sh, st, name, excelRow, st.pages)
	if st.pages[key] == 0 {
		st.pages[key] = excelRow
	}
	for _, field := range []string{"required", "constraint", "choice_filter", "focus_area", "segment", "min", "max"} {
		if sh.get(row, field) != "" {
			r.fail(sh, excelRow, sh.col(field), "group_field", "a group takes no %s; put it on its questions", "Field", field)
		}
	}
	for _, l := range r.langs {
		if c := colOr(sh.langs["hint"], l); cellAt(row, c) != "" {
			r.fail(sh, excelRow, c, "group_hint", "a group takes no hint")
			break
		}
	}
	r.appearance(sh, row, excelRow, "begin_group")
	cond := r.expression(sh, st, row, excelRow, "relevant", "", ParseCondition)
	cond = r.combine(sh, excelRow, st.cond(), cond)
	label := r.text(sh, row, excelRow, "label", false)
	st.groups = append(st.groups, openGroup{name: key, row: excelRow, cond: cond})
	if len(st.groups) == 1 {
		st.loose = false
		in.Pages = append(in.Pages, Page{Key: key, Title: label})
		r.pageRows, r.qRows = append(r.pageRows, excelRow), append(r.qRows, nil)
		return
	}
	// A group inside a group is flattened into the page: its relevant goes
	// to each of its questions, and its label becomes an information text.
	r.warn(sh, excelRow, sh.col("type"), "group_flattened",
		"the group %q is inside another group: Stemme shows it on the same page, its label as an information text", "Name", key)
	if len(label) > 0 && st.questions[key] == 0 {
		r.addQuestion(in, st, Question{Key: key, Type: TypeInfo, Text: label, ShowIf: cond}, excelRow)
	}
}

// expression reads one expression cell of a row with the keys the names
// became (see checkRefs).
func (r *xlsReader) expression(sh *xlsSheet, st *surveyState, row []string, excelRow int, field, self string, parse func(string) (Condition, error)) string {
	return r.checkRefs(sh, st, excelRow, field, sh.get(row, field), self, parse)
}

// checkRefs parses an expression of the cell in field, checks that it
// refers only to questions above (a constraint also to its own question,
// self) and returns it in canonical form.
func (r *xlsReader) checkRefs(sh *xlsSheet, st *surveyState, excelRow int, field, src, self string, parse func(string) (Condition, error)) string {
	if src == "" {
		return ""
	}
	c, err := parse(r.rewriteRefs(src))
	if err != nil {
		r.failExpr(sh, excelRow, sh.col(field), field, err)
		return ""
	}
	for _, ref := range c.Refs() {
		if st.questions[ref] == 0 && ref != self {
			r.fail(sh, excelRow, sh.col(field), "ref_not_above", "%s refers to ${%s}, which is not a question above this one", "Field", field, "Key", ref)
		}
	}
	return c.String()
}

// combine joins a group's condition and a question's with and.
func (r *xlsReader) combine(sh *xlsSheet, excelRow int, outer, inner string) string {
	if outer == "" || inner == "" {
		return outer + inner
	}
	c, err := ParseCondition("(" + outer + ") and (" + inner + ")")
	if err != nil {
		r.failExpr(sh, excelRow, sh.col("relevant"), "relevant", err)
		return inner
	}
	return c.String()
}
