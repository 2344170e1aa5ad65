package web

import (
	"slices"

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
	// Checklist is the first-run checklist, until every step is done.
	Checklist []checkItem
}

// checkItem is one step of the first-run checklist.
type checkItem struct {
	Key, Link string
	Done      bool
}

// firstRunChecklist lists what a new installation needs before relatives
// can answer: units, staff, and a first wave opened. It is nil once all
// three are done, so an installation in use never sees it.
func (h *handler) firstRunChecklist(c *fiber.Ctx, u *staff.User) ([]checkItem, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	users, err := h.staff.CountUsers(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	items := []checkItem{
		{Key: "units", Link: "/admin/units", Done: slices.ContainsFunc(units, func(x surveys.Unit) bool { return x.Active && x.ServiceUnit() })},
		{Key: "staff", Done: users > 1},
		{Key: "wave", Link: "/admin/waves/new", Done: slices.ContainsFunc(waves, func(w surveys.Wave) bool { return w.Status != surveys.WaveDraft })},
	}
	if u.Has(staff.RoleAdmin) {
		items[1].Link = "/admin/users"
	}
	for _, it := range items {
		if !it.Done {
			return items, nil
		}
	}
	return nil, nil
}

// adminHome is the staff start page.
func (h *handler) adminHome(c *fiber.Ctx) error {
	p := h.staffPage(c, "admin.title")
	v := adminHomeView{IsAdmin: p.User.Has(staff.RoleAdmin)}
	if p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor) {
		var err error
		if v.Checklist, err = h.firstRunChecklist(c, p.User); err != nil {
			return err
		}
		ctx, cancel := h.ctx(c)
		defer cancel()
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
