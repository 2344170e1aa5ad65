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
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	values, ok := formValues(c)
	if !ok {
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, values, nil,
			p.T("survey.error.malformed"), surveys.NewSubmissionID())
	}
	sid, signed := h.submissionID(s, values)
	if !signed {
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, values, nil, p.T("survey.error.expired"), sid)
	}
	in := s.Instrument
	answers, errs := in.ParseAnswers(values, in.Pages)
	if len(errs) > 0 {
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, values, errs, "", sid)
	}
	r := &surveys.Response{
		ID: sid, Wave: s.Wave.ID, Unit: s.Unit.ID, Instrument: in.ID, Lang: in.ContentLanguage(p.Lang),
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

// submissionID returns the form's submission id when its signature holds,
// and a fresh one (with false) when it does not.
func (h *handler) submissionID(s *openSurvey, values map[string][]string) (string, bool) {
	sid := first(values["_sid"])
	if h.validSignature(s.Link.ID, sid, first(values["_sig"])) {
		return sid, true
	}
	return surveys.NewSubmissionID(), false
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// surveyTooMany answers a client over its rate limit with the form and
// everything entered in it, so nothing is lost while they wait.
func (h *handler) surveyTooMany(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	values, _ := formValues(c)
	sid, _ := h.submissionID(s, values)
	c.Set(fiber.HeaderRetryAfter, "60")
	return h.renderSurvey(c, p, s, fiber.StatusTooManyRequests, values, nil, p.T("survey.error.too_many"), sid)
}
