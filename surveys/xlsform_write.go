package surveys

import (
	"fmt"
	"io"
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
	xw := &xlsWriter{f: f, langs: in.LanguageCodes(), next: map[string]int{}}
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
	xw.header(sheetLanguages, []any{"code", "status"})
	for _, l := range in.Languages {
		xw.row(sheetLanguages, []any{l.Code, l.Status})
	}
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
	err   error
}

// row appends one row. Empty strings become empty cells, and text Excel
// would truncate is refused rather than cut short.
func (xw *xlsWriter) row(sheet string, cells []any) {
	if xw.err != nil {
		return
	}
	xw.next[sheet]++
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
// list labelled with the words the survey pages use; it returns that list's name.
func (xw *xlsWriter) choices(in *Instrument) (string, error) {
	xw.header(sheetChoices, append([]any{"list_name", "name"}, xw.langHeaders("label")...))
	for _, l := range in.Lists {
		for _, c := range l.Choices {
			xw.row(sheetChoices, append([]any{l.Name, c.Value}, xw.texts(c.Label)...))
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
	xw.header(sheetSurvey, append(head, "required", "relevant", "appearance", "focus_area", "segment", "min", "max"))
	blank := func(n int) []any { return make([]any, n) }
	for _, p := range in.Pages {
		// field-list makes ODK Collect show the group as one screen, as Stemme does.
		cells := append([]any{"begin_group", p.Key}, xw.texts(p.Title)...)
		cells = append(cells, blank(len(xw.langs)+2)...)
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
	required := ""
	if q.Required {
		required = "yes"
	}
	relevant := q.ShowIf
	if c, err := ParseCondition(q.ShowIf); err == nil && q.ShowIf != "" {
		relevant = c.String()
	}
	cells := append([]any{typ, q.Key}, xw.texts(q.Text)...)
	cells = append(cells, xw.texts(q.Help)...)
	// Limits are written as text: a number cell would come back in Excel's
	// general format, which rounds to 15 digits and switches to exponents.
	return append(cells, required, relevant, appearance, q.FocusArea, q.Segment, limit(q.Min), limit(q.Max))
}

func limit(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// settings writes form_title in the default language, as every XLSForm tool
// reads it, and the other languages' titles in title:: columns.
func (xw *xlsWriter) settings(in *Instrument) {
	def, others := xw.langs[0], xw.langs[1:]
	head := []any{"form_title", "form_id", "version", "default_language", "audience"}
	values := []any{in.Title[def], in.Key, in.Version, languageHeader(def), in.Audience}
	for _, l := range others {
		head, values = append(head, "title::"+languageHeader(l)), append(values, in.Title[l])
	}
	xw.header(sheetSettings, append(head, xw.langHeaders("intro")...))
	xw.row(sheetSettings, append(values, xw.texts(in.Intro)...))
}
