package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/surveys"
)

// deltaView is every way a relative can take part, in one place.
type deltaView struct {
	Surveys   []homeSurvey
	Contact   council.Settings
	Dialogue  []council.Meeting
	Published []surveys.Wave
	// Arenas are the admins' text and dates of each arena, by kind.
	Arenas map[string]*arenaSection
	// More are the arenas without a section of their own above, in order.
	More []*arenaSection
}

// delta is /delta: surveys open now, the standing feedback form, the
// relatives' council and how to reach it, dialogue meetings and results.
func (h *handler) delta(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.page(c)
	var v deltaView
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	for _, w := range waves {
		if w.Published != "" {
			v.Published = append(v.Published, w)
		}
	}
	if v.Surveys, err = h.openSurveys(ctx, p, waves, names); err != nil {
		return err
	}
	if v.Contact, err = h.council.Settings(ctx); err != nil {
		return storeError(err)
	}
	meetings, err := h.council.Meetings(ctx, council.KindDialogue)
	if err != nil {
		return storeError(err)
	}
	today := surveys.LocalDate(h.cfg.Now())
	for _, m := range meetings {
		if m.Date >= today {
			v.Dialogue = append(v.Dialogue, m)
		}
	}
	slices.Reverse(v.Dialogue) // soonest first
	if v.Arenas, err = h.deltaArenas(c); err != nil {
		return err
	}
	for _, k := range []string{arenas.KindSchool, arenas.KindGroups, arenas.KindCafe} {
		v.More = append(v.More, v.Arenas[k])
	}
	p.Title = p.T("delta.title")
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "delta", p)
}
