package web

import (
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

// challengeCookie holds the token of a login waiting for its second factor.
func (h *handler) challengeCookie() string {
	if h.https {
		return "__Host-stemme_2fa"
	}
	return "stemme_2fa"
}

type secondStepView struct {
	Next, Error string
}

// secondStepShow asks for the code of the authenticator app after a right password.
func (h *handler) secondStepShow(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	if _, err := h.staff.ChallengeUser(ctx, c.Cookies(h.challengeCookie()), h.cfg.Now()); err != nil {
		if errors.Is(err, staff.ErrChallengeSpent) {
			return c.Redirect("/login", fiber.StatusSeeOther)
		}
		return storeError(err)
	}
	p := h.staffPage(c, "login.second.title")
	p.Data = secondStepView{Next: safeNext(c.Query("next"))}
	return h.views.render(c, fiber.StatusOK, "login_second", p)
}

// secondStepSubmit checks the code. A wrong one is audited and asked again;
// after too many, or when the step has expired, the password is needed again.
func (h *handler) secondStepSubmit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	now := h.cfg.Now()
	token := c.Cookies(h.challengeCookie())
	next := safeNext(c.FormValue("next"))
	who, err := h.staff.ChallengeUser(ctx, token, now)
	if errors.Is(err, staff.ErrChallengeSpent) {
		h.clearCookie(c, h.challengeCookie())
		return c.Redirect("/login?done=again&next="+url.QueryEscape(next), fiber.StatusSeeOther)
	}
	if err != nil {
		return storeError(err)
	}
	code := c.FormValue("code")
	if len(code) > 64 {
		return fiber.ErrBadRequest
	}
	u, method, err := h.staff.AnswerChallenge(ctx, token, code, now)
	if err == nil {
		h.clearCookie(c, h.challengeCookie())
		return h.signIn(c, u, next, method)
	}
	var locked *staff.SecondFactorLockedError
	switch {
	case errors.Is(err, staff.ErrTOTPCode), errors.Is(err, staff.ErrTOTPReplay):
		if err := h.staff.Audit(ctx, now, who.Email, staff.AuditLoginFailed, "", "2fa"); err != nil {
			return storeError(err)
		}
		p := h.staffPage(c, "login.second.title")
		p.Title = errorTitle(p, p.Title)
		p.Data = secondStepView{Next: next, Error: p.T("login.second.error.code")}
		return h.views.render(c, fiber.StatusUnauthorized, "login_second", p)
	case errors.Is(err, staff.ErrChallengeSpent):
		if err := h.staff.Audit(ctx, now, who.Email, staff.AuditLoginFailed, "", "2fa"); err != nil {
			return storeError(err)
		}
		h.clearCookie(c, h.challengeCookie())
		return c.Redirect("/login?done=again&next="+url.QueryEscape(next), fiber.StatusSeeOther)
	case errors.As(err, &locked):
		if err := h.staff.Audit(ctx, now, who.Email, staff.AuditLoginFailed, "", "2fa-locked"); err != nil {
			return storeError(err)
		}
		h.clearCookie(c, h.challengeCookie())
		wait := locked.Until.Sub(now)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		p := h.staffPage(c, "login.title")
		p.Title = errorTitle(p, p.Title)
		p.Data = loginView{Next: next, Error: p.T("login.second.error.locked", "Count", int(wait.Round(time.Minute).Minutes()))}
		return h.views.render(c, fiber.StatusTooManyRequests, "login", p)
	}
	return storeError(err)
}
