package surveys

import (
	"fmt"
	"slices"
)

// TranslationStatus is how far one language of an instrument has come: the
// texts still missing and whether a person has reviewed it. Advisors see it
// before they offer the language in a wave.
type TranslationStatus struct {
	Code     string
	Status   string // StatusDraft or StatusReviewed
	Missing  []string
	Complete bool
}

// Translations reports the completeness of every language the instrument offers.
func (in *Instrument) Translations() []TranslationStatus {
	out := make([]TranslationStatus, 0, len(in.Languages))
	for _, l := range in.Languages {
		missing := in.MissingTexts(l.Code)
		out = append(out, TranslationStatus{Code: l.Code, Status: l.Status, Missing: missing, Complete: len(missing) == 0})
	}
	return out
}

// MissingTexts lists where the instrument lacks text in lang, in the same
// terms as Validate ("pages[1].questions[0] (key).text"). It applies
// Validate's own rule (checkText), so a language with nothing missing here
// never fails Validate for want of text.
func (in *Instrument) MissingTexts(lang string) []string {
	var ps Problems
	langs := []string{lang}
	checkText(&ps, "title", in.Title, langs, true)
	checkText(&ps, "intro", in.Intro, langs, false)
	for i, f := range in.FocusAreas {
		checkText(&ps, fmt.Sprintf("focus_areas[%d].name", i), f.Name, langs, true)
	}
	for i, l := range in.Lists {
		for j, c := range l.Choices {
			checkText(&ps, fmt.Sprintf("lists[%d].choices[%d].label", i, j), c.Label, langs, true)
		}
	}
	for pi, p := range in.Pages {
		pw := fmt.Sprintf("pages[%d]", pi)
		checkText(&ps, pw+".title", p.Title, langs, false)
		for qi, q := range p.Questions {
			where := fmt.Sprintf("%s.questions[%d] (%s)", pw, qi, q.Key)
			checkText(&ps, where+".text", q.Text, langs, true)
			checkText(&ps, where+".help", q.Help, langs, false)
		}
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Where
	}
	return out
}

// ValidateLanguages validates the instrument as if it offered only langs:
// a wave needs its own languages complete, not every language the
// instrument has begun. A language the instrument does not offer is a problem.
func (in *Instrument) ValidateLanguages(langs []string) error {
	var ps Problems
	restricted := *in // Validate only reads; the shallow copy leaves in untouched
	restricted.Languages = nil
	for _, code := range langs {
		i := slices.IndexFunc(in.Languages, func(l LanguageStatus) bool { return l.Code == code })
		if i < 0 {
			ps.addID("languages", "language_not_offered", "the instrument is not offered in %q", "Code", code)
			continue
		}
		restricted.Languages = append(restricted.Languages, in.Languages[i])
	}
	if err := restricted.Validate(); err != nil {
		if more, ok := err.(Problems); ok {
			ps = append(ps, more...)
		} else {
			ps.add("instrument", "%v", err)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}
