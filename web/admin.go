package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

type adminHomeView struct {
	IsAdmin bool
	// What needs attention, for advisors and admins.
	OverdueActions   []actions.Action
	OverdueDecisions []council.Decision
}

// adminHome is the staff start page.
func (h *handler) adminHome(c *fiber.Ctx) error {
	p := h.staffPage(c, "admin.title")
	v := adminHomeView{IsAdmin: p.User.Has(staff.RoleAdmin)}
	if p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor) {
		ctx, cancel := h.ctx(c)
		defer cancel()
		var err error
		if v.OverdueActions, err = h.actions.Overdue(ctx, h.cfg.Now().In(surveys.Oslo).Year()); err != nil {
			return storeError(err)
		}
		if v.OverdueDecisions, err = h.council.OverdueDecisions(ctx, surveys.LocalDate(h.cfg.Now())); err != nil {
			return storeError(err)
		}
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "admin", p)
}
