package exports

import (
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Column widths, in characters: never narrower than minWidth, and long
// texts (notes, free text, question texts) wrap at maxWidth.
const (
	minWidth = 6
	maxWidth = 80
)

// layout is what a sheet will hold, learned before it is written: a
// streamed sheet must declare its size, column widths and panes before
// its first row. Small sheets are measured by writing them once into a
// layout; the raw data's size comes from the results (see rawLayout).
type layout struct {
	rows, cols int
	widths     []float64
	// lastHead is the row of the last header: a table starts there.
	lastHead int
	heads    []string
}

func (m *layout) head(cells ...string) error {
	m.rows++
	m.lastHead, m.heads = m.rows, cells
	for i, c := range cells {
		m.fit(i, utf8.RuneCountInString(c)+2) // bold, and the table's filter button
	}
	return nil
}

func (m *layout) row(cells ...any) error {
	m.rows++
	for i, c := range cells {
		switch c := c.(type) {
		case string:
			m.fit(i, utf8.RuneCountInString(c))
		case num:
			n := len(c.text(false))
			if c.f == fmtShare {
				n = len(value(c.v*100, fmtIndex).text(false)) + 1
			}
			m.fit(i, n)
		}
	}
	return nil
}

func (m *layout) fit(col, n int) {
	for len(m.widths) <= col {
		m.widths = append(m.widths, minWidth)
	}
	m.cols = max(m.cols, col+1)
	m.widths[col] = min(max(m.widths[col], float64(n)+1), maxWidth)
}

// ref is the sheet's used range, for its dimension.
func (m *layout) ref() (string, error) {
	last, err := excelize.CoordinatesToCellName(max(1, m.cols), max(1, m.rows))
	return "A1:" + last, err
}

// tableRange is the range of an Excel table from the last header row to
// the last row, or "" when there is no data row under it or the header
// cannot name a table's columns (they must be unique and not empty).
func (m *layout) tableRange() (string, error) {
	if m.lastHead == 0 || m.rows <= m.lastHead || len(m.heads) == 0 {
		return "", nil
	}
	seen := map[string]bool{}
	for _, h := range m.heads {
		k := strings.ToLower(h)
		if h == "" || seen[k] {
			return "", nil
		}
		seen[k] = true
	}
	first, err := excelize.CoordinatesToCellName(1, m.lastHead)
	if err != nil {
		return "", err
	}
	last, err := excelize.CoordinatesToCellName(len(m.heads), m.rows)
	return first + ":" + last, err
}

// rawLayout is the layout of the Rådata sheet without reading the
// answers: its header, one row per respondent of the shown units (the
// results count them), and widths from the header and the unit names.
func (e *Export) rawLayout() *layout {
	m := &layout{}
	head := e.rawHead(statVars(e.r.Instrument, e.opt.Lang, e.l))
	_ = m.head(head...)
	for _, u := range e.groups[1:] {
		m.fit(3, utf8.RuneCountInString(e.unitName(u)))
	}
	m.fit(1, len(e.r.Wave.ID))
	m.rows += int(e.RawRows())
	return m
}
