package web

import (
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
	Scale bool
}

type choiceView struct {
	Value, Label, ID string
	Checked          bool
	DontKnow         bool
}

type errorLink struct {
	Key, Message string
}

// buildSurveyView turns an instrument, the values entered so far and their
// errors into the form's view. Entered values are always shown again.
func buildSurveyView(p *page, s *openSurvey, values map[string][]string, errs []surveys.FieldError) surveyView {
	in, lang := s.Instrument, p.Lang
	errFor := map[string]string{}
	v := surveyView{
		Action: "/s/" + s.Link.ID, Title: in.Title.In(lang), Intro: in.Intro.In(lang), UnitName: s.Unit.Name,
	}
	for _, e := range errs {
		msg := p.TData(e.Message, e.Args)
		errFor[e.Key] = msg
	}
	for _, pg := range in.Pages {
		pv := pageView{Title: pg.Title.In(lang)}
		for _, q := range pg.Questions {
			qv := questionView{
				Key: q.Key, Type: string(q.Type), Text: q.Text.In(lang), Help: q.Help.In(lang),
				Required: q.Required, Error: errFor[q.Key], ShowIf: q.ShowIf, Scale: q.Type == surveys.TypeScale,
			}
			if qv.Error != "" {
				v.Errors = append(v.Errors, errorLink{Key: q.Key, Message: qv.Text + ": " + qv.Error})
			}
			if vals := values[q.Key]; len(vals) > 0 {
				qv.Value = vals[0]
			}
			qv.Choices = choicesFor(p, in, q, values[q.Key])
			pv.Questions = append(pv.Questions, qv)
		}
		v.Pages = append(v.Pages, pv)
	}
	return v
}

func choicesFor(p *page, in *surveys.Instrument, q surveys.Question, selected []string) []choiceView {
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
			cs = append(cs, choiceView{Value: c.Value, Label: c.Label.In(p.Lang), Checked: isSelected(c.Value),
				DontKnow: c.Value == surveys.DontKnow})
		}
	}
	for i := range cs {
		cs[i].ID = q.Key + "-" + strconv.Itoa(i)
	}
	return cs
}
