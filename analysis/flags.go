package analysis

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	emailRE = regexp.MustCompile(`[\p{L}0-9._%+-]+@[\p{L}0-9.-]+\.\p{L}{2,}`)
	// Norwegian numbers have eight digits, often grouped, maybe after +47 or 0047.
	phoneRE = regexp.MustCompile(`(?:\+|00)?(?:47)?[\s.-]?\d{2,3}(?:[\s.-]?\d{2,3}){2,3}`)
	wordRE  = regexp.MustCompile(`[\p{L}][\p{L}'-]*|[.!?:]`)
)

// Flag lists what in a free-text answer may identify someone: "email",
// "phone", "name". It helps the reviewer; it does not replace reading.
func Flag(s string) []string {
	var out []string
	for _, kind := range []string{FlagEmail, FlagPhone, FlagName} {
		for _, sp := range FlagSpans(s) {
			if sp.Kind == kind {
				out = append(out, kind)
				break
			}
		}
	}
	return out
}

// LikelyNames returns the words of s that look like names: a common first
// name anywhere, or any capitalised word in the middle of a sentence (in
// Norwegian little but names is capitalised there).
func LikelyNames(s string) []string {
	var out []string
	for _, sp := range nameSpans(s) {
		out = append(out, s[sp.Start:sp.End])
	}
	return out
}

func nameSpans(s string) []Span {
	var out []Span
	sentenceStart := true
	for _, loc := range wordRE.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		if strings.ContainsAny(w, ".!?:") && utf8.RuneCountInString(w) == 1 {
			sentenceStart = true
			continue
		}
		first, _ := utf8.DecodeRuneInString(w)
		lower := strings.ToLower(w)
		switch {
		case commonFirstNames[lower]:
			out = append(out, Span{loc[0], loc[1], FlagName})
		case !sentenceStart && unicode.IsUpper(first) && utf8.RuneCountInString(w) > 1 && !notNames[lower] && !allUpper(w):
			out = append(out, Span{loc[0], loc[1], FlagName})
		}
		sentenceStart = false
	}
	return out
}

func allUpper(w string) bool {
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// notNames are capitalised mid-sentence without being a person's name.
var notNames = setOf("i", "jeg", "norge", "norsk", "kommune", "kommunen", "nav", "monday", "tuesday", "wednesday",
	"thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december", "english", "norwegian", "christmas", "easter", "jul",
	"påske", "covid", "korona")

// commonFirstNames are frequent first names in Norway (SSB lists), flagged
// even at the start of a sentence.
var commonFirstNames = setOf("anne", "inger", "kari", "marit", "ingrid", "liv", "eva", "berit", "astrid", "bjørg",
	"hilde", "anna", "solveig", "marianne", "randi", "ida", "nina", "maria", "elisabeth", "kristin", "jan", "per",
	"bjørn", "ole", "lars", "kjell", "knut", "arne", "svein", "thomas", "hans", "geir", "tor", "morten", "terje",
	"odd", "erik", "martin", "andreas", "john", "anders", "rune", "trond", "tore", "harald", "olav", "jon", "gunnar",
	"nora", "emma", "sofie", "olivia", "ella", "jakob", "emil", "noah", "oliver", "filip", "lukas", "mohammad",
	"muhammad", "ahmed", "ali", "fatima", "aisha", "piotr", "anna-lisa")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
