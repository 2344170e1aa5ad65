package web

import (
	"context"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

type homeView struct {
	Surveys []homeSurvey
}

type homeSurvey struct {
	// Title is the questionnaire's title and the wave's name, each marked
	// with its language.
	Title template.HTML
	Units []homeLink
}

type homeLink struct {
	Name, URL string
	// Poster is the staff page that prints the link as a QR poster.
	Poster string
}

// home lists the surveys open today with a link per unit.
func (h *handler) home(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	p := h.page(c)
	var v homeView
	if v.Surveys, err = h.openSurveys(ctx, p, waves, names); err != nil {
		return err
	}
	p.Title = p.T("home.title")
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "home", p)
}

// openSurveys lists the waves open today, each with a link per unit, as
// the home page and /delta show them.
func (h *handler) openSurveys(ctx context.Context, p *page, waves []surveys.Wave, names unitIndex) ([]homeSurvey, error) {
	today := surveys.LocalDate(h.cfg.Now())
	var out []homeSurvey
	for _, w := range waves {
		if w.Availability(today) != surveys.Available {
			continue
		}
		in, err := h.surveys.Instrument(ctx, w.Instrument)
		if err != nil {
			return nil, storeError(err)
		}
		links, err := h.surveys.Links(ctx, w.ID)
		if err != nil {
			return nil, storeError(err)
		}
		hs := homeSurvey{Title: openSurveyTitle(p, in, w.Name)}
		for _, l := range links {
			hs.Units = append(hs.Units, homeLink{Name: names.of(l.Unit), URL: "/s/" + l.ID})
		}
		out = append(out, hs)
	}
	return out, nil
}

// openSurveyTitle names an open survey: the questionnaire's title in the
// page's language (or its fallback) and the wave's name as staff wrote it.
func openSurveyTitle(p *page, in *surveys.Instrument, wave string) template.HTML {
	return p.InstrumentText(in.Title) + " – " + p.Org(wave)
}
