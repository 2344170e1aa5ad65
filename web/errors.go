package web

import (
	"errors"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

// renderError shows every error as a translated page with the right status.
func (h *handler) renderError(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code = fe.Code
	}
	if code >= 500 {
		h.cfg.Logger.Error("request failed", slog.String("route", c.Route().Path), slog.String("error", err.Error()))
	}
	key := "error.generic"
	switch code {
	case fiber.StatusBadRequest, fiber.StatusForbidden, fiber.StatusNotFound, fiber.StatusMethodNotAllowed,
		fiber.StatusRequestEntityTooLarge, fiber.StatusTooManyRequests, fiber.StatusServiceUnavailable,
		fiber.StatusRequestHeaderFieldsTooLarge, fiber.StatusRequestTimeout:
		key = "error." + strconv.Itoa(code)
	}
	// Errors fasthttp meets while reading a request reach this handler
	// without passing any middleware; the headers must still be there.
	setSecurityHeaders(c, h.https)
	if code == fiber.StatusRequestHeaderFieldsTooLarge || code == fiber.StatusRequestEntityTooLarge || code == fiber.StatusRequestTimeout {
		// Part of the request is still unread: end the connection rather
		// than read the rest as the next request.
		c.Set(fiber.HeaderConnection, "close")
	}
	if k, ok := uploadTooLarge(c.Path()); ok && code == fiber.StatusRequestEntityTooLarge {
		key = k
	}
	p := h.page(c)
	p.Title = p.T(key + ".title")
	p.Data = errorView{Code: code, Key: key}
	if rerr := h.views.render(c, code, "error", p); rerr != nil {
		h.cfg.Logger.Error("error page failed", slog.String("error", rerr.Error()))
		return c.Status(code).SendString(err.Error())
	}
	return nil
}

type errorView struct {
	Code int
	Key  string
}

// page starts a page in the request's language. Staff pages (and their
// error pages) are written in the staff languages only.
func (h *handler) page(c *fiber.Ctx) *page {
	var p *page
	if staffPath(c.Path()) {
		p = h.tr.pageAmong(c, h.tr.resolveAmong(c, h.https, h.tr.staff, h.tr.staffMatcher), h.tr.staff)
	} else {
		p = h.tr.newPage(c, h.tr.resolve(c, h.https))
	}
	h.brand(c, p)
	return p
}

// staffPage starts a staff page: the signed-in user and a CSRF token for its forms.
func (h *handler) staffPage(c *fiber.Ctx, titleKey string) *page {
	p := h.page(c)
	p.User, _ = c.Locals(userKey).(*staff.User)
	p.CSRF = h.csrfToken(c)
	p.Session = h.sessionOf(c)
	p.Title = p.T(titleKey)
	return p
}
