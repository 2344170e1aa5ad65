package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

type passwordView struct {
	Token, Email, Error string
	// Field is the id of the input the error is about: "password" when the
	// password breaks a rule, "password_again" when the two differ.
	Field string
}

// passwordShow renders the form behind a first-login or reset link.
func (h *handler) passwordShow(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	token := c.Params("token")
	u, err := h.staff.PasswordLinkUser(ctx, token, h.cfg.Now())
	if err != nil {
		return h.linkError(err)
	}
	p := h.staffPage(c, "password.title")
	p.Data = passwordView{Token: token, Email: u.Email}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, fiber.StatusOK, "password", p)
}

// passwordSubmit sets the password and spends the link.
func (h *handler) passwordSubmit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	token := c.Params("token")
	pw, again := c.FormValue("password"), c.FormValue("password_again")
	now := h.cfg.Now()
	u, err := h.staff.PasswordLinkUser(ctx, token, now)
	if err != nil {
		return h.linkError(err)
	}
	p := h.staffPage(c, "password.title")
	fail := func(field, msg string) error {
		p.Title = errorTitle(p, p.Title)
		p.Data = passwordView{Token: token, Email: u.Email, Error: p.T(msg), Field: field}
		return h.views.render(c, fiber.StatusBadRequest, "password", p)
	}
	if pw != again {
		return fail("password_again", "password.error.mismatch")
	}
	if err := h.ops.Users.SetPasswordByLink(ctx, u, token, pw); err != nil {
		var pe *staff.PolicyError
		if errors.As(err, &pe) {
			return fail("password", pe.Message)
		}
		return h.linkError(err)
	}
	return c.Redirect("/login?done=password", fiber.StatusSeeOther)
}

func (h *handler) linkError(err error) error {
	if errors.Is(err, staff.ErrNoSession) {
		return fiber.NewError(fiber.StatusNotFound, "link expired or used")
	}
	return storeError(err)
}
