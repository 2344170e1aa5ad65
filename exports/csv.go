package exports

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
)

// Separator is the field separator of a CSV export.
type Separator int

const (
	// Comma is RFC 4180: comma-separated, decimal point.
	Comma Separator = iota
	// Semicolon is what Excel with Norwegian settings opens directly:
	// semicolon-separated, decimal comma.
	Semicolon
)

// bom is the UTF-8 byte order mark, by which Excel recognises UTF-8.
const bom = "\uFEFF"

// csvTable writes one CSV file: UTF-8 with a byte order mark, every text
// that would start a formula prefixed with an apostrophe.
type csvTable struct {
	w     *csv.Writer
	comma bool
	buf   []string
	// width is the header's, to which shorter rows are padded: every
	// record of a CSV file has the same number of fields (RFC 4180).
	width int
}

func newCSV(w io.Writer, sep Separator) (*csvTable, *bufio.Writer, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(bom); err != nil {
		return nil, nil, err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // RFC 4180, and what Excel writes
	t := &csvTable{w: cw}
	if sep == Semicolon {
		cw.Comma, t.comma = ';', true
	}
	return t, bw, nil
}

func (t *csvTable) head(cells ...string) error {
	t.buf = t.buf[:0]
	for _, c := range cells {
		t.buf = append(t.buf, defuse(c))
	}
	t.width = max(t.width, len(t.buf))
	return t.w.Write(t.buf)
}

func (t *csvTable) row(cells ...any) error {
	t.buf = t.buf[:0]
	for _, c := range cells {
		switch c := c.(type) {
		case string:
			t.buf = append(t.buf, defuse(c))
		case num:
			t.buf = append(t.buf, c.text(t.comma))
		default:
			t.buf = append(t.buf, "")
		}
	}
	if len(t.buf) == 0 {
		return nil // a spacer row in a workbook means nothing in a CSV
	}
	for len(t.buf) < t.width {
		t.buf = append(t.buf, "")
	}
	return t.w.Write(t.buf)
}

func (t *csvTable) finish(bw *bufio.Writer) error {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteRawCSV writes the raw data (the Rådata sheet) as CSV, reading the
// answers in one pass. Only for exports with Options.Raw.
func (e *Export) WriteRawCSV(ctx context.Context, w io.Writer, sep Separator, progress func(done, total int64)) error {
	if !e.opt.Raw {
		return wrap("raw data", errNoRaw)
	}
	t, bw, err := newCSV(w, sep)
	if err != nil {
		return wrap("raw data", err)
	}
	if err := e.writeRaw(ctx, t, progress); err != nil {
		return wrap("raw data", err)
	}
	return wrap("raw data", t.finish(bw))
}

// WriteSummaryCSV writes the summary (the Sammendrag sheet) as CSV.
func (e *Export) WriteSummaryCSV(w io.Writer, sep Separator) error {
	t, bw, err := newCSV(w, sep)
	if err != nil {
		return wrap("the summary", err)
	}
	if err := e.writeSummary(t); err != nil {
		return wrap("the summary", err)
	}
	return wrap("the summary", t.finish(bw))
}

// WriteCodebookCSV writes the codebook (the Kodebok sheet) as CSV, to read
// the other two with.
func (e *Export) WriteCodebookCSV(w io.Writer, sep Separator) error {
	t, bw, err := newCSV(w, sep)
	if err != nil {
		return wrap("the codebook", err)
	}
	if err := e.writeCodebook(t); err != nil {
		return wrap("the codebook", err)
	}
	return wrap("the codebook", t.finish(bw))
}
