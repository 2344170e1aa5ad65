package surveys

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/locales"
)

// WriteXLSForm writes the instrument as an XLSForm workbook that
// ReadXLSForm reads back into an equal instrument (see xlsform.go for the
// mapping and docs/XLSFORM.md for what does not survive the trip).
func WriteXLSForm(w io.Writer, in *Instrument) error {
	f := excelize.NewFile()
	defer f.Close()
	xw := &xlsWriter{f: f, langs: in.LanguageCodes(), next: map[string]int{}, width: map[string]int{}}
	if len(xw.langs) == 0 {
		xw.langs = []string{"nb"}
	}
	if err := f.SetSheetName("Sheet1", sheetSurvey); err != nil {
		return fmt.Errorf("surveys: unable to write the XLSForm: %w", err)
	}
	for _, name := range xlsSheets[1:] {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("surveys: unable to write the XLSForm: %w", err)
		}
	}
	yesno, err := xw.choices(in)
	if err != nil {
		return err
	}
	xw.survey(in, yesno)
	xw.settings(in)
	xw.header(sheetFocusAreas, append([]any{"key"}, xw.langHeaders("label")...))
	for _, a := range in.FocusAreas {
		xw.row(sheetFocusAreas, append([]any{a.Key}, xw.texts(a.Name)...))
	}
	// The languages sheet also carries each language's title and
	// introduction: pyxform reads title::… columns in the settings as a
	// title of its own and fails on them.
	xw.header(sheetLanguages, []any{"code", "name", "direction", "status", "title", "intro"})
	for _, l := range in.Languages {
		info := in.LanguageInfo(l.Code)
		xw.row(sheetLanguages, []any{l.Code, info.Name, info.Dir(), l.Status, in.Title[l.Code], in.Intro[l.Code]})
	}
	xw.dimensions()
	if xw.err != nil {
		return xw.err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("surveys: unable to write the XLSForm: %w", err)
	}
	return nil
}

// xlsWriter appends rows to the sheets and keeps the first error.
type xlsWriter struct {
	f     *excelize.File
	langs []string
	next  map[string]int // last row written per sheet
	width map[string]int // widest row written per sheet
	err   error
}

// row appends one row. Empty strings become empty cells, and text Excel
// would truncate is refused rather than cut short.
func (xw *xlsWriter) row(sheet string, cells []any) {
	if xw.err != nil {
		return
	}
	xw.next[sheet]++
	xw.width[sheet] = max(xw.width[sheet], len(cells))
	for i, c := range cells {
		switch s, _ := c.(string); {
		case c == "":
			cells[i] = nil
		case tooLongForExcel(s):
			col, _ := excelize.ColumnNumberToName(i + 1)
			xw.err = fmt.Errorf("surveys: %s!%s%d holds more than the %d characters Excel keeps", sheet, col, xw.next[sheet], maxExcelChars)
			return
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, xw.next[sheet])
	if err := xw.f.SetSheetRow(sheet, cell, &cells); err != nil {
		xw.err = fmt.Errorf("surveys: unable to write %s!%s: %w", sheet, cell, err)
	}
}

// dimensions declares each sheet's used range. excelize leaves it at A1,
// and readers that trust it (openpyxl's read-only mode, and so pyxform,
// KoboToolbox and ODK's converter) then see an empty sheet.
func (xw *xlsWriter) dimensions() {
	for _, sheet := range xlsSheets {
		if xw.err != nil || xw.next[sheet] == 0 {
			continue
		}
		last, _ := excelize.CoordinatesToCellName(max(1, xw.width[sheet]), xw.next[sheet])
		if err := xw.f.SetSheetDimension(sheet, "A1:"+last); err != nil {
			xw.err = fmt.Errorf("surveys: unable to size the %s sheet: %w", sheet, err)
		}
	}
}

// header writes a sheet's header row in bold and keeps it in view while scrolling.
func (xw *xlsWriter) header(sheet string, cells []any) {
	xw.row(sheet, cells)
	if xw.err != nil {
		return
	}
	style, err := xw.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err == nil {
		err = xw.f.SetRowStyle(sheet, 1, 1, style)
	}
	if err == nil {
		err = xw.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	if err != nil {
		xw.err = fmt.Errorf("surveys: unable to format the %s sheet: %w", sheet, err)
	}
}

func (xw *xlsWriter) langHeaders(field string) []any {
	hs := make([]any, len(xw.langs))
	for i, l := range xw.langs {
		hs[i] = field + "::" + languageHeader(l)
	}
	return hs
}

func (xw *xlsWriter) texts(t Text) []any {
	vs := make([]any, len(xw.langs))
	for i, l := range xw.langs {
		vs[i] = t[l]
	}
	return vs
}

// choices writes the lists and, when yes/no questions need one, a yes/no
// list labelled with the words the survey pages use; it returns that list's
// name. The columns choice filters read follow the labels.
func (xw *xlsWriter) choices(in *Instrument) (string, error) {
	var cols []string
	for _, l := range in.Lists {
		for _, c := range l.Choices {
			for col := range c.Filter {
				if !slices.Contains(cols, col) {
					cols = append(cols, col)
				}
			}
		}
	}
	slices.Sort(cols)
	head := append([]any{"list_name", "name"}, xw.langHeaders("label")...)
	for _, col := range cols {
		head = append(head, col)
	}
	xw.header(sheetChoices, head)
	for _, l := range in.Lists {
		for _, c := range l.Choices {
			cells := append([]any{l.Name, c.Value}, xw.texts(c.Label)...)
			for _, col := range cols {
				cells = append(cells, c.Filter[col])
			}
			xw.row(sheetChoices, cells)
		}
	}
	needed := false
	for _, q := range in.Questions() {
		needed = needed || q.Type == TypeYesNo
	}
	if !needed {
		return "", nil
	}
	name := "yesno"
	for n := 2; ; n++ {
		if _, taken := in.List(name); !taken {
			break
		}
		name = "yesno_" + strconv.Itoa(n)
	}
	bundle, _, err := locales.Load()
	if err != nil {
		return "", fmt.Errorf("surveys: unable to label yes and no: %w", err)
	}
	for _, value := range []string{"yes", "no"} {
		labels := make([]any, len(xw.langs))
		for i, l := range xw.langs {
			s, err := i18n.NewLocalizer(bundle, l).Localize(&i18n.LocalizeConfig{MessageID: "survey." + value})
			if err != nil {
				return "", fmt.Errorf("surveys: unable to label %s in %s: %w", value, l, err)
			}
			labels[i] = s
		}
		xw.row(sheetChoices, append([]any{name, value}, labels...))
	}
	return name, nil
}

func (xw *xlsWriter) survey(in *Instrument, yesno string) {
	head := []any{"type", "name"}
	head = append(head, xw.langHeaders("label")...)
	head = append(head, xw.langHeaders("hint")...)
	head = append(head, "required", "relevant", "constraint")
	head = append(head, xw.langHeaders("constraint_message")...)
	xw.header(sheetSurvey, append(head, "choice_filter", "appearance", "focus_area", "segment", "min", "max"))
	for _, p := range in.Pages {
		// field-list makes ODK Collect show the group as one screen, as Stemme does.
		cells := append([]any{"begin_group", p.Key}, xw.texts(p.Title)...)
		cells = append(cells, make([]any, 2*len(xw.langs)+4)...)
		xw.row(sheetSurvey, append(cells, "field-list"))
		for _, q := range p.Questions {
			xw.row(sheetSurvey, xw.question(q, yesno))
		}
		xw.row(sheetSurvey, []any{"end_group"})
	}
}

func (xw *xlsWriter) question(q Question, yesno string) []any {
	typ, appearance := string(q.Type), ""
	switch q.Type {
	case TypeScale, TypeSingle:
		typ = "select_one " + q.List
	case TypeYesNo:
		typ = "select_one " + yesno
	case TypeMulti:
		typ = "select_multiple " + q.List
	case TypeNumber:
		typ = "decimal"
	case TypeText:
		typ = "text"
	case TypeLongText:
		typ, appearance = "text", "multiline"
	case TypeInfo:
		typ = "note"
	}
	required := q.RequiredIf
	if q.Required {
		required = "yes"
	}
	cells := append([]any{typ, q.Key}, xw.texts(q.Text)...)
	cells = append(cells, xw.texts(q.Help)...)
	cells = append(cells, required, canonical(q.ShowIf, ParseCondition), canonical(q.Constraint, ParseConstraint))
	cells = append(cells, xw.texts(q.ConstraintMsg)...)
	// Limits are written as text: a number cell would come back in Excel's
	// general format, which rounds to 15 digits and switches to exponents.
	return append(cells, canonical(q.ChoiceFilter, ParseChoiceFilter), appearance, q.FocusArea, q.Segment, limit(q.Min), limit(q.Max))
}

// canonical writes an expression as Stemme would (see Condition.String),
// or as it is when it does not parse.
func canonical(src string, parse func(string) (Condition, error)) string {
	if src == "" {
		return ""
	}
	if c, err := parse(src); err == nil {
		return c.String()
	}
	return src
}

func limit(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// settings writes form_title in the default language, as every XLSForm
// tool reads it; the other languages' titles are in the languages sheet.
func (xw *xlsWriter) settings(in *Instrument) {
	def := xw.langs[0]
	xw.header(sheetSettings, []any{"form_title", "form_id", "version", "default_language", "audience"})
	xw.row(sheetSettings, []any{in.Title[def], in.Key, in.Version, languageHeader(def), in.Audience})
}
