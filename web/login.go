package web

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

type loginView struct {
	Email, Next, Error string
}

// loginShow renders the staff sign-in form.
func (h *handler) loginShow(c *fiber.Ctx) error {
	if u, err := h.currentUser(c); err == nil && u != nil {
		return c.Redirect("/admin", fiber.StatusSeeOther)
	}
	p := h.staffPage(c, "login.title")
	p.Data = loginView{Next: safeNext(c.Query("next"))}
	if c.Query("done") == "password" {
		p.Notice = p.T("password.set_done")
	}
	return h.views.render(c, fiber.StatusOK, "login", p)
}

// loginSubmit signs a user in: a refused login waits a growing delay and says
// the same whatever the cause; a successful one gets a brand-new session.
func (h *handler) loginSubmit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	if len(email) > 254 || len(password) > staff.MaxPasswordLength {
		return fiber.ErrBadRequest
	}
	now := h.cfg.Now()
	u, err := h.staff.Authenticate(ctx, email, password, now)
	if le, ok := staff.IsLoginError(err); ok {
		_ = h.staff.Audit(ctx, now, email, staff.AuditLoginFailed, "", map[bool]string{true: "locked"}[le.Locked])
		select {
		case <-time.After(le.Delay):
		case <-ctx.Done():
		}
		p := h.staffPage(c, "login.title")
		p.Data = loginView{Email: email, Next: next, Error: p.T("login.error.failed")}
		return h.views.render(c, fiber.StatusUnauthorized, "login", p)
	}
	if err != nil {
		return storeError(err)
	}
	// A new session id at every login, and the old one ended: a session id
	// planted before login (fixation) is worthless afterwards.
	if old := c.Cookies(h.sessionCookie()); old != "" {
		_ = h.staff.EndSession(ctx, old)
	}
	token, err := h.staff.StartSession(ctx, u.ID, now)
	if err != nil {
		return storeError(err)
	}
	h.setCookie(c, h.sessionCookie(), token, 0, fiber.CookieSameSiteLaxMode)
	h.clearCookie(c, h.csrfCookie())
	_ = h.staff.Audit(ctx, now, u.Email, staff.AuditLogin, "", "")
	h.cfg.Logger.Info("staff login", slog.String("user", u.ID))
	return c.Redirect(next, fiber.StatusSeeOther)
}

// logout ends this session.
func (h *handler) logout(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	if err := h.staff.EndSession(ctx, c.Cookies(h.sessionCookie())); err != nil {
		return storeError(err)
	}
	_ = h.staff.Audit(ctx, h.cfg.Now(), actor(c), staff.AuditLogout, "", "")
	h.clearCookie(c, h.sessionCookie())
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// logoutEverywhere ends every session of the signed-in user.
func (h *handler) logoutEverywhere(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u := c.Locals(userKey).(*staff.User)
	if err := h.staff.EndAllSessions(ctx, u.ID); err != nil {
		return storeError(err)
	}
	_ = h.staff.Audit(ctx, h.cfg.Now(), u.Email, staff.AuditLogoutAll, "", "")
	h.clearCookie(c, h.sessionCookie())
	return c.Redirect("/login", fiber.StatusSeeOther)
}
