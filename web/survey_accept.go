package web

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/respond"
	"github.com/stemme/stemme/surveys"
)

// submit hands a form sent from its last page to respond.Service.Submit,
// which stores the answer with its promises (the invitation spent once,
// closing immediate, a withdrawal final, a retry stored once), and
// redirects to the thank-you page (PRG). A refusal shows the form again
// with everything entered, saying why.
func (h *handler) submit(c *fiber.Ctx, p *page, s *openSurvey, st formState, answers surveys.Answers, errs []surveys.FieldError) error {
	in := s.Instrument
	if last := in.VisiblePages(answers); len(last) == 0 || st.Page != last[len(last)-1] {
		return h.sendBack(c, p, s, st, nil, p.T("survey.flow.not_last"))
	}
	if len(errs) > 0 {
		st.Page = firstPageWith(in, errs)
		return h.sendBack(c, p, s, st, errs, "")
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	receipt, err := h.respond.Submit(ctx, respond.Submission{
		Link: s.Link.ID, Wave: s.Wave, Unit: s.Unit.ID, Instrument: in,
		SubmissionID: st.SID, Code: st.Code, Resume: st.Resume,
		Lang: p.ContentLang(), Answers: answers,
	})
	switch {
	case err == nil:
		h.endJourney(c, s)
		h.giveReceipt(c, s.Link.ID, receipt)
		return c.Redirect(thanksPath(s.Link.ID), fiber.StatusSeeOther)
	case errors.Is(err, respond.ErrTooFew):
		notice := p.T("survey.flow.too_few_one")
		if n := s.Wave.MinimumAnswered(); n > 1 {
			notice = p.T("survey.flow.too_few", "Number", n)
		}
		return h.sendBack(c, p, s, st, nil, notice)
	case errors.Is(err, surveys.ErrInvitationUsed):
		st.Notice = p.T("invite.error.used")
		return h.renderSurvey(c, p, s, fiber.StatusConflict, st, nil)
	case errors.Is(err, surveys.ErrNoSuchInvitation):
		st.Notice, st.Code = p.T("invite.error.unknown"), ""
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, nil)
	case errors.Is(err, respond.ErrClosed):
		// This instance's cache learns at once that the survey is closed.
		h.cache.forget(s.Link.ID)
		return h.renderUnavailable(c, p, s, surveys.Closed)
	case errors.Is(err, respond.ErrWithdrawn):
		st.SID, st.Notice = surveys.NewSubmissionID(), p.T("survey.flow.withdrawn")
		return h.renderSurvey(c, p, s, fiber.StatusConflict, st, nil)
	}
	// Nothing was saved: the form again, everything entered.
	h.cfg.Logger.Error("response not saved", slog.String("error", err.Error()))
	st.Notice = p.T("survey.error.not_saved")
	return h.renderSurvey(c, p, s, fiber.StatusServiceUnavailable, st, nil)
}

// afterSave runs between the insert of an answer and the checks after it
// (on a store with several writers; with the gate of a sole writer, just
// after the insert); tests set it (SetAfterSave) to close a wave or
// withdraw an answer exactly there.
var afterSave = func(waves []string) {}
