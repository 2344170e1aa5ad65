package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"

	"github.com/stemme/stemme/surveys"
)

// problemMapper places an instrument's problems in the editor: a message
// at the field where the fix goes, and a summary line linking there. A
// problem in a language the page does not show links to the page showing it.
type problemMapper struct {
	p  *page
	in *surveys.Instrument
	to string // the language being translated now
}

// questionFields names the field of the question form each problem is about.
var questionFields = map[string]string{
	"question_key_invalid": "key", "question_key_twice": "key", "question_type": "type",
	"focus_area_unknown": "focus_area", "focus_area_needed": "focus_area",
	"segment_unknown": "segment", "segment_single": "segment",
	"list_missing": "list", "list_not_scale": "list", "list_not_allowed": "list",
	"info_required": "required", "min_max": "min", "show_if_syntax": "show_if", "show_if_ref": "show_if",
	"required_if_syntax": "required_if", "required_if_ref": "required_if", "constraint_syntax": "constraint",
	"constraint_ref": "constraint", "constraint_msg_alone": "constraint", "choice_filter_syntax": "choice_filter",
	"choice_filter_ref": "choice_filter", "choice_filter_type": "choice_filter", "choice_filter_column": "choice_filter",
	"info_answerless": "type",
}

var indexed = regexp.MustCompile(`^(pages|lists|focus_areas|languages)\[(\d+)\]`)

// editorURL is the overview of a draft with the language being translated.
func editorURL(id, to string) string {
	return "/admin/instruments/" + url.PathEscape(id) + "/edit?to=" + url.QueryEscape(to)
}

// questionURL is the form of one question of a draft.
func questionURL(id, key, to string) string {
	return "/admin/instruments/" + url.PathEscape(id) + "/edit/questions/" + url.PathEscape(key) + "?to=" + url.QueryEscape(to)
}

// field is the element id a problem belongs at.
func (m problemMapper) field(pr surveys.Problem) string {
	if questionWhere.MatchString(pr.Where) {
		if f, ok := questionFields[pr.ID]; ok {
			return editorFieldID(f, "")
		}
		return editorFieldID(pr.Where, pr.Lang)
	}
	if pr.Lang != "" {
		return editorFieldID(pr.Where, pr.Lang)
	}
	if mm := indexed.FindStringSubmatch(pr.Where); mm != nil {
		switch mm[1] {
		case "pages":
			return "page-" + mm[2]
		case "lists":
			return "list-" + mm[2]
		case "focus_areas":
			return "focus-areas"
		}
		return "languages"
	}
	if pr.Where == "languages" {
		return "languages"
	}
	return ""
}

// place names where a problem is, in the reader's language.
func (m problemMapper) place(pr surveys.Problem) string {
	p := m.p
	if qm := questionWhere.FindStringSubmatch(pr.Where); qm != nil {
		return p.T("editor.place.question", "Key", qm[3])
	}
	if mm := indexed.FindStringSubmatch(pr.Where); mm != nil {
		i, _ := strconv.Atoi(mm[2])
		switch mm[1] {
		case "pages":
			return p.T("editor.place.page", "Number", i+1)
		case "lists":
			if i < len(m.in.Lists) {
				return p.T("editor.place.list", "Name", m.in.Lists[i].Name)
			}
		case "focus_areas":
			if i < len(m.in.FocusAreas) {
				return p.T("editor.place.focus_area", "Key", m.in.FocusAreas[i].Key)
			}
		case "languages":
			return p.T("editor.languages.heading")
		}
	}
	for _, f := range []string{"title", "intro", "languages", "key", "version"} {
		if pr.Where == f {
			return p.T("editor.place." + f)
		}
	}
	return pr.Where
}

// url links a problem to its field, on the question's form or the
// overview, showing the problem's language when it has one.
func (m problemMapper) url(pr surveys.Problem) string {
	to := m.to
	if pr.Lang != "" && pr.Lang != m.in.SourceLanguage() {
		to = pr.Lang
	}
	anchor := m.field(pr)
	if anchor != "" {
		anchor = "#" + anchor
	}
	if qm := questionWhere.FindStringSubmatch(pr.Where); qm != nil {
		return questionURL(m.in.ID, qm[3], to) + anchor
	}
	return editorURL(m.in.ID, to) + anchor
}

// links lists every problem for an error summary.
func (m problemMapper) links(ps surveys.Problems) []problemLink {
	out := make([]problemLink, 0, len(ps))
	for _, pr := range ps {
		out = append(out, problemLink{Place: m.place(pr), Message: problemMessage(m.p, pr), URL: m.url(pr)})
	}
	return out
}

// fields gives each field its problems' messages; a field with several
// shows them all.
func (m problemMapper) fields(ps surveys.Problems) editorErrors {
	errs := editorErrors{}
	for _, pr := range ps {
		f := m.field(pr)
		if f == "" {
			continue
		}
		if errs[f] != "" {
			errs[f] += " "
		}
		errs[f] += problemMessage(m.p, pr)
	}
	return errs
}

// onQuestion keeps the problems of the question at the key (its new key
// once edited), so a question's form shows its own problems at its fields.
func onQuestion(ps surveys.Problems, key string) surveys.Problems {
	var out surveys.Problems
	for _, pr := range ps {
		if qm := questionWhere.FindStringSubmatch(pr.Where); qm != nil && qm[3] == key {
			out = append(out, pr)
		}
	}
	return out
}

// wherePage is the place of a page in Validate's terms.
func wherePage(i int) string { return fmt.Sprintf("pages[%d]", i) }
