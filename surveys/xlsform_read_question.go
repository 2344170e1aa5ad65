package surveys

import (
	"slices"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/stemme/stemme/locales"
)

// question reads one question row; problems are recorded and the question
// is kept, so that later rows are checked against it as well.
func (r *xlsReader) question(st *surveyState, t surveyType, row []string, excelRow int) Question {
	sh := r.sheets[sheetSurvey]
	fail := func(field, id, format string, kv ...any) { r.fail(sh, excelRow, sh.col(field), id, format, kv...) }
	name := sh.get(row, "name")
	q := Question{Key: r.claimKey(sh, st, name, excelRow, st.questions), FocusArea: sh.get(row, "focus_area"), Segment: sh.get(row, "segment")}
	if q.Key != name && ValidKey(q.Key) && st.questions[q.Key] == 0 {
		r.warn(sh, excelRow, sh.col("name"), "name_normalised", "the name %q is read as %s", "Name", name, "Key", q.Key)
	}
	q.Text = r.text(sh, row, excelRow, "label", true)
	q.Help = r.text(sh, row, excelRow, "hint", false)
	switch req, cond, err := parseRequired(r.rewriteRefs(sh.get(row, "required"))); {
	case err != nil:
		r.failExpr(sh, excelRow, sh.col("required"), "required", err)
	case cond != "":
		q.RequiredIf = r.checkRefs(sh, st, excelRow, "required", cond, "", ParseCondition)
	default:
		q.Required = req
	}
	own := r.expression(sh, st, row, excelRow, "relevant", "", ParseCondition)
	q.ShowIf = r.combine(sh, excelRow, st.cond(), own)
	q.Constraint = r.expression(sh, st, row, excelRow, "constraint", q.Key, ParseConstraint)
	q.ConstraintMsg = r.text(sh, row, excelRow, "constraint_message", false)
	if len(q.ConstraintMsg) > 0 && sh.get(row, "constraint") == "" {
		r.warn(sh, excelRow, colOr(sh.langs["constraint_message"], r.def), "constraint_message_alone", "a constraint message without a constraint is ignored")
		q.ConstraintMsg = nil
	}
	if ro, ok := requiredSpellings[strings.ToLower(sh.get(row, "read_only"))]; !ok || ro {
		fail("read_only", "read_only", "read-only questions are not supported: a relative answers every question shown")
	}
	if q.FocusArea != "" && !r.areas[q.FocusArea] {
		fail("focus_area", "focus_area_unknown", "unknown focus area %q: add it to the focus_areas sheet", "Key", q.FocusArea)
	}
	if q.Segment != "" && !slices.Contains(SegmentKeys, q.Segment) {
		fail("segment", "segment_unknown", "unknown segment %q (%s)", "Segment", q.Segment, "Known", strings.Join(SegmentKeys, ", "))
	}
	for _, lim := range []struct {
		field string
		dst   **float64
	}{{"min", &q.Min}, {"max", &q.Max}} {
		v, err := parseLimit(sh.get(row, lim.field))
		switch {
		case err != nil:
			fail(lim.field, "limit_number", "%s: %q is not a number (write 10 or 2.5)", "Field", lim.field, "Found", sh.get(row, lim.field))
		case v != nil && t.kind != "integer" && t.kind != "decimal":
			fail(lim.field, "limit_type", "%s applies to integer and decimal questions only", "Field", lim.field)
		}
		*lim.dst = v
	}
	multiline := r.appearance(sh, row, excelRow, t.kind)
	q.Type = r.questionType(t, q.Segment, multiline)
	switch q.Type {
	case TypeSingle, TypeScale, TypeMulti:
		q.List = t.list
	case "":
		fail("type", "list_unknown", "unknown list %q: the choices sheet has no rows with this list_name", "List", t.list)
	}
	q.ChoiceFilter = r.choiceFilter(sh, st, t, row, excelRow)
	return q
}

// choiceFilter reads a choice_filter: the columns it reads must be columns
// of the choices sheet (or name, the choice's value); they are kept.
func (r *xlsReader) choiceFilter(sh *xlsSheet, st *surveyState, t surveyType, row []string, excelRow int) string {
	src := r.expression(sh, st, row, excelRow, "choice_filter", "", ParseChoiceFilter)
	if src == "" {
		return ""
	}
	col := sh.col("choice_filter")
	if t.orOther {
		r.fail(sh, excelRow, col, "choice_filter_or_other", "a choice filter and or_other cannot go together (as in pyxform)")
	}
	if !strings.HasPrefix(t.kind, "select") {
		r.fail(sh, excelRow, col, "choice_filter_type", "only select_one and select_multiple take a choice filter")
	}
	c, _ := ParseChoiceFilter(src)
	choices := r.sheets[sheetChoices]
	for _, name := range c.Columns() {
		if _, ok := choices.extra[name]; !ok && name != "name" {
			r.fail(sh, excelRow, col, "choice_filter_column", "the choice filter reads %s, which is not a column of the choices sheet", "Column", name)
		}
		r.filterCols[name] = true
	}
	return src
}

// questionType maps a type and appearance to the model's type; "" means the
// list is unknown. A select_one is a scale or yes/no question when its list
// has that shape, unless it defines a segment, which must stay single.
func (r *xlsReader) questionType(t surveyType, segment string, multiline bool) QuestionType {
	switch t.kind {
	case "text":
		if multiline {
			return TypeLongText
		}
		return TypeText
	case "integer", "decimal":
		return TypeNumber
	case "note":
		return TypeInfo
	}
	l := r.lists[t.list]
	switch {
	case l == nil:
		return ""
	case t.kind == "select_multiple":
		l.used = true
		return TypeMulti
	case segment == "" && !t.orOther && isScaleList(l.list):
		l.used = true
		return TypeScale
	case segment == "" && !t.orOther && isYesNoList(l.list):
		l.yesno = true
		return TypeYesNo
	}
	l.used = true
	return TypeSingle
}

// orOther does what pyxform does for select_one L or_other: it adds the
// choice other to L (for every question using L) and, after the question,
// a text question KEY_other shown when other is chosen. The words are
// Stemme's in the languages it has them, English elsewhere, with a warning.
func (r *xlsReader) orOther(in *Instrument, st *surveyState, t surveyType, row []string, excelRow int) {
	sh := r.sheets[sheetSurvey]
	p := &in.Pages[len(in.Pages)-1]
	q := p.Questions[len(p.Questions)-1]
	l := r.lists[t.list]
	if l == nil || !ValidKey(q.Key) {
		return
	}
	other, specify, untranslated := generatedTexts(r.langs)
	if !slices.ContainsFunc(l.list.Choices, func(c Choice) bool { return c.Value == "other" }) {
		l.list.Choices = append(l.list.Choices, Choice{Value: "other", Label: other})
		l.rows = append(l.rows, excelRow)
	}
	key := q.Key + "_other"
	if !ValidKey(key) || st.questions[key] > 0 || r.names[key] != "" {
		r.fail(sh, excelRow, sh.col("type"), "or_other_name", "or_other adds the question %s, but that name is taken or too long", "Key", key)
		return
	}
	cond, _ := ParseCondition("selected(${" + q.Key + "}, 'other')")
	r.addQuestion(in, st, Question{Key: key, Type: TypeText, Text: specify,
		ShowIf: r.combine(sh, excelRow, st.cond(), cond.String())}, excelRow)
	r.warn(sh, excelRow, sh.col("type"), "or_other_added", "or_other adds the choice other to the list %s and the question %s: check their texts", "List", t.list, "Key", key)
	if len(untranslated) > 0 {
		r.warn(sh, excelRow, sh.col("type"), "or_other_untranslated", "the texts or_other adds are in English in %s: translate them in the editor",
			"Languages", strings.Join(untranslated, ", "))
	}
}

// generatedTexts are the label of the choice other and of the question
// asking what it is, in each language; untranslated lists the languages
// that got English words.
func generatedTexts(langs []string) (other, specify Text, untranslated []string) {
	other, specify = Text{}, Text{}
	bundle, have, err := locales.Load()
	for _, l := range langs {
		loc := i18n.NewLocalizer(bundle, "en")
		if err == nil && slices.ContainsFunc(have, func(x locales.Language) bool { return x.Code == l }) {
			loc = i18n.NewLocalizer(bundle, l)
		} else {
			untranslated = append(untranslated, l)
		}
		if err != nil {
			other[l], specify[l] = "Other", "Specify other."
			continue
		}
		other[l], _ = loc.Localize(&i18n.LocalizeConfig{MessageID: "xlsform.generated.other"})
		specify[l], _ = loc.Localize(&i18n.LocalizeConfig{MessageID: "xlsform.generated.specify_other"})
	}
	return other, specify, untranslated
}
