package web

import (
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

type loginView struct {
	Email, Next, Error string
	// Invalid ties Error to the two fields: the address or the password is
	// wrong (which one is never said). A locked network is no field's fault.
	Invalid bool
}

// loginShow renders the staff sign-in form.
func (h *handler) loginShow(c *fiber.Ctx) error {
	if u, err := h.currentUser(c); err == nil && u != nil {
		return c.Redirect("/admin", fiber.StatusSeeOther)
	}
	p := h.staffPage(c, "login.title")
	p.Data = loginView{Next: safeNext(c.Query("next"))}
	switch c.Query("done") {
	case "password":
		p.Notice = p.T("password.set_done")
	case "again":
		p.Notice = p.T("login.second.again")
	case "expired":
		p.Notice = p.T("session.expired_notice")
		if p.Data.(loginView).Next == "/admin/unsent" {
			p.Notice = p.T("session.expired_kept")
		}
	case "expired_lost":
		p.Notice = p.T("session.expired_lost")
	}
	return h.views.render(c, fiber.StatusOK, "login", p)
}

// loginSubmit signs a user in. A refused login says the same whatever the
// cause, after the wait that staff.Authenticate imposes; a right password
// leads to the second step when the user has one, else to a new session.
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
	source := h.staff.SourceKey(clientIP(c))
	u, err := h.staff.Authenticate(ctx, staff.Attempt{Email: email, Password: password, Source: source, Now: now})
	if le, ok := staff.IsLoginError(err); ok {
		return h.loginRefused(c, loginView{Email: email, Next: next}, source, le)
	}
	if err != nil {
		return storeError(err)
	}
	if u.HasTOTP() {
		token, err := h.staff.StartChallenge(ctx, u.ID, now)
		if err != nil {
			return storeError(err)
		}
		h.setCookie(c, h.challengeCookie(), token, int(staff.ChallengeLifetime.Seconds()), fiber.CookieSameSiteStrictMode)
		return c.Redirect("/login/2fa?next="+url.QueryEscape(next), fiber.StatusSeeOther)
	}
	return h.signIn(c, u, next, "")
}

// loginRefused answers a refused login: 401 with the same message for any
// wrong address or password, or 429 when the client's network is locked.
// The audit log names the address typed, never the network's address.
func (h *handler) loginRefused(c *fiber.Ctx, v loginView, source string, le *staff.LoginError) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	now := h.cfg.Now()
	p := h.staffPage(c, "login.title")
	status := fiber.StatusUnauthorized
	v.Error, v.Invalid = p.T("login.error.failed"), true
	detail := ""
	if le.SourceLocked || le.NewLock {
		v.Invalid = false
		status = fiber.StatusTooManyRequests
		wait := le.LockedUntil.Sub(now)
		v.Error = p.T("login.error.source_locked", "Count", int(wait.Round(time.Minute).Minutes()))
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		detail = "source-locked"
	}
	if err := h.staff.Audit(ctx, now, v.Email, staff.AuditLoginFailed, "", detail); err != nil {
		return storeError(err)
	}
	if le.NewLock {
		if err := h.staff.Audit(ctx, now, "system", staff.AuditSourceLocked, source, "until "+le.LockedUntil.UTC().Format(time.RFC3339)); err != nil {
			return storeError(err)
		}
		h.cfg.Logger.Warn("login source locked", slog.String("source", source), slog.Time("until", le.LockedUntil))
	}
	p.Title = errorTitle(p, p.Title)
	p.Data = v
	return h.views.render(c, status, "login", p)
}

// signIn starts a brand-new session for the user and sends them on. A new
// session id at every login, and the old one ended: a session id planted
// before login (fixation) is worthless afterwards.
func (h *handler) signIn(c *fiber.Ctx, u staff.User, next, method string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	now := h.cfg.Now()
	if old := c.Cookies(h.sessionCookie()); old != "" {
		_ = h.staff.EndSession(ctx, old)
	}
	// The login is recorded before the session starts: a login the audit
	// log cannot hold does not happen.
	if err := h.staff.Audit(ctx, now, u.Email, staff.AuditLogin, "", method); err != nil {
		return storeError(err)
	}
	token, err := h.staff.StartSession(ctx, u.ID, now)
	if err != nil {
		return storeError(err)
	}
	h.setCookie(c, h.sessionCookie(), token, 0, fiber.CookieSameSiteLaxMode)
	h.clearCookie(c, h.csrfCookie())
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
	// The session has ended whatever the audit log says: drop the cookie
	// first, then report an entry that could not be written.
	h.clearCookie(c, h.sessionCookie())
	if err := h.staff.Audit(ctx, h.cfg.Now(), actor(c), staff.AuditLogout, "", ""); err != nil {
		return storeError(err)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

type logoutEverywhereView struct {
	Tokens []tokenRow
}

// logoutEverywhereShow asks before signing out everywhere, and offers to
// revoke the user's API tokens too: a token made in a stolen session would
// otherwise outlive every session.
func (h *handler) logoutEverywhereShow(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "logout_all.title")
	ts, err := h.staff.Tokens(ctx, p.User.ID)
	if err != nil {
		return storeError(err)
	}
	p.Data = logoutEverywhereView{Tokens: tokenRows(p, ts)}
	return h.views.render(c, fiber.StatusOK, "logout_everywhere", p)
}

// logoutEverywhere ends every session of the signed-in user and, when
// asked, revokes every API token of theirs.
func (h *handler) logoutEverywhere(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u := c.Locals(userKey).(*staff.User)
	now := h.cfg.Now()
	if c.FormValue("revoke_tokens") != "" {
		n, err := h.staff.RevokeAllTokens(ctx, u.ID)
		if err != nil {
			return storeError(err)
		}
		if err := h.staff.Audit(ctx, now, u.Email, staff.AuditTokensRevokeAll, u.Email, strconv.Itoa(n)); err != nil {
			return storeError(err)
		}
	}
	if err := h.staff.EndAllSessions(ctx, u.ID); err != nil {
		return storeError(err)
	}
	h.clearCookie(c, h.sessionCookie())
	if err := h.staff.Audit(ctx, now, u.Email, staff.AuditLogoutAll, "", ""); err != nil {
		return storeError(err)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
