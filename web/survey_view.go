package web

import (
	"html/template"
	"strconv"

	"github.com/stemme/stemme/surveys"
)

// surveyView is the form as the template draws it, in one language.
type surveyView struct {
	Action   string
	Title    string
	Intro    string
	UnitName string
	// Page is the one page of the instrument shown; PageIndex its index.
	Page      pageView
	PageIndex int
	// Step of Steps counts only the pages the answers so far make visible.
	Step, Steps int
	First, Last bool
	// Hidden carries the values of every other page, so back and next keep them.
	Hidden []hiddenValue
	Resume string
	Code   string
	Errors []errorLink
	Notice string
	// PageURL, set on a page answered to a post, is the page's own address.
	PageURL   string
	SID, Sig  string
	Available bool
	Closed    bool
	// AllOptional is true when no question must be answered, so the form may say so.
	AllOptional bool
	// Content marks the instrument's texts when they are in another language than the page.
	Content langAttr
}

// langAttr marks an element whose text is in another language than the page.
type langAttr struct{ Lang, Dir string }

// Attr renders ` lang=".." dir=".."`, or nothing when the language is the page's.
func (l langAttr) Attr() template.HTMLAttr {
	if l.Lang == "" {
		return ""
	}
	return template.HTMLAttr(` lang="` + l.Lang + `" dir="` + l.Dir + `"`)
}

type hiddenValue struct{ Name, Value string }

type pageView struct {
	Title     string
	Questions []questionView
}

type questionView struct {
	Key, Type, Text, Help, Error string
	// MaxLength and Limit state the length a text may have before it is typed.
	MaxLength int
	Limit     string
	Required  bool
	Choices   []choiceView
	Value     string
	ShowIf    string
	// Scale is true for the 1–6 items, drawn as a row of options.
	Scale   bool
	Content langAttr
}

type choiceView struct {
	Value, Label, ID string
	Checked          bool
	DontKnow         bool
	Content          langAttr
}

// errorLink leads from the error summary to the field itself (Target is
// an input's id), not to the question around it.
type errorLink struct {
	Target, Message string
}

// inputID is the id of the first input of a question, where an error
// summary's link puts the focus.
func inputID(q surveys.Question) string {
	switch q.Type {
	case surveys.TypeText, surveys.TypeLongText, surveys.TypeNumber:
		return "in-" + q.Key
	}
	return q.Key + "-0"
}

// buildSurveyView turns an instrument, the values entered so far and their
// errors into the view of one page of the form. Entered values are always
// shown again: on the page as inputs, for other pages as hidden fields.
func buildSurveyView(p *page, s *openSurvey, values map[string][]string, errs []surveys.FieldError, pageIndex int) surveyView {
	in := s.Instrument
	// An instrument not translated into the page's language is shown whole in
	// its first language, marked up as such so screen readers switch voice.
	lang := in.ContentLanguage(p.ContentLang())
	errFor := map[string]string{}
	v := surveyView{
		Action: "/s/" + s.Link.ID, Title: in.Title.In(lang), Intro: in.Intro.In(lang), UnitName: s.Unit.Name,
	}
	if lang != p.Lang {
		// Codes come from the validated instrument, never from the request.
		v.Content = langAttr{Lang: lang, Dir: contentDir(in, lang)}
	}
	for _, e := range errs {
		msg := p.TData(e.Message, e.Args)
		if s := e.Text[lang]; s != "" && lang == p.Lang {
			msg = s // the questionnaire's own message, when it is in the page's language
		}
		errFor[e.Key] = msg
	}
	answers, _ := in.ParseAnswers(values, in.Pages)
	visible := in.VisiblePages(answers)
	pageIndex = nearestVisible(visible, pageIndex)
	v.PageIndex = pageIndex
	v.Steps = len(visible)
	for n, i := range visible {
		if i == pageIndex {
			v.Step = n + 1
		}
	}
	v.First, v.Last = v.Step <= 1, v.Step == v.Steps
	v.AllOptional = true
	for _, pg := range in.Pages {
		for _, q := range pg.Questions {
			if q.Required {
				v.AllOptional = false
			}
		}
	}
	pg := in.Pages[pageIndex]
	onPage := map[string]bool{}
	v.Page = pageView{Title: pg.Title.In(lang)}
	for _, q := range pg.Questions {
		onPage[q.Key] = true
		if !surveys.Visible(q, answers) && !sharesPage(q, pg) {
			continue
		}
		qv := questionView{
			Key: q.Key, Type: string(q.Type), Text: q.Text.In(lang), Help: q.Help.In(lang),
			Required: q.Required, Error: errFor[q.Key], ShowIf: q.ShowIf, Scale: q.Type == surveys.TypeScale,
			Content: v.Content,
		}
		if qv.Error != "" {
			v.Errors = append(v.Errors, errorLink{Target: inputID(q), Message: qv.Text + ": " + qv.Error})
		}
		if q.Type == surveys.TypeLongText {
			qv.MaxLength = surveys.MaxLongText
			qv.Limit = p.T("survey.flow.long_limit", "Max", surveys.MaxLongText)
		}
		if vals := values[q.Key]; len(vals) > 0 {
			qv.Value = vals[0]
		}
		qv.Choices = choicesFor(p, lang, in, q, values[q.Key], shownChoices(in, q, pg, answers))
		if q.Type != surveys.TypeYesNo {
			for i := range qv.Choices {
				qv.Choices[i].Content = v.Content
			}
		}
		v.Page.Questions = append(v.Page.Questions, qv)
	}
	for _, q := range in.Questions() {
		if onPage[q.Key] {
			continue
		}
		for _, val := range values[q.Key] {
			v.Hidden = append(v.Hidden, hiddenValue{Name: q.Key, Value: val})
		}
	}
	return v
}

// nearestVisible keeps a page the answers hide from being shown: it picks
// the first visible page after it, or the last visible page.
func nearestVisible(visible []int, page int) int {
	if len(visible) == 0 {
		return page
	}
	for _, v := range visible {
		if v >= page {
			return v
		}
	}
	return visible[len(visible)-1]
}

// sharesPage reports whether a hidden question's condition depends on a
// question of the same page. Without JavaScript the page cannot react while
// it is being filled in, so such a question is shown (its help text says when
// to answer it) and its answer is ignored on the server if the condition fails.
func sharesPage(q surveys.Question, pg surveys.Page) bool {
	c, err := q.Condition()
	if err != nil {
		return false
	}
	for _, ref := range c.Refs() {
		for _, other := range pg.Questions {
			if other.Key == ref {
				return true
			}
		}
	}
	return false
}

func choicesFor(p *page, lang string, in *surveys.Instrument, q surveys.Question, selected []string, shown []surveys.Choice) []choiceView {
	isSelected := func(v string) bool {
		for _, s := range selected {
			if s == v {
				return true
			}
		}
		return false
	}
	var cs []choiceView
	switch q.Type {
	case surveys.TypeYesNo:
		for _, v := range []string{"yes", "no"} {
			cs = append(cs, choiceView{Value: v, Label: p.T("survey." + v), Checked: isSelected(v)})
		}
	case surveys.TypeScale, surveys.TypeSingle, surveys.TypeMulti:
		for _, c := range shown {
			cs = append(cs, choiceView{Value: c.Value, Label: c.Label.In(lang), Checked: isSelected(c.Value),
				DontKnow: c.Value == surveys.DontKnow})
		}
	}
	for i := range cs {
		cs[i].ID = q.Key + "-" + strconv.Itoa(i)
	}
	return cs
}
