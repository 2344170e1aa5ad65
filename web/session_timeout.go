package web

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Staff sessions end after STEMME_SESSION_IDLE unused (WCAG 2.2.1: warn
// and offer more time). Every staff page says until when the session
// lasts, with a button that extends it (a form, so it works without
// JavaScript); with JavaScript, a dialog warns SessionWarning before the
// end and extends the session without leaving the page. A form sent after
// the end is kept for the user (unsent.go).

// sessionView is what a staff page says about its session.
type sessionView struct {
	// Until is the local time the session ends unless used (15:05).
	Until string
	// ExpiresIn and Warn are seconds, for the dialog's timer.
	ExpiresIn, Warn int
	// Final: the absolute limit comes first, extending does not help.
	Final bool
	// Next is the page, for the extend form without JavaScript.
	Next string
}

// sessionOf describes the session of a signed-in request, nil for none
// (an API token, a page before login).
func (h *handler) sessionOf(c *fiber.Ctx) *sessionView {
	sess, ok := c.Locals(sessionKey).(staff.Session)
	if !ok {
		return nil
	}
	return h.describeSession(sess, c.OriginalURL())
}

func (h *handler) describeSession(sess staff.Session, next string) *sessionView {
	now := h.cfg.Now()
	end := sess.Expires(h.cfg.Sessions)
	warn := h.cfg.SessionWarning
	if warn == 0 {
		warn = min(2*time.Minute, h.cfg.Sessions.Idle/2)
	}
	return &sessionView{Until: end.In(surveys.Oslo).Format("15:04"), ExpiresIn: int(end.Sub(now).Seconds()),
		Warn: int(warn.Seconds()), Final: !sess.Created.Add(h.cfg.Sessions.Absolute).After(sess.LastSeen.Add(h.cfg.Sessions.Idle)),
		Next: safeNext(next)}
}

// sessionExtend uses the session now. A script gets the new end as JSON;
// a form goes back to its page.
func (h *handler) sessionExtend(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	sess, err := h.staff.Touch(ctx, c.Cookies(h.sessionCookie()), h.cfg.Now(), h.cfg.Sessions)
	if errors.Is(err, staff.ErrNoSession) {
		return h.toLogin(c)
	}
	if err != nil {
		return storeError(err)
	}
	v := h.describeSession(sess, c.FormValue("next"))
	if strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
		p := h.page(c)
		return c.JSON(fiber.Map{"expiresIn": v.ExpiresIn, "final": v.Final,
			"note": p.T(sessionNoteKey(v), "Until", v.Until)})
	}
	return c.Redirect(v.Next, fiber.StatusSeeOther)
}

// sessionNoteKey is the message of the line under the menu.
func sessionNoteKey(v *sessionView) string {
	if v.Final {
		return "session.note_final"
	}
	return "session.note"
}

// SessionNote is the line under the staff menu.
func (p *page) SessionNote() string {
	if p.Session == nil {
		return ""
	}
	return p.T(sessionNoteKey(p.Session), "Until", p.Session.Until)
}
