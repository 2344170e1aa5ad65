package web

import (
	"context"
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// submit stores the answer, if it is one (surveys.CountsAsAnswer), and
// redirects to the thank-you page. surveys.AcceptResponse reads the wave's
// status from the store before and after the insert and looks for the
// receipt's tombstone after it, so that with any number of instances:
//
//   - closing is immediate: an answer to a closed wave is refused; one
//     whose wave closed while it was stored is retracted through the
//     tallier (taken out of the inbox before it is counted) and refused.
//     Every thanked answer is counted and no refused one is;
//   - a withdrawal is final: a replay of the form is retracted likewise;
//   - a retried post stores nothing twice and shows the same receipt.
func (h *handler) submit(c *fiber.Ctx, p *page, s *openSurvey, st formState, answers surveys.Answers, errs []surveys.FieldError) error {
	in := s.Instrument
	if last := in.VisiblePages(answers); len(last) == 0 || st.Page != last[len(last)-1] {
		return h.sendBack(c, p, s, st, nil, p.T("survey.flow.not_last"))
	}
	if len(errs) > 0 {
		st.Page = firstPageWith(in, errs)
		return h.sendBack(c, p, s, st, errs, "")
	}
	if !s.Wave.CountsAsAnswer(in, answers) {
		notice := p.T("survey.flow.too_few_one")
		if n := s.Wave.MinimumAnswered(); n > 1 {
			notice = p.T("survey.flow.too_few", "Number", n)
		}
		return h.sendBack(c, p, s, st, nil, notice)
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	receipt := surveys.ReceiptCode(h.cfg.Secret, st.SID)
	id := surveys.ResponseID(receipt)
	var release func(context.Context)
	if st.Code != "" {
		var done bool
		var err error
		if release, done, err = h.spendInvitation(c, p, s, st, id); done || err != nil {
			return err
		}
	}
	// Unless the answer is kept, the letter's code must work again.
	kept := false
	defer func() {
		if release != nil && !kept {
			release(ctx)
		}
	}()
	r := &surveys.Response{
		ID: id, Wave: s.Wave.ID, Unit: s.Unit.ID, Instrument: in.ID,
		Lang:     in.ContentLanguage(p.ContentLang()),
		Segments: in.SegmentsOf(answers), Answers: answers,
	}
	err := h.surveys.AcceptResponse(ctx, r, surveys.TombstoneID(h.cfg.Secret, receipt))
	switch {
	case err == nil:
		kept = true
		h.tallier.Kick()
		return h.thank(c, s, st, receipt)
	case errors.Is(err, surveys.ErrAlreadySaved):
		kept = true // a twin of this post stored it a moment ago
		return h.thank(c, s, st, receipt)
	case errors.Is(err, surveys.ErrWaveNotOpen):
		return h.refuseClosed(c, p, s)
	case errors.Is(err, surveys.ErrClosedMeanwhile):
		// Already filed, the answer is either this form's earlier post (a
		// retry) or this one, counted before the close took hold: kept
		// either way. Otherwise it is taken back before anyone counts it.
		if _, ferr := h.surveys.FiledResponse(ctx, id); ferr == nil {
			kept = true
			h.tallier.Kick()
			return h.thank(c, s, st, receipt)
		}
		if !h.retract(ctx, id) {
			kept = true // it may still be counted: the code stays spent
			return h.notSaved(c, p, s, st, err)
		}
		return h.refuseClosed(c, p, s)
	case errors.Is(err, surveys.ErrWithdrawnMeanwhile):
		// The receipt was withdrawn: nothing of it may stay, whatever was filed.
		if !h.retract(ctx, id) {
			return h.notSaved(c, p, s, st, err)
		}
		st.SID, st.Notice = surveys.NewSubmissionID(), p.T("survey.flow.withdrawn")
		return h.renderSurvey(c, p, s, fiber.StatusConflict, st, nil)
	}
	return h.notSaved(c, p, s, st, err)
}

// retract takes back an answer stored but refused: the tallier removes it
// from the inbox, or uncounts it if it was filed meanwhile.
func (h *handler) retract(ctx context.Context, id string) bool {
	if err := h.tallier.Withdraw(ctx, id); err != nil && !errors.Is(err, surveys.ErrNoSuchReceipt) {
		h.cfg.Logger.Error("refused answer not retracted", slog.String("error", err.Error()))
		return false
	}
	return true
}

// refuseClosed shows that the survey is closed, and lets this instance's
// cache know at once.
func (h *handler) refuseClosed(c *fiber.Ctx, p *page, s *openSurvey) error {
	h.cache.forget(s.Link.ID)
	return h.renderUnavailable(c, p, s, surveys.Closed)
}

// notSaved shows the form again, everything entered, saying nothing was stored.
func (h *handler) notSaved(c *fiber.Ctx, p *page, s *openSurvey, st formState, err error) error {
	h.cfg.Logger.Error("response not saved", slog.String("error", err.Error()))
	st.Notice = p.T("survey.error.not_saved")
	return h.renderSurvey(c, p, s, fiber.StatusServiceUnavailable, st, nil)
}

// thank ends the journey and redirects to the thank-you page with the receipt.
func (h *handler) thank(c *fiber.Ctx, s *openSurvey, st formState, receipt string) error {
	if st.Resume != "" {
		// The answers are safe in the response; a draft left behind is only
		// clutter that expires with the wave, so a failure here is not the relative's problem.
		ctx, cancel := h.ctx(c)
		defer cancel()
		_ = h.surveys.DeleteDraft(ctx, st.Resume)
	}
	h.endJourney(c, s)
	h.giveReceipt(c, s.Link.ID, receipt)
	return c.Redirect(thanksPath(s.Link.ID), fiber.StatusSeeOther)
}

// spendInvitation marks the form's invitation code used. A retried post of
// a response already stored passes (nothing to spend); a used or unknown
// code re-renders the form with everything entered (done is true).
func (h *handler) spendInvitation(c *fiber.Ctx, p *page, s *openSurvey, st formState, responseID string) (func(context.Context), bool, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	if _, err := h.surveys.Response(ctx, responseID); err == nil {
		return nil, false, nil
	}
	release, err := h.surveys.UseInvitation(ctx, st.Code, s.Link.ID)
	switch {
	case errors.Is(err, surveys.ErrInvitationUsed):
		st.Notice = p.T("invite.error.used")
		return nil, true, h.renderSurvey(c, p, s, fiber.StatusConflict, st, nil)
	case errors.Is(err, surveys.ErrNoSuchInvitation):
		st.Notice, st.Code = p.T("invite.error.unknown"), ""
		return nil, true, h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, nil)
	case err != nil:
		st.Notice = p.T("survey.error.not_saved")
		return nil, true, h.renderSurvey(c, p, s, fiber.StatusServiceUnavailable, st, nil)
	}
	return release, false, nil
}

// afterSave runs between the insert of an answer and the checks after it;
// tests set it (SetAfterSave) to close a wave or withdraw an answer exactly there.
var afterSave = func(waves []string) {}
