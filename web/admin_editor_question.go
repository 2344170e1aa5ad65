package web

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// The form of one question: its settings, and its text and help in the
// source language beside the language being translated.

var questionTypes = []surveys.QuestionType{surveys.TypeScale, surveys.TypeSingle, surveys.TypeMulti, surveys.TypeYesNo,
	surveys.TypeNumber, surveys.TypeText, surveys.TypeLongText, surveys.TypeInfo}

// questionForm is the question form as posted, kept as typed so a refused
// form shows exactly what was entered.
type questionForm struct {
	Key, Type, FocusArea, Segment, List, ShowIf, Min, Max string
	RequiredIf, Constraint, ChoiceFilter                  string
	Required                                              bool
	Page                                                  int
}

func questionFormOf(q surveys.Question) questionForm {
	f := questionForm{Key: q.Key, Type: string(q.Type), FocusArea: q.FocusArea, Segment: q.Segment, List: q.List,
		ShowIf: q.ShowIf, Required: q.Required, RequiredIf: q.RequiredIf, Constraint: q.Constraint, ChoiceFilter: q.ChoiceFilter}
	if q.Min != nil {
		f.Min = strconv.FormatFloat(*q.Min, 'f', -1, 64)
	}
	if q.Max != nil {
		f.Max = strconv.FormatFloat(*q.Max, 'f', -1, 64)
	}
	return f
}

func parseQuestionForm(c *fiber.Ctx) questionForm {
	trim := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	page, _ := strconv.Atoi(c.FormValue("page"))
	return questionForm{Key: trim("key"), Type: trim("type"), FocusArea: trim("focus_area"), Segment: trim("segment"),
		List: trim("list"), ShowIf: trim("show_if"), Min: trim("min"), Max: trim("max"),
		RequiredIf: trim("required_if"), Constraint: trim("constraint"), ChoiceFilter: trim("choice_filter"),
		Required: c.FormValue("required") == "on", Page: page}
}

// apply sets the form's fields on q; texts are merged by language. It
// returns the message ids of fields that are not even well-formed.
func (f questionForm) apply(q surveys.Question, texts questionTexts) (surveys.Question, map[string]string) {
	bad := map[string]string{}
	q.Key, q.Type, q.FocusArea, q.Segment, q.ShowIf, q.Required = f.Key, surveys.QuestionType(f.Type), f.FocusArea, f.Segment, f.ShowIf, f.Required
	q.RequiredIf, q.Constraint, q.ChoiceFilter = f.RequiredIf, f.Constraint, f.ChoiceFilter
	q.List = ""
	if q.Type == surveys.TypeScale || q.Type == surveys.TypeSingle || q.Type == surveys.TypeMulti {
		q.List = f.List
	}
	number := func(field, s string) *float64 {
		if s == "" {
			return nil
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil {
			bad[field] = "editor.error.number"
			return nil
		}
		return &v
	}
	q.Min, q.Max = number("min", f.Min), number("max", f.Max)
	q.Text, q.Help = surveys.MergeText(q.Text, texts.text), surveys.MergeText(q.Help, texts.help)
	q.ConstraintMsg = surveys.MergeText(q.ConstraintMsg, texts.constraintMsg)
	return q, bad
}

// questionTexts are a question's texts as the form carries them.
type questionTexts struct{ text, help, constraintMsg surveys.Text }

func parseQuestionTexts(c *fiber.Ctx) questionTexts {
	return questionTexts{editorFormText(c, "text"), editorFormText(c, "help"), editorFormText(c, "constraint_msg")}
}

// own keeps the texts in the instrument's languages.
func (t questionTexts) own(in *surveys.Instrument) questionTexts {
	return questionTexts{ownLanguages(in, t.text), ownLanguages(in, t.help), ownLanguages(in, t.constraintMsg)}
}

// editorExprField is one expression field of the question form.
type editorExprField struct {
	ID, Name, Label, Hint, Value, Error string
}

type editorOption struct {
	Value, Label string
}

type editorQuestionView struct {
	ID, Action, Back, PreviewURL string
	Rev                          int
	New                          bool
	Pair                         editorPair
	Targets                      []editorLang
	Form                         questionForm
	Types, FocusAreas, Segments  []editorOption
	Lists                        []editorOption
	Texts                        editorTable
	Exprs                        []editorExprField
	Errors                       editorErrors
	Error                        string
	Problems                     []problemLink
}

// questionState is what a render of the question form starts from.
type questionState struct {
	in       *surveys.Instrument
	key      string // "" for a new question
	form     questionForm
	text     surveys.Text
	help     surveys.Text
	cmsg     surveys.Text
	status   int
	errKey   string
	ps       surveys.Problems
	formErrs map[string]string
}

func (h *handler) renderQuestion(c *fiber.Ctx, st questionState) error {
	in := st.in
	p := h.staffPage(c, "editor.question.title")
	pair := pickEditorPair(c, in)
	m := problemMapper{p: p, in: in, to: pair.Target.Code}
	own := onQuestion(st.ps, st.form.Key)
	errs := m.fields(own)
	for field, key := range st.formErrs {
		errs[editorFieldID(field, "")] = p.T(key)
	}
	v := editorQuestionView{ID: in.ID, Rev: in.Rev, New: st.key == "", Pair: pair, Form: st.form, Errors: errs,
		Back: editorURL(in.ID, pair.Target.Code) + fmt.Sprintf("#page-%d", st.form.Page), PreviewURL: previewURL(in.ID, pair.Target.Code)}
	if v.New {
		v.Action = "/admin/instruments/" + url.PathEscape(in.ID) + "/edit/questions"
		p.Title = p.T("editor.question.new_title", "ID", in.ID)
	} else {
		v.Action = "/admin/instruments/" + url.PathEscape(in.ID) + "/edit/questions/" + url.PathEscape(st.key)
		p.Title = p.T("editor.question.title_of", "Key", st.key, "ID", in.ID)
	}
	if st.errKey != "" {
		v.Error = p.T(st.errKey)
	}
	for field, key := range st.formErrs {
		v.Problems = append(v.Problems, problemLink{Place: p.T("editor.question.field." + field), Message: p.T(key),
			URL: "#" + editorFieldID(field, "")})
	}
	for _, pr := range st.ps {
		l := problemLink{Place: m.place(pr), Message: problemMessage(p, pr), URL: m.url(pr)}
		if len(onQuestion(surveys.Problems{pr}, st.form.Key)) > 0 && (pr.Lang == "" || pr.Lang == pair.Source.Code || pr.Lang == pair.Target.Code) {
			l.URL = "#" + m.field(pr) // on this form, which may not be stored under this key yet
		}
		v.Problems = append(v.Problems, l)
	}
	for _, t := range questionTypes {
		v.Types = append(v.Types, editorOption{Value: string(t), Label: p.T("instruments.type." + string(t))})
	}
	v.FocusAreas = []editorOption{{Value: "", Label: p.T("editor.question.none")}}
	for _, f := range in.FocusAreas {
		v.FocusAreas = append(v.FocusAreas, editorOption{Value: f.Key, Label: f.Name.In(p.Lang)})
	}
	v.Segments = []editorOption{{Value: "", Label: p.T("editor.question.none")}}
	for _, s := range surveys.SegmentKeys {
		v.Segments = append(v.Segments, editorOption{Value: s, Label: p.T("editor.segment." + s)})
	}
	v.Lists = []editorOption{{Value: "", Label: p.T("editor.question.none")}}
	for _, l := range in.Lists {
		var labels []string
		for _, ch := range l.Choices {
			labels = append(labels, ch.Label.In(p.Lang))
		}
		v.Lists = append(v.Lists, editorOption{Value: l.Name, Label: l.Name + ": " + strings.Join(labels, ", ")})
	}
	where, id := "pages[0].questions[0] ("+st.form.Key+")", "question."+st.key
	v.Texts = pair.table(p, p.T("editor.question.texts_caption"),
		pair.row(p, in, p.T("editor.question.field.text"), "text", where+".text", id+".text", st.text, true, true, errs),
		pair.row(p, in, p.T("editor.question.field.help"), "help", where+".help", id+".help", st.help, true, false, errs),
		pair.row(p, in, p.T("editor.question.field.constraint_msg"), "constraint_msg", where+".constraint_msg", id+".constraint_msg", st.cmsg, true, false, errs))
	for _, x := range []struct{ field, name, value string }{{"required_if", "required-if", st.form.RequiredIf},
		{"constraint", "constraint", st.form.Constraint}, {"choice_filter", "choice-filter", st.form.ChoiceFilter}} {
		fid := editorFieldID(x.field, "")
		v.Exprs = append(v.Exprs, editorExprField{ID: fid, Name: x.field, Label: p.T("editor.question.field." + x.field),
			Hint: p.T("editor.question." + x.field + "_hint"), Value: x.value, Error: errs[fid]})
	}
	v.Targets = h.editorLanguages(in, pair)
	p.Data = v
	status := st.status
	if status == 0 {
		status = fiber.StatusOK
	}
	return h.views.render(c, status, "editor_question", p)
}

// editorLanguages lists the instrument's languages, source first, with
// how far each has come.
func (h *handler) editorLanguages(in *surveys.Instrument, pair editorPair) []editorLang {
	var out []editorLang
	for i, l := range in.Languages {
		info := in.LanguageInfo(l.Code)
		out = append(out, editorLang{Code: l.Code, Name: info.Name, Dir: info.Dir(), Status: l.Status,
			Missing: len(in.MissingTexts(l.Code)), Stale: len(in.StaleTexts(l.Code)), Source: i == 0,
			Current: l.Code == pair.Target.Code})
	}
	return out
}

// questionNew shows an empty question form for a page (?page=N).
func (h *handler) questionNew(c *fiber.Ctx) error {
	in, err := h.loadInstrument(c)
	if err != nil {
		return err
	}
	if in.Status == surveys.InstrumentPublished {
		return h.renderEditor(c, editorState{in: in, status: fiber.StatusConflict, errKey: "editor.error.published"})
	}
	page, err := strconv.Atoi(c.Query("page", "0"))
	if err != nil || page < 0 || page >= len(in.Pages) {
		return fiber.ErrNotFound
	}
	return h.renderQuestion(c, questionState{in: in, form: questionForm{Type: string(surveys.TypeScale), Page: page}})
}

// questionShow shows the form of one question.
func (h *handler) questionShow(c *fiber.Ctx) error {
	in, err := h.loadInstrument(c)
	if err != nil {
		return err
	}
	key := c.Params("key")
	page, _, ok := in.QuestionAt(key)
	if !ok {
		return fiber.ErrNotFound
	}
	if in.Status == surveys.InstrumentPublished {
		return h.renderEditor(c, editorState{in: in, status: fiber.StatusConflict, errKey: "editor.error.published"})
	}
	q, _ := in.Question(key)
	f := questionFormOf(q)
	f.Page = page
	return h.renderQuestion(c, questionState{in: in, key: key, form: f, text: q.Text, help: q.Help, cmsg: q.ConstraintMsg})
}

// questionCreate adds a question at the end of a page.
func (h *handler) questionCreate(c *fiber.Ctx) error {
	return h.saveQuestion(c, "")
}

// questionChange saves a question (op=save), or moves or deletes it.
func (h *handler) questionChange(c *fiber.Ctx) error {
	key := c.Params("key")
	switch op := c.FormValue("op", "save"); op {
	case "save":
		return h.saveQuestion(c, key)
	case "up", "down":
		delta := map[string]int{"up": -1, "down": 1}[op]
		return h.editOverview(c, "question "+key+" "+op, "#q-"+key, false,
			func(in *surveys.Instrument) error { return in.MoveQuestion(key, delta) })
	case "delete":
		return h.editOverview(c, "question "+key+" delete", "#pages", false,
			func(in *surveys.Instrument) error { return in.DeleteQuestion(key) })
	}
	return fiber.ErrBadRequest
}

// saveQuestion adds (key "") or replaces a question from the form.
func (h *handler) saveQuestion(c *fiber.Ctx, key string) error {
	id, err := instrumentParam(c)
	if err != nil {
		return err
	}
	f := parseQuestionForm(c)
	texts := parseQuestionTexts(c)
	edit := func(in *surveys.Instrument) error {
		var base surveys.Question
		if key != "" {
			q, ok := in.Question(key)
			if !ok {
				return surveys.ErrNoSuchPart
			}
			base = q
		}
		q, bad := f.apply(base, texts.own(in))
		if len(bad) > 0 {
			return errFormFields
		}
		if key == "" {
			return in.AddQuestion(f.Page, q)
		}
		return in.ReplaceQuestion(key, q)
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	rev, _ := strconv.Atoi(c.FormValue("rev"))
	detail := "question " + f.Key + " save"
	if key == "" {
		detail = "question " + f.Key + " add"
	}
	err = h.ops.Instruments.Edit(ctx, actor(c), id, rev, withConfirmations(c, edit), func() string { return detail })
	if err == nil {
		return c.Redirect(editorURL(id, c.FormValue("to"))+"&done=saved#q-"+url.PathEscape(f.Key), fiber.StatusSeeOther)
	}
	var st editorState
	if errors.Is(err, errFormFields) {
		in, lerr := h.loadInstrument(c)
		st, err = editorState{in: in, status: fiber.StatusBadRequest, errKey: "editor.error.invalid"}, lerr
	} else {
		st, err = h.editFailed(c, err)
	}
	if err != nil {
		return err
	}
	if st.in.Status == surveys.InstrumentPublished {
		return h.renderEditor(c, st)
	}
	// Show what was typed, on the draft as it is now.
	var base surveys.Question
	if key != "" {
		base, _ = st.in.Question(key)
	}
	q, bad := f.apply(base, texts)
	return h.renderQuestion(c, questionState{in: st.in, key: key, form: f, text: q.Text, help: q.Help, cmsg: q.ConstraintMsg,
		status: st.status, errKey: st.errKey, ps: st.ps, formErrs: bad})
}

// errFormFields marks a question form whose fields are not well-formed
// (a minimum that is not a number); they are shown at their fields.
var errFormFields = errors.New("web: question form has malformed fields")
