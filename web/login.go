package web

import "github.com/gofiber/fiber/v2"

// loginShow renders the staff sign-in form.
func (h *handler) loginShow(c *fiber.Ctx) error {
	p := h.page(c)
	p.Title = p.T("login.title")
	return h.views.render(c, fiber.StatusOK, "login", p)
}

// adminHome sends anyone not signed in to the sign-in page.
func (h *handler) adminHome(c *fiber.Ctx) error {
	return c.Redirect("/login", fiber.StatusSeeOther)
}
