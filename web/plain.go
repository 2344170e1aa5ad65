package web

import (
	"math"
	"strconv"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// Plain language (klarspråk) for the council's report and the public
// results: the scale's own words instead of "1" and "6", the interval as
// a margin of error in one sentence, findings as sentences. The terms are
// explained once, in docs/GLOSSARY.md.

// scaleEnds are the words of the lowest and the highest answer of a scale
// question, in the page's language: what the relatives saw.
func scaleEnds(in *surveys.Instrument, q surveys.Question, lang string) (low, high string) {
	l, ok := in.List(q.List)
	if !ok {
		return "", ""
	}
	for _, c := range l.Choices {
		switch c.Value {
		case strconv.Itoa(analysis.ScaleMin):
			low = c.Label.In(lang)
		case strconv.Itoa(analysis.ScaleMax):
			high = c.Label.In(lang)
		}
	}
	return low, high
}

// firstScaleEnds are the scale words of the instrument's first scale
// question with words at both ends, the example a reader is given.
func firstScaleEnds(in *surveys.Instrument, lang string) (low, high string) {
	for _, q := range in.Questions() {
		if q.Type != surveys.TypeScale {
			continue
		}
		if low, high = scaleEnds(in, q, lang); low != "" && high != "" {
			return low, high
		}
	}
	return "", ""
}

// howToRead is the short "how to read this" of a results page: a heading
// and a few sentences. prefix is the page's message prefix ("plain." for
// the council, "results_public." for relatives); the council's report
// also explains a clear change and the "don't know" answers.
type howToRead struct {
	Heading string
	Points  []string
}

func newHowToRead(p *page, prefix string, in *surveys.Instrument, k int) howToRead {
	h := howToRead{Heading: p.T(prefix + "how.heading")}
	if low, high := firstScaleEnds(in, p.Lang); low != "" {
		h.Points = append(h.Points, p.T(prefix+"how.index", "Low", low, "High", high))
	} else {
		h.Points = append(h.Points, p.T(prefix+"how.index_plain"))
	}
	h.Points = append(h.Points, p.T(prefix+"how.interval"))
	if prefix == councilPlain {
		h.Points = append(h.Points, p.T(prefix+"how.change", "Points", analysis.MeaningfulChange), p.T(prefix+"how.dont_know"))
	}
	h.Points = append(h.Points, p.T(prefix+"how.hidden", "K", k))
	return h
}

// councilPlain prefixes the council report's plain-language messages.
const councilPlain = "plain."

// findingSentence states one question's result as a sentence: how many
// chose one of the two best answers, in the scale's own words, with the
// "don't know" answers said to be left out.
func findingSentence(f figures, in *surveys.Instrument, q surveys.Question, it *analysis.Item) string {
	_, high := scaleEnds(in, q, f.p.Lang)
	share := f.pct(it.Positive)
	if math.IsNaN(it.Positive) || high == "" {
		return f.p.T("plain.finding_index", "Name", q.Text.In(f.p.Lang), "Index", f.whole(it.Index.Mean))
	}
	key := "plain.finding.few"
	switch {
	case it.Positive > 0.6:
		key = "plain.finding.most"
	case it.Positive >= 0.4:
		key = "plain.finding.half"
	}
	return f.p.T(key, "Share", share, "High", high, "Name", q.Text.In(f.p.Lang), "Index", f.whole(it.Index.Mean))
}
