package web

import (
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// A wave may offer its questionnaire in a language Stemme has no interface
// messages for (Lithuanian, Dari, Thai …). Such a reader gets the
// questionnaire's texts in their language and the page around them (buttons,
// headings, the footer) in chromeFallback, which the page's own lang
// attribute declares; the questionnaire's texts carry theirs, so screen
// readers switch voice in the right places.
//
// The fallback is English rather than bokmål: a reader who picked a
// language other than Norwegian has said Norwegian is not their strongest,
// English is the second language most widely read across Europe and among
// newcomers to Norway, and every interface message exists in English.
const chromeFallback = "en"

// ContentLang is the language the page shows an instrument's texts in:
// the reader's choice when it has no interface messages, otherwise the
// page's own language.
func (p *page) ContentLang() string {
	if p.Content != "" {
		return p.Content
	}
	return p.Lang
}

// surveyPage starts a survey page. A ?lang= (or remembered choice) naming a
// language the wave offers but the interface lacks shows the instrument in
// that language with the chrome in chromeFallback; the language picker
// lists the wave's other languages too.
func (h *handler) surveyPage(c *fiber.Ctx, s *openSurvey) *page {
	offered := func(code string) bool {
		_, ui := h.tr.supported(code)
		return code != "" && !ui && slices.Contains(s.Wave.Languages, code) && s.Instrument.HasLanguage(code)
	}
	content := ""
	switch q := c.Query("lang"); {
	case offered(q):
		content = q
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: h.https})
	case q == "" && offered(c.Cookies(langCookie)):
		content = c.Cookies(langCookie)
	}
	var p *page
	if content != "" {
		fallback, _ := h.tr.supported(chromeFallback)
		p = h.tr.newPage(c, fallback)
		p.Content = content
		for i := range p.Langs {
			p.Langs[i].Current = false
		}
	} else {
		p = h.page(c)
	}
	for _, code := range s.Wave.Languages {
		if offered(code) {
			info := s.Instrument.LanguageInfo(code)
			p.Langs = append(p.Langs, langChoice{Code: code, Name: info.Name, Dir: info.Dir(),
				URL: c.Path() + "?lang=" + code, Current: code == content})
		}
	}
	return p
}

// contentDir is the direction of the language an instrument's texts are
// shown in, as the advisor set it.
func contentDir(in *surveys.Instrument, lang string) string { return in.LanguageInfo(lang).Dir() }

// shownChoices are the choices a question offers given the answers so far
// (its choice filter). A filter that reads a question on the same page
// cannot follow the answer there without JavaScript, so every choice is
// shown and the server checks the one picked.
func shownChoices(in *surveys.Instrument, q surveys.Question, pg surveys.Page, a surveys.Answers) []surveys.Choice {
	if q.ChoiceFilter == "" {
		return in.Choices(q, a)
	}
	if c, err := surveys.ParseChoiceFilter(q.ChoiceFilter); err == nil {
		for _, ref := range c.Refs() {
			if slices.ContainsFunc(pg.Questions, func(o surveys.Question) bool { return o.Key == ref }) {
				l, _ := in.List(q.List)
				return l.Choices
			}
		}
	}
	return in.Choices(q, a)
}
