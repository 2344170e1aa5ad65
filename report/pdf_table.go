package report

// column is a table column: its share of the width and its alignment.
type column struct {
	w     float64
	align string
	// rotate writes the column's header upwards, for narrow columns with
	// long names (the heat map's focus areas).
	rotate bool
}

// cell is one table cell: its text, and optionally bold, muted (for a
// hidden figure) or on a shade.
type cell struct {
	text  string
	bold  bool
	muted bool
	fill  *[3]int
	// ink is the text colour on fill, when not the page's ink.
	ink *[3]int
}

const (
	cellPad    = 1.2
	cellLine   = 4.0
	tableSize  = 8.5
	headerSize = 7.5
)

// table writes rows under a header row (nil for none), wrapping each cell
// in its column. A row never breaks across pages; the header is repeated
// on each page the table continues on.
func (d *doc) table(cols []column, head []string, rows [][]cell) {
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.w * d.width
	}
	drawHead := func() {
		if head != nil {
			d.header(widths, cols, head)
		}
	}
	d.room(d.headerHeight(widths, cols, head) + rowsHeight(d, widths, rows, 1))
	drawHead()
	for _, r := range rows {
		h := d.rowHeight(widths, r, tableSize)
		_, pageH := d.f.GetPageSize()
		if d.f.GetY()+h > pageH-marginBottom {
			d.f.AddPage()
			drawHead()
		}
		d.row(widths, cols, r, tableSize)
	}
	d.f.Ln(3)
}

// headerHeight fits the header's wrapped names and its rotated ones.
func (d *doc) headerHeight(widths []float64, cols []column, head []string) float64 {
	if head == nil {
		return 0
	}
	flat := make([]cell, len(head))
	h := 0.0
	d.f.SetFont(fontFamily, "B", headerSize)
	for i, name := range head {
		if cols[i].rotate {
			h = max(h, d.f.GetStringWidth(name)+2*cellPad)
			continue
		}
		flat[i] = cell{text: name, bold: true}
	}
	return max(h, d.rowHeight(widths, flat, headerSize))
}

// header draws the header row on the page tint, rotated names reading upwards.
func (d *doc) header(widths []float64, cols []column, head []string) {
	f := d.f
	x0, y0 := f.GetX(), f.GetY()
	h := d.headerHeight(widths, cols, head)
	f.SetFillColor(colTint[0], colTint[1], colTint[2])
	f.Rect(x0, y0, sum(widths), h, "F")
	x := x0
	for i, name := range head {
		d.font("B", headerSize, colInk)
		if cols[i].rotate {
			bx, by := x+widths[i]/2+headerSize*0.13, y0+h-cellPad
			f.TransformBegin()
			f.TransformRotate(90, bx, by)
			f.Text(bx, by, name)
			f.TransformEnd()
		} else {
			align := cols[i].align
			if align == "" {
				align = "L"
			}
			f.SetXY(x+cellPad, y0+cellPad)
			f.MultiCell(widths[i]-2*cellPad, cellLine*headerSize/tableSize, name, "", align, false)
		}
		x += widths[i]
	}
	f.SetXY(x0, y0+h)
}

// rowsHeight is the height of the first n rows, to keep a table's header
// with its first row.
func rowsHeight(d *doc, widths []float64, rows [][]cell, n int) float64 {
	h := 0.0
	for i := 0; i < n && i < len(rows); i++ {
		h += d.rowHeight(widths, rows[i], tableSize)
	}
	return h
}

func (d *doc) rowHeight(widths []float64, cells []cell, size float64) float64 {
	if len(cells) == 0 {
		return 0
	}
	lines := 1
	spans := spanned(widths, len(cells))
	for i, c := range cells {
		style := ""
		if c.bold {
			style = "B"
		}
		d.f.SetFont(fontFamily, style, size)
		if n := len(d.f.SplitText(c.text, spans[i]-2*cellPad)); n > lines {
			lines = n
		}
	}
	return float64(lines)*cellLine*size/tableSize + 2*cellPad
}

// row draws one row at the current position and moves below it.
func (d *doc) row(widths []float64, cols []column, cells []cell, size float64) {
	f := d.f
	x0, y0 := f.GetX(), f.GetY()
	h := d.rowHeight(widths, cells, size)
	x := x0
	spans := spanned(widths, len(cells))
	for i, c := range cells {
		w := spans[i]
		if c.fill != nil {
			f.SetFillColor(c.fill[0], c.fill[1], c.fill[2])
			f.Rect(x, y0, w, h, "F")
		}
		style, colour := "", colInk
		if c.bold {
			style = "B"
		}
		if c.muted {
			colour = colMuted
		}
		if c.ink != nil {
			colour = *c.ink
		}
		d.font(style, size, colour)
		align := cols[i].align
		if align == "" || w != widths[i] {
			align = "L"
		}
		f.SetXY(x+cellPad, y0+cellPad)
		f.MultiCell(w-2*cellPad, cellLine*size/tableSize, c.text, "", align, false)
		x += w
	}
	f.SetDrawColor(colLine[0], colLine[1], colLine[2])
	f.SetLineWidth(0.2)
	f.Line(x0, y0+h, x0+sum(widths), y0+h)
	f.SetXY(x0, y0+h)
}

// spanned is the width of each of n cells: a row with fewer cells than
// columns has its last cell span the rest (a hidden unit's one message).
func spanned(widths []float64, n int) []float64 {
	out := append([]float64{}, widths[:n]...)
	out[n-1] = sum(widths[n-1:])
	return out
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}
