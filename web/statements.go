package web

import "github.com/gofiber/fiber/v2"

// statementPage renders a static, translated page: the privacy and the
// accessibility statements.
func (h *handler) statementPage(name, titleKey string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := h.page(c)
		p.Title = p.T(titleKey)
		return h.views.render(c, fiber.StatusOK, name, p)
	}
}
