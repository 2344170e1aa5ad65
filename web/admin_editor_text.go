package web

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

// Texts are edited two languages at a time: the source language (the
// instrument's first, always complete) beside the language being
// translated, so a translator sees what they translate and the advisor
// sees what is missing. Other languages are left as they are.

// editorPair is the source language and the language being translated (the
// same when the instrument has one language, or the advisor chose the source).
type editorPair struct {
	Source, Target locales.Language
	Same           bool
}

// pickEditorPair chooses the target language: the one asked for (?to= or the
// form's "to") if the instrument has it, otherwise the first language with
// missing texts, otherwise the second language.
func pickEditorPair(c *fiber.Ctx, in *surveys.Instrument) editorPair {
	find := func(code string) locales.Language {
		info := in.LanguageInfo(code)
		return locales.Language{Code: code, Name: info.Name, RTL: info.RTL}
	}
	src := in.SourceLanguage()
	to := c.Query("to", c.FormValue("to"))
	if !in.HasLanguage(to) {
		to = ""
		for _, l := range in.Languages[min(1, len(in.Languages)):] {
			if to == "" {
				to = l.Code
			}
			if len(in.MissingTexts(l.Code))+len(in.StaleTexts(l.Code)) > 0 {
				to = l.Code
				break
			}
		}
	}
	if to == "" {
		to = src
	}
	return editorPair{Source: find(src), Target: find(to), Same: to == src}
}

// editorTextRow is one text of the instrument (a title, a question's help, a
// choice label) in the two languages.
type editorTextRow struct {
	Label          string
	Long, Required bool
	Source, Target editorTextCell
}

// editorTextCell is one text in one language: the input's name and id, its value
// and, when it is missing or refused, the message shown at the field.
// Label names it for screen readers ("Title, Norsk nynorsk"); the table's
// headers show the same to the eye.
type editorTextCell struct {
	Name, ID, Value, Error string
	Code, LangName, Dir    string
	Label, MissingText     string
	Missing, Long          bool
	// Stale marks a translation made before the source text changed;
	// Confirm is the value of the checkbox with which a person confirms it.
	Stale                 bool
	StaleText, ConfirmTxt string
	Confirm               string
}

// editorTable is a table of texts with the two languages as columns.
type editorTable struct {
	Caption, FieldHead, SourceNote string
	Pair                           editorPair
	Rows                           []editorTextRow
}

// table puts rows into a table with its translated headers.
func (lp editorPair) table(p *page, caption string, rows ...editorTextRow) editorTable {
	return editorTable{Caption: caption, FieldHead: p.T("editor.texts.field"), SourceNote: p.T("editor.texts.source"),
		Pair: lp, Rows: rows}
}

// editorTextRow builds the row for the text t, found at where in the
// instrument's terms ("pages[1].title") and known by the stable id; name is
// the form field prefix.
func (lp editorPair) row(p *page, in *surveys.Instrument, label, name, where, id string, t surveys.Text, long, required bool, errs editorErrors) editorTextRow {
	cell := func(l locales.Language) editorTextCell {
		c := editorTextCell{Name: name + "." + l.Code, ID: editorFieldID(where, l.Code), Value: t[l.Code],
			Code: l.Code, LangName: l.Name, Dir: dir(l.RTL), Long: long,
			Label: p.T("editor.texts.label", "Field", label, "Language", l.Name), MissingText: p.T("editor.texts.missing")}
		// MissingTexts' rule: an optional text is missing only once another language has it.
		c.Missing = c.Value == "" && (required || len(t) > 0)
		c.Error = errs[c.ID]
		if c.Value != "" && in.IsStale(l.Code, id) {
			c.Stale, c.Confirm = true, l.Code+" "+id
			c.StaleText, c.ConfirmTxt = p.T("editor.stale.text"), p.T("editor.stale.confirm", "Language", l.Name)
		}
		return c
	}
	r := editorTextRow{Label: label, Long: long, Required: required, Source: cell(lp.Source)}
	if !lp.Same {
		r.Target = cell(lp.Target)
	}
	return r
}

// editorFormText reads the texts named name.<code> that the form carries,
// for any language code; a language the form does not carry is left out,
// so MergeText keeps it. Edits keep only the instrument's own languages
// (see ownLanguages).
func editorFormText(c *fiber.Ctx, name string) surveys.Text {
	t := surveys.Text{}
	for k, v := range c.Request().PostArgs().All() {
		code, ok := strings.CutPrefix(string(k), name+".")
		if ok && surveys.ValidLanguageCode(code) {
			t[code] = strings.TrimSpace(string(v))
		}
	}
	return t
}

// ownLanguages keeps the texts in the instrument's languages.
func ownLanguages(in *surveys.Instrument, t surveys.Text) surveys.Text {
	out := surveys.Text{}
	for code, s := range t {
		if in.HasLanguage(code) {
			out[code] = s
		}
	}
	return out
}

// indexedTexts reads texts named prefix<N>.<code> (area0.nb, choice3.nn),
// as the forms with one text per focus area or choice carry them.
func indexedTexts(c *fiber.Ctx, prefix string) map[int]surveys.Text {
	out := map[int]surveys.Text{}
	for k, v := range c.Request().PostArgs().All() {
		rest, ok := strings.CutPrefix(string(k), prefix)
		n, code, found := strings.Cut(rest, ".")
		i, err := strconv.Atoi(n)
		if !ok || !found || err != nil || i < 0 || !surveys.ValidLanguageCode(code) {
			continue
		}
		if out[i] == nil {
			out[i] = surveys.Text{}
		}
		out[i][code] = strings.TrimSpace(string(v))
	}
	return out
}

var nonID = regexp.MustCompile(`[^a-z0-9]+`)

// questionWhere matches the start of a problem's place in a question:
// "pages[1].questions[0] (key)".
var questionWhere = regexp.MustCompile(`^pages\[(\d+)\]\.questions\[(\d+)\] \(([^)]*)\)(?:\.(text|help|constraint_msg))?`)

// editorFieldID turns a place in the instrument ("pages[1].title") and a
// language into an element id ("f-pages-1-title-nn"), so a problem can
// link to its field. A question's fields are named by their field alone
// ("f-text-nn"), as the question form shows one question.
func editorFieldID(where, lang string) string {
	if m := questionWhere.FindStringSubmatch(where); m != nil {
		where = m[4]
	}
	id := "f-" + strings.Trim(nonID.ReplaceAllString(strings.ToLower(where), "-"), "-")
	if lang != "" {
		id += "-" + lang
	}
	return id
}

// editorErrors maps element ids to the translated message shown there.
type editorErrors map[string]string

// problemLink is one problem in an error summary: where it is, what it is,
// and a link to the field when the editor has one.
type problemLink struct {
	Place, Message, URL string
}

// problemMessage translates a domain problem, or shows its English text
// when it has no translation (problems from elsewhere may lack an ID).
func problemMessage(p *page, pr surveys.Problem) string {
	if pr.ID != "" {
		key := "editor.problem." + pr.ID
		if s := p.TData(key, pr.Args); s != key {
			return s
		}
	}
	return pr.What
}
