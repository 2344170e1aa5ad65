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

const userKey = "stemme.user"

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
	_, u, err := h.staff.Session(ctx, token, h.cfg.Now(), h.cfg.Sessions)
	if errors.Is(err, staff.ErrNoSession) {
		h.clearCookie(c, h.sessionCookie())
		return nil, nil
	}
	if err != nil {
		return nil, storeError(err)
	}
	c.Locals(userKey, &u)
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
			next := ""
			if c.Method() == fiber.MethodGet {
				next = "?next=" + url.QueryEscape(c.OriginalURL())
			}
			return c.Redirect("/login"+next, fiber.StatusSeeOther)
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
