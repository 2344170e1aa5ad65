package web

import (
	"context"
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// submit stores the answer, if it is one (surveys.CountsAsAnswer), and
// redirects to the thank-you page. The order of the checks around the
// insert makes three promises hold with any number of instances:
//
//   - Closing is immediate: the wave's status is read from the store (not
//     the cache) before the insert and again after it. A close that lands
//     in between retracts the answer through the tallier, which takes it
//     out of the inbox before it is ever counted (or, had it been filed
//     already, uncounts it), and the relative hears the wave is closed.
//     Every thanked answer is counted and no refused one is.
//   - A withdrawal is final: the receipt's tombstone is looked for before
//     the insert and after it, so a replay of the form never stores the
//     answer again, even one racing the withdrawal.
//   - A retried post stores nothing twice and shows the same receipt.
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
	id, tomb := surveys.ResponseID(receipt), surveys.TombstoneID(h.cfg.Secret, receipt)
	refusal, err := h.refusal(ctx, s, tomb)
	switch {
	case err != nil:
		return h.notSaved(c, p, s, st, err)
	case refusal != nil:
		return refusal(c, p, s, st)
	}
	if _, err := h.surveys.Response(ctx, id); err == nil {
		return h.thank(c, s, st, receipt) // a retried post of an answer already stored
	}
	var release func(context.Context)
	if st.Code != "" {
		var done bool
		if release, done, err = h.spendInvitation(c, p, s, st); done || err != nil {
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
		Lang: in.ContentLanguage(p.Lang), Date: surveys.LocalDate(h.cfg.Now()),
		Segments: in.SegmentsOf(answers), Answers: answers,
	}
	err = h.surveys.SaveResponse(ctx, r)
	if errors.Is(err, surveys.ErrAlreadySaved) {
		kept = true
		return h.thank(c, s, st, receipt) // a concurrent twin of this post stored it
	}
	if err != nil {
		return h.notSaved(c, p, s, st, err)
	}
	afterSave(s.Wave.ID)
	refusal, err = h.refusal(ctx, s, tomb)
	if err == nil && refusal == nil {
		kept = true
		h.tallier.Kick()
		return h.thank(c, s, st, receipt)
	}
	// The wave closed, or the answer was withdrawn, while it was being
	// stored: take it back before anyone counts it.
	if werr := h.tallier.Withdraw(ctx, id); werr != nil && !errors.Is(werr, surveys.ErrNoSuchReceipt) {
		h.cfg.Logger.Error("refused answer not retracted", slog.String("error", werr.Error()))
		kept = true // it may still be counted: the code stays spent
		return h.notSaved(c, p, s, st, werr)
	}
	if err != nil {
		return h.notSaved(c, p, s, st, err)
	}
	return refusal(c, p, s, st)
}

// afterSave is called between the insert of an answer and the checks after
// it; tests use it to close a wave exactly there.
var afterSave = func(wave string) {}

type refusalPage func(c *fiber.Ctx, p *page, s *openSurvey, st formState) error

// refusal reads, from the store, whether the wave still takes answers and
// whether this answer was withdrawn, and returns the page to refuse with.
func (h *handler) refusal(ctx context.Context, s *openSurvey, tomb string) (refusalPage, error) {
	w, err := h.surveys.Wave(ctx, s.Wave.ID)
	if err != nil {
		return nil, err
	}
	if a := w.Availability(surveys.LocalDate(h.cfg.Now())); a != surveys.Available {
		h.cache.forget(s.Link.ID)
		return func(c *fiber.Ctx, p *page, s *openSurvey, _ formState) error {
			return h.renderUnavailable(c, p, s, a)
		}, nil
	}
	buried, err := h.surveys.Buried(ctx, tomb)
	if err != nil || !buried {
		return nil, err
	}
	return func(c *fiber.Ctx, p *page, s *openSurvey, st formState) error {
		// The form comes back with everything entered and a new submission
		// id: sent again, it is a new answer with a new receipt.
		st.SID, st.Notice = surveys.NewSubmissionID(), p.T("survey.flow.withdrawn")
		return h.renderSurvey(c, p, s, fiber.StatusConflict, st, nil)
	}, nil
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

// spendInvitation marks the form's invitation code used. A used or unknown
// code re-renders the form with everything entered (done is true).
func (h *handler) spendInvitation(c *fiber.Ctx, p *page, s *openSurvey, st formState) (func(context.Context), bool, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
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
