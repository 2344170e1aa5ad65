package web

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

type resumeView struct {
	Title, UnitName, Action, Code, Error string
}

// saveDraft keeps the answers so far under a resume code (the same code when
// the form was resumed or saved before) and redirects to the page that
// shows the code; the code travels in the journey, not in the address.
func (h *handler) saveDraft(c *fiber.Ctx, p *page, s *openSurvey, st formState) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	code, err := h.surveys.SaveDraft(ctx, st.Resume, s.Link.ID, st.Values, st.Page, s.Wave.Closes)
	if err != nil {
		h.cfg.Logger.Error("draft not saved", slog.String("error", err.Error()))
		st.Notice = p.T("survey.error.not_saved")
		return h.renderSurvey(c, p, s, fiber.StatusServiceUnavailable, st, nil)
	}
	st.Resume = surveys.NormalizeCode(code)
	if !h.keepJourney(c, s, st, "") {
		return h.renderSaved(c, p, s, code)
	}
	return c.Redirect(surveyPath(s.Link.ID)+"/lagret", fiber.StatusSeeOther)
}

// savedShow shows the resume code of the journey's saved answers.
func (h *handler) savedShow(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	j, ok := h.journeyOf(c, s)
	if !ok || j.Resume == "" {
		return c.Redirect(surveyPath(s.Link.ID), fiber.StatusSeeOther)
	}
	return h.renderSaved(c, p, s, j.Resume)
}

func (h *handler) renderSaved(c *fiber.Ctx, p *page, s *openSurvey, code string) error {
	p.Title = p.T("saved.title")
	p.Data = resumeView{Title: s.Instrument.Title.In(s.Instrument.ContentLanguage(p.Lang)), UnitName: s.Unit.Name,
		Action: surveyPath(s.Link.ID) + "/fortsett", Code: surveys.FormatCode(code)}
	return h.views.render(c, fiber.StatusOK, "saved", p)
}

// resumeShow asks for the resume code.
func (h *handler) resumeShow(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	return h.renderResume(c, p, s, fiber.StatusOK, "", "")
}

func (h *handler) renderResume(c *fiber.Ctx, p *page, s *openSurvey, status int, code, errKey string) error {
	v := resumeView{Title: s.Instrument.Title.In(s.Instrument.ContentLanguage(p.Lang)), UnitName: s.Unit.Name,
		Action: "/s/" + s.Link.ID + "/fortsett", Code: code}
	p.Title = p.T("resume.title")
	if errKey != "" {
		v.Error = p.T(errKey)
		p.Title = errorTitle(p, p.Title)
	}
	p.Data = v
	return h.views.render(c, status, "resume", p)
}

// resumeSubmit restores saved answers and continues on the page where the
// relative stopped.
func (h *handler) resumeSubmit(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	code := c.FormValue("code")
	if len(code) > 40 {
		return h.renderResume(c, p, s, fiber.StatusBadRequest, "", "resume.error.unknown")
	}
	d, err := h.surveys.LoadDraft(ctx, code, s.Link.ID, h.cfg.Now())
	switch {
	case errors.Is(err, surveys.ErrNoSuchDraft):
		return h.renderResume(c, p, s, fiber.StatusNotFound, code, "resume.error.unknown")
	case err != nil:
		return storeError(err)
	}
	st := formState{Values: d.Values, Page: d.Page, SID: surveys.NewSubmissionID(), Resume: surveys.NormalizeCode(code)}
	if st.Page < 0 || st.Page >= len(s.Instrument.Pages) {
		st.Page = 0
	}
	return h.startJourney(c, p, s, st, "resume.restored")
}
