package web

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// softHyphens marks where the long words of a heat map's column header may
// break: a soft hyphen (U+00AD) is invisible unless the line breaks there,
// and then shows as a hyphen. The columns are narrow and of fixed width; a
// browser hyphenates by itself (CSS hyphens: auto) only with a dictionary
// for the page's language, which Chromium on Linux and many phones lack,
// and without one "Helhetsvurdering" broke anywhere in the word. The CSS
// allows breaks only at these marks (hyphens: manual).
//
// The rule is the Norwegian syllable rule: between two vowels the last
// consonant starts the next syllable (hel-hets-vur-de-ring), kj, sj, gj, tj,
// hj, hv, sk and skj stay together (heil-skaps-vur-de-ring), so do a stop
// and r or l after another consonant (kunn-skaps-grunn-lag), and each part
// keeps at least three letters.
// In other Latin-script languages it gives plausible, if not a dictionary's,
// breaks (assess-ment, but also Ove-rall; the browser test found English
// headers of 8 and 9 letters that need a break at 320 px too); words in
// other scripts, and words shorter than minHyphenated letters, are left
// alone.
func softHyphens(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		words[i] = hyphenateWord(w)
	}
	return strings.Join(words, " ")
}

// minHyphenated is the shortest word marked: a shorter one fits the
// narrowest column (at 320 px "samarbeid" and "pårørende" do not).
const minHyphenated = 7

// minPart is the fewest letters left on either side of a break.
const minPart = 3

func hyphenateWord(w string) string {
	if utf8.RuneCountInString(w) < minHyphenated {
		return w
	}
	rs := []rune(w)
	for _, r := range rs {
		if !unicode.IsLetter(r) || !unicode.In(r, unicode.Latin) {
			return w
		}
	}
	var breaks []int // a break before rs[i]
	last := -1       // the previous vowel
	for i, r := range rs {
		if !isVowel(r) {
			continue
		}
		if last >= 0 && i-last > 1 {
			at := i - 1
			if i-last > 3 && startsASyllable(rs[at-1], rs[at]) {
				at-- // a stop and r or l start a syllable together (-s-grunn-, -s-pro-)
			} else if stayTogether(rs, at) {
				at--
				if at-1 > last && unicode.ToLower(rs[at-1]) == 's' && unicode.ToLower(rs[at]) == 'k' {
					at-- // skj
				}
			}
			if at > last && at >= minPart && len(rs)-at >= minPart {
				breaks = append(breaks, at)
			}
		}
		last = i
	}
	if len(breaks) == 0 {
		return w
	}
	var b strings.Builder
	for i, r := range rs {
		if len(breaks) > 0 && breaks[0] == i {
			b.WriteRune('\u00ad')
			breaks = breaks[1:]
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stayTogether reports whether rs[at] and the consonant before it are one
// sound, or a syllable's usual start (-skap), that a Norwegian break does
// not split (kj, sj, gj, tj, hj, hv, sk).
func stayTogether(rs []rune, at int) bool {
	if at < 1 {
		return false
	}
	prev, r := unicode.ToLower(rs[at-1]), unicode.ToLower(rs[at])
	return (r == 'j' && strings.ContainsRune("ksgth", prev)) || (r == 'v' && prev == 'h') || (r == 'k' && prev == 's')
}

// startsASyllable reports whether a and b begin Norwegian syllables together
// (br, dr, fr, gr, kr, pr, tr, bl, fl, gl, kl, pl).
func startsASyllable(a, b rune) bool {
	a, b = unicode.ToLower(a), unicode.ToLower(b)
	return (b == 'r' && strings.ContainsRune("bdfgkpt", a)) || (b == 'l' && strings.ContainsRune("bfgkp", a))
}

func isVowel(r rune) bool {
	return strings.ContainsRune("aeiouyæøåéèêóòôüäöáà", unicode.ToLower(r))
}
