package web

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// surveySubmit validates and stores an answer. The thank-you page is sent only
// after the store acknowledged the write; a retried post stores nothing twice.
func (h *handler) surveySubmit(c *fiber.Ctx) error {
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
	values, ok := formValues(c)
	if !ok {
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, values, nil,
			p.T("survey.error.malformed"), surveys.NewSubmissionID())
	}
	sid := first(values["_sid"])
	if !h.validSignature(s.Link.ID, sid, first(values["_sig"])) {
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, values, nil,
			p.T("survey.error.expired"), surveys.NewSubmissionID())
	}
	in := s.Instrument
	answers, errs := in.ParseAnswers(values, in.Pages)
	if len(errs) > 0 {
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, values, errs, "", sid)
	}
	r := &surveys.Response{
		ID: sid, Wave: s.Wave.ID, Unit: s.Unit.ID, Instrument: in.ID, Lang: p.Lang,
		Date: surveys.LocalDate(h.cfg.Now()), Segments: in.SegmentsOf(answers), Answers: answers,
	}
	if err := h.surveys.SaveResponse(ctx, r); err != nil && !errors.Is(err, surveys.ErrAlreadySaved) {
		h.cfg.Logger.Error("response not saved", slog.String("error", err.Error()))
		return h.renderSurvey(c, p, s, fiber.StatusServiceUnavailable, values, nil,
			p.T("survey.error.not_saved"), sid)
	}
	p.Title = p.T("thanks.title")
	p.Data = surveyView{Title: in.Title.In(p.Lang), UnitName: s.Unit.Name}
	return h.views.render(c, fiber.StatusOK, "thanks", p)
}

// formValues reads an url-encoded form. It reports false for any other body,
// keeping what could be read so nothing entered is lost.
func formValues(c *fiber.Ctx) (map[string][]string, bool) {
	values := map[string][]string{}
	ctype := strings.ToLower(c.Get(fiber.HeaderContentType))
	ok := strings.HasPrefix(ctype, fiber.MIMEApplicationForm)
	if ok {
		c.Request().PostArgs().VisitAll(func(k, v []byte) {
			key := string(k)
			values[key] = append(values[key], string(v))
		})
	}
	return values, ok
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}
