package web

import (
	"html/template"
	"strconv"

	"github.com/stemme/stemme/surveys"
)

// surveyView is the form as the template draws it, in one language.
type surveyView struct {
	Action    string
	Title     string
	Intro     string
	UnitName  string
	Pages     []pageView
	Errors    []errorLink
	Notice    string
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

type pageView struct {
	Title     string
	Questions []questionView
}

type questionView struct {
	Key, Type, Text, Help, Error string
	Required                     bool
	Choices                      []choiceView
	Value                        string
	ShowIf                       string
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

type errorLink struct {
	Key, Message string
}

// buildSurveyView turns an instrument, the values entered so far and their
// errors into the form's view. Entered values are always shown again.
func buildSurveyView(p *page, s *openSurvey, values map[string][]string, errs []surveys.FieldError) surveyView {
	in := s.Instrument
	// An instrument not translated into the page's language is shown whole in
	// its first language, marked up as such so screen readers switch voice.
	lang := in.ContentLanguage(p.Lang)
	errFor := map[string]string{}
	v := surveyView{
		Action: "/s/" + s.Link.ID, Title: in.Title.In(lang), Intro: in.Intro.In(lang), UnitName: s.Unit.Name,
	}
	if lang != p.Lang {
		// Codes come from the validated instrument, never from the request.
		v.Content = langAttr{Lang: lang, Dir: dir(surveys.RTL(lang))}
	}
	for _, e := range errs {
		msg := p.TData(e.Message, e.Args)
		errFor[e.Key] = msg
	}
	v.AllOptional = true
	for _, pg := range in.Pages {
		pv := pageView{Title: pg.Title.In(lang)}
		for _, q := range pg.Questions {
			qv := questionView{
				Key: q.Key, Type: string(q.Type), Text: q.Text.In(lang), Help: q.Help.In(lang),
				Required: q.Required, Error: errFor[q.Key], ShowIf: q.ShowIf, Scale: q.Type == surveys.TypeScale,
				Content: v.Content,
			}
			if q.Required {
				v.AllOptional = false
			}
			if qv.Error != "" {
				v.Errors = append(v.Errors, errorLink{Key: q.Key, Message: qv.Text + ": " + qv.Error})
			}
			if vals := values[q.Key]; len(vals) > 0 {
				qv.Value = vals[0]
			}
			qv.Choices = choicesFor(p, lang, in, q, values[q.Key])
			if q.Type != surveys.TypeYesNo {
				for i := range qv.Choices {
					qv.Choices[i].Content = v.Content
				}
			}
			pv.Questions = append(pv.Questions, qv)
		}
		v.Pages = append(v.Pages, pv)
	}
	return v
}

func choicesFor(p *page, lang string, in *surveys.Instrument, q surveys.Question, selected []string) []choiceView {
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
		l, _ := in.List(q.List)
		for _, c := range l.Choices {
			cs = append(cs, choiceView{Value: c.Value, Label: c.Label.In(lang), Checked: isSelected(c.Value),
				DontKnow: c.Value == surveys.DontKnow})
		}
	}
	for i := range cs {
		cs[i].ID = q.Key + "-" + strconv.Itoa(i)
	}
	return cs
}
