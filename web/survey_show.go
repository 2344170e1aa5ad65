package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// surveyShow renders the first page of the form behind an open link.
func (h *handler) surveyShow(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	return h.renderSurvey(c, p, s, fiber.StatusOK, formState{SID: surveys.NewSubmissionID()}, nil)
}

// answerable loads the survey behind the link with a page in the request's
// language. When the wave takes no answers today it renders the closed or
// not-yet-open page itself and returns a nil survey.
func (h *handler) answerable(c *fiber.Ctx) (*openSurvey, *page, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	s, err := h.loadSurvey(ctx, c.Params("link"))
	if err != nil {
		return nil, nil, err
	}
	p := h.page(c)
	if a := s.Wave.Availability(surveys.LocalDate(h.cfg.Now())); a != surveys.Available {
		return nil, p, h.renderUnavailable(c, p, s, a)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s, p, nil
}

func (h *handler) renderSurvey(c *fiber.Ctx, p *page, s *openSurvey, status int, st formState, errs []surveys.FieldError) error {
	v := buildSurveyView(p, s, st.Values, errs, st.Page)
	v.SID, v.Sig, v.Notice, v.Resume, v.Available = st.SID, h.formSignature(s.Link.ID, st.SID), st.Notice, st.Resume, true
	v.Code = st.Code
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
