package surveys

// XLSForm is the spreadsheet format of ODK and KoboToolbox. Stemme reads and
// writes the subset that means the same in both worlds, so an advisor can
// draft or translate an instrument in Excel or KoboToolbox and bring it back
// without surprises: anything outside the subset is rejected with its cell,
// never dropped. docs/XLSFORM.md is the author's version of this mapping.
//
// Sheet survey (one row per question, in order):
//
//	type                 select_one L  → scale when L holds 1–6 and dk, yesno when L holds
//	                                     exactly yes and no, otherwise single
//	                                     (a row with a segment always stays single)
//	                     select_multiple L → multi
//	                     text          → text; with appearance multiline → longtext
//	                     integer, decimal → number (written back as decimal)
//	                     note          → info
//	                     begin_group / end_group (or "begin group" / "end group") → a page:
//	                                     name = page key, label = page title; no nesting.
//	                                     Questions outside a group form a page of their own
//	                                     (each run of them one page, keyed page_N).
//	name                 question key, ^[a-z][a-z0-9_]{0,63}$
//	label::Name (code)   question text per language, e.g. label::Norsk bokmål (nb);
//	                     a plain "label" column is the default language (nb if none is set)
//	hint::Name (code)    help text per language
//	required             yes/no, true/false, TRUE/FALSE, 1/0 or empty
//	relevant             show_if, in the condition language of expr.go; written canonically
//	appearance           multiline on text; field-list on groups and the layout-only
//	                     minimal, likert, horizontal, horizontal-compact, columns,
//	                     columns-pack and quick on selects are accepted and ignored
//	focus_area, segment, min, max   Stemme extensions (min and max on numbers only)
//
// Sheet choices: list_name, name (the stored value), label::Name (code).
// Sheet settings (one row of values): form_id (instrument key), version
// (a whole number, 1 when empty), default_language, form_title (title in the
// default language) and the extensions title::Name (code), intro::Name (code)
// and audience. Extension sheets: focus_areas (key, label::Name (code)) and
// languages (code, status: draft or reviewed; order = the instrument's order,
// the default language first; without the sheet every language is draft).
//
// On export, yes/no questions point to a generated list (yesno, or yesno_2 …
// if that name is taken) labelled with the survey's own words for yes and no;
// on import, a list left used only by yes/no questions is dropped again.
// Columns starting with $ (KoboToolbox bookkeeping) and empty columns are
// ignored; any other column, sheet, type or appearance Stemme does not
// understand is an error.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/locales"
)

// Sheet names, in the order errors are listed and sheets are written.
const (
	sheetSurvey     = "survey"
	sheetChoices    = "choices"
	sheetSettings   = "settings"
	sheetFocusAreas = "focus_areas"
	sheetLanguages  = "languages"
)

var xlsSheets = []string{sheetSurvey, sheetChoices, sheetSettings, sheetFocusAreas, sheetLanguages}

// Limits that keep a hostile or mistaken upload from costing more than a real
// instrument ever needs (the built-in one has about 60 rows).
const (
	maxXLSFormBytes = 16 << 20
	maxXLSFormRows  = 5000
	maxXLSFormCols  = 256
	maxUnzipBytes   = 64 << 20
	maxExcelChars   = excelize.TotalCellChars // Excel silently truncates longer cells
)

// XLSFormError is one problem in an XLSForm, located as Excel shows it:
// Row is 1-based and Column a letter; either is empty when the problem
// belongs to a whole sheet or row.
type XLSFormError struct {
	Sheet   string
	Row     int
	Column  string
	Message string
}

// Position is the cell reference in Excel's notation: survey!B5, survey!5:5
// for a whole row, survey!B:B for a whole column, or just the sheet name.
func (e XLSFormError) Position() string {
	switch {
	case e.Row > 0 && e.Column != "":
		return fmt.Sprintf("%s!%s%d", e.Sheet, e.Column, e.Row)
	case e.Row > 0:
		return fmt.Sprintf("%s!%d:%d", e.Sheet, e.Row, e.Row)
	case e.Column != "":
		return fmt.Sprintf("%s!%s:%s", e.Sheet, e.Column, e.Column)
	}
	return e.Sheet
}

func (e XLSFormError) Error() string { return e.Position() + ": " + e.Message }

// XLSFormErrors lists every problem found in one file, so an author can fix
// them all in one pass.
type XLSFormErrors []XLSFormError

func (es XLSFormErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return "surveys: the XLSForm has " + plural(len(es), "problem") + ": " + strings.Join(s, "; ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// sortXLSFormErrors orders problems by sheet (in XLSForm order), row and
// column, keeping the order they were found in within one cell.
func sortXLSFormErrors(es XLSFormErrors) {
	rank := func(sheet string) int {
		if i := slices.Index(xlsSheets, strings.ToLower(sheet)); i >= 0 {
			return i
		}
		return len(xlsSheets)
	}
	col := func(c string) int {
		n, _ := excelize.ColumnNameToNumber(c)
		return n
	}
	slices.SortStableFunc(es, func(a, b XLSFormError) int {
		if d := rank(a.Sheet) - rank(b.Sheet); d != 0 {
			return d
		}
		if d := strings.Compare(a.Sheet, b.Sheet); d != 0 {
			return d
		}
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return col(a.Column) - col(b.Column)
	})
}

// languageHeader is "Name (code)", the ODK convention for a language
// column, with the name the language picker shows (the language's own).
func languageHeader(code string) string {
	name := code
	for _, l := range locales.All {
		if l.Code == code {
			name = l.Name
		}
	}
	return name + " (" + code + ")"
}

// parseLanguage reads "Name (code)" or a bare code Stemme offers. The code
// is what counts: ODK tools compare the whole string, so the name is free.
func parseLanguage(s string) (string, error) {
	s = strings.TrimSpace(s)
	code := strings.ToLower(s)
	if open := strings.LastIndex(s, "("); open >= 0 && strings.HasSuffix(s, ")") {
		code = strings.ToLower(strings.TrimSpace(s[open+1 : len(s)-1]))
	} else if !slices.Contains(Languages, code) {
		return "", fmt.Errorf("write the language as Name (code), for example English (en); found %q", s)
	}
	if !slices.Contains(Languages, code) {
		return "", fmt.Errorf("language %q is not one Stemme offers (%s)", code, strings.Join(Languages, ", "))
	}
	return code, nil
}

// isYesNoList reports whether a list holds exactly the values of a yes/no
// question, the shape an XLSForm gives such a question.
func isYesNoList(l ChoiceList) bool {
	if len(l.Choices) != 2 {
		return false
	}
	a, b := l.Choices[0].Value, l.Choices[1].Value
	return a == "yes" && b == "no" || a == "no" && b == "yes"
}

// tooLongForExcel reports whether Excel would truncate s: its limit counts
// UTF-16 units, so text outside the basic plane counts twice.
func tooLongForExcel(s string) bool {
	if len(s) <= maxExcelChars {
		return false
	}
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n > maxExcelChars
}
