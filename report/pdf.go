package report

import (
	_ "embed"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/stemme/stemme/web/charts"
)

// The report's font: DejaVu Sans Condensed (fonts/LICENSE), which has every
// letter of Norwegian and of the unit and person names Stemme stores. fpdf
// embeds only the glyphs a report uses.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

const fontFamily = "DejaVuSansCondensed"

// Page layout in millimetres (A4 portrait).
const (
	marginSide   = 18.0
	marginTop    = 18.0
	marginBottom = 18.0
	bodySize     = 9.5
	smallSize    = 8.0
	lineHeight   = 4.6
)

// Colours: ink, a muted grey, the page tint, and Okabe–Ito blue for bars.
var (
	colInk   = [3]int{27, 27, 27}
	colMuted = [3]int{74, 74, 74}
	colTint  = [3]int{243, 242, 241}
	colLine  = [3]int{111, 119, 123}
	colBar   = [3]int{0, 114, 178}
)

// heatCell is a heat-map cell of the PDF: the page's bin (web/charts), its
// background and its text colour, so PDF and page shade alike. A value
// with no bin (no index) is a plain cell.
func heatCell(text string, index float64) cell {
	c := cell{text: text, bold: true}
	b, ok := charts.HeatBinOf(index)
	if !ok {
		return c
	}
	bg, errBg := charts.RGB(b.Background)
	ink, errInk := charts.RGB(b.Ink)
	if errBg == nil && errInk == nil {
		c.fill, c.ink = &bg, &ink
	}
	return c
}

// doc is a PDF being written.
type doc struct {
	f *fpdf.Fpdf
	r *Report
	// width is the width between the margins.
	width float64
}

// WritePDF writes the report as an A4 PDF: the same sections and figures
// as the page, with its charts drawn as vector graphics and every
// suppressed figure written as hidden. created is the document's date
// (given, so that the same report makes the same file).
func WritePDF(w io.Writer, r *Report, created time.Time) error {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(marginSide, marginTop, marginSide)
	f.SetAutoPageBreak(true, marginBottom)
	f.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	f.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	f.SetTitle(r.Title(), true)
	f.SetSubject(r.Municipality, true)
	f.SetCreator("Stemme", true)
	f.SetAuthor(r.Municipality, true)
	f.SetLang(r.Lang)
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetCatalogSort(true)
	f.AliasNbPages("{nb}")
	pageW, _ := f.GetPageSize()
	d := &doc{f: f, r: r, width: pageW - 2*marginSide}
	f.SetFooterFunc(d.footer)
	f.AddPage()
	d.front()
	d.surveys()
	d.feedback()
	d.actions()
	d.council()
	d.heading(1, r.T("report.method.heading"))
	d.para(r.MethodText())
	if err := f.Output(w); err != nil {
		return fmt.Errorf("report: writing the PDF: %w", err)
	}
	return nil
}

func (d *doc) footer() {
	f := d.f
	f.SetY(-12)
	d.font("", smallSize, colMuted)
	left := d.r.Title()
	if d.r.Municipality != "" {
		left += " · " + d.r.Municipality
	}
	f.CellFormat(d.width/2, 5, left, "", 0, "L", false, 0, "")
	f.CellFormat(d.width/2, 5, d.r.T("report.pdf.page", "Page", f.PageNo(), "Pages", "{nb}"), "", 0, "R", false, 0, "")
}

func (d *doc) font(style string, size float64, colour [3]int) {
	d.f.SetFont(fontFamily, style, size)
	d.f.SetTextColor(colour[0], colour[1], colour[2])
}

// room starts a new page unless h millimetres fit on this one.
func (d *doc) room(h float64) {
	_, pageH := d.f.GetPageSize()
	if d.f.GetY()+h > pageH-marginBottom {
		d.f.AddPage()
	}
}

// heading writes a heading of level 1 (section) or 2 (survey), kept with
// what follows it, and marks it in the PDF's outline.
func (d *doc) heading(level int, s string) {
	size, gap := 14.0, 5.0
	if level > 1 {
		size, gap = 11.5, 3.0
	}
	d.f.Ln(gap)
	d.room(size/2 + 20)
	d.f.Bookmark(s, level-1, -1)
	d.font("B", size, colInk)
	d.f.MultiCell(d.width, size*0.5, s, "", "L", false)
	d.f.Ln(1.5)
}

// para writes a paragraph of body text.
func (d *doc) para(s string) {
	d.font("", bodySize, colInk)
	d.f.MultiCell(d.width, lineHeight, s, "", "L", false)
	d.f.Ln(1.5)
}

// note writes a line of small, muted text.
func (d *doc) note(s string) {
	d.font("", smallSize, colMuted)
	d.f.MultiCell(d.width, 3.8, s, "", "L", false)
	d.f.Ln(1)
}

// front writes the title, the municipality, the day and the key figures.
func (d *doc) front() {
	r := d.r
	d.font("B", 20, colInk)
	d.f.MultiCell(d.width, 9, r.Title(), "", "L", false)
	d.font("", 11, colMuted)
	d.f.MultiCell(d.width, 6, r.Municipality, "", "L", false)
	d.f.MultiCell(d.width, 6, r.T("report.generated", "Date", r.Generated), "", "L", false)
	d.f.Ln(3)
	d.para(r.T("report.intro"))
	d.heading(1, r.T("report.summary.heading"))
	rows := make([][]cell, 0, len(r.Summary))
	for _, s := range r.Summary {
		rows = append(rows, []cell{{text: s.Label, bold: true}, {text: s.Value}})
	}
	d.table([]column{{w: 0.45}, {w: 0.55}}, nil, rows)
}
