package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// surveyShow renders the form behind an open link.
func (h *handler) surveyShow(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	s, err := h.loadSurvey(ctx, c.Params("link"))
	if err != nil {
		return err
	}
	p := h.page(c)
	if a := s.Wave.Availability(surveys.LocalDate(h.cfg.Now())); a != surveys.Available {
		return h.renderUnavailable(c, p, s, a)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.renderSurvey(c, p, s, fiber.StatusOK, nil, nil, "", surveys.NewSubmissionID())
}

func (h *handler) renderSurvey(c *fiber.Ctx, p *page, s *openSurvey, status int,
	values map[string][]string, errs []surveys.FieldError, notice, sid string) error {
	v := buildSurveyView(p, s, values, errs)
	v.SID, v.Sig, v.Notice, v.Available = sid, h.formSignature(s.Link.ID, sid), notice, true
	p.Title = v.Title
	if len(errs) > 0 {
		p.Title = p.T("survey.error.title_prefix") + " " + v.Title
	}
	p.Data = v
	return h.views.render(c, status, "survey", p)
}

func (h *handler) renderUnavailable(c *fiber.Ctx, p *page, s *openSurvey, a surveys.Availability) error {
	v := surveyView{Title: s.Instrument.Title.In(p.Lang), UnitName: s.Unit.Name, Closed: a == surveys.Closed}
	p.Title = v.Title
	p.Data = v
	status := fiber.StatusOK
	if v.Closed {
		status = fiber.StatusGone
	}
	return h.views.render(c, status, "unavailable", p)
}
