package web

import (
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
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	p := h.page(c)
	today := surveys.LocalDate(h.cfg.Now())
	var v homeView
	for _, w := range waves {
		if w.Availability(today) != surveys.Available {
			continue
		}
		in, err := h.surveys.Instrument(ctx, w.Instrument)
		if err != nil {
			return storeError(err)
		}
		links, err := h.surveys.Links(ctx, w.ID)
		if err != nil {
			return storeError(err)
		}
		hs := homeSurvey{Title: openSurveyTitle(p, in, w.Name)}
		for _, l := range links {
			hs.Units = append(hs.Units, homeLink{Name: names[l.Unit], URL: "/s/" + l.ID})
		}
		v.Surveys = append(v.Surveys, hs)
	}
	p.Title = p.T("home.title")
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "home", p)
}

// openSurveyTitle names an open survey: the questionnaire's title in the
// page's language (or its fallback) and the wave's name as staff wrote it.
func openSurveyTitle(p *page, in *surveys.Instrument, wave string) template.HTML {
	return p.InstrumentText(in.Title) + " – " + p.Org(wave)
}
