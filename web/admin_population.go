package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// populationView is the form for the number of relatives each unit of a
// wave reached: the response rate's denominator.
type populationView struct {
	Wave  *surveys.Wave
	Units []populationUnit
	Error string
}

type populationUnit struct {
	ID, Name, Value string
}

// populationShow shows the wave's population per unit.
func (h *handler) populationShow(c *fiber.Ctx) error {
	return h.renderPopulation(c, fiber.StatusOK, nil, "")
}

func (h *handler) renderPopulation(c *fiber.Ctx, status int, typed map[string]string, errKey string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	w, err := h.surveys.Wave(ctx, c.Params("id"))
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	p := h.staffPage(c, "population.title")
	v := populationView{Wave: w}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	for _, u := range w.Units {
		val := typed[u]
		if typed == nil && w.Population[u] > 0 {
			val = strconv.Itoa(w.Population[u])
		}
		v.Units = append(v.Units, populationUnit{ID: u, Name: names.of(u), Value: val})
	}
	p.Data = v
	return h.views.render(c, status, "population", p)
}

// populationSave records the numbers typed; a bad one is refused with
// every number kept.
func (h *handler) populationSave(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	typed, pop := map[string]string{}, map[string]int{}
	for k, v := range c.Request().PostArgs().All() {
		unit, ok := strings.CutPrefix(string(k), "population.")
		if !ok {
			continue
		}
		s := strings.TrimSpace(strings.ReplaceAll(string(v), " ", ""))
		typed[unit] = string(v)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return h.renderPopulation(c, fiber.StatusBadRequest, typed, "population.error.number")
		}
		pop[unit] = n
	}
	err := h.ops.Waves.SetPopulation(ctx, actor(c), id, pop)
	switch {
	case errors.Is(err, surveys.ErrPopulationValue):
		return h.renderPopulation(c, fiber.StatusBadRequest, typed, "population.error.number")
	case errors.Is(err, surveys.ErrPopulationPublished):
		return h.renderPopulation(c, fiber.StatusConflict, typed, "population.error.published")
	case errors.Is(err, surveys.ErrNotInWave):
		return fiber.ErrBadRequest
	case err != nil:
		return storeError(err)
	}
	return c.Redirect("/admin/waves?population="+url.QueryEscape(id), fiber.StatusSeeOther)
}
