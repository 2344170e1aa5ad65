package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/locales"
)

type reviewedTextRow struct {
	Unit, Focus, Question, Text, Lang, Dir string
}

type reviewedTextsView struct {
	Wave, Unit, Focus   string
	Waves, Units, Areas []option
	Rows                []reviewedTextRow
	Chosen              bool
}

// reviewedTexts lists the reviewed free text of a wave for unit leaders
// (their own units only), the council (published waves) and advisors:
// only approved text and redactions, only of units whose results are shown.
func (h *handler) reviewedTexts(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "review.texts_title")
	rd := readerOf(p.User)
	// Reviewed text appears once a wave's results do: text that appeared
	// while a wave was open could be matched to who answered when.
	waves, err := h.results.Waves(ctx, rd)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	v := reviewedTextsView{Wave: c.Query("wave"), Unit: c.Query("unit"), Focus: c.Query("focus")}
	for _, w := range waves {
		if w.ResultsReady() {
			v.Waves = append(v.Waves, option{Value: w.ID, Label: w.Name})
		}
	}
	if v.Wave == "" {
		p.Data = v
		return h.views.render(c, fiber.StatusOK, "review_texts", p)
	}
	view, err := h.view(ctx, rd, v.Wave)
	if err != nil {
		return resultsError(err)
	}
	wave := view.Wave
	if view.State != analysis.StateFinal {
		return fiber.ErrNotFound
	}
	if v.Unit != "" && !slices.Contains(wave.Units, v.Unit) {
		return fiber.ErrNotFound
	}
	if !rd.SeesUnit(wave, v.Unit) {
		return fiber.ErrForbidden
	}
	for _, u := range wave.Units {
		if rd.SeesUnit(wave, u) {
			v.Units = append(v.Units, option{Value: u, Label: names.of(u)})
		}
	}
	r := view.Results
	for _, f := range r.Instrument.FocusAreas {
		v.Areas = append(v.Areas, option{Value: f.Key, Label: f.Name.In(p.Lang)})
	}
	texts, err := analysis.ReviewedTextsIn(ctx, h.cfg.Store.DB, r, v.Unit, v.Focus)
	if err != nil {
		return storeError(err)
	}
	v.Chosen = true
	for _, t := range texts {
		// A unit leader asking for the total sees only their own units' text.
		if !rd.SeesUnit(wave, t.Unit) {
			continue
		}
		row := reviewedTextRow{Unit: names.of(t.Unit), Text: t.Text, Lang: t.Lang, Dir: "ltr", Question: t.Question}
		if q, ok := r.Instrument.Question(t.Question); ok {
			row.Question = q.Text.In(p.Lang)
		}
		if t.Focus != "" {
			row.Focus = r.Instrument.FocusAreaName(t.Focus, p.Lang)
		}
		for _, l := range locales.All {
			if l.Code == t.Lang {
				row.Dir = dir(l.RTL)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "review_texts", p)
}
