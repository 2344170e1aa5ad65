package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

type reviewedTextRow struct {
	Unit, Focus, Question, Date, Text, Lang, Dir string
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
	scope := scopeOf(p.User)
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	v := reviewedTextsView{Wave: c.Query("wave"), Unit: c.Query("unit"), Focus: c.Query("focus")}
	var wave *surveys.Wave
	for i := range waves {
		if w := &waves[i]; w.Status != surveys.WaveDraft && scope.wave(w) {
			v.Waves = append(v.Waves, option{Value: w.ID, Label: w.Name})
			if w.ID == v.Wave {
				wave = w
			}
		}
	}
	if v.Wave == "" {
		p.Data = v
		return h.views.render(c, fiber.StatusOK, "review_texts", p)
	}
	if wave == nil {
		return fiber.ErrNotFound // unknown, a draft, or not the user's to see
	}
	if v.Unit != "" && !slices.Contains(wave.Units, v.Unit) {
		return fiber.ErrNotFound
	}
	if !scope.unit(wave, v.Unit) {
		return fiber.ErrForbidden
	}
	for _, u := range wave.Units {
		if scope.unit(wave, u) {
			v.Units = append(v.Units, option{Value: u, Label: names.of(u)})
		}
	}
	r, err := analysis.Load(ctx, h.cfg.Store.DB, wave.ID)
	if err != nil {
		return storeError(err)
	}
	for _, f := range r.Instrument.FocusAreas {
		v.Areas = append(v.Areas, option{Value: f.Key, Label: f.Name.In(p.Lang)})
	}
	texts, err := analysis.ReviewedTextsIn(ctx, h.cfg.Store.DB, r, v.Unit, v.Focus)
	if err != nil {
		return storeError(err)
	}
	v.Chosen = true
	for _, t := range texts {
		// A unit leader asking for the municipality sees only their own units' text.
		if !scope.unit(wave, t.Unit) {
			continue
		}
		row := reviewedTextRow{Unit: names.of(t.Unit), Date: t.Date, Text: t.Text, Lang: t.Lang, Dir: "ltr", Question: t.Question}
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
