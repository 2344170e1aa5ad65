package surveys

// XLSForm is the spreadsheet format of ODK and KoboToolbox. Stemme reads
// what their authors write and writes what pyxform (the converter both
// use) accepts, so an advisor can draft or translate an instrument in Excel
// or KoboToolbox and bring it back. What Stemme cannot honour (repeats,
// media, locations, identifying metadata, calculations, defaults) is
// refused with its cell, never dropped; what only changes how ODK lays a
// form out (appearances, style, required_message) is ignored with a
// warning. docs/XLSFORM.md is the author's version of this mapping.
//
// Sheet survey (one row per question, in order):
//
//	type                 select_one L  → scale when L holds 1–6 and dk, yesno when L holds
//	                                     exactly yes and no, otherwise single
//	                                     (a row with a segment always stays single);
//	                                     "select_one L or_other" adds the choice other to L
//	                                     and a text question KEY_other, as pyxform does
//	                     select_multiple L → multi
//	                     text          → text; with appearance multiline → longtext
//	                     integer, decimal → number (written back as decimal)
//	                     note          → info
//	                     begin_group / end_group → a page: name = page key, label =
//	                                     page title. A group inside a group is flattened
//	                                     into the page, its label an information text.
//	                                     Questions outside a group form a page of their own
//	                                     (each run of them one page, keyed page_N).
//	                     start, end, today → left out with a warning (no times are kept)
//	name                 question key, ^[a-z][a-z0-9_]{0,63}$ once lower-cased with - and .
//	                     made _ (Age → age); ${Age} in expressions follows
//	label::Name (code)   question text per language: label::English (en), label:English (en),
//	                     label::english or label::en; a plain label column is the default language
//	hint::…, constraint_message::…   help text and the constraint's message per language
//	required             yes/no (true/false, TRUE/FALSE, 1/0, true()/false()) or a condition
//	relevant             show_if; on a group it is joined with and to each question's
//	constraint           an answer's condition, "." being the answer
//	choice_filter        a condition on the choices' columns (county = ${county})
//	appearance           multiline on text; anything else is ignored with a warning,
//	                     except those taking answers from files or other apps
//	focus_area, segment, min, max   Stemme extensions (min and max on numbers only)
//
// Sheet choices: list_name, name (the stored value), label::Name (code) and
// the columns choice filters read. Sheet settings (one row of values, all
// optional, as in pyxform): form_id (instrument key; the file name without
// it), version (a whole number, else 1), default_language, form_title
// (title in the default language; the key without it) and audience.
// Extension sheets: focus_areas (key, label::Name (code)) and languages
// (code, name, direction, status, title, intro; order = the instrument's
// order, the default language first). Export writes the other languages'
// titles there, since pyxform fails on title::… settings columns.
//
// Every sheet written declares its real size: readers such as openpyxl's
// read-only mode, and so pyxform, trust the declared dimension.
//
// On export, yes/no questions point to a generated list (yesno, or yesno_2 …
// if that name is taken) labelled with the survey's own words for yes and no;
// on import, a list left used only by yes/no questions is dropped again.
// Columns starting with $ (KoboToolbox bookkeeping) and empty columns are
// ignored.

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
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
// belongs to a whole sheet or row. ID names a translated message
// ("xlsform.problem.…", or "editor.problem.…" for the instrument's own
// checks) and Args fill it; Message is the same in English. Detail, when
// set, is a message of its own (an expression's syntax error) that the
// translated message shows as {{.Detail}}.
type XLSFormError struct {
	Sheet   string
	Row     int
	Column  string
	Message string
	ID      string
	Args    map[string]any
	Detail  *ExprError
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
// column, with the language's name in itself.
func languageHeader(code string) string { return Language(code).Name + " (" + code + ")" }

// errLanguageName and errLanguageCode say why a column's language could not
// be read: an unknown name, or a code that is not BCP 47.
var (
	errLanguageName = errors.New("unknown language name")
	errLanguageCode = errors.New("not a language code")
)

// parseLanguage reads the language of a column or setting: "Name (code)"
// (the code counts, the name is free), a bare code ("en", "lt") or a name
// alone ("English", "Kiswahili"), as KoboToolbox authors write them.
// "default" is pyxform's name for the form's default language: "" here.
func parseLanguage(s string) (string, error) {
	s = strings.TrimSpace(s)
	if open := strings.LastIndex(s, "("); open >= 0 && strings.HasSuffix(s, ")") {
		code, err := ParseLanguageCode(s[open+1 : len(s)-1])
		if err != nil {
			return "", errLanguageCode
		}
		return code, nil
	}
	if strings.EqualFold(s, "default") {
		return "", nil
	}
	if code, ok := LanguageByName(s); ok {
		return code, nil
	}
	// A bare code must be one CLDR can name, so that "Klingon" or a typo
	// is not taken for a private language.
	if code, err := ParseLanguageCode(s); err == nil && (Language(code).English != code || strings.Contains(code, "-")) {
		return code, nil
	}
	return "", errLanguageName
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
