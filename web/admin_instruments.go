package web

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

type instrumentsView struct {
	// Languages are the table's language columns: every language an
	// instrument may be written in.
	Languages []locales.Language
	Rows      []instrumentRow
}

type instrumentRow struct {
	ID, Key, Status, Title string
	Version                int
	PreviewURL             string
	Cells                  []translationCell
}

// translationCell is one language of one instrument: Offered is false when
// the instrument does not have the language at all.
type translationCell struct {
	Code, Name, Status, PreviewURL string
	Offered                        bool
	Missing                        int
}

// instrumentsList shows every instrument version and how complete each
// language is, so advisors know which languages a wave can offer.
func (h *handler) instrumentsList(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	ins, err := h.surveys.Instruments(ctx)
	if err != nil {
		return storeError(err)
	}
	p := h.staffPage(c, "instruments.title")
	var v instrumentsView
	// A column for each language some instrument offers, in the order
	// they first appear.
	for i := range ins {
		for _, l := range ins[i].Languages {
			if !slices.ContainsFunc(v.Languages, func(x locales.Language) bool { return x.Code == l.Code }) {
				info := ins[i].LanguageInfo(l.Code)
				v.Languages = append(v.Languages, locales.Language{Code: l.Code, Name: info.Name, RTL: info.RTL})
			}
		}
	}
	for i := range ins {
		in := &ins[i]
		row := instrumentRow{ID: in.ID, Key: in.Key, Version: in.Version, Status: in.Status,
			Title: in.Title.In(p.Lang), PreviewURL: previewURL(in.ID, in.ContentLanguage(p.Lang))}
		status := in.Translations()
		for _, l := range v.Languages {
			cell := translationCell{Code: l.Code, Name: l.Name}
			if i := slices.IndexFunc(status, func(t surveys.TranslationStatus) bool { return t.Code == l.Code }); i >= 0 {
				cell.Offered, cell.Status, cell.Missing = true, status[i].Status, len(status[i].Missing)
				cell.PreviewURL = previewURL(in.ID, l.Code)
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Rows = append(v.Rows, row)
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "instruments", p)
}

// previewURL is the preview of an instrument in one language. The
// language goes in ?language=, not ?lang=, which would switch the staff
// member's own interface language (and remember it in a cookie).
func previewURL(id, lang string) string {
	return "/admin/instruments/" + url.PathEscape(id) + "/preview?language=" + url.QueryEscape(lang)
}

type previewView struct {
	ID, Key, Status string
	Version         int
	// Lang is the language shown; Offered and LangStatus its state in the instrument.
	Lang       locales.Language
	Dir        string
	Offered    bool
	LangStatus string
	Missing    []string
	Languages  []previewLang
	Title      previewText
	Intro      previewText
	Pages      []previewPage
}

type previewLang struct {
	Code, Name, Dir string
	Current         bool
}

// previewText is a text in the language shown; Missing marks a text the
// language lacks, shown in Fallback, the first language that has it, after
// Marker, a note in the reader's own language UILang.
type previewText struct {
	Text, Fallback, Marker, UILang string
	Missing                        bool
}

// previewer renders texts in one language, marking those it lacks.
type previewer struct {
	lang, uiLang, marker, source string
}

// text is t in the previewer's language, or marked missing with a fallback,
// by the rule MissingTexts applies: a text with no language at all is optional.
func (pr previewer) text(t surveys.Text) previewText {
	if len(t) == 0 {
		return previewText{}
	}
	if s := t[pr.lang]; s != "" {
		return previewText{Text: s}
	}
	missing := previewText{Missing: true, Marker: pr.marker, UILang: pr.uiLang}
	missing.Text, missing.Fallback = t.InWith(pr.source)
	return missing
}

type previewPage struct {
	Key       string
	Title     previewText
	Questions []previewQuestion
}

type previewQuestion struct {
	Key, Type, ShowIf, Range string
	Required                 bool
	Text, Help, FocusArea    previewText
	Choices                  []previewChoice
}

type previewChoice struct {
	Value string
	Label previewText
}

// instrumentPreview shows an instrument read-only, every page at once, in
// one language, with the texts that language lacks marked.
func (h *handler) instrumentPreview(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id, err := url.PathUnescape(c.Params("id"))
	if err != nil {
		return fiber.ErrNotFound
	}
	in, err := h.surveys.Instrument(ctx, id)
	if err != nil {
		return storeError(err)
	}
	p := h.staffPage(c, "instruments.preview_title")
	code := c.Query("language", in.ContentLanguage(p.Lang))
	if !surveys.ValidLanguageCode(code) {
		return fiber.ErrBadRequest
	}
	info := in.LanguageInfo(code)
	lang := locales.Language{Code: code, Name: info.Name, RTL: info.RTL}
	pr := previewer{lang: code, uiLang: p.Lang, marker: p.T("instruments.missing_marker", "Language", code), source: in.SourceLanguage()}
	v := previewView{ID: in.ID, Key: in.Key, Status: in.Status, Version: in.Version, Lang: lang,
		Dir: dir(info.RTL), Offered: in.HasLanguage(code), Missing: in.MissingTexts(code),
		Title: pr.text(in.Title), Intro: pr.text(in.Intro)}
	for _, l := range in.Languages {
		if l.Code == code {
			v.LangStatus = l.Status
		}
	}
	for _, l := range in.Languages {
		info := in.LanguageInfo(l.Code)
		v.Languages = append(v.Languages, previewLang{Code: l.Code, Name: info.Name, Dir: info.Dir(), Current: l.Code == code})
	}
	for _, pg := range in.Pages {
		pv := previewPage{Key: pg.Key, Title: pr.text(pg.Title)}
		for _, q := range pg.Questions {
			pv.Questions = append(pv.Questions, pr.question(in, q))
		}
		v.Pages = append(v.Pages, pv)
	}
	p.Title = p.T("instruments.preview_title_of", "ID", in.ID, "Language", info.Name)
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "instrument_preview", p)
}

func (pr previewer) question(in *surveys.Instrument, q surveys.Question) previewQuestion {
	pq := previewQuestion{Key: q.Key, Type: string(q.Type), ShowIf: q.ShowIf, Required: q.Required,
		Text: pr.text(q.Text), Help: pr.text(q.Help)}
	if q.FocusArea != "" {
		pq.FocusArea = previewText{Text: q.FocusArea}
		for _, f := range in.FocusAreas {
			if f.Key == q.FocusArea {
				pq.FocusArea = pr.text(f.Name)
			}
		}
	}
	switch {
	case q.Min != nil && q.Max != nil:
		pq.Range = fmt.Sprintf("%g–%g", *q.Min, *q.Max)
	case q.Min != nil:
		pq.Range = fmt.Sprintf("≥ %g", *q.Min)
	case q.Max != nil:
		pq.Range = fmt.Sprintf("≤ %g", *q.Max)
	}
	if l, ok := in.List(q.List); ok && q.List != "" {
		for _, ch := range l.Choices {
			pq.Choices = append(pq.Choices, previewChoice{Value: ch.Value, Label: pr.text(ch.Label)})
		}
	}
	return pq
}
