package surveys

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// XLSFormImport is a workbook read into a new instrument, with the
// warnings an author should see: what was ignored because Stemme lays out
// or collects by itself, and what it added or assumed.
type XLSFormImport struct {
	Instrument *Instrument
	Warnings   XLSFormErrors
}

// ReadXLSForm reads an XLSForm workbook (see xlsform.go for the mapping)
// into a new instrument with neither id nor status; nothing is stored.
// Problems in the file are returned together as XLSFormErrors.
func ReadXLSForm(r io.Reader) (*Instrument, error) {
	imp, err := ImportXLSForm(r, "")
	if err != nil {
		return nil, err
	}
	return imp.Instrument, nil
}

// ImportXLSForm reads an XLSForm workbook as ReadXLSForm does, with the
// file's name, from which the instrument key comes when the settings give
// none (as pyxform does), and returns the warnings too. When the file has
// no problems of its own, the instrument's own checks (ValidateDraft) are
// returned the same way, located at their rows.
func ImportXLSForm(r io.Reader, fileName string) (*XLSFormImport, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxXLSFormBytes+1))
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to read the XLSForm: %w", err)
	}
	if len(data) > maxXLSFormBytes {
		return nil, fmt.Errorf("surveys: the XLSForm is larger than %d MiB: %w", maxXLSFormBytes>>20, ErrXLSFormTooLarge)
	}
	rd := &xlsReader{sheets: map[string]*xlsSheet{}, fileName: fileName}
	if err := rd.load(data); err != nil {
		return nil, err
	}
	in := rd.read()
	if len(rd.errs) == 0 {
		// Validate runs only on a complete instrument: on one with rows left
		// out it would mostly repeat the problems above in other words.
		var ps Problems
		if errors.As(in.ValidateDraft(), &ps) {
			rd.locateProblems(in, ps)
		}
	}
	sortXLSFormErrors(rd.warns)
	if len(rd.errs) > 0 {
		sortXLSFormErrors(rd.errs)
		return nil, rd.errs
	}
	return &XLSFormImport{Instrument: in, Warnings: rd.warns}, nil
}

// ErrXLSFormTooLarge is matched (errors.Is) when a file is over the size limit.
var ErrXLSFormTooLarge = errors.New("surveys: the file is too large")

// MaxXLSFormBytes is the largest XLSForm file read.
const MaxXLSFormBytes = maxXLSFormBytes

// xlsSheet is one sheet's cells and what its header row means.
type xlsSheet struct {
	name    string // as spelled in the workbook
	rows    [][]string
	cols    map[string]int            // single-column field → column index
	langs   map[string]map[string]int // per-language field → code → column index
	extra   map[string]int            // choices: other columns, which choice filters may read
	ignored map[int]bool
}

type xlsReader struct {
	sheets   map[string]*xlsSheet
	fileName string
	errs     XLSFormErrors
	warns    XLSFormErrors
	def      string // default language
	langs    []string
	status   map[string]string
	langInfo map[string]LanguageStatus
	areas    map[string]bool
	lists    map[string]*xlsList
	missing  map[string]bool // sheet/field/lang whose missing column was reported
	names    map[string]string
	pageRows []int   // Excel row of each page's begin_group (or first question)
	qRows    [][]int // Excel row of each question, by page
	areaRows []int
	langRows []int
	// listOrder keeps the lists in the order of the choices sheet.
	listOrder []string
	// filterCols are the choices columns some choice filter reads.
	filterCols map[string]bool
	// fromLanguages are titles and intros given in the languages sheet.
	fromLanguages []languageText
}

// xlsList is a choice list as read, with the rows it came from.
type xlsList struct {
	list        ChoiceList
	rows        []int // row of each choice
	yesno, used bool  // used as a yes/no question, used otherwise
}

// problem builds a located problem with its message id ("xlsform.problem."
// + id); kv are name/value pairs filling format's verbs in order and the
// translated message's placeholders by name.
func problem(sh *xlsSheet, row, col int, id, format string, kv ...any) XLSFormError {
	args, msg := namedArgs(format, kv)
	e := XLSFormError{Sheet: sh.name, Row: row, Message: msg, ID: "xlsform.problem." + id, Args: args}
	if col >= 0 {
		e.Column, _ = excelize.ColumnNumberToName(col + 1)
	}
	return e
}

// fail records a problem at an Excel row (1-based, 0 for none) and column
// index (0-based, -1 for none): the file is not imported.
func (r *xlsReader) fail(sh *xlsSheet, row, col int, id, format string, kv ...any) {
	r.errs = append(r.errs, problem(sh, row, col, id, format, kv...))
}

// warn records what the author should know but need not fix.
func (r *xlsReader) warn(sh *xlsSheet, row, col int, id, format string, kv ...any) {
	r.warns = append(r.warns, problem(sh, row, col, id, format, kv...))
}

// failExpr records a syntax error in an expression cell, its detail kept
// for translation.
func (r *xlsReader) failExpr(sh *xlsSheet, row, col int, field string, err error) {
	id, format := "expression", "%s: %v"
	if field == "required" {
		id, format = "required_invalid", "%s must be yes, no or a condition on earlier answers: %v"
	}
	e := problem(sh, row, col, id, format, "Field", field, "Detail", err.Error())
	var ee *ExprError
	if errors.As(err, &ee) {
		e.Detail = ee
	}
	r.errs = append(r.errs, e)
}

// load opens the workbook and reads the sheets it knows. Unknown sheets with
// content are refused, as they would otherwise be lost without a word.
func (r *xlsReader) load(data []byte) (err error) {
	// excelize parses untrusted XML; a panic in it must not take the server down.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("surveys: the workbook could not be read: %v", p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipBytes, UnzipXMLSizeLimit: maxXLSFormBytes})
	if err != nil {
		return fmt.Errorf("surveys: the file is not an .xlsx workbook: %w", err)
	}
	defer f.Close()
	for _, name := range f.GetSheetList() {
		key := strings.ToLower(strings.TrimSpace(name))
		sh := &xlsSheet{name: name}
		if err := r.readRows(f, sh); err != nil {
			return err
		}
		if _, known := xlsColumns[key]; !known {
			if !sh.empty() {
				r.fail(sh, 0, -1, "sheet_unknown", "the sheet %q is not supported (Stemme reads %s)", "Sheet", name, "Known", strings.Join(xlsSheets, ", "))
			}
			continue
		}
		r.sheets[key] = sh
	}
	if r.sheets[sheetSurvey] == nil {
		r.fail(&xlsSheet{name: sheetSurvey}, 0, -1, "no_survey", "the workbook has no survey sheet")
	}
	return nil
}

// readRows reads a sheet as GetRows would, but stops at the size limits
// before a sheet with a far-away cell makes every row 16,384 cells wide;
// then that is the only problem reported.
func (r *xlsReader) readRows(f *excelize.File, sh *xlsSheet) error {
	rows, err := f.Rows(sh.name)
	if err != nil {
		return fmt.Errorf("surveys: unable to read the sheet %q: %w", sh.name, err)
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		row, err := rows.Columns()
		switch {
		case err != nil:
			return fmt.Errorf("surveys: unable to read the sheet %q: %w", sh.name, err)
		case len(row) == 0:
			continue
		case n > maxXLSFormRows:
			return XLSFormErrors{problem(sh, n, -1, "too_many_rows", "the sheet has more than %d rows", "Max", maxXLSFormRows)}
		case len(row) > maxXLSFormCols:
			return XLSFormErrors{problem(sh, n, -1, "too_many_columns", "the row has more than %d columns", "Max", maxXLSFormCols)}
		}
		sh.rows = append(sh.rows, make([][]string, n-1-len(sh.rows))...)
		sh.rows = append(sh.rows, row)
	}
	return rows.Error()
}

func (sh *xlsSheet) empty() bool {
	for _, row := range sh.rows {
		if slices.ContainsFunc(row, func(s string) bool { return strings.TrimSpace(s) != "" }) {
			return false
		}
	}
	return true
}

func cellAt(row []string, c int) string {
	if c < 0 || c >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[c])
}

// get returns the trimmed cell of a single-column field.
func (sh *xlsSheet) get(row []string, field string) string {
	c, ok := sh.cols[field]
	if !ok {
		return ""
	}
	return cellAt(row, c)
}

// col returns the column index of a field, -1 when the sheet lacks it.
func (sh *xlsSheet) col(field string) int {
	if c, ok := sh.cols[field]; ok {
		return c
	}
	return -1
}

// blank reports whether a row has nothing in the columns that count.
func (sh *xlsSheet) blank(row []string) bool {
	for c := range row {
		if !sh.ignored[c] && cellAt(row, c) != "" {
			return false
		}
	}
	return true
}

// dataRows calls f with each row under the header that is not blank, and
// its Excel row number.
func (sh *xlsSheet) dataRows(f func(row []string, excelRow int)) {
	for i := 1; i < len(sh.rows); i++ {
		if !sh.blank(sh.rows[i]) {
			f(sh.rows[i], i+1)
		}
	}
}

func colOr(m map[string]int, key string) int {
	if c, ok := m[key]; ok {
		return c
	}
	return -1
}
