package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/stemme/stemme/surveys"
)

// Text that staff write — names of waves, units and actions, council
// texts, arena dates — is in the municipality's language whatever language
// a relative reads the page in. Marked with its own lang (and dir), a
// screen reader reads it with the right voice and a right-to-left page
// does not flip its punctuation ("Solbakken (sykehjem)" stays so).

// orgLang is the language staff write their texts in.
const orgLang = "nb"

// In writes text in the language lang: as it is when that is the page's
// language, else in a span carrying its lang and dir, isolated from the
// text around it.
func (p *page) In(lang, text string) template.HTML {
	esc := template.HTMLEscapeString(text)
	if lang == "" || lang == p.Lang || text == "" {
		return template.HTML(esc)
	}
	return template.HTML(`<span lang="` + template.HTMLEscapeString(lang) + `" dir="` + langDir(lang) + `">` + esc + `</span>`)
}

// Org writes text staff wrote, in the municipality's language.
func (p *page) Org(text string) template.HTML { return p.In(orgLang, text) }

// LangAttr gives an element that holds text in lang (an <option>, a
// heading) its lang and dir attributes, or nothing when lang is the page's.
func (p *page) LangAttr(lang string) template.HTMLAttr {
	if lang == "" || lang == p.Lang {
		return ""
	}
	return template.HTMLAttr(`lang="` + template.HTMLEscapeString(lang) + `" dir="` + langDir(lang) + `"`)
}

// OrgAttr is LangAttr for text staff wrote.
func (p *page) OrgAttr() template.HTMLAttr { return p.LangAttr(orgLang) }

// TH translates a message whose arguments may be marked-up text (from In,
// Org or TH): the message itself is escaped, the marked-up arguments are
// put in as they are.
func (p *page) TH(id string, args ...any) template.HTML {
	var marked []template.HTML
	plain := make([]any, len(args))
	for i, a := range args {
		if h, ok := a.(template.HTML); ok && i%2 == 1 {
			// A private-use placeholder survives translation and escaping unchanged.
			plain[i] = "\ue000" + strconv.Itoa(len(marked)) + "\ue001"
			marked = append(marked, h)
			continue
		}
		plain[i] = a
	}
	out := template.HTMLEscapeString(p.T(id, plain...))
	for i, h := range marked {
		out = strings.ReplaceAll(out, "\ue000"+strconv.Itoa(i)+"\ue001", string(h))
	}
	return template.HTML(out)
}

// InstrumentText writes an instrument's text in the page's language, or in
// the language it falls back to, marked as such.
func (p *page) InstrumentText(t surveys.Text) template.HTML {
	s, lang := t.InWith(p.Lang)
	return p.In(lang, s)
}

// langDir is the direction of a language's script.
func langDir(code string) string {
	return dir(surveys.Language(code).RTL)
}
