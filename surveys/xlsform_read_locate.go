package surveys

import (
	"fmt"
	"strings"
)

// problemColumns names the survey column each of Validate's problems about
// a question belongs in; the name column when none is listed.
var problemColumns = map[string]string{
	"show_if_syntax": "relevant", "show_if_ref": "relevant", "required_if_syntax": "required", "required_if_ref": "required",
	"constraint_syntax": "constraint", "constraint_ref": "constraint", "constraint_msg_alone": "constraint",
	"choice_filter_syntax": "choice_filter", "choice_filter_ref": "choice_filter", "choice_filter_type": "choice_filter",
	"choice_filter_column": "choice_filter", "focus_area_unknown": "focus_area", "focus_area_needed": "focus_area",
	"segment_unknown": "segment", "segment_single": "segment", "list_missing": "type", "list_not_scale": "type",
	"list_not_allowed": "type", "question_type": "type", "info_required": "required", "info_answerless": "type",
	"min_max": "min",
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
	if settings == nil {
		settings = &xlsSheet{name: sheetSettings, cols: map[string]int{}, langs: map[string]map[string]int{}}
	}
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
			at[where+".constraint_msg"] = cell{survey, row, -1, survey.langs["constraint_message"]}
		}
	}
	for _, p := range ps {
		c, ok := at[p.Where]
		e := XLSFormError{Sheet: sheetSurvey, Message: p.Error(), ID: "editor.problem." + p.ID, Args: p.Args}
		if ok {
			col := c.col
			switch {
			case p.Lang != "":
				col = colOr(c.texts, p.Lang)
			case c.sh == survey && strings.Contains(p.Where, ".questions["):
				if f, ok := problemColumns[p.ID]; ok {
					col = survey.col(f)
				}
			}
			e = problem(c.sh, c.row, col, "", "%s", "", p.What)
			e.ID, e.Args = "editor.problem."+p.ID, p.Args
		}
		r.errs = append(r.errs, e)
	}
}
