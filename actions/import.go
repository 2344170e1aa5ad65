package actions

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/surveys"
)

// An action plan in a spreadsheet has the shape of the tables in the
// municipal plans: a heading per focus area ("Innsatsområde 1 Ivaretagelse
// og støtte til pårørende", or a numbered "3.1 Tidlig identifisering"),
// then a header row "Tiltak | Ansvarlig eier | Tid" and one action per row.
// Rows outside such a table (goals, prose) are left alone.

// Limits on an uploaded plan.
const (
	MaxImportBytes = 2 << 20
	maxImportRows  = 2000
	maxImportCols  = 50
)

// ImportProblem is one thing wrong in the file, at a sheet, row (1-based)
// and column letter ("" for the whole row). Message is a locale message id.
type ImportProblem struct {
	Sheet   string
	Row     int
	Column  string
	Message string
	Args    map[string]any
}

// ImportHeading is a focus-area heading found in the file, with the focus
// area it most likely means (empty when nothing fits well enough).
type ImportHeading struct {
	Sheet     string
	Row       int
	Text      string
	Suggested string
}

// ImportRow is one action read from the file.
type ImportRow struct {
	Sheet string
	Row   int
	// Heading indexes Headings; -1 when the table had no heading above it.
	Heading                    int
	Title, Owner, Period, Text string
}

// ImportPlan is what a file holds, before anything is saved.
type ImportPlan struct {
	Headings []ImportHeading
	Rows     []ImportRow
	Problems []ImportProblem
}

// MalformedError is a file that is not an action plan at all: nothing of it
// can be previewed. Message is a locale message id.
type MalformedError struct {
	Message string
	Err     error
}

func (e *MalformedError) Error() string {
	if e.Err != nil {
		return "actions: " + e.Message + ": " + e.Err.Error()
	}
	return "actions: " + e.Message
}

func (e *MalformedError) Unwrap() error { return e.Err }

var (
	headingRE  = regexp.MustCompile(`(?i)^(?:innsatsområde|innsatsomrade|satsingsområde|focus area)\s*\d*\s*[:.–-]?\s*(.*)$`)
	numberedRE = regexp.MustCompile(`^\d+(?:\.\d+)+\.?\s+(\S.*)$`)
	spacesRE   = regexp.MustCompile(`\s+`)
)

// ReadPlan reads an action plan workbook and matches its headings to the
// instrument's focus areas. A file that is not a workbook, or has no
// "Tiltak" table, is a *MalformedError; everything else wrong is listed
// in Problems, with its position, for the advisor to fix.
func ReadPlan(data []byte, in *surveys.Instrument) (plan *ImportPlan, err error) {
	// excelize parses untrusted XML; a panic in it must not take the server down.
	defer func() {
		if p := recover(); p != nil {
			plan, err = nil, &MalformedError{Message: "actions.import.error.not_xlsx", Err: fmt.Errorf("%v", p)}
		}
	}()
	if len(data) > MaxImportBytes {
		return nil, &MalformedError{Message: "actions.import.error.too_large"}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 20 * MaxImportBytes, UnzipXMLSizeLimit: 10 * MaxImportBytes})
	if err != nil {
		return nil, &MalformedError{Message: "actions.import.error.not_xlsx", Err: err}
	}
	defer f.Close()
	plan = &ImportPlan{}
	tables := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := sheetRows(f, sheet)
		if err != nil {
			return nil, err
		}
		tables += plan.readSheet(sheet, rows, in)
	}
	if tables == 0 {
		return nil, &MalformedError{Message: "actions.import.error.no_table"}
	}
	return plan, nil
}

func sheetRows(f *excelize.File, sheet string) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, &MalformedError{Message: "actions.import.error.not_xlsx", Err: err}
	}
	defer rows.Close()
	var out [][]string
	for n := 1; rows.Next(); n++ {
		row, err := rows.Columns()
		switch {
		case err != nil:
			return nil, &MalformedError{Message: "actions.import.error.not_xlsx", Err: err}
		case n > maxImportRows || len(row) > maxImportCols:
			return nil, &MalformedError{Message: "actions.import.error.too_large"}
		}
		for i := range row {
			row[i] = strings.TrimSpace(spacesRE.ReplaceAllString(row[i], " "))
		}
		out = append(out, row)
	}
	return out, rows.Error()
}

// table is the header of the table being read: the columns of each field.
type table struct {
	title, owner, period int
}

// readSheet reads one sheet and returns how many tables it has.
func (p *ImportPlan) readSheet(sheet string, rows [][]string, in *surveys.Instrument) int {
	heading, tables := -1, 0
	var cur *table
	for i, row := range rows {
		n := i + 1
		cells := nonEmpty(row)
		if len(cells) == 0 {
			continue
		}
		if len(cells) == 1 {
			if text, ok := headingText(row[cells[0]]); ok {
				p.Headings = append(p.Headings, ImportHeading{Sheet: sheet, Row: n, Text: text, Suggested: MatchFocusArea(text, in)})
				heading, cur = len(p.Headings)-1, nil
				continue
			}
		}
		if t, ok := p.header(sheet, n, row); ok {
			cur, tables = t, tables+1
			if heading < 0 {
				p.problem(sheet, n, -1, "actions.import.problem.no_heading", nil)
			}
			continue
		}
		if cur == nil {
			continue // prose or goals outside a table
		}
		r := ImportRow{Sheet: sheet, Row: n, Heading: heading, Title: cell(row, cur.title),
			Owner: cell(row, cur.owner), Period: cell(row, cur.period)}
		if r.Title == "" {
			p.problem(sheet, n, cur.title, "actions.import.problem.no_title", nil)
		}
		if r.Owner == "" {
			p.problem(sheet, n, cur.owner, "actions.import.problem.no_owner", nil)
		}
		if _, err := ParsePeriod(r.Period); err != nil {
			p.problem(sheet, n, cur.period, "actions.import.problem.period", map[string]any{"Value": r.Period})
		}
		r.Title, r.Text = splitTitle(r.Title)
		p.Rows = append(p.Rows, r)
	}
	return tables
}

// header recognises a "Tiltak | Ansvarlig eier | Tid" row; a row naming
// Tiltak without the other two is a table whose missing columns are problems.
func (p *ImportPlan) header(sheet string, n int, row []string) (*table, bool) {
	t := &table{title: -1, owner: -1, period: -1}
	for c, v := range row {
		switch k := strings.ToLower(v); {
		case k == "tiltak" || k == "action" || k == "actions":
			t.title = c
		case strings.HasPrefix(k, "ansvar") || k == "owner" || k == "eier":
			t.owner = c
		case k == "tid" || k == "periode" || k == "når" || k == "tidsramme" || k == "period" || k == "when":
			t.period = c
		}
	}
	if t.title < 0 {
		return nil, false
	}
	if t.owner < 0 {
		p.problem(sheet, n, -1, "actions.import.problem.no_owner_column", nil)
	}
	if t.period < 0 {
		p.problem(sheet, n, -1, "actions.import.problem.no_period_column", nil)
	}
	return t, true
}

func (p *ImportPlan) problem(sheet string, row, col int, msg string, args map[string]any) {
	pr := ImportProblem{Sheet: sheet, Row: row, Message: msg, Args: args}
	if col >= 0 {
		pr.Column, _ = excelize.ColumnNumberToName(col + 1)
	}
	p.Problems = append(p.Problems, pr)
}

func nonEmpty(row []string) []int {
	var out []int
	for i, v := range row {
		if v != "" {
			out = append(out, i)
		}
	}
	return out
}

func cell(row []string, c int) string {
	if c < 0 || c >= len(row) {
		return ""
	}
	return row[c]
}

// headingText returns the name in a focus-area heading.
func headingText(s string) (string, bool) {
	if m := headingRE.FindStringSubmatch(s); m != nil {
		return strings.TrimSpace(m[1]), strings.TrimSpace(m[1]) != ""
	}
	if m := numberedRE.FindStringSubmatch(s); m != nil && utf8.RuneCountInString(s) <= 120 {
		return strings.TrimSpace(m[1]), true
	}
	return "", false
}

// splitTitle keeps a long "Tiltak" cell whole as the description and
// shortens the title to its first sentence or the first words that fit.
func splitTitle(s string) (title, text string) {
	if utf8.RuneCountInString(s) <= 160 {
		return s, ""
	}
	if i := strings.Index(s, ". "); i > 0 && utf8.RuneCountInString(s[:i]) <= 160 {
		return s[:i+1], s
	}
	r := []rune(s)[:150]
	cut := strings.LastIndexFunc(string(r), unicode.IsSpace)
	if cut <= 0 {
		cut = len(string(r))
	}
	return string(r)[:cut] + " …", s
}

// ErrUnmapped means a heading has no focus area chosen.
var ErrUnmapped = errors.New("actions: every heading needs a focus area")

// Actions turns a plan into actions, with a focus area per heading chosen
// by the advisor (an empty choice means "none"; a missing one is an error).
// A plan with problems gives nothing.
func (p *ImportPlan) Actions(mapping map[int]string) ([]Action, error) {
	if len(p.Problems) > 0 {
		return nil, errors.New("actions: the plan has problems")
	}
	for i := range p.Headings {
		if _, ok := mapping[i]; !ok {
			return nil, ErrUnmapped
		}
	}
	out := make([]Action, 0, len(p.Rows))
	for _, r := range p.Rows {
		a := Action{Title: r.Title, Description: r.Text, Owner: r.Owner, Period: r.Period, Status: Planned}
		if r.Heading >= 0 {
			a.FocusArea = mapping[r.Heading]
		}
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("actions: row %d: %w", r.Row, err)
		}
		out = append(out, a)
	}
	return out, nil
}
