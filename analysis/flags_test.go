package analysis

import (
	"slices"
	"testing"
)

func TestFlagAndSpans(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		flags  []string
		marked []string // the flagged runs, in order
		redact string
	}{
		{"nothing", "Maten er god og personalet hyggelig.", nil, nil, "Maten er god og personalet hyggelig."},
		{"email", "Skriv til ola.hansen@example.no om dette.", []string{"email"},
			[]string{"ola.hansen@example.no"}, "Skriv til […] om dette."},
		{"phone grouped", "Ring meg på 912 34 567 i morgen.", []string{"phone"}, []string{"912 34 567"}, "Ring meg på […] i morgen."},
		{"phone with country code", "Nummer +47 91234567.", []string{"phone"}, []string{"+47 91234567"}, "Nummer […]."},
		{"short number is no phone", "Rom 12 34 har trekk.", nil, nil, "Rom 12 34 har trekk."},
		{"name mid-sentence", "Jeg snakket med Sigrun på avdelingen.", []string{"name"}, []string{"Sigrun"},
			"Jeg snakket med […] på avdelingen."},
		{"common first name at start", "Kari er flink.", []string{"name"}, []string{"Kari"}, "[…] er flink."},
		{"capital after full stop", "Bra. Nattevakten var snill.", nil, nil, "Bra. Nattevakten var snill."},
		{"all three", "Per ringte 41 22 33 44 fra per@x.no.", []string{"email", "phone", "name"},
			[]string{"Per", "41 22 33 44", "per@x.no"}, "[…] ringte […] fra […]."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Flag(tt.text); !slices.Equal(got, tt.flags) {
				t.Errorf("Flag = %v, want %v", got, tt.flags)
			}
			var marked []string
			for _, sp := range FlagSpans(tt.text) {
				marked = append(marked, tt.text[sp.Start:sp.End])
			}
			if !slices.Equal(marked, tt.marked) {
				t.Errorf("spans %q, want %q", marked, tt.marked)
			}
			var whole string
			for _, p := range Pieces(tt.text) {
				whole += p.Text
			}
			if whole != tt.text {
				t.Errorf("pieces join to %q", whole)
			}
			if got := Redact(tt.text, "[…]"); got != tt.redact {
				t.Errorf("Redact = %q, want %q", got, tt.redact)
			}
		})
	}
}
