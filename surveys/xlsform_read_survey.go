package surveys

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// parseType reads a survey type cell into its kind and list name, accepting
// the spellings pyxform accepts ("select one L", "begin group") and
// explaining why a known ODK type is refused.
func parseType(s string) (kind, list string, err error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "", "", errors.New("the type is empty")
	}
	t := strings.ToLower(f[0])
	if len(f) >= 2 && (t == "begin" || t == "end" || t == "select") {
		t, f = t+"_"+strings.ToLower(f[1]), f[1:]
	}
	switch t {
	case "select_one", "select_multiple":
		switch {
		case len(f) == 1:
			return "", "", fmt.Errorf("%s needs a list name, as in %s colours", t, t)
		case len(f) == 3 && f[2] == "or_other":
			return "", "", errors.New("or_other is not supported: add an other choice and a text question with a relevant")
		case len(f) > 2:
			return "", "", fmt.Errorf("unexpected %q after the list name", strings.Join(f[2:], " "))
		}
		return t, f[1], nil
	case "text", "integer", "decimal", "note", "begin_group", "end_group":
		if len(f) > 1 {
			return "", "", fmt.Errorf("unexpected %q after %s", strings.Join(f[1:], " "), t)
		}
		return t, "", nil
	case "begin_repeat", "end_repeat":
		return "", "", errors.New("repeats are not supported: Stemme asks each question once")
	case "calculate":
		return "", "", errors.New("calculations are not supported")
	case "select_one_from_file", "select_multiple_from_file":
		return "", "", errors.New("choices from a file are not supported: put them in the choices sheet")
	case "start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid", "email", "audit":
		return "", "", fmt.Errorf("the metadata %s is not collected: answers to Stemme are anonymous", t)
	}
	return "", "", fmt.Errorf("type %q is not supported (Stemme reads select_one, select_multiple, text, integer, decimal, note, begin_group and end_group)", s)
}

// Appearances that only change how choices are laid out: accepted so forms
// made in KoboToolbox import, and ignored, since Stemme lays out by itself.
var layoutAppearances = []string{"minimal", "likert", "horizontal", "horizontal-compact", "columns", "columns-pack", "quick"}

// surveyState follows the groups while the survey sheet is read.
type surveyState struct {
	depth     int
	openName  string
	openRow   int
	loose     bool           // the last page is one made for questions outside groups
	generated []int          // indexes of pages made for such questions
	questions map[string]int // key → row
	groups    map[string]int // page key → row
}

func (r *xlsReader) readSurvey(in *Instrument) {
	sh := r.sheets[sheetSurvey]
	if sh == nil {
		return
	}
	st := &surveyState{questions: map[string]int{}, groups: map[string]int{}}
	for i := 1; i < len(sh.rows); i++ {
		row := sh.rows[i]
		if sh.blank(row) {
			continue
		}
		kind, list, err := parseType(sh.get(row, "type"))
		switch {
		case err != nil:
			r.fail(sh, i+1, sh.col("type"), "%v", err)
		case kind == "begin_group":
			r.beginGroup(in, st, row, i+1)
		case kind == "end_group":
			if st.depth == 0 {
				r.fail(sh, i+1, sh.col("type"), "end_group without a begin_group")
				continue
			}
			if st.depth--; st.depth == 0 {
				st.openName, st.loose = "", false
			}
		default:
			if st.depth == 0 && !st.loose {
				st.loose = true
				st.generated = append(st.generated, len(in.Pages))
				in.Pages = append(in.Pages, Page{})
				r.pageRows, r.qRows = append(r.pageRows, i+1), append(r.qRows, nil)
			}
			p := len(in.Pages) - 1
			in.Pages[p].Questions = append(in.Pages[p].Questions, r.question(st, kind, list, row, i+1))
			r.qRows[p] = append(r.qRows[p], i+1)
		}
	}
	if !slices.ContainsFunc(sh.rows[min(1, len(sh.rows)):], func(row []string) bool { return !sh.blank(row) }) {
		r.fail(sh, 0, -1, "the survey sheet has no questions")
	}
	if st.depth > 0 {
		r.fail(sh, st.openRow, sh.col("type"), "the group %q is not closed: add an end_group row", st.openName)
	}
	// Pages of ungrouped questions get keys no group has taken.
	for _, p := range st.generated {
		key := fmt.Sprintf("page_%d", p+1)
		for n := 2; st.groups[key] > 0; n++ {
			key = fmt.Sprintf("page_%d_%d", p+1, n)
		}
		st.groups[key] = r.pageRows[p]
		in.Pages[p].Key = key
	}
}

func (r *xlsReader) beginGroup(in *Instrument, st *surveyState, row []string, excelRow int) {
	sh := r.sheets[sheetSurvey]
	if st.depth++; st.depth > 1 {
		r.fail(sh, excelRow, sh.col("type"), "nested groups are not supported: close the group %q (row %d) with end_group first", st.openName, st.openRow)
		return
	}
	name := sh.get(row, "name")
	st.openName, st.openRow, st.loose = name, excelRow, false
	switch prev := st.groups[name]; {
	case !ValidKey(name):
		r.fail(sh, excelRow, sh.col("name"), "the group name %q is not a valid key (a-z, 0-9 and _, starting with a letter, at most 64)", name)
	case prev > 0:
		r.fail(sh, excelRow, sh.col("name"), "the group name %q is already used in row %d", name, prev)
	default:
		st.groups[name] = excelRow
	}
	for _, field := range []string{"required", "relevant", "focus_area", "segment", "min", "max"} {
		if sh.get(row, field) != "" {
			r.fail(sh, excelRow, sh.col(field), "a group takes no %s; put it on its questions", field)
		}
	}
	if a := sh.get(row, "appearance"); a != "" && a != "field-list" {
		r.fail(sh, excelRow, sh.col("appearance"), "the appearance %q is not supported on a group (a group is one page anyway)", a)
	}
	for _, l := range r.langs {
		if c := colOr(sh.langs["hint"], l); cellAt(row, c) != "" {
			r.fail(sh, excelRow, c, "a group takes no hint")
			break
		}
	}
	in.Pages = append(in.Pages, Page{Key: name, Title: r.text(sh, row, excelRow, "label", false)})
	r.pageRows, r.qRows = append(r.pageRows, excelRow), append(r.qRows, nil)
}

// question reads one question row; problems are recorded and the question
// is kept, so that later rows are checked against it as well.
func (r *xlsReader) question(st *surveyState, kind, list string, row []string, excelRow int) Question {
	sh := r.sheets[sheetSurvey]
	fail := func(field, format string, args ...any) { r.fail(sh, excelRow, sh.col(field), format, args...) }
	q := Question{Key: sh.get(row, "name"), FocusArea: sh.get(row, "focus_area"), Segment: sh.get(row, "segment")}
	switch prev := st.questions[q.Key]; {
	case !ValidKey(q.Key):
		fail("name", "the name %q is not a valid key (a-z, 0-9 and _, starting with a letter, at most 64)", q.Key)
	case prev > 0:
		fail("name", "the name %q is already used in row %d", q.Key, prev)
	}
	q.Text = r.text(sh, row, excelRow, "label", true)
	q.Help = r.text(sh, row, excelRow, "hint", false)
	var err error
	if q.Required, err = parseRequired(sh.get(row, "required")); err != nil {
		fail("required", "%v", err)
	}
	if s := sh.get(row, "relevant"); s != "" {
		c, err := ParseCondition(s)
		if err != nil {
			fail("relevant", "relevant: %v", err)
		}
		for _, ref := range c.Refs() {
			if st.questions[ref] == 0 {
				fail("relevant", "relevant refers to ${%s}, which is not a question above this one", ref)
			}
		}
		q.ShowIf = c.String()
	}
	if q.FocusArea != "" && !r.areas[q.FocusArea] {
		fail("focus_area", "unknown focus area %q: add it to the focus_areas sheet", q.FocusArea)
	}
	if q.Segment != "" && !slices.Contains(SegmentKeys, q.Segment) {
		fail("segment", "unknown segment %q (%s)", q.Segment, strings.Join(SegmentKeys, ", "))
	}
	for _, lim := range []struct {
		field string
		dst   **float64
	}{{"min", &q.Min}, {"max", &q.Max}} {
		v, err := parseLimit(sh.get(row, lim.field))
		switch {
		case err != nil:
			fail(lim.field, "%s: %v", lim.field, err)
		case v != nil && kind != "integer" && kind != "decimal":
			fail(lim.field, "%s applies to integer and decimal questions only", lim.field)
		}
		*lim.dst = v
	}
	q.Type = r.questionType(kind, list, q.Segment, sh.get(row, "appearance"), func(format string, args ...any) {
		fail("appearance", format, args...)
	})
	switch q.Type {
	case TypeSingle, TypeScale, TypeMulti:
		q.List = list
	case "":
		fail("type", "unknown list %q: the choices sheet has no rows with this list_name", list)
	}
	if q.Key != "" && st.questions[q.Key] == 0 {
		st.questions[q.Key] = excelRow
	}
	return q
}

// questionType maps a type and appearance to the model's type; "" means the
// list is unknown. A select_one is a scale or yes/no question when its list
// has that shape, unless it defines a segment, which must stay single.
func (r *xlsReader) questionType(kind, list, segment, appearance string, bad func(string, ...any)) QuestionType {
	okAppearance := appearance == ""
	defer func() {
		if !okAppearance {
			bad("the appearance %q is not supported on %s", appearance, kind)
		}
	}()
	switch kind {
	case "text":
		okAppearance = okAppearance || appearance == "multiline"
		if appearance == "multiline" {
			return TypeLongText
		}
		return TypeText
	case "integer", "decimal":
		return TypeNumber
	case "note":
		return TypeInfo
	}
	okAppearance = okAppearance || slices.Contains(layoutAppearances, appearance)
	l := r.lists[list]
	switch {
	case l == nil:
		return ""
	case kind == "select_multiple":
		l.used = true
		return TypeMulti
	case segment == "" && isScaleList(l.list):
		l.used = true
		return TypeScale
	case segment == "" && isYesNoList(l.list):
		l.yesno = true
		return TypeYesNo
	}
	l.used = true
	return TypeSingle
}

// locateProblems files Validate's problems under the rows they come from,
// using the order in which the rows became parts of the instrument.
func (r *xlsReader) locateProblems(in *Instrument, ps Problems) {
	type cell struct {
		sh       *xlsSheet
		row, col int
		texts    map[string]int
	}
	at := map[string]cell{}
	survey, settings := r.sheets[sheetSurvey], r.sheets[sheetSettings]
	at["key"] = cell{settings, 2, settings.col("form_id"), nil}
	at["version"] = cell{settings, 2, settings.col("version"), nil}
	at["title"] = cell{settings, 2, -1, settings.langs["title"]}
	at["intro"] = cell{settings, 2, -1, settings.langs["intro"]}
	if sh := r.sheets[sheetLanguages]; sh != nil {
		for i, row := range r.langRows {
			at[fmt.Sprintf("languages[%d]", i)] = cell{sh, row, sh.col("code"), nil}
		}
	}
	if sh := r.sheets[sheetFocusAreas]; sh != nil {
		for i, row := range r.areaRows {
			where := fmt.Sprintf("focus_areas[%d]", i)
			at[where] = cell{sh, row, sh.col("key"), nil}
			at[where+".name"] = cell{sh, row, -1, sh.langs["label"]}
		}
	}
	if sh := r.sheets[sheetChoices]; sh != nil {
		for i, l := range in.Lists {
			where := fmt.Sprintf("lists[%d]", i)
			rows := r.lists[l.Name].rows
			at[where] = cell{sh, rows[0], sh.col("list_name"), nil}
			for j, row := range rows {
				at[fmt.Sprintf("%s.choices[%d]", where, j)] = cell{sh, row, sh.col("name"), nil}
				at[fmt.Sprintf("%s.choices[%d].label", where, j)] = cell{sh, row, -1, sh.langs["label"]}
			}
		}
	}
	for pi, p := range in.Pages {
		pw := fmt.Sprintf("pages[%d]", pi)
		at[pw] = cell{survey, r.pageRows[pi], survey.col("type"), nil}
		at[pw+".title"] = cell{survey, r.pageRows[pi], -1, survey.langs["label"]}
		for qi, q := range p.Questions {
			where, row := fmt.Sprintf("%s.questions[%d] (%s)", pw, qi, q.Key), r.qRows[pi][qi]
			at[where] = cell{survey, row, survey.col("name"), nil}
			at[where+".text"] = cell{survey, row, -1, survey.langs["label"]}
			at[where+".help"] = cell{survey, row, -1, survey.langs["hint"]}
		}
	}
	for _, p := range ps {
		c, ok := at[p.Where]
		if !ok {
			r.errs = append(r.errs, XLSFormError{Sheet: sheetSurvey, Message: p.Error()})
			continue
		}
		col := c.col
		if lang, found := strings.CutPrefix(p.What, "missing text in "); found {
			col = colOr(c.texts, lang)
		} else if c.sh == survey && strings.Contains(p.Where, ".questions[") {
			col = survey.col(problemField(p.What))
		}
		r.fail(c.sh, c.row, col, "%s", p.What)
	}
}

// problemField names the survey column a question's problem is about, from
// the words Validate uses; the name column when none fits.
func problemField(what string) string {
	for _, f := range [][2]string{{"show_if", "relevant"}, {"focus area", "focus_area"}, {"segment", "segment"},
		{"list", "type"}, {"type", "type"}, {"required", "required"}, {"min", "min"}, {"max", "max"}} {
		if strings.Contains(what, f[0]) {
			return f[1]
		}
	}
	return "name"
}
