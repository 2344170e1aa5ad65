package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// formState is where a relative is in a form: everything entered so far, the
// page shown, the submission id and, once saved, the resume code.
type formState struct {
	Values map[string][]string
	Page   int
	SID    string
	Resume string
	// Code is the invitation code the form was opened with, spent at submit.
	Code   string
	Notice string
}

// surveySubmit moves through the form (next, back), saves it for later, or
// submits it. The thank-you page is sent only after the store acknowledged the
// write; a retried post stores nothing twice.
func (h *handler) surveySubmit(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	in := s.Instrument
	values, ok := formValues(c)
	st := formState{Values: values, Page: pageFrom(values, in), Resume: surveys.NormalizeCode(first(values["_resume"])),
		Code: surveys.NormalizeCode(first(values["_code"]))}
	if !ok {
		st.SID, st.Notice = surveys.NewSubmissionID(), p.T("survey.error.malformed")
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, nil)
	}
	var signed bool
	if st.SID, signed = h.submissionID(s, values); !signed {
		st.Notice = p.T("survey.error.expired")
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, nil)
	}
	switch first(values["_action"]) {
	case "back":
		st.Page = step(in, values, st.Page, -1)
		return h.renderSurvey(c, p, s, fiber.StatusOK, st, nil)
	case "save":
		return h.saveDraft(c, p, s, st)
	case "next":
		if _, errs := in.ParseAnswers(values, in.Pages[st.Page:st.Page+1]); len(errs) > 0 {
			return h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, errs)
		}
		st.Page = step(in, values, st.Page, +1)
		return h.renderSurvey(c, p, s, fiber.StatusOK, st, nil)
	}
	return h.submit(c, p, s, st)
}

func (h *handler) submit(c *fiber.Ctx, p *page, s *openSurvey, st formState) (err error) {
	in := s.Instrument
	answers, errs := in.ParseAnswers(st.Values, in.Pages)
	if len(errs) > 0 {
		st.Page = firstPageWith(in, errs)
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, errs)
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	receipt := surveys.ReceiptCode(h.cfg.Secret, st.SID)
	var release func(context.Context)
	if st.Code != "" {
		var done bool
		if release, done, err = h.spendInvitation(c, p, s, st, surveys.ResponseID(receipt)); done || err != nil {
			return err
		}
	}
	r := &surveys.Response{
		ID: surveys.ResponseID(receipt), Wave: s.Wave.ID, Unit: s.Unit.ID, Instrument: in.ID,
		Lang:     in.ContentLanguage(p.ContentLang()),
		Segments: in.SegmentsOf(answers), Answers: answers,
	}
	if err := h.surveys.SaveResponse(ctx, r); err != nil && !errors.Is(err, surveys.ErrAlreadySaved) {
		h.cfg.Logger.Error("response not saved", slog.String("error", err.Error()))
		if release != nil {
			release(ctx) // nothing was stored, so the letter's code must work again
		}
		st.Notice = p.T("survey.error.not_saved")
		return h.renderSurvey(c, p, s, fiber.StatusServiceUnavailable, st, nil)
	}
	h.tallier.Kick()
	if st.Resume != "" {
		// The answers are safe in the response; a draft left behind is only
		// clutter that expires with the wave, so a failure here is not the relative's problem.
		_ = h.surveys.DeleteDraft(ctx, st.Resume)
	}
	// The thank-you page differs between relatives only in the receipt:
	// rendered once per link, language and address, like blank forms.
	page, err := h.freshForms.get("thanks\x00"+s.Link.ID+"\x00"+p.Lang+"\x00"+c.Path(), func() ([]byte, error) {
		p.Title = p.T("thanks.title")
		p.Data = thanksView{Title: in.Title.In(in.ContentLanguage(p.Lang)), UnitName: s.Unit.Name, Receipt: receiptMark,
			Closes: norwegianDate(s.Wave.Closes)}
		return h.views.bytes("thanks", p)
	})
	if err != nil {
		return err
	}
	return sendHTML(c, fiber.StatusOK, bytes.Replace(page, []byte(receiptMark), []byte(receipt), -1))
}

// receiptMark stands for the receipt in a cached thank-you page.
const receiptMark = "stemmeReceiptMarkQ7x"

type thanksView struct {
	Title, UnitName, Receipt string
	Closes                   string
}

// pageFrom reads the page the form was on, defaulting to the first.
func pageFrom(values map[string][]string, in *surveys.Instrument) int {
	n, err := strconv.Atoi(first(values["_page"]))
	if err != nil || n < 0 || n >= len(in.Pages) {
		return 0
	}
	return n
}

// step moves to the next (+1) or previous (-1) page that the answers make
// visible, staying put at either end.
func step(in *surveys.Instrument, values map[string][]string, from, dir int) int {
	answers, _ := in.ParseAnswers(values, in.Pages)
	visible := in.VisiblePages(answers)
	for i := from + dir; i >= 0 && i < len(in.Pages); i += dir {
		for _, v := range visible {
			if v == i {
				return i
			}
		}
	}
	return from
}

func firstPageWith(in *surveys.Instrument, errs []surveys.FieldError) int {
	for i, pg := range in.Pages {
		for _, q := range pg.Questions {
			for _, e := range errs {
				if e.Key == q.Key {
					return i
				}
			}
		}
	}
	return 0
}

// formValues reads an url-encoded form. It reports false for any other body,
// keeping what could be read so nothing entered is lost.
func formValues(c *fiber.Ctx) (map[string][]string, bool) {
	values := map[string][]string{}
	ctype := strings.ToLower(c.Get(fiber.HeaderContentType))
	ok := strings.HasPrefix(ctype, fiber.MIMEApplicationForm)
	if ok {
		for k, v := range c.Request().PostArgs().All() {
			key := string(k)
			values[key] = append(values[key], string(v))
		}
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
	st := formState{Values: values, Page: pageFrom(values, s.Instrument), Notice: p.T("survey.error.too_many"),
		Resume: surveys.NormalizeCode(first(values["_resume"])), Code: surveys.NormalizeCode(first(values["_code"]))}
	st.SID, _ = h.submissionID(s, values)
	c.Set(fiber.HeaderRetryAfter, "60")
	return h.renderSurvey(c, p, s, fiber.StatusTooManyRequests, st, nil)
}

// spendInvitation marks the form's invitation code used. A retried post of a
// response already stored passes (done is false, nothing to spend); a used or
// unknown code re-renders the form with everything entered (done is true).
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
