package analysis

import (
	"slices"
	"strings"
)

// Kinds of flagged spans, as Flag names them.
const (
	FlagEmail = "email"
	FlagPhone = "phone"
	FlagName  = "name"
)

// Span is a flagged part of a text: bytes Start to End, and what it may be.
type Span struct {
	Start, End int
	Kind       string
}

// FlagSpans returns the parts of s that may identify someone, in order and
// without overlaps: e-mail addresses first, then phone numbers, then likely
// names outside them (a name inside an address is part of the address).
func FlagSpans(s string) []Span {
	var spans []Span
	for _, loc := range emailRE.FindAllStringIndex(s, -1) {
		spans = append(spans, Span{loc[0], loc[1], FlagEmail})
	}
	for _, loc := range phoneRE.FindAllStringIndex(s, -1) {
		// The pattern may start with the space before the number.
		start := loc[0] + len(s[loc[0]:loc[1]]) - len(strings.TrimLeft(s[loc[0]:loc[1]], " \t.-"))
		if digits(s[start:loc[1]]) >= 8 && !overlaps(spans, start, loc[1]) {
			spans = append(spans, Span{start, loc[1], FlagPhone})
		}
	}
	for _, sp := range nameSpans(s) {
		if !overlaps(spans, sp.Start, sp.End) {
			spans = append(spans, sp)
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	return spans
}

func overlaps(spans []Span, start, end int) bool {
	for _, sp := range spans {
		if start < sp.End && sp.Start < end {
			return true
		}
	}
	return false
}

// Piece is a run of a text, flagged (Kind set) or not, for a template to
// mark the flagged runs.
type Piece struct {
	Text string
	Kind string
}

// Pieces splits s at its flagged spans.
func Pieces(s string) []Piece {
	var out []Piece
	at := 0
	for _, sp := range FlagSpans(s) {
		if sp.Start > at {
			out = append(out, Piece{Text: s[at:sp.Start]})
		}
		out = append(out, Piece{Text: s[sp.Start:sp.End], Kind: sp.Kind})
		at = sp.End
	}
	if at < len(s) {
		out = append(out, Piece{Text: s[at:]})
	}
	return out
}

// Redact replaces every flagged span of s by placeholder: the reviewer's
// starting point for a redaction, which they may edit before saving.
func Redact(s, placeholder string) string {
	var b strings.Builder
	for _, p := range Pieces(s) {
		if p.Kind != "" {
			b.WriteString(placeholder)
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}
