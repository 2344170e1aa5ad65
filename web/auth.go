package web

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

const (
	userKey = "stemme.user"
	// sessionKey holds the signed-in user's session, for its timeout.
	sessionKey = "stemme.session"
	// endedKey holds the user whose session the request found ended.
	endedKey = "stemme.ended"
)

// sessionCookie is named with the __Host- prefix under https, which browsers
// only accept with Secure, Path=/ and no Domain: it cannot be set by a subdomain.
func (h *handler) sessionCookie() string {
	if h.https {
		return "__Host-stemme_session"
	}
	return "stemme_session"
}

// currentUser returns the signed-in user, reading the session once per request.
func (h *handler) currentUser(c *fiber.Ctx) (*staff.User, error) {
	if u, ok := c.Locals(userKey).(*staff.User); ok {
		return u, nil
	}
	token := c.Cookies(h.sessionCookie())
	if token == "" {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 5*time.Second)
	defer cancel()
	sess, u, err := h.staff.Session(ctx, token, h.cfg.Now(), h.cfg.Sessions)
	if errors.Is(err, staff.ErrNoSession) {
		h.clearCookie(c, h.sessionCookie())
		// A session that ended just now names its user: what they sent
		// with it can be kept for them (see keepUnsent).
		c.Locals(endedKey, sess.UserID)
		return nil, nil
	}
	if err != nil {
		return nil, storeError(err)
	}
	c.Locals(userKey, &u)
	c.Locals(sessionKey, sess)
	return &u, nil
}

// require lets a request through only for a signed-in user holding one of the
// roles (any role when none are given). Anonymous users are sent to the login
// page; signed-in users without the role get 403.
func (h *handler) require(roles ...staff.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := h.currentUser(c)
		if err != nil {
			return err
		}
		if u == nil {
			return h.toLogin(c)
		}
		if len(roles) > 0 && !u.HasAny(roles...) {
			return fiber.ErrForbidden
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		if h.mustEnrol(u) && !enrolmentPath(c.Path()) {
			if c.Method() == fiber.MethodGet {
				return c.Redirect("/admin/2fa", fiber.StatusSeeOther)
			}
			return fiber.ErrForbidden
		}
		return c.Next()
	}
}

// toLogin sends an anonymous request to the login page: a page asked for
// is where login leads back to; a form sent after the session ended is kept
// for its user and offered back after login (unsent.go).
func (h *handler) toLogin(c *fiber.Ctx) error {
	q := url.Values{}
	ended, _ := c.Locals(endedKey).(string)
	if ended != "" {
		q.Set("done", "expired")
	}
	switch {
	case c.Method() == fiber.MethodGet:
		q.Set("next", c.OriginalURL())
	case ended != "" && c.Path() != "/admin/session/extend":
		kept, err := h.keepUnsent(c, ended)
		if err != nil {
			return err
		}
		if kept {
			q.Set("next", "/admin/unsent")
		} else {
			q.Set("done", "expired_lost")
		}
	}
	target := "/login"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// mustEnrol reports whether the user has to set up a second factor before
// anything else: admins and advisors, when STEMME_REQUIRE_2FA is set.
func (h *handler) mustEnrol(u *staff.User) bool {
	return h.cfg.Require2FA && u.HasAny(staff.RoleAdmin, staff.RoleAdvisor) && !u.HasTOTP()
}

// enrolmentPath lists what a user who must enrol may still reach: the
// second-factor pages and signing out.
func enrolmentPath(path string) bool {
	return path == "/admin/2fa" || strings.HasPrefix(path, "/admin/2fa/") || strings.HasPrefix(path, "/logout")
}

// safeNext keeps a post-login redirect inside the staff pages.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/admin"
}

func (h *handler) setCookie(c *fiber.Ctx, name, value string, maxAge int, sameSite string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HTTPOnly: true,
		Secure: h.https, SameSite: sameSite})
}

func (h *handler) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: h.https, SameSite: fiber.CookieSameSiteLaxMode})
}

// actor names the signed-in user in the audit log.
func actor(c *fiber.Ctx) string {
	if u, ok := c.Locals(userKey).(*staff.User); ok {
		return u.Email
	}
	return "anonymous"
}
