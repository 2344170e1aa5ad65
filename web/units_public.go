package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// unitsPublicView groups the active service units under their sectors.
type unitsPublicView struct {
	Groups []unitGroup
}

type unitGroup struct {
	Name  string
	Units []surveys.Unit
}

// unitsPublic is /kontakt: every active service unit with its contact
// details, telephone and visiting hours, in one place (seed 004).
func (h *handler) unitsPublic(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.page(c)
	all, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	var v unitsPublicView
	var current *unitGroup
	for _, t := range surveys.UnitTree(all) {
		switch {
		case !t.Active:
		case surveys.Level(t.Kind):
			v.Groups = append(v.Groups, unitGroup{Name: t.Name})
			current = &v.Groups[len(v.Groups)-1]
		default:
			if current == nil || t.Depth == 0 { // a service unit placed under no sector
				v.Groups = append(v.Groups, unitGroup{})
				current = &v.Groups[len(v.Groups)-1]
			}
			current.Units = append(current.Units, t.Unit)
		}
	}
	// Sectors with no service units of their own say nothing to relatives.
	groups := v.Groups[:0]
	for _, g := range v.Groups {
		if len(g.Units) > 0 {
			groups = append(groups, g)
		}
	}
	v.Groups = groups
	p.Title = p.T("delta.units.title")
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "units_public", p)
}
