package exports

import (
	"archive/zip"
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// styles are the cell styles of one workbook.
type styles struct {
	head, text int
	num        [numFormats]int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	if s.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, err
	}
	// Text that would start a formula gets the text number format and
	// Excel's quotePrefix flag: the cell is an inline string (never a
	// formula) and stays text even when someone edits it and presses
	// Enter, while its content is exactly what the relative wrote.
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return s, err
	}
	quote := true
	f.Styles.CellXfs.Xf[s.text].QuotePrefix = &quote
	custom := map[numFormat]string{fmtMean: "0.00", fmtIndex: "0.0", fmtShare: "0.0%", fmtP: "0.000"}
	for nf := range numFormats {
		st := &excelize.Style{}
		switch {
		case nf == fmtInt:
			st.NumFmt = 1
		case custom[nf] != "":
			c := custom[nf]
			st.CustomNumFmt = &c
		}
		if s.num[nf], err = f.NewStyle(st); err != nil {
			return s, err
		}
	}
	return s, nil
}

// xlsxSheet writes one worksheet with excelize's StreamWriter, which keeps
// at most a chunk of rows in memory and the rest in a temporary file.
type xlsxSheet struct {
	sw  *excelize.StreamWriter
	st  *styles
	n   int
	buf []any
}

func (s *xlsxSheet) head(cells ...string) error {
	row := make([]any, len(cells))
	for i, c := range cells {
		style := s.st.head
		if formulaStart(c) {
			style = s.st.text
		}
		row[i] = excelize.Cell{StyleID: style, Value: c}
	}
	return s.write(row)
}

func (s *xlsxSheet) row(cells ...any) error {
	s.buf = s.buf[:0]
	for _, c := range cells {
		switch c := c.(type) {
		case string:
			if formulaStart(c) {
				s.buf = append(s.buf, excelize.Cell{StyleID: s.st.text, Value: c})
			} else {
				s.buf = append(s.buf, c)
			}
		case num:
			if !c.known() {
				s.buf = append(s.buf, nil)
			} else if c.f == fmtInt {
				s.buf = append(s.buf, excelize.Cell{StyleID: s.st.num[c.f], Value: int64(c.v)})
			} else {
				s.buf = append(s.buf, excelize.Cell{StyleID: s.st.num[c.f], Value: c.v})
			}
		default:
			s.buf = append(s.buf, nil)
		}
	}
	return s.write(s.buf)
}

func (s *xlsxSheet) write(row []any) error {
	s.n++
	cell, err := excelize.CoordinatesToCellName(1, s.n)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, row)
}

// Sheet names, as message ids.
const (
	sheetAbout    = "export.sheet.about"
	sheetCodebook = "export.sheet.codebook"
	sheetSummary  = "export.sheet.summary"
	sheetFocus    = "export.sheet.focus"
	sheetRaw      = "export.sheet.raw"
	sheetTexts    = "export.sheet.texts"
	sheetChart    = "export.sheet.chart"
)

// WriteXLSX writes the workbook to w: Om eksporten, Kodebok, Sammendrag,
// Innsatsområder, Rådata (when Options.Raw), Fritekst and a chart sheet.
// The answers are read once, row by row; each sheet is streamed to a
// temporary file, and the finished workbook is zipped straight into w, so
// neither the rows nor the file are ever held in memory. progress, if not
// nil, is told about the raw rows written.
func (e *Export) WriteXLSX(ctx context.Context, w io.Writer, progress func(done, total int64)) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	l := e.l
	ids := []string{sheetAbout, sheetCodebook, sheetSummary, sheetFocus, sheetRaw, sheetTexts}
	if !e.opt.Raw {
		ids = []string{sheetAbout, sheetCodebook, sheetSummary, sheetFocus, sheetTexts}
	}
	if err := f.SetSheetName("Sheet1", l.t(sheetAbout)); err != nil {
		return wrap("the workbook", err)
	}
	for _, id := range ids[1:] {
		if _, err := f.NewSheet(l.t(id)); err != nil {
			return wrap("the workbook", err)
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return wrap("the workbook", err)
	}
	var block focusBlock
	for _, id := range ids {
		sw, err := f.NewStreamWriter(l.t(id))
		if err != nil {
			return wrap(l.t(id), err)
		}
		if err := sw.SetColWidth(1, 1, 28); err != nil {
			return wrap(l.t(id), err)
		}
		sheet := &xlsxSheet{sw: sw, st: &st}
		switch id {
		case sheetAbout:
			if err = sw.SetColWidth(2, 2, 90); err == nil {
				err = e.writeAbout(sheet)
			}
		case sheetCodebook:
			err = e.writeCodebook(sheet)
		case sheetSummary:
			err = e.writeSummary(sheet)
		case sheetFocus:
			block, err = e.writeFocus(sheet)
		case sheetRaw:
			err = e.writeRaw(ctx, sheet, progress)
		case sheetTexts:
			if err = sw.SetColWidth(6, 6, 90); err == nil {
				err = e.writeTexts(sheet)
			}
		}
		if err == nil {
			err = sw.Flush()
		}
		if err != nil {
			return wrap(l.t(id), err)
		}
	}
	if err := e.addChart(f, block); err != nil {
		return wrap(l.t(sheetChart), err)
	}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	// excelize zips through the writer set above, into w; what it hands
	// Write afterwards is an empty buffer.
	return wrap("the workbook", f.Write(io.Discard))
}

// addChart adds a chart sheet with a clustered column chart of the
// focus-area indices: one series per unit (and the municipality), drawn
// from the matrix on the Innsatsområder sheet, so hidden cells are gaps.
// Charts cannot be streamed; a chart sheet has no cells, so it is added
// with the normal API after the streamed sheets are flushed.
func (e *Export) addChart(f *excelize.File, b focusBlock) error {
	if b.areas == 0 {
		return nil
	}
	sheet := quoteSheet(e.l.t(sheetFocus))
	last := b.firstRow + b.areas - 1
	cats := fmt.Sprintf("%s!$A$%d:$A$%d", sheet, b.firstRow, last)
	var series []excelize.ChartSeries
	for i := range b.groups {
		col, err := excelize.ColumnNumberToName(2 + i)
		if err != nil {
			return err
		}
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", sheet, col, b.firstRow-1),
			Categories: cats,
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, col, b.firstRow, col, last),
		})
	}
	lo, hi, vary := 0.0, 100.0, false
	return f.AddChartSheet(e.l.t(sheetChart), &excelize.Chart{
		Type:         excelize.Col,
		Series:       series,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: e.l.t("export.focus.chart_title", "Wave", e.r.Wave.Name)}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		YAxis:        excelize.ChartAxis{Minimum: &lo, Maximum: &hi},
		ShowBlanksAs: "gap",
		VaryColors:   &vary,
	})
}

// quoteSheet quotes a sheet name for a cell reference ('Sheet”s name').
func quoteSheet(name string) string {
	q := "'"
	for _, r := range name {
		if r == '\'' {
			q += "''"
		} else {
			q += string(r)
		}
	}
	return q + "'"
}
