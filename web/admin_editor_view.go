package web

import (
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// editorView is the overview of one draft: its languages, titles, focus
// areas, choice labels and pages, each part with a form of its own.
type editorView struct {
	ID, Key, Status, PreviewURL string
	Version, Rev                int
	Published                   bool
	Pair                        editorPair
	Targets                     []editorLang
	Languages                   []editorLang
	// KnownLanguages are suggested when a language is added; any BCP 47 code may be.
	KnownLanguages []surveys.LanguageInfo
	Meta           editorTable
	FocusAreas     editorTable
	Lists          []editorList
	Pages          []editorPage
	// Error is a translated summary; Problems are its lines.
	Error    string
	Problems []problemLink
	// TranslationsCSV and XLSFormURL download the texts for a translator.
	TranslationsCSV, XLSFormURL string
}

// editorLang is one language of the instrument and how far it has come:
// Missing texts and Stale translations keep it from waves.
type editorLang struct {
	Code, Name, Dir, Status string
	Missing, Stale          int
	Source, Current         bool
}

type editorList struct {
	Index int
	Name  string
	Table editorTable
}

type editorPage struct {
	Index, Number int
	First, Last   bool
	Title         editorTable
	Questions     []editorQuestion
	Error         string
}

// editorQuestion is a question in the overview: its text in the source
// language and whether the language being translated lacks any of it.
type editorQuestion struct {
	Key, Type, Text, ShowIf, URL   string
	Required, Missing, First, Last bool
}

// editorState is what a render of the overview starts from: the
// instrument (with a refused edit applied, so nothing typed is lost) and
// what went wrong.
type editorState struct {
	in     *surveys.Instrument
	status int
	errKey string
	ps     surveys.Problems
	// errArgs fill errKey's message; notice and lines report a
	// translator's file applied (see translationsUpload).
	errArgs []any
	notice  string
	lines   []problemLink
}

func (h *handler) renderEditor(c *fiber.Ctx, st editorState) error {
	in := st.in
	p := h.staffPage(c, "editor.title")
	p.Title = p.T("editor.title_of", "ID", in.ID)
	pair := pickEditorPair(c, in)
	m := problemMapper{p: p, in: in, to: pair.Target.Code}
	errs := m.fields(st.ps)
	v := editorView{ID: in.ID, Key: in.Key, Status: in.Status, Version: in.Version, Rev: in.Rev,
		Published: in.Status == surveys.InstrumentPublished, Pair: pair,
		PreviewURL: previewURL(in.ID, pair.Target.Code), Problems: m.links(st.ps)}
	if st.errKey != "" {
		v.Error = p.T(st.errKey, st.errArgs...)
	}
	v.Languages = h.editorLanguages(in, pair)
	for _, l := range surveys.KnownLanguages() {
		if !in.HasLanguage(l.Code) {
			v.KnownLanguages = append(v.KnownLanguages, l)
		}
	}
	v.Targets = v.Languages
	v.Meta = pair.table(p, p.T("editor.meta.caption"),
		pair.row(p, in, p.T("editor.field.title"), "title", "title", "title", in.Title, false, true, errs),
		pair.row(p, in, p.T("editor.field.intro"), "intro", "intro", "intro", in.Intro, true, false, errs))
	var areas []editorTextRow
	for i, f := range in.FocusAreas {
		areas = append(areas, pair.row(p, in, f.Key, fmt.Sprintf("area%d", i),
			fmt.Sprintf("focus_areas[%d].name", i), "focus_area."+f.Key, f.Name, false, true, errs))
	}
	v.FocusAreas = pair.table(p, p.T("editor.focus_areas.caption"), areas...)
	for i, l := range in.Lists {
		var rows []editorTextRow
		for j, ch := range l.Choices {
			rows = append(rows, pair.row(p, in, ch.Value, fmt.Sprintf("choice%d", j),
				fmt.Sprintf("lists[%d].choices[%d].label", i, j), "choice."+l.Name+"."+ch.Value, ch.Label, false, true, errs))
		}
		v.Lists = append(v.Lists, editorList{Index: i, Name: l.Name,
			Table: pair.table(p, p.T("editor.lists.caption", "Name", l.Name), rows...)})
	}
	for i, pg := range in.Pages {
		pv := editorPage{Index: i, Number: i + 1, First: i == 0, Last: i == len(in.Pages)-1,
			Title: pair.table(p, p.T("editor.pages.title_caption", "Number", i+1),
				pair.row(p, in, p.T("editor.field.page_title"), "title", wherePage(i)+".title", "page."+pg.Key+".title", pg.Title, false, false, errs)),
			Error: errs["page-"+fmt.Sprint(i)]}
		for j, q := range pg.Questions {
			to := pair.Target.Code
			missing := q.Text[to] == "" || (len(q.Help) > 0 && q.Help[to] == "") || (len(q.ConstraintMsg) > 0 && q.ConstraintMsg[to] == "")
			for _, part := range []string{".text", ".help", ".constraint_msg"} {
				missing = missing || in.IsStale(to, "question."+q.Key+part)
			}
			pv.Questions = append(pv.Questions, editorQuestion{Key: q.Key, Type: string(q.Type),
				Text: q.Text.In(pair.Source.Code), ShowIf: q.ShowIf, URL: questionURL(in.ID, q.Key, pair.Target.Code),
				Required: q.Required, Missing: missing, First: i == 0 && j == 0,
				Last: i == len(in.Pages)-1 && j == len(pg.Questions)-1})
		}
		v.Pages = append(v.Pages, pv)
	}
	p.Notice = editorNotice(p, c)
	if st.notice != "" {
		p.Notice = st.notice
	}
	v.Problems = append(v.Problems, st.lines...)
	v.TranslationsCSV = "/admin/instruments/" + url.PathEscape(in.ID) + "/translations.csv?to=" + url.QueryEscape(pair.Target.Code)
	v.XLSFormURL = "/admin/instruments/" + url.PathEscape(in.ID) + "/xlsform"
	p.Data = v
	status := st.status
	if status == 0 {
		status = fiber.StatusOK
	}
	return h.views.render(c, status, "editor", p)
}

// editorNotice confirms the change the overview was redirected after.
func editorNotice(p *page, c *fiber.Ctx) string {
	switch done := c.Query("done"); done {
	case "saved", "created", "exists", "published", "deleted", "imported":
		return p.T("editor.done." + done)
	}
	return ""
}
