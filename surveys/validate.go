package surveys

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
)

var knownTypes = map[QuestionType]bool{
	TypeScale: true, TypeSingle: true, TypeMulti: true, TypeYesNo: true,
	TypeNumber: true, TypeText: true, TypeLongText: true, TypeInfo: true,
}

// Validate lists every problem with the instrument: keys, types, choice lists,
// focus areas, segments, conditions and missing text in any offered language.
// It returns nil when the instrument can be published.
func (in *Instrument) Validate() error {
	var ps Problems
	if !ValidKey(in.Key) {
		ps.addID("key", "key_invalid", "%q is not a valid key (a-z, 0-9, _; starts with a letter)", "Key", in.Key)
	}
	if in.Version < 1 {
		ps.addID("version", "version_low", "must be 1 or more")
	}
	if len(in.Languages) == 0 {
		ps.addID("languages", "languages_none", "at least one language is required")
	}
	langs := in.LanguageCodes()
	for i, l := range in.Languages {
		where := fmt.Sprintf("languages[%d]", i)
		switch {
		case !ValidLanguageCode(l.Code):
			ps.addID(where, "language_unknown", "%q is not a language code (BCP 47, such as lt or fa-AF)", "Code", l.Code)
		case slices.Index(langs, l.Code) < i:
			ps.addID(where, "language_offered", "the instrument is already offered in %q", "Code", l.Code)
		}
		if l.Status != StatusDraft && l.Status != StatusReviewed {
			ps.addID(where, "language_status", "status must be draft or reviewed")
		}
		if l.Dir != "" && l.Dir != "ltr" && l.Dir != "rtl" {
			ps.addID(where, "language_dir", "the direction must be ltr or rtl, not %q", "Dir", l.Dir)
		}
		if len(l.Name) > 100 {
			ps.addID(where, "language_name", "the name of %s is longer than 100 bytes", "Code", l.Code)
		}
	}
	checkText(&ps, "title", in.Title, langs, true)
	checkText(&ps, "intro", in.Intro, langs, false)

	areas := map[string]bool{}
	for i, f := range in.FocusAreas {
		where := fmt.Sprintf("focus_areas[%d]", i)
		if !ValidKey(f.Key) || areas[f.Key] {
			ps.addID(where, "focus_area_key", "key %q is invalid or repeated", "Key", f.Key)
		}
		areas[f.Key] = true
		checkText(&ps, where+".name", f.Name, langs, true)
	}
	lists := map[string]ChoiceList{}
	for i, l := range in.Lists {
		where := fmt.Sprintf("lists[%d]", i)
		if !ValidKey(l.Name) || lists[l.Name].Name != "" {
			ps.addID(where, "list_name", "name %q is invalid or repeated", "Name", l.Name)
		}
		lists[l.Name] = l
		seen := map[string]bool{}
		if len(l.Choices) == 0 {
			ps.addID(where, "list_empty", "the list %q has no choices", "Name", l.Name)
		}
		for j, c := range l.Choices {
			cw := fmt.Sprintf("%s.choices[%d]", where, j)
			if !choiceValuePattern.MatchString(c.Value) || seen[c.Value] {
				ps.addID(cw, "choice_value", "value %q is invalid or repeated", "Value", c.Value)
			}
			seen[c.Value] = true
			checkText(&ps, cw+".label", c.Label, langs, true)
			for col := range c.Filter {
				if !filterColumnPattern.MatchString(col) || col == "name" || col == "label" {
					ps.addID(cw, "filter_column_name", "%q cannot name a column of choices", "Column", col)
				}
			}
		}
	}

	for _, st := range in.Stale {
		if r, ok := in.TextRef(st.ID); ok && slices.Contains(langs, st.Lang) && st.Lang != in.SourceLanguage() && r.Text[st.Lang] != "" {
			ps = append(ps, Problem{Where: r.Where, What: "the translation into " + st.Lang + " was made before the source text changed",
				Lang: st.Lang, ID: "text_stale", Args: map[string]any{"Code": st.Lang}})
		}
	}
	seen := map[string]Question{}
	for pi, p := range in.Pages {
		pw := fmt.Sprintf("pages[%d]", pi)
		checkText(&ps, pw+".title", p.Title, langs, false)
		if len(p.Questions) == 0 {
			ps.addID(pw, ProblemPageEmpty, "a page needs at least one question")
		}
		for qi, q := range p.Questions {
			where := fmt.Sprintf("%s.questions[%d] (%s)", pw, qi, q.Key)
			in.validateQuestion(&ps, where, q, seen, lists, areas, langs)
			seen[q.Key] = q
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func (in *Instrument) validateQuestion(ps *Problems, where string, q Question, earlier map[string]Question,
	lists map[string]ChoiceList, areas map[string]bool, langs []string) {
	if !ValidKey(q.Key) {
		ps.addID(where, "question_key_invalid", "key %q is not valid (a-z, 0-9, _; starts with a letter; at most 64)", "Key", q.Key)
	}
	if _, dup := earlier[q.Key]; dup {
		ps.addID(where, "question_key_twice", "key %q is used twice", "Key", q.Key)
	}
	if !knownTypes[q.Type] {
		ps.addID(where, "question_type", "unknown type %q", "Type", string(q.Type))
	}
	if q.FocusArea != "" && !areas[q.FocusArea] {
		ps.addID(where, "focus_area_unknown", "unknown focus area %q", "Key", q.FocusArea)
	}
	if q.Type == TypeScale && q.FocusArea == "" && q.Segment == "" {
		ps.addID(where, "focus_area_needed", "a scale item needs a focus area")
	}
	if q.Segment != "" {
		if !slices.Contains(SegmentKeys, q.Segment) {
			ps.addID(where, "segment_unknown", "unknown segment %q", "Segment", q.Segment)
		}
		if q.Type != TypeSingle {
			ps.addID(where, "segment_single", "a segment question must be single choice")
		}
	}
	switch q.Type {
	case TypeScale, TypeSingle, TypeMulti:
		l, ok := lists[q.List]
		if !ok {
			ps.addID(where, "list_missing", "choice list %q does not exist", "List", q.List)
		} else if q.Type == TypeScale && !isScaleList(l) {
			ps.addID(where, "list_not_scale", "list %q must hold the values 1–6 and %q", "List", q.List, "DontKnow", DontKnow)
		}
	default:
		if q.List != "" {
			ps.addID(where, "list_not_allowed", "type %s takes no choice list", "Type", string(q.Type))
		}
	}
	if q.Type == TypeInfo && q.Required {
		ps.addID(where, "info_required", "information text cannot be required")
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		ps.addID(where, "min_max", "min is greater than max")
	}
	checkText(ps, where+".text", q.Text, langs, true)
	checkText(ps, where+".help", q.Help, langs, false)
	checkText(ps, where+".constraint_msg", q.ConstraintMsg, langs, false)
	checkExpr(ps, where, "show_if", q.Key, q.ShowIf, ParseCondition, earlier)
	checkExpr(ps, where, "required_if", q.Key, q.RequiredIf, ParseCondition, earlier)
	checkExpr(ps, where, "constraint", q.Key, q.Constraint, ParseConstraint, earlier)
	filter := checkExpr(ps, where, "choice_filter", q.Key, q.ChoiceFilter, ParseChoiceFilter, earlier)
	if q.Type == TypeInfo && (q.RequiredIf != "" || q.Constraint != "") {
		ps.addID(where, "info_answerless", "information text takes no answer, so no required condition or constraint")
	}
	if len(q.ConstraintMsg) > 0 && q.Constraint == "" {
		ps.addID(where, "constraint_msg_alone", "a constraint message needs a constraint")
	}
	if q.ChoiceFilter == "" {
		return
	}
	l, ok := lists[q.List]
	if q.Type != TypeSingle && q.Type != TypeMulti && q.Type != TypeScale {
		ps.addID(where, "choice_filter_type", "only questions with answer choices take a choice filter")
		return
	}
	for _, col := range filter.Columns() {
		if ok && col != "name" && !slices.ContainsFunc(l.Choices, func(c Choice) bool { _, has := c.Filter[col]; return has }) {
			ps.addID(where, "choice_filter_column", "the choice filter reads the column %q, which no choice of %q has", "Column", col, "List", q.List)
		}
	}
}

// checkExpr parses one of a question's expressions and requires that it
// reads only questions asked before it; a constraint may read its own answer.
func checkExpr(ps *Problems, where, field, key, src string, parse func(string) (Condition, error), earlier map[string]Question) Condition {
	if src == "" {
		return Condition{}
	}
	c, err := parse(src)
	if err != nil {
		ps.addID(where, field+"_syntax", field+": %v", "Detail", err.Error())
		return Condition{}
	}
	for _, ref := range c.Refs() {
		if _, ok := earlier[ref]; !ok && !(field == "constraint" && ref == key) {
			ps.addID(where, field+"_ref", field+" refers to %q, which is not an earlier question", "Key", ref)
		}
	}
	return c
}

// filterColumnPattern is what a choices column read by filters may be
// called: a word of the condition language, safe as a field name in the store.
var filterColumnPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)

// ValidateDraft is Validate without the checks of the translations: a draft
// must be complete in its first (source) language, but may be saved while its
// other languages are unfinished; publishing needs them all.
func (in *Instrument) ValidateDraft() error {
	err := in.Validate()
	var ps Problems
	if !errors.As(err, &ps) {
		return err
	}
	source := ""
	if len(in.Languages) > 0 {
		source = in.Languages[0].Code
	}
	var structural Problems
	for _, p := range ps {
		if p.Lang == "" || p.Lang == source {
			structural = append(structural, p)
		}
	}
	if len(structural) == 0 {
		return nil
	}
	return structural
}

func isScaleList(l ChoiceList) bool {
	want := []string{"1", "2", "3", "4", "5", "6", DontKnow}
	if len(l.Choices) != len(want) {
		return false
	}
	for i, c := range l.Choices {
		if c.Value != want[i] {
			return false
		}
	}
	return true
}

// checkText requires the text in every language when required, and otherwise
// requires it in every language once it is present in one.
func checkText(ps *Problems, where string, t Text, langs []string, required bool) {
	if !required && len(t) == 0 {
		return
	}
	for _, l := range langs {
		if t[l] == "" {
			*ps = append(*ps, Problem{Where: where, What: "missing text in " + l, Lang: l,
				ID: "text_missing", Args: map[string]any{"Code": l}})
		}
	}
}

// ProblemPageEmpty is the ID of "a page needs at least one question": a
// draft may hold an empty page for a while (see EditDraft), a published
// instrument may not.
const ProblemPageEmpty = "page_empty"

// addID records a problem with a message ID. kv are name/value pairs: the
// values fill format's verbs in order (the English What), the names are the
// placeholders of the translated message.
func (ps *Problems) addID(where, id, format string, kv ...any) {
	args, what := namedArgs(format, kv)
	*ps = append(*ps, Problem{Where: where, What: what, ID: id, Args: args})
}

// namedArgs splits name/value pairs into the arguments of a translated
// message, by name, and the English text, format with the values in order.
func namedArgs(format string, kv []any) (args map[string]any, english string) {
	args = make(map[string]any, len(kv)/2)
	vals := make([]any, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		args[name] = kv[i+1]
		vals = append(vals, kv[i+1])
	}
	return args, fmt.Sprintf(format, vals...)
}
