package charts

import (
	"fmt"
	"html/template"
)

// Change is a small mark of one measure now against the previous wave, for
// a table cell: the previous index as a hollow diamond, the current one as a
// dot, joined by a line that is solid and thick when the change is
// significant and thin and dashed when it may be chance.
type Change struct {
	ID          string
	Title, Desc string
	// Now and Previous are indices 0–100.
	Now, Previous float64
	Significant   bool
	// RTL draws the mark right to left.
	RTL bool
}

// Compare draws the mark, or nothing when either value is unknown.
func Compare(ch Change) template.HTML {
	if !known(ch.Now) || !known(ch.Previous) {
		return ""
	}
	c := &chart{id: ch.ID, rtl: ch.RTL}
	const w, h, left, plot = 112.0, 22.0, 6.0, 100.0
	x := func(v float64) float64 { return c.x(left + clamp(v)/100*plot) }
	c.open(w, h, ch.Title, ch.Desc)
	fmt.Fprintf(&c.b, `<line x1="%s" y1="11" x2="%s" y2="11" stroke="%s" stroke-width="1"/>`, num(c.x(left)), num(c.x(left+plot)), line)
	style := `stroke-width="1.5" stroke-dasharray="3 2"`
	if ch.Significant {
		style = `stroke-width="4"`
	}
	fmt.Fprintf(&c.b, `<line x1="%s" y1="11" x2="%s" y2="11" stroke="%s" %s/>`, num(x(ch.Previous)), num(x(ch.Now)), ink, style)
	p := x(ch.Previous)
	fmt.Fprintf(&c.b, `<path d="M%s 4L%s 11L%s 18L%s 11Z" fill="%s" stroke="%s" stroke-width="1.5"/>`,
		num(p), num(p+6), num(p), num(p-6), paper, ink)
	fmt.Fprintf(&c.b, `<circle cx="%s" cy="11" r="5" fill="%s" stroke="%s" stroke-width="1"/>`, num(x(ch.Now)), blue, ink)
	return c.close()
}
