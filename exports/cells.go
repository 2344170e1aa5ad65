package exports

import (
	"math"
	"strconv"
	"strings"
)

// table is one sheet or one CSV file, written a row at a time so that no
// export ever holds more than one row of answers.
type table interface {
	// head writes a header row.
	head(cells ...string) error
	// row writes a data row of nil (empty), string and num cells.
	row(cells ...any) error
}

// numFormat says how a number is shown.
type numFormat int

const (
	fmtInt    numFormat = iota
	fmtMean             // a mean on the answer scale: two decimals
	fmtIndex            // an index 0–100: one decimal
	fmtShare            // a share 0–1, shown as a percentage
	fmtP                // a p-value: three decimals
	fmtNumber           // a number a relative typed: as it is
	numFormats
)

// num is a number cell; NaN (unknown) is written as an empty cell.
type num struct {
	v float64
	f numFormat
}

func integer(n int64) num              { return num{float64(n), fmtInt} }
func value(v float64, f numFormat) num { return num{v, f} }

// known reports whether the number is worth a cell.
func (n num) known() bool { return !math.IsNaN(n.v) && !math.IsInf(n.v, 0) }

// text formats a number for CSV: a plain decimal with the given decimal
// mark, as many digits as the format shows (shares as fractions, so a
// column of them sums and averages like the xlsx cells).
func (n num) text(decimalComma bool) string {
	if !n.known() {
		return ""
	}
	var s string
	switch n.f {
	case fmtInt:
		s = strconv.FormatFloat(n.v, 'f', 0, 64)
	case fmtMean:
		s = strconv.FormatFloat(n.v, 'f', 2, 64)
	case fmtIndex:
		s = strconv.FormatFloat(n.v, 'f', 1, 64)
	case fmtShare:
		s = strconv.FormatFloat(n.v, 'f', 4, 64)
	case fmtP:
		s = strconv.FormatFloat(n.v, 'f', 3, 64)
	default:
		s = strconv.FormatFloat(n.v, 'f', -1, 64)
	}
	if decimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// formulaStart reports whether a spreadsheet would read a text starting
// like s as a formula (OWASP "CSV injection": =, +, -, @, tab, carriage
// return, and NUL per ASVS 1.2.10). Every string written is checked, not
// only free text: answers, unit names and instrument texts all came from
// a person at some point.
func formulaStart(s string) bool {
	return s != "" && strings.IndexByte("=+-@\t\r\x00", s[0]) >= 0
}

// defuse prefixes a text that would start a formula with an apostrophe,
// which spreadsheets take as "this is text" (OWASP's advice for CSV).
func defuse(s string) string {
	if formulaStart(s) {
		return "'" + s
	}
	return s
}
