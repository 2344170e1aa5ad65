package surveys

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ReadXLSForm reads an XLSForm workbook (see xlsform.go for the mapping) into
// a new instrument with neither id nor status; nothing is stored. Problems in
// the file are returned together as XLSFormErrors, and when there are none
// the instrument is validated and Validate's problems are returned the same
// way, located at their rows.
func ReadXLSForm(r io.Reader) (*Instrument, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxXLSFormBytes+1))
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to read the XLSForm: %w", err)
	}
	if len(data) > maxXLSFormBytes {
		return nil, fmt.Errorf("surveys: the XLSForm is larger than %d MiB", maxXLSFormBytes>>20)
	}
	rd := &xlsReader{sheets: map[string]*xlsSheet{}}
	if err := rd.load(data); err != nil {
		return nil, err
	}
	in := rd.read()
	if len(rd.errs) == 0 {
		// Validate runs only on a complete instrument: on one with rows left
		// out it would mostly repeat the problems above in other words.
		var ps Problems
		if errors.As(in.Validate(), &ps) {
			rd.locateProblems(in, ps)
		}
	}
	if len(rd.errs) > 0 {
		sortXLSFormErrors(rd.errs)
		return nil, rd.errs
	}
	return in, nil
}

// xlsSheet is one sheet's cells and what its header row means.
type xlsSheet struct {
	name    string // as spelled in the workbook
	rows    [][]string
	cols    map[string]int            // single-column field → column index
	langs   map[string]map[string]int // per-language field → code → column index
	ignored map[int]bool
}

// The columns each sheet understands; languaged fields have one column per
// language (label::English (en)). Settings' style (the web-form theme of
// ODK and KoboToolbox) is accepted and ignored: Stemme has its own layout.
var xlsColumns = map[string]struct{ plain, languaged []string }{
	sheetSurvey: {[]string{"type", "name", "required", "relevant", "appearance", "focus_area", "segment", "min", "max"},
		[]string{"label", "hint"}},
	sheetChoices:    {[]string{"list_name", "name"}, []string{"label"}},
	sheetSettings:   {[]string{"form_id", "form_title", "version", "default_language", "audience", "style"}, []string{"title", "intro"}},
	sheetFocusAreas: {[]string{"key"}, []string{"label"}},
	sheetLanguages:  {[]string{"code", "status"}, nil},
}

// Why common ODK columns are refused, for the ones an author is likely to use.
var unsupportedColumns = map[string]string{
	"constraint":         "constraints are not supported, for numbers use the min and max columns",
	"constraint_message": "constraints are not supported, for numbers use the min and max columns",
	"calculation":        "calculations are not supported",
	"default":            "default answers are not supported",
	"choice_filter":      "cascading selects are not supported",
	"repeat_count":       "repeats are not supported",
	"read_only":          "read-only questions are not supported",
}

type xlsReader struct {
	sheets    map[string]*xlsSheet
	errs      XLSFormErrors
	def       string // default language
	langs     []string
	status    map[string]string
	areas     map[string]bool
	lists     map[string]*xlsList
	missing   map[string]bool // sheet/field/lang whose missing column was reported
	pageRows  []int           // Excel row of each page's begin_group (or first question)
	qRows     [][]int         // Excel row of each question, by page
	areaRows  []int
	langRows  []int
	listOrder []string
}

// xlsList is a choice list as read, with the rows it came from.
type xlsList struct {
	list        ChoiceList
	rows        []int // row of each choice
	yesno, used bool  // used as a yes/no question, used otherwise
}

// fail records a problem at an Excel row (1-based, 0 for none) and column
// index (0-based, -1 for none).
func (r *xlsReader) fail(sh *xlsSheet, row, col int, format string, args ...any) {
	e := XLSFormError{Sheet: sh.name, Row: row, Message: fmt.Sprintf(format, args...)}
	if col >= 0 {
		e.Column, _ = excelize.ColumnNumberToName(col + 1)
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
				r.fail(sh, 0, -1, "the sheet %q is not supported (Stemme reads %s)", name, strings.Join(xlsSheets, ", "))
			}
			continue
		}
		r.sheets[key] = sh
	}
	if r.sheets[sheetSurvey] == nil {
		r.errs = append(r.errs, XLSFormError{Sheet: sheetSurvey, Message: "the workbook has no survey sheet"})
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
			return XLSFormErrors{{Sheet: sh.name, Row: n, Message: fmt.Sprintf("the sheet has more than %d rows", maxXLSFormRows)}}
		case len(row) > maxXLSFormCols:
			return XLSFormErrors{{Sheet: sh.name, Row: n, Message: fmt.Sprintf("the row has more than %d columns", maxXLSFormCols)}}
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

// header reads a sheet's first row. A languaged column without a language
// (plain "label") is filed under "" until the default language is known.
func (r *xlsReader) header(key string) {
	sh := r.sheets[key]
	if sh == nil {
		return
	}
	spec := xlsColumns[key]
	sh.cols, sh.langs, sh.ignored = map[string]int{}, map[string]map[string]int{}, map[int]bool{}
	var head []string
	if len(sh.rows) > 0 {
		head = sh.rows[0]
	}
	width := 0
	for _, row := range sh.rows {
		width = max(width, len(row))
	}
	for c := range width {
		h := cellAt(head, c)
		hasValues := slices.ContainsFunc(sh.rows[min(1, len(sh.rows)):], func(row []string) bool { return cellAt(row, c) != "" })
		base, lang, languaged := strings.Cut(h, "::")
		base = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(base)), " ", "_")
		switch {
		case strings.HasPrefix(h, "$"):
			sh.ignored[c] = true // KoboToolbox bookkeeping ($kuid, $autoname, …)
		case h == "":
			sh.ignored[c] = true
			if hasValues {
				r.fail(sh, 1, c, "this column has values but no header")
			}
		case slices.Contains(spec.languaged, base):
			code := ""
			if languaged {
				var err error
				if code, err = parseLanguage(lang); err != nil {
					sh.ignored[c] = true
					r.fail(sh, 1, c, "%s: %v", h, err)
					continue
				}
			}
			if sh.langs[base] == nil {
				sh.langs[base] = map[string]int{}
			}
			r.addColumn(sh, sh.langs[base], code, c, h)
		case !languaged && slices.Contains(spec.plain, base):
			r.addColumn(sh, sh.cols, base, c, h)
		default:
			sh.ignored[c] = true
			if hasValues {
				if why := unsupportedColumns[base]; why != "" {
					r.fail(sh, 1, c, "Stemme does not read the column %q (%s): clear or delete it", h, why)
				} else {
					r.fail(sh, 1, c, "Stemme does not read the column %q: clear or delete it", h)
				}
			}
		}
	}
}

func (r *xlsReader) addColumn(sh *xlsSheet, m map[string]int, key string, c int, h string) {
	if prev, dup := m[key]; dup {
		letter, _ := excelize.ColumnNumberToName(prev + 1)
		sh.ignored[c] = true
		r.fail(sh, 1, c, "the column %q is there twice (also column %s)", h, letter)
		return
	}
	m[key] = c
}

// text reads a languaged field of a row. A required text needs every
// language; an optional one none or every one, as Validate's checkText.
func (r *xlsReader) text(sh *xlsSheet, row []string, excelRow int, field string, required bool) Text {
	cols := sh.langs[field]
	t := Text{}
	for _, l := range r.langs {
		if v := cellAt(row, colOr(cols, l)); v != "" {
			t[l] = v
		}
	}
	if len(t) == 0 && !required {
		return nil
	}
	for _, l := range r.langs {
		switch c := colOr(cols, l); {
		case t[l] != "":
		case c >= 0:
			r.fail(sh, excelRow, c, "the %s in %s is missing", field, l)
		case !r.missing[sh.name+"/"+field+"/"+l]:
			r.missing[sh.name+"/"+field+"/"+l] = true
			add := field + "::" + languageHeader(l)
			if field == "title" && l == r.def {
				add = "form_title" // the title column every XLSForm tool knows
			}
			r.fail(sh, 1, -1, "there is no %s column for %s: add %s", field, l, add)
		}
	}
	return t
}

func colOr(m map[string]int, key string) int {
	if c, ok := m[key]; ok {
		return c
	}
	return -1
}

// parseRequired accepts the spellings of XLSForm tools, Excel's booleans included.
func parseRequired(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "no", "false", "0":
		return false, nil
	case "yes", "true", "1":
		return true, nil
	}
	return false, fmt.Errorf("required must be yes or no, found %q", s)
}

// parseLimit reads a min or max: a plain finite number.
func parseLimit(s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	f, ok := parseNumber(s)
	if !ok {
		return nil, fmt.Errorf("%q is not a number (write 10 or 2.5)", s)
	}
	return &f, nil
}

// version reads settings' version: empty means 1; KoboToolbox's generated
// version strings are refused rather than guessed at.
func parseVersion(s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 0, fmt.Errorf("version must be a whole number from 1, found %q", s)
	}
	return v, nil
}
