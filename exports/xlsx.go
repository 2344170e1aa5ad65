package exports

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"
)

// styles are the cell styles of one workbook.
type styles struct {
	head, text, wrap int
	num              [numFormats]int
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
	if s.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
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

// sheetSpec is how one sheet is laid out around its cells.
type sheetSpec struct {
	id string
	// freezeRows and freezeCols stay in view while scrolling.
	freezeRows, freezeCols int
	// table makes the rows under the last header an Excel table, with a
	// filter on every column.
	table bool
	// wrap lists the columns (1-based) whose long texts wrap.
	wrap  []int
	write func(table) error
}

// WriteXLSX writes the workbook to w: Om eksporten, Kodebok, Sammendrag,
// Innsatsområder, Rådata (when Options.Raw), Fritekst and a chart sheet.
// The answers are read once, row by row; each sheet is streamed to a
// temporary file, and the finished workbook is zipped straight into w, so
// neither the rows nor the file are ever held in memory. progress, if not
// nil, is told about the raw rows written.
//
// Every sheet declares its real size (readers such as openpyxl trust it),
// has column widths from its content, frozen headers and, for tables, a
// filter on each column.
func (e *Export) WriteXLSX(ctx context.Context, w io.Writer, progress func(done, total int64)) error {
	// A context already ended (a caller that tied it to a request which
	// has returned) would cut the file short at the free text: refuse.
	if err := ctx.Err(); err != nil {
		return wrap("the workbook", err)
	}
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	l := e.l
	var block focusBlock
	specs := []sheetSpec{
		{id: sheetAbout, wrap: []int{2}, write: e.writeAbout},
		{id: sheetCodebook, freezeRows: 1, table: true, write: e.writeCodebook},
		{id: sheetSummary, freezeRows: 1, table: true, write: e.writeSummary},
		{id: sheetFocus, freezeCols: 1, table: true, write: func(t table) (err error) {
			block, err = e.writeFocus(t)
			return err
		}},
		{id: sheetRaw, freezeRows: 1, table: true, write: func(t table) error { return e.writeRaw(ctx, t, progress) }},
		{id: sheetTexts, freezeRows: 1, table: true, wrap: []int{6}, write: e.writeTexts},
	}
	if !e.opt.Raw {
		specs = slices.DeleteFunc(specs, func(s sheetSpec) bool { return s.id == sheetRaw })
	}
	if err := f.SetSheetName("Sheet1", l.t(sheetAbout)); err != nil {
		return wrap("the workbook", err)
	}
	for _, s := range specs[1:] {
		if _, err := f.NewSheet(l.t(s.id)); err != nil {
			return wrap("the workbook", err)
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return wrap("the workbook", err)
	}
	for _, s := range specs {
		if err := e.writeSheet(f, &st, s); err != nil {
			return wrap(l.t(s.id), err)
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

// errRawRows means the answers read were not as many as the results
// count: the tallies and the stored answers disagree (stemme verify).
var errRawRows = errors.New("exports: the answers read do not match the counted results; run stemme verify")

// writeSheet streams one sheet: measured first (the raw data from the
// results), then declared, laid out and written.
func (e *Export) writeSheet(f *excelize.File, st *styles, s sheetSpec) error {
	name := e.l.t(s.id)
	plan := &layout{}
	if s.id == sheetRaw {
		plan = e.rawLayout()
	} else if err := s.write(plan); err != nil {
		return err
	}
	ref, err := plan.ref()
	if err != nil {
		return err
	}
	// The dimension is written when the stream starts, so it is set first.
	if err := f.SetSheetDimension(name, ref); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, width := range plan.widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	for _, col := range s.wrap {
		if err := sw.SetColStyle(col, col, st.wrap); err != nil {
			return err
		}
	}
	if s.freezeRows > 0 || s.freezeCols > 0 {
		if err := sw.SetPanes(frozen(s.freezeRows, s.freezeCols)); err != nil {
			return err
		}
	}
	sheet := &xlsxSheet{sw: sw, st: st}
	if err := s.write(sheet); err != nil {
		return err
	}
	if sheet.n != plan.rows {
		return errRawRows
	}
	if s.table {
		rng, err := plan.tableRange()
		if err != nil {
			return err
		}
		if rng != "" {
			stripes := true
			if err := sw.AddTable(&excelize.Table{Range: rng, StyleName: "TableStyleLight1", ShowRowStripes: &stripes}); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

// frozen freezes the first rows and columns of a sheet.
func frozen(rows, cols int) *excelize.Panes {
	top, _ := excelize.CoordinatesToCellName(cols+1, rows+1)
	pane := "bottomLeft"
	switch {
	case rows > 0 && cols > 0:
		pane = "bottomRight"
	case cols > 0:
		pane = "topRight"
	}
	return &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: top, ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: pane}}}
}

// chartText is the colour of the chart's axes, legend and title: dark
// grey on white (contrast 10:1), where excelize's default is a pale grey.
const chartText = "404040"

// addChart adds a chart sheet with a clustered column chart of the
// focus-area indices: one series per unit (and the municipality) with an
// index to draw, from the matrix on the Innsatsområder sheet; a hidden
// unit's empty column gets no series, and hidden cells are gaps. Charts
// cannot be streamed; a chart sheet has no cells, so it is added with the
// normal API after the streamed sheets are flushed.
func (e *Export) addChart(f *excelize.File, b focusBlock) error {
	sheet := quoteSheet(e.l.t(sheetFocus))
	last := b.firstRow + b.areas - 1
	cats := fmt.Sprintf("%s!$A$%d:$A$%d", sheet, b.firstRow, last)
	var series []excelize.ChartSeries
	for i := range b.groups {
		if !b.drawn[i] {
			continue
		}
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
	if b.areas == 0 || len(series) == 0 {
		return nil
	}
	lo, hi, vary := 0.0, 100.0, false
	text := excelize.Font{Color: chartText, Size: 10}
	title := excelize.Font{Color: chartText, Size: 14, Bold: true}
	return f.AddChartSheet(e.l.t(sheetChart), &excelize.Chart{
		Type:   excelize.Col,
		Series: series,
		Title: excelize.ChartTitle{Font: &title,
			Paragraph: []excelize.RichTextRun{{Text: e.l.t("export.focus.chart_title", "Wave", e.r.Wave.Name), Font: &title}}},
		Legend:       excelize.ChartLegend{Position: "bottom", Font: &text},
		XAxis:        excelize.ChartAxis{Font: text},
		YAxis:        excelize.ChartAxis{Minimum: &lo, Maximum: &hi, MajorGridLines: true, MajorUnit: 20, Font: text},
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
