package web

import (
	"strings"
	"testing"
)

func TestSoftHyphensBreakLongWordsBetweenSyllables(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Helhetsvurdering", "Hel-hets-vur-de-ring"},
		{"Kommunikasjon", "Kom-mu-ni-ka-sjon"},
		{"Informasjon og medvirkning", "Infor-ma-sjon og med-virk-ning"},
		{"Forskjellsbehandling", "For-skjells-be-hand-ling"},
		{"Tilrettelegging", "Til-ret-te-leg-ging"},
		{"Heilskapsvurdering", "Heil-skaps-vur-de-ring"},
		{"Kunnskapsgrunnlag", "Kunn-skaps-grunn-lag"},
		{"Samarbeidsprosjekt", "Samar-beids-pro-sjekt"},
		{"Samarbeid", "Samar-beid"},
		{"Trygghet", "Trygg-het"},
		{"pårørende", "pårø-rende"},
		{"Barn og unge", "Barn og unge"},               // short words: left alone
		{"Meaningfulness", "Mea-ning-ful-ness"},        // plausible, not a dictionary's
		{"Overall assessment", "Ove-rall assess-ment"}, // ditto
		{"Ukrainsk-språk", "Ukrainsk-språk"},           // not all letters: left alone
		{"Взаємодія сімей", "Взаємодія сімей"},
		{"", ""},
	}
	for _, tt := range tests {
		got := strings.ReplaceAll(softHyphens(tt.in), "\u00ad", "-")
		if got != tt.want {
			t.Errorf("softHyphens(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.ReplaceAll(softHyphens(tt.in), "\u00ad", "") != tt.in {
			t.Errorf("softHyphens(%q) changed more than its breaks", tt.in)
		}
	}
}
