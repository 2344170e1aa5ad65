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
		ps.add("key", "%q is not a valid key (a-z, 0-9, _; starts with a letter)", in.Key)
	}
	if in.Version < 1 {
		ps.add("version", "must be 1 or more")
	}
	if len(in.Languages) == 0 {
		ps.add("languages", "at least one language is required")
	}
	langs := in.LanguageCodes()
	for i, l := range in.Languages {
		if !slices.Contains(Languages, l.Code) {
			ps.add(fmt.Sprintf("languages[%d]", i), "unknown language %q", l.Code)
		}
		if l.Status != StatusDraft && l.Status != StatusReviewed {
			ps.add(fmt.Sprintf("languages[%d]", i), "status must be draft or reviewed")
		}
	}
	checkText(&ps, "title", in.Title, langs, true)
	checkText(&ps, "intro", in.Intro, langs, false)

	areas := map[string]bool{}
	for i, f := range in.FocusAreas {
		where := fmt.Sprintf("focus_areas[%d]", i)
		if !ValidKey(f.Key) || areas[f.Key] {
			ps.add(where, "key %q is invalid or repeated", f.Key)
		}
		areas[f.Key] = true
		checkText(&ps, where+".name", f.Name, langs, true)
	}
	lists := map[string]ChoiceList{}
	for i, l := range in.Lists {
		where := fmt.Sprintf("lists[%d]", i)
		if !ValidKey(l.Name) || lists[l.Name].Name != "" {
			ps.add(where, "name %q is invalid or repeated", l.Name)
		}
		lists[l.Name] = l
		seen := map[string]bool{}
		for j, c := range l.Choices {
			cw := fmt.Sprintf("%s.choices[%d]", where, j)
			if !choiceValuePattern.MatchString(c.Value) || seen[c.Value] {
				ps.add(cw, "value %q is invalid or repeated", c.Value)
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
			ps.add(pw, "a page needs at least one question")
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
		ps.add(where, "key %q is not valid (a-z, 0-9, _; starts with a letter; at most 64)", q.Key)
	}
	if _, dup := earlier[q.Key]; dup {
		ps.add(where, "key %q is used twice", q.Key)
	}
	if !knownTypes[q.Type] {
		ps.add(where, "unknown type %q", q.Type)
	}
	if q.FocusArea != "" && !areas[q.FocusArea] {
		ps.add(where, "unknown focus area %q", q.FocusArea)
	}
	if q.Type == TypeScale && q.FocusArea == "" && q.Segment == "" {
		ps.add(where, "a scale item needs a focus area")
	}
	if q.Segment != "" {
		if !slices.Contains(SegmentKeys, q.Segment) {
			ps.add(where, "unknown segment %q", q.Segment)
		}
		if q.Type != TypeSingle {
			ps.add(where, "a segment question must be single choice")
		}
	}
	switch q.Type {
	case TypeScale, TypeSingle, TypeMulti:
		l, ok := lists[q.List]
		if !ok {
			ps.add(where, "choice list %q does not exist", q.List)
		} else if q.Type == TypeScale && !isScaleList(l) {
			ps.add(where, "list %q must hold the values 1–6 and %q", q.List, DontKnow)
		}
	default:
		if q.List != "" {
			ps.add(where, "type %s takes no choice list", q.Type)
		}
	}
	if q.Type == TypeInfo && q.Required {
		ps.add(where, "information text cannot be required")
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		ps.add(where, "min is greater than max")
	}
	checkText(ps, where+".text", q.Text, langs, true)
	checkText(ps, where+".help", q.Help, langs, false)
	if q.ShowIf != "" {
		expr, err := ParseCondition(q.ShowIf)
		if err != nil {
			ps.add(where, "show_if: %v", err)
			return
		}
		for _, ref := range expr.Refs() {
			if _, ok := earlier[ref]; !ok {
				ps.add(where, "show_if refers to %q, which is not an earlier question", ref)
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
			*ps = append(*ps, Problem{Where: where, What: "missing text in " + l, Lang: l})
		}
	}
}
