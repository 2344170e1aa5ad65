package actions

import (
	"strings"
	"unicode"

	"github.com/stemme/stemme/surveys"
)

// stopwords carry no meaning for matching a heading to a focus area; every
// heading of a relatives' plan is about relatives, so that word is one too.
var stopwords = map[string]bool{"og": true, "i": true, "til": true, "som": true, "med": true, "for": true,
	"av": true, "på": true, "de": true, "det": true, "en": true, "et": true, "å": true, "eller": true,
	"the": true, "and": true, "of": true, "to": true, "as": true, "a": true, "your": true, "own": true,
	"pårørende": true, "pårørande": true, "relative": true, "relatives": true, "andre": true}

// minMatch is the least similarity at which a focus area is suggested.
const minMatch = 0.3

// MatchFocusArea suggests the focus area a plan's heading means, by word
// overlap with the areas' names in every language (compound words count:
// "pårørendesamarbeid" shares "samarbeid"), or "" when none is close. It is
// a suggestion: the advisor confirms or changes it in the preview.
func MatchFocusArea(heading string, in *surveys.Instrument) string {
	h := words(heading)
	if len(h) == 0 || in == nil {
		return ""
	}
	best, bestScore := "", 0.0
	for _, a := range in.FocusAreas {
		for _, name := range a.Name {
			if s := similarity(h, words(name)); s > bestScore {
				best, bestScore = a.Key, s
			}
		}
	}
	if bestScore < minMatch {
		return ""
	}
	return best
}

func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !stopwords[w] {
			out = append(out, w)
		}
	}
	return out
}

// similarity is a Dice coefficient in which a word matches another fully
// when equal, mostly when one contains the other, and partly when they
// share a stem of at least five letters.
func similarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range a {
		best := 0.0
		for _, y := range b {
			best = max(best, wordMatch(x, y))
		}
		sum += best
	}
	return 2 * sum / float64(len(a)+len(b))
}

func wordMatch(x, y string) float64 {
	switch {
	case x == y:
		return 1
	case len([]rune(y)) >= 5 && strings.Contains(x, y), len([]rune(x)) >= 5 && strings.Contains(y, x):
		return 0.8
	}
	rx, ry := []rune(x), []rune(y)
	n := 0
	for n < len(rx) && n < len(ry) && rx[n] == ry[n] {
		n++
	}
	if n >= 5 {
		return 0.6
	}
	return 0
}
