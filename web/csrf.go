package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

// CSRF protection for staff forms: a signed double-submit token. A random
// value lives in an HttpOnly, SameSite=Strict cookie; forms carry an HMAC of
// it bound to the session, which a cross-site page can neither read nor forge.

func (h *handler) csrfCookie() string {
	if h.https {
		return "__Host-stemme_csrf"
	}
	return "stemme_csrf"
}

// csrfToken returns the token for this request's forms, setting the cookie if needed.
func (h *handler) csrfToken(c *fiber.Ctx) string {
	seed := c.Cookies(h.csrfCookie())
	if seed == "" || len(seed) > 64 {
		seed = staff.NewToken()
		h.setCookie(c, h.csrfCookie(), seed, 0, fiber.CookieSameSiteStrictMode)
		// Make the new seed visible to a later read in this same request.
		c.Request().Header.SetCookie(h.csrfCookie(), seed)
	}
	return h.signCSRF(seed, h.boundSession(c))
}

// boundSession is the session a CSRF token is tied to: the cookie's token
// once require has verified it, and nothing on anonymous pages, so a stale
// or planted session cookie cannot break the login form.
func (h *handler) boundSession(c *fiber.Ctx) string {
	if _, ok := c.Locals(userKey).(*staff.User); ok {
		return c.Cookies(h.sessionCookie())
	}
	return ""
}

func (h *handler) signCSRF(seed, session string) string {
	m := hmac.New(sha256.New, h.cfg.Secret)
	m.Write([]byte("csrf\x00" + seed + "\x00" + staff.HashToken(session)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfHeader carries the token for requests that are not form posts.
const csrfHeader = "X-CSRF-Token"

// sentCSRF is the token the request carries: in the X-CSRF-Token header or
// in the body (a url-encoded or multipart form), never in the query string,
// where it would end up in logs, histories and bookmarks.
func sentCSRF(c *fiber.Ctx) string {
	if t := c.Get(csrfHeader); t != "" {
		return t
	}
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		if form, err := c.MultipartForm(); err == nil && len(form.Value["_csrf"]) > 0 {
			return form.Value["_csrf"][0]
		}
		return ""
	}
	return string(c.Request().PostArgs().Peek("_csrf"))
}

// checkCSRF refuses a state-changing staff request without a valid token.
func (h *handler) checkCSRF(c *fiber.Ctx) error {
	seed := c.Cookies(h.csrfCookie())
	sent := sentCSRF(c)
	if seed == "" || sent == "" || !hmac.Equal([]byte(sent), []byte(h.signCSRF(seed, h.boundSession(c)))) {
		return fiber.ErrForbidden
	}
	return c.Next()
}

// sameOrigin refuses any state-changing request that the browser says came
// from another site. It needs no cookie, so it protects the anonymous survey
// forms too; Sec-Fetch-Site and Origin are set by browsers and cannot be
// forged by a page.
func (h *handler) sameOrigin(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	switch c.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return fiber.ErrForbidden
	case "same-origin", "none":
		return c.Next()
	}
	// Browsers without Sec-Fetch-Site: judge by Origin. Our Referrer-Policy
	// (no-referrer) makes browsers send "Origin: null" even for same-origin
	// posts, so "null" proves nothing either way; the signed form and CSRF
	// tokens still apply.
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && origin != "null" && !h.allowedOrigin(c, origin) {
		return fiber.ErrForbidden
	}
	return c.Next()
}

func (h *handler) allowedOrigin(c *fiber.Ctx, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if base, err := url.Parse(h.cfg.BaseURL); err == nil && strings.EqualFold(u.Host, base.Host) && u.Scheme == base.Scheme {
		return true
	}
	return strings.EqualFold(u.Host, c.Hostname())
}
