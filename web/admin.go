package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

type adminHomeView struct {
	IsAdmin bool
}

// adminHome is the staff start page.
func (h *handler) adminHome(c *fiber.Ctx) error {
	p := h.staffPage(c, "admin.title")
	p.Data = adminHomeView{IsAdmin: p.User.Has(staff.RoleAdmin)}
	return h.views.render(c, fiber.StatusOK, "admin", p)
}
