package surveys

import (
	"errors"
	"fmt"
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
		if !slices.Contains(Languages, l.Code) {
			ps.addID(fmt.Sprintf("languages[%d]", i), "language_unknown", "unknown language %q", "Code", l.Code)
		}
		if l.Status != StatusDraft && l.Status != StatusReviewed {
			ps.addID(fmt.Sprintf("languages[%d]", i), "language_status", "status must be draft or reviewed")
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
		for j, c := range l.Choices {
			cw := fmt.Sprintf("%s.choices[%d]", where, j)
			if !choiceValuePattern.MatchString(c.Value) || seen[c.Value] {
				ps.addID(cw, "choice_value", "value %q is invalid or repeated", "Value", c.Value)
			}
			seen[c.Value] = true
			checkText(&ps, cw+".label", c.Label, langs, true)
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
	if q.ShowIf != "" {
		expr, err := ParseCondition(q.ShowIf)
		if err != nil {
			ps.addID(where, "show_if_syntax", "show_if: %v", "Detail", err.Error())
			return
		}
		for _, ref := range expr.Refs() {
			if _, ok := earlier[ref]; !ok {
				ps.addID(where, "show_if_ref", "show_if refers to %q, which is not an earlier question", "Key", ref)
			}
		}
	}
}

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
	args := make(map[string]any, len(kv)/2)
	vals := make([]any, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		args[name] = kv[i+1]
		vals = append(vals, kv[i+1])
	}
	*ps = append(*ps, Problem{Where: where, What: fmt.Sprintf(format, vals...), ID: id, Args: args})
}
