package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

type inviteView struct {
	Code, Error string
}

// inviteShow asks for the code from an invitation letter; a code carried in
// the link (?kode=) is checked at once.
func (h *handler) inviteShow(c *fiber.Ctx) error {
	if code := c.Query("kode"); code != "" {
		return h.startInvited(c, code)
	}
	return h.renderInvite(c, fiber.StatusOK, inviteView{})
}

// inviteSubmit checks a typed code and opens its survey.
func (h *handler) inviteSubmit(c *fiber.Ctx) error {
	return h.startInvited(c, c.FormValue("code"))
}

func (h *handler) renderInvite(c *fiber.Ctx, status int, v inviteView) error {
	p := h.page(c)
	p.Title = p.T("invite.title")
	if v.Error != "" {
		v.Error = p.T(v.Error)
		p.Title = errorTitle(p, p.Title)
	}
	p.Data = v
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, status, "invite", p)
}

// startInvited starts a journey through the invitation's survey, carrying
// the code, and redirects to its first page. The code is only checked here;
// it is spent when the answer is stored, so a relative who stops half-way
// can come back with the same letter.
func (h *handler) startInvited(c *fiber.Ctx, code string) error {
	if len(code) > 40 || surveys.NormalizeCode(code) == "" {
		return h.renderInvite(c, fiber.StatusBadRequest, inviteView{Code: code, Error: "invite.error.unknown"})
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	inv, err := h.surveys.Invitation(ctx, code)
	switch {
	case errors.Is(err, surveys.ErrNoSuchInvitation):
		return h.renderInvite(c, fiber.StatusNotFound, inviteView{Code: code, Error: "invite.error.unknown"})
	case errors.Is(err, surveys.ErrInvitationUsed):
		return h.renderInvite(c, fiber.StatusConflict, inviteView{Code: code, Error: "invite.error.used"})
	case err != nil:
		return storeError(err)
	}
	s, err := h.loadSurvey(ctx, inv.Link)
	if err != nil {
		return err
	}
	p := h.page(c)
	if a := s.Wave.Availability(surveys.LocalDate(h.cfg.Now())); a != surveys.Available {
		return h.renderUnavailable(c, p, s, a)
	}
	st := formState{SID: surveys.NewSubmissionID(), Code: surveys.NormalizeCode(code)}
	return h.startJourney(c, p, s, st, "")
}
