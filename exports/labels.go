package exports

import (
	"errors"
	"slices"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/stemme/stemme/surveys"
)

// headerLanguages are the languages with export messages (the staff's).
var headerLanguages = []string{"nb", "nn", "en"}

// ErrLanguage means an export was asked for in a language that has
// neither export headers nor texts in the wave's questionnaire.
var ErrLanguage = errors.New("exports: the questionnaire is not in that language")

// Languages are the languages an export of a wave with this questionnaire
// can be written in: nb, nn and en (which have export headers), then every
// language of the questionnaire, in its order (headers in English).
func Languages(in *surveys.Instrument) []string {
	out := slices.Clone(headerLanguages)
	for _, code := range in.LanguageCodes() {
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

// labels translates the export's headers and notes. Export messages exist
// in nb, nn and en (staff languages); any other language gets English
// headers and notes, while question texts and value labels still come from
// the instrument in that language where it has them.
type labels struct {
	lang string
	loc  *i18n.Localizer
}

func newLabels(bundle *i18n.Bundle, lang string) labels {
	ui := lang
	if !slices.Contains(headerLanguages, lang) {
		ui = "en"
	}
	return labels{lang: lang, loc: i18n.NewLocalizer(bundle, ui)}
}

// t translates a message id; args are name/value pairs. An id without a
// message comes back as itself, which a test of the locale files catches.
func (l labels) t(id string, args ...any) string {
	var data map[string]any
	if len(args) > 0 {
		data = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok {
				data[k] = args[i+1]
			}
		}
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}
